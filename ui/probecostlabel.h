// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QLabel>
#include <QTimer>

#include <cstdint>

namespace pcviz {

class Engine;

/// The status bar's reminder that watching the threads slows them: the events recorded per
/// second times what one event costs, as a share of a core; refreshed every second.
class ProbeCostLabel : public QLabel {
    Q_OBJECT
public:
    explicit ProbeCostLabel(const Engine& engine, QWidget* parent = nullptr);
    /// Events recorded per second over the last refresh.
    double eventsPerSecond() const { return m_eventsPerSecond; }
    /// "probe 1.8M ev/s × 11 ns ≈ 2.0% of a core", or "< 0.1%" for a slow run.
    static QString describe(double eventsPerSecond, double nsPerEvent);

private:
    void refresh();

    const Engine& m_engine;
    double m_nsPerEvent;
    QTimer m_timer;
    QElapsedTimer m_clock;
    std::uint64_t m_lastRecorded = 0;
    double m_eventsPerSecond = 0;
};

} // namespace pcviz
