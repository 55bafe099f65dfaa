// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "commandline.h"
#include "event.h"

#include <QElapsedTimer>
#include <QJsonArray>

#include <functional>

namespace pcviz {

class Engine;
class EventDrain;
struct RunInfo;

/// Runs a scenario without a display, freely or step by step (a schedule, or a number of steps
/// chosen by a policy): drains every event into the checker and the requested outputs, detects
/// deadlock, writes the summary and returns the exit status.
class HeadlessRunner {
public:
    /// processClock: started at the top of main; the summary's startup_ms counts from there.
    HeadlessRunner(const CommandLine& commandLine, const QElapsedTimer& processClock);
    int run();

private:
    enum class StepOutcome { Done, Stuck, BadSchedule };
    StepOutcome runSteps(Engine& engine, const RunInfo& info, EventDrain& drain,
        const std::function<void(const Event&)>& handle, QJsonArray& applied);
    static QString whyNotParked(const Engine& engine, const RunInfo& info, ThreadRef thread);
    /// The deadlock test of a run without events: every thread still there is blocked in a
    /// primitive.
    static bool everyThreadBlocked(const Engine& engine);

    const CommandLine& m_commandLine;
    const QElapsedTimer& m_processClock;
};

} // namespace pcviz
