// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QVector>

namespace pcviz {

/// Measures the GUI as it runs: the interval between painted frames, and at the end the GUI
/// thread's CPU time and the process's peak memory, for --perf-report.
class PerfRecorder {
public:
    PerfRecorder();
    /// Called once per frame that folded new events.
    void frame();
    /// Statistics so far; engineItemsPerSecond is measured by the caller.
    QJsonObject report(double engineItemsPerSecond, double elapsedSeconds) const;

private:
    QElapsedTimer m_clock;
    qint64 m_lastNs = -1;
    QVector<double> m_intervalsMs;
    double m_threadCpuAtStart;
};

} // namespace pcviz
