// SPDX-License-Identifier: GPL-3.0-or-later
#include "headlessrunner.h"

#include "blockedwatch.h"
#include "checker.h"
#include "clock.h"
#include "engine.h"
#include "eventdrain.h"
#include "outputfile.h"
#include "resultswriter.h"
#include "signalwatcher.h"
#include "statelog.h"
#include "steppolicy.h"
#include "tracewriter.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

namespace pcviz {

namespace {
constexpr int ExitClean = 0;
constexpr int ExitViolation = 1;
constexpr int ExitBadInput = 2;
// A deadlock verdict needs the same stuck state on this many quiet polls in a row.
constexpr int DeadlockConfirmations = 5;

void printError(const QString& message)
{
    std::fprintf(stderr, "pcviz: %s\n", qPrintable(message));
}

bool writeSummary(const QString& path, const QByteArray& json, FILE* fallback, QString* error)
{
    if (path == u"-") {
        const bool written = std::fwrite(json.constData(), 1, std::size_t(json.size()), fallback)
                == std::size_t(json.size())
            && std::fflush(fallback) == 0;
        if (!written)
            *error
                = QStringLiteral("--summary: cannot write to standard %1: %2")
                      .arg(fallback == stderr ? QStringLiteral("error") : QStringLiteral("output"),
                          QString::fromLocal8Bit(std::strerror(errno)));
        return written;
    }
    OutputFile file(path);
    if (!file.open() || !file.write(json) || !file.commit()) {
        *error = QStringLiteral("--summary: ") + file.error();
        return false;
    }
    return true;
}
} // namespace

bool HeadlessRunner::interrupted(StateLog& stateLog)
{
    // A pipe read and a few loads: cheap, but not for every batch of a run at full speed.
    const auto now = std::chrono::steady_clock::now();
    if (m_interrupted || now - m_lastCheck < std::chrono::milliseconds(10))
        return m_interrupted;
    m_lastCheck = now;
    stateLog.poll();
    m_interrupted = m_watcher && m_watcher->poll();
    return m_interrupted;
}

HeadlessRunner::StepOutcome HeadlessRunner::runSteps(Engine& engine, const RunInfo& info,
    EventDrain& drain, const std::function<void(const Event&)>& handle, QJsonArray& applied)
{
    const Scenario& scenario = m_commandLine.scenario;
    const bool bySchedule = !scenario.schedule.isEmpty();
    const qint64 total = bySchedule ? scenario.schedule.size() : m_commandLine.steps;
    StepPolicy policy(m_commandLine.stepPolicy, std::uint64_t(scenario.seed));
    StateLog stateLog(engine);
    engine.waitUntilSettled();
    for (qint64 i = 0; i < total; ++i) {
        drain.drain(handle);
        if (interrupted(stateLog))
            return StepOutcome::Interrupted;
        std::vector<ThreadRef> parked;
        for (const Gate::Parked& p : engine.gate().parked())
            parked.push_back(p.thread);
        const std::optional<ThreadRef> next = bySchedule
            ? ThreadRef::fromName(scenario.schedule[qsizetype(i)])
            : policy.next(parked);
        if (!next)
            return StepOutcome::Stuck;
        switch (engine.step(*next)) {
        case Gate::StepResult::Done:
            applied.append(next->name());
            break;
        case Gate::StepResult::NotParked:
            if (!bySchedule && parked.empty())
                return StepOutcome::Stuck;
            printError(QStringLiteral("--schedule: step %1, %2, cannot move: %3")
                           .arg(i + 1)
                           .arg(next->name(), whyNotParked(engine, info, *next)));
            return StepOutcome::BadSchedule;
        case Gate::StepResult::TimedOut:
            printError(QStringLiteral("step %1, %2, did not come to rest within %3 ms")
                           .arg(i + 1)
                           .arg(next->name())
                           .arg(Engine::StepTimeout.count()));
            return StepOutcome::Stuck;
        }
    }
    drain.drain(handle);
    const bool anyParked = !engine.gate().parked().empty();
    return anyParked || engine.threadsDone() ? StepOutcome::Done : StepOutcome::Stuck;
}

QString HeadlessRunner::whyNotParked(const Engine& engine, const RunInfo& info, ThreadRef thread)
{
    for (const Gate::ThreadState& t : engine.gate().threads()) {
        if (t.thread != thread)
            continue;
        if (t.state == Gate::State::Exited)
            return QStringLiteral("it has exited");
        if (t.state == Gate::State::Blocked)
            return QStringLiteral("it is blocked in %1").arg(info.objectName(t.object));
    }
    return QStringLiteral("it is not at a gate");
}

HeadlessRunner::HeadlessRunner(
    const CommandLine& commandLine, const QElapsedTimer& processClock, SignalWatcher* watcher)
    : m_commandLine(commandLine)
    , m_processClock(processClock)
    , m_watcher(watcher)
{
}

int HeadlessRunner::run()
{
    const Scenario& scenario = m_commandLine.scenario;
    // The drain below keeps up with the writers, so a ring that fits in cache serves best.
    Engine engine(std::size_t(1) << 14);
    QString error;
    if (!engine.setScenario(scenario, &error)) {
        printError(error);
        return ExitBadInput;
    }
    const RunInfo info { scenario, engine.objects() };
    Checker checker(info);

    std::optional<TraceWriter> trace;
    if (!m_commandLine.tracePath.isEmpty()) {
        trace.emplace(m_commandLine.tracePath, info);
        if (!trace->open(&error)) {
            printError(QStringLiteral("--trace: ") + error);
            return ExitBadInput;
        }
    }
    std::optional<ResultsWriter> results;
    if (!m_commandLine.resultsPath.isEmpty()) {
        results.emplace(m_commandLine.resultsPath);
        if (!results->open(&error)) {
            printError(error);
            return ExitBadInput;
        }
    }

    EventDrain drain(engine.log(), true);
    double startupMs = -1; // until the first event is read
    const auto handle = [&](const Event& e) {
        if (startupMs < 0)
            startupMs = double(m_processClock.nsecsElapsed()) / 1e6;
        checker.apply(e);
        if (trace)
            trace->write(e);
        if (results && e.kind == EventKind::Consume)
            results->add(e.value, e.result);
    };

    const bool stepped = !scenario.schedule.isEmpty() || m_commandLine.steps > 0;
    const auto started = std::chrono::steady_clock::now();
    engine.start(stepped ? Engine::StartMode::Stepping : Engine::StartMode::Running);
    bool deadlock = false;
    QJsonArray applied;
    if (stepped) {
        const StepOutcome outcome = runSteps(engine, info, drain, handle, applied);
        if (outcome == StepOutcome::BadSchedule) {
            engine.stop();
            return ExitBadInput; // the outputs are not committed, so none is left behind
        }
        // Every thread still alive is blocked: stepping cannot go on, and nothing else will.
        deadlock = !m_interrupted && outcome == StepOutcome::Stuck && engine.threadsAlive() > 0
            && checker.deadlocked(engine.threadsAlive());
    }
    int stuckPolls = 0;
    BlockedWatch blockedWatch(engine.objects());
    StateLog stateLog(engine);
    for (; !stepped;) {
        if (interrupted(stateLog))
            break;
        if (drain.drain(handle) > 0) {
            stuckPolls = 0; // a verdict needs the same stuck state on consecutive quiet polls
            continue;
        }
        // Unrecorded, the first item made stands for the first event.
        if (startupMs < 0 && !scenario.record && engine.produced() > 0)
            startupMs = double(m_processClock.nsecsElapsed()) / 1e6;
        const bool caughtUp = drain.caughtUp();
        if (engine.threadsDone() && caughtUp)
            break;
        if (!caughtUp) {
            stuckPolls = 0;
        } else if (scenario.record) {
            stuckPolls = checker.deadlocked(engine.threadsAlive()) ? stuckPolls + 1 : 0;
        } else {
            stuckPolls = blockedWatch.look(engine.gate());
        }
        if (stuckPolls > 0) {
            if (stuckPolls >= DeadlockConfirmations) {
                deadlock = true;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    const double elapsed
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // The cycle as it stands now: stopping wakes and ends every thread.
    const QJsonArray deadlockCycle = deadlock ? checker.waitCycle() : QJsonArray();
    if (deadlock)
        engine.recordEngineEvent({ .kind = EventKind::Deadlock });
    if (stepped)
        drain.drain(handle); // what stop sets free is not part of the schedule's run
    engine.stop();
    if (!stepped)
        drain.drain(handle);
    // Interrupted means cut short, even when the last thread happened to finish meanwhile.
    const bool completed
        = engine.runState() == Engine::RunState::Finished && !deadlock && !m_interrupted;
    if (completed)
        checker.finish();

    bool outputsOk = true;
    if (trace && !trace->finish(&error)) {
        printError(QStringLiteral("--trace: ") + error);
        outputsOk = false;
    }
    if (results && !results->finish(&error)) {
        printError(error);
        outputsOk = false;
    }

    const StateModel& state = checker.state();
    // Without events only the engine's counters know what moved, and nothing was checked.
    const qint64 produced = scenario.record ? qint64(state.produced()) : qint64(engine.produced());
    const qint64 consumed = scenario.record ? qint64(state.consumed()) : qint64(engine.consumed());
    const auto checked = [&](qint64 value) {
        return scenario.record ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
    };
    QJsonObject summary {
        { QStringLiteral("scenario"), scenario.name },
        { QStringLiteral("strategy"), scenario.strategy },
        { QStringLiteral("capacity"), scenario.capacity },
        { QStringLiteral("producers"), scenario.producers },
        { QStringLiteral("consumers"), scenario.consumers },
        { QStringLiteral("items_per_producer"), scenario.items },
        { QStringLiteral("seed"), scenario.seed },
        { QStringLiteral("produced"), produced },
        { QStringLiteral("consumed"), consumed },
        { QStringLiteral("in_buffer"), checked(state.buffer().count()) },
        { QStringLiteral("lost"), checked(qint64(checker.lost())) },
        { QStringLiteral("duplicated"), checked(qint64(checker.duplicated())) },
        { QStringLiteral("max_count"), checked(state.maxCount()) },
        { QStringLiteral("violations"), checked(qint64(checker.violations())) },
        { QStringLiteral("violation_list"), checker.violationsJson() },
        { QStringLiteral("deadlock"), deadlock },
        { QStringLiteral("completed"), completed },
        { QStringLiteral("interrupted"), m_interrupted },
        { QStringLiteral("elapsed_s"), elapsed },
        { QStringLiteral("items_per_s"), elapsed > 0 ? double(consumed) / elapsed : 0.0 },
        { QStringLiteral("recorded"), scenario.record },
        { QStringLiteral("events"), qint64(engine.log().recorded()) },
        { QStringLiteral("events_unread"), qint64(drain.skipped()) },
        { QStringLiteral("clock"),
            Clock::usesTsc() ? QStringLiteral("tsc") : QStringLiteral("steady") },
    };
    // From the process's start to the first event read (or item made, unrecorded): how soon a
    // run shows anything.
    if (startupMs >= 0)
        summary.insert(QStringLiteral("startup_ms"), startupMs);
    if (deadlock)
        summary.insert(QStringLiteral("deadlock_cycle"), deadlockCycle);
    if (scenario.secure.enabled) {
        // The secure run's outcomes: what each fault did, and what its switch made of it.
        const StateModel::SecureCounts& counts = state.secure();
        summary.insert(QStringLiteral("secure"), scenario.secure.toJson());
        summary.insert(QStringLiteral("timeouts"), qint64(counts.putTimeouts));
        summary.insert(QStringLiteral("failed"), qint64(counts.raised));
        summary.insert(QStringLiteral("dead_letters"), qint64(counts.deadLetters));
        summary.insert(
            QStringLiteral("lost_in_flight"), qint64(checker.count(Violation::Kind::LostInFlight)));
        summary.insert(
            QStringLiteral("lost_results"), qint64(checker.count(Violation::Kind::LostResult)));
        summary.insert(QStringLiteral("results_length"), qint64(counts.resultsLength));
        summary.insert(QStringLiteral("join_returned"), counts.joinReturned);
        summary.insert(QStringLiteral("peak_count"), state.maxCount());
        summary.insert(QStringLiteral("over_rate_limit"), qint64(counts.rateExceeded));
        summary.insert(QStringLiteral("throttled"), qint64(counts.throttled));
    }
    if (stepped)
        summary.insert(QStringLiteral("schedule"), applied);

    // With the results on stdout, the summary goes to stderr unless it was given a place.
    FILE* summaryStream
        = (!m_commandLine.summaryGiven && m_commandLine.resultsPath == u"-") ? stderr : stdout;
    if (!writeSummary(m_commandLine.summaryPath,
            QJsonDocument(summary).toJson(QJsonDocument::Indented), summaryStream, &error)) {
        printError(error);
        outputsOk = false;
    }
    if (!outputsOk)
        return ExitBadInput;
    return (deadlock || checker.violations() > 0 || drain.skipped() > 0) ? ExitViolation
                                                                         : ExitClean;
}

} // namespace pcviz
