// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checker.h"
#include "engine.h"
#include "eventdrain.h"

#include <QDeadlineTimer>
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
    std::uint64_t events = 0;
    std::uint64_t skipped = 0; // events the drain missed: always 0, or the check is void
};

inline RunResult runToCompletion(
    Engine& engine, const std::function<void(const Event&)>& onEvent = {}, int guardMs = 240000)
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
    for (;;) {
        if (drain.drain(handle) > 0)
            continue;
        if (engine.threadsDone() && drain.caughtUp())
            break;
        if (guard.hasExpired())
            break;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    result.finished = engine.threadsDone();
    engine.stop();
    drain.drain(handle);
    if (result.finished)
        result.checker->finish();
    result.events = engine.log().recorded();
    result.skipped = drain.skipped();
    return result;
}

} // namespace pcviz::test
