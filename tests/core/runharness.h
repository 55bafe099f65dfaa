// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checker.h"
#include "engine.h"
#include "eventdrain.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QtGlobal>

#include <functional>
#include <memory>
#include <thread>

namespace pcviz::test {

/// Item counts shrink by PCVIZ_TEST_DIVISOR (set by the sanitizer presets, whose builds run
/// ten times slower); the behaviour checked is the same.
inline qint64 scaled(qint64 items)
{
    const int divisor = qEnvironmentVariableIntValue("PCVIZ_TEST_DIVISOR");
    return divisor > 1 ? std::max<qint64>(1, items / divisor) : items;
}

/// Runs the engine's current scenario to the end on real threads, folding every event into a
/// Checker through a lossless drain. onEvent sees each event as it is drained (to make live
/// changes at chosen points). A run that does not end within the guard time is stopped and
/// reported as not finished, so a hang fails the test instead of blocking the suite.
struct RunResult {
    std::unique_ptr<Checker> checker;
    bool finished = false;
    bool deadlocked = false; // only when asked to watch for it
    QJsonArray deadlockCycle; // who waited for what when the deadlock was confirmed
    std::uint64_t events = 0;
    std::uint64_t skipped = 0; // events the drain missed: always 0, or the check is void
};

/// How long a deadlock must stand before it is one: the headless runner's rule, the same
/// stuck state on this many quiet polls in a row, this far apart.
constexpr int DeadlockConfirmations = 5;
constexpr int DeadlockPollMs = 20;

/// What both runs below share.
inline RunResult runEngine(Engine& engine, const std::function<void(const Event&)>& onEvent,
    int guardMs, bool watchForDeadlock)
{
    RunResult result;
    result.checker = std::make_unique<Checker>(RunInfo { engine.scenario(), engine.objects() });
    EventDrain drain(engine.log(), true);
    const auto handle = [&](const Event& e) {
        result.checker->apply(e);
        if (onEvent)
            onEvent(e);
    };
    engine.start();
    const QDeadlineTimer guard(guardMs);
    int stuckPolls = 0;
    for (;;) {
        if (drain.drain(handle) > 0) {
            stuckPolls = 0;
            continue;
        }
        const bool caughtUp = drain.caughtUp();
        if (engine.threadsDone() && caughtUp)
            break;
        if (guard.hasExpired())
            break;
        if (watchForDeadlock && caughtUp && result.checker->deadlocked(engine.threadsAlive())) {
            if (++stuckPolls >= DeadlockConfirmations) {
                result.deadlocked = true;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(DeadlockPollMs));
            continue;
        }
        stuckPolls = 0;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    if (result.deadlocked) {
        result.deadlockCycle = result.checker->waitCycle();
        engine.recordEngineEvent({ .kind = EventKind::Deadlock });
    }
    result.finished = engine.threadsDone() && !result.deadlocked;
    engine.stop();
    drain.drain(handle);
    if (result.finished)
        result.checker->finish();
    result.events = engine.log().recorded();
    result.skipped = drain.skipped();
    return result;
}

inline RunResult runToCompletion(
    Engine& engine, const std::function<void(const Event&)>& onEvent = {}, int guardMs = 240000)
{
    return runEngine(engine, onEvent, guardMs, false);
}

/// The same, but a run whose threads all wait for each other ends there, as the headless
/// runner ends it: with the wait cycle taken and a deadlock event recorded before the stop.
inline RunResult runUntilDoneOrDeadlocked(
    Engine& engine, const std::function<void(const Event&)>& onEvent = {}, int guardMs = 240000)
{
    return runEngine(engine, onEvent, guardMs, true);
}

} // namespace pcviz::test
