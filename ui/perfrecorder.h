// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QVector>

class QWidget;

namespace pcviz {

/// Measures the GUI as it runs: the interval between painted frames, the start-up to the
/// first painted frame, and at the end the GUI thread's CPU time, the process's memory and
/// what the probe costs the threads, for --perf-report.
class PerfRecorder : public QObject {
    Q_OBJECT
public:
    /// processClock: started at the top of main, so start-up counts from there.
    explicit PerfRecorder(const QElapsedTimer& processClock);
    /// Watches window for its first painted frame.
    void watchFirstPaint(QWidget* window);
    /// Called once per frame that folded new events.
    void frame();
    /// Milliseconds from the process's start to its first painted frame; -1 before that.
    double startupMs() const { return m_startupMs; }
    /// Statistics so far; the engine's rates are measured by the caller.
    QJsonObject report(
        double engineItemsPerSecond, double engineEventsPerSecond, double elapsedSeconds) const;

    /// The process's resident memory now and at its peak, in megabytes (0 where unknown).
    static double rssMegabytes();
    static double peakRssMegabytes();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    const QElapsedTimer& m_processClock;
    QElapsedTimer m_clock;
    qint64 m_lastNs = -1;
    QVector<double> m_intervalsMs;
    double m_threadCpuAtStart;
    double m_startupMs = -1;
    QWidget* m_window = nullptr;
};

} // namespace pcviz
