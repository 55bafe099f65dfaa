// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "commandline.h"
#include "event.h"

#include <QElapsedTimer>
#include <QJsonArray>

#include <chrono>
#include <functional>

namespace pcviz {

class Engine;
class EventDrain;
class SignalWatcher;
class StateLog;
struct RunInfo;

/// Runs a scenario without a display, freely or step by step (a schedule, or a number of steps
/// chosen by a policy): drains every event into the checker and the requested outputs, detects
/// deadlock, writes the summary and returns the exit status. SIGINT or SIGTERM (seen through
/// the watcher) stops the run early: the outputs are still written, whole up to the stop, and
/// the summary says "interrupted".
class HeadlessRunner {
public:
    /// processClock: started at the top of main; the summary's startup_ms counts from there.
    /// watcher: SIGINT and SIGTERM stop the run, whose outputs are still written.
    HeadlessRunner(const CommandLine& commandLine, const QElapsedTimer& processClock,
        SignalWatcher* watcher = nullptr);
    int run();

private:
    enum class StepOutcome { Done, Stuck, BadSchedule, Interrupted };
    /// Now and then (not on every event): reports the state and looks for a quit request.
    bool interrupted(StateLog& stateLog);
    StepOutcome runSteps(Engine& engine, const RunInfo& info, EventDrain& drain,
        const std::function<void(const Event&)>& handle, QJsonArray& applied);
    static QString whyNotParked(const Engine& engine, const RunInfo& info, ThreadRef thread);

    const CommandLine& m_commandLine;
    const QElapsedTimer& m_processClock;
    SignalWatcher* m_watcher;
    std::chrono::steady_clock::time_point m_lastCheck;
    bool m_interrupted = false;
};

} // namespace pcviz
