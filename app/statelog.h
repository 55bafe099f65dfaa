// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace pcviz {

class Engine;

/// For scripts and tests that must know what a run is doing before they act (say, send SIGTERM
/// while every thread is blocked): with PCVIZ_STATE_LOG=1 in the environment, writes one line
/// to stderr whenever the run state or the number of live, blocked or parked threads changes,
/// e.g. "pcviz-state: run=running threads=4 blocked=4 parked=0". Silent otherwise.
class StateLog {
public:
    explicit StateLog(const Engine& engine);
    bool enabled() const { return m_enabled; }
    /// Looks at the engine and writes a line if anything changed since the last one.
    void poll();

private:
    const Engine& m_engine;
    const bool m_enabled;
    QByteArray m_last;
};

} // namespace pcviz
