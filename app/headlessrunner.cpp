// SPDX-License-Identifier: GPL-3.0-or-later
#include "headlessrunner.h"

#include "checker.h"
#include "clock.h"
#include "engine.h"
#include "eventdrain.h"
#include "resultswriter.h"
#include "tracewriter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <chrono>
#include <cstdio>
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
        std::fwrite(json.constData(), 1, std::size_t(json.size()), fallback);
        return std::fflush(fallback) == 0;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit()) {
        *error = QStringLiteral("--summary: cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}
} // namespace

HeadlessRunner::HeadlessRunner(const CommandLine& commandLine)
    : m_commandLine(commandLine)
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
            printError(error);
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
    const auto handle = [&](const Event& e) {
        checker.apply(e);
        if (trace)
            trace->write(e);
        if (results && e.kind == EventKind::Consume)
            results->add(e.value, e.result);
    };

    const auto started = std::chrono::steady_clock::now();
    engine.start();
    bool deadlock = false;
    int stuckPolls = 0;
    for (;;) {
        if (drain.drain(handle) > 0) {
            stuckPolls = 0; // a verdict needs the same stuck state on consecutive quiet polls
            continue;
        }
        const bool caughtUp = drain.caughtUp();
        if (engine.threadsDone() && caughtUp)
            break;
        if (caughtUp && checker.deadlocked(engine.threadsAlive())) {
            if (++stuckPolls >= DeadlockConfirmations) {
                deadlock = true;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        stuckPolls = 0;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    const double elapsed
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // The cycle as it stands now: stopping wakes and ends every thread.
    const QJsonArray deadlockCycle = deadlock ? checker.waitCycle() : QJsonArray();
    if (deadlock)
        engine.recordEngineEvent({ .kind = EventKind::Deadlock });
    engine.stop();
    drain.drain(handle);
    const bool completed = engine.runState() == Engine::RunState::Finished && !deadlock;
    if (completed)
        checker.finish();

    bool outputsOk = true;
    if (trace && !trace->finish(&error)) {
        printError(error);
        outputsOk = false;
    }
    if (results && !results->finish(&error)) {
        printError(error);
        outputsOk = false;
    }

    const StateModel& state = checker.state();
    QJsonObject summary {
        { QStringLiteral("scenario"), scenario.name },
        { QStringLiteral("strategy"), scenario.strategy },
        { QStringLiteral("capacity"), scenario.capacity },
        { QStringLiteral("producers"), scenario.producers },
        { QStringLiteral("consumers"), scenario.consumers },
        { QStringLiteral("items_per_producer"), scenario.items },
        { QStringLiteral("seed"), scenario.seed },
        { QStringLiteral("produced"), qint64(state.produced()) },
        { QStringLiteral("consumed"), qint64(state.consumed()) },
        { QStringLiteral("in_buffer"), state.buffer().count() },
        { QStringLiteral("lost"), qint64(checker.lost()) },
        { QStringLiteral("duplicated"), qint64(checker.duplicated()) },
        { QStringLiteral("max_count"), state.maxCount() },
        { QStringLiteral("violations"), qint64(checker.violations()) },
        { QStringLiteral("violation_list"), checker.violationsJson() },
        { QStringLiteral("deadlock"), deadlock },
        { QStringLiteral("completed"), completed },
        { QStringLiteral("elapsed_s"), elapsed },
        { QStringLiteral("items_per_s"), elapsed > 0 ? double(state.consumed()) / elapsed : 0.0 },
        { QStringLiteral("events"), qint64(engine.log().recorded()) },
        { QStringLiteral("events_unread"), qint64(drain.skipped()) },
        { QStringLiteral("clock"),
            Clock::usesTsc() ? QStringLiteral("tsc") : QStringLiteral("steady") },
    };
    if (deadlock)
        summary.insert(QStringLiteral("deadlock_cycle"), deadlockCycle);

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
