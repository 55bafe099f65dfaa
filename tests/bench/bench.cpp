// SPDX-License-Identifier: GPL-3.0-or-later
// Throughput of the headless engine for each strategy next to a plain mutex + condition
// variable bounded buffer, measured alternately in one run; prints medians and ratios.
//
//   pcviz-bench [--items N] [--runs N] [--pcviz PATH]

#include "engine.h"
#include "eventdrain.h"
#include "eventhistory.h"
#include "eventlog.h"
#include "plainbuffer.h"
#include "strategies/strategyregistry.h"
#include "threadcontext.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <thread>
#include <vector>

using namespace pcviz;

namespace {

double plainItemsPerSecond(qint64 items, std::size_t capacity)
{
    bench::PlainBuffer buffer(capacity);
    std::int64_t checksum = 0;
    const auto start = std::chrono::steady_clock::now();
    std::thread consumer([&] {
        for (qint64 i = 0; i < items; ++i) {
            const std::int64_t v = buffer.get();
            checksum += v * v;
        }
    });
    for (qint64 i = 0; i < items; ++i)
        buffer.put(i);
    consumer.join();
    const double seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (checksum < 0)
        std::printf("impossible checksum\n");
    return double(items) / seconds;
}

// The engine in this process with every event recorded and nobody reading: what the probe
// costs the threads it watches, apart from checking.
double recordingEngineItemsPerSecond(const QString& strategy, qint64 items, int capacity)
{
    Engine engine;
    Scenario scenario;
    scenario.strategy = strategy;
    scenario.capacity = capacity;
    scenario.items = items;
    QString error;
    if (!engine.setScenario(scenario, &error)) {
        std::fprintf(stderr, "pcviz-bench: %s\n", qPrintable(error));
        return 0;
    }
    const auto start = std::chrono::steady_clock::now();
    engine.start();
    while (!engine.threadsDone())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const double seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double rate = double(engine.consumed()) / seconds;
    engine.stop();
    return rate;
}

// Runs the real headless binary, which also checks every event, and reads its own measurement
// from the summary.
double engineItemsPerSecond(
    const QString& pcviz, const QString& strategy, qint64 items, int capacity)
{
    QProcess process;
    process.start(pcviz,
        { QStringLiteral("--headless"), QStringLiteral("--strategy"), strategy,
            QStringLiteral("--producers"), QStringLiteral("1"), QStringLiteral("--consumers"),
            QStringLiteral("1"), QStringLiteral("--capacity"), QString::number(capacity),
            QStringLiteral("--items"), QString::number(items) });
    if (!process.waitForFinished(-1) || process.exitCode() != 0) {
        std::fprintf(stderr, "pcviz-bench: %s %s failed: %s\n", qPrintable(pcviz),
            qPrintable(strategy), process.readAllStandardError().constData());
        return 0;
    }
    const QJsonObject summary = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
    return summary.value(QStringLiteral("items_per_s")).toDouble();
}

// Nanoseconds per event for threads recording into one log with nobody reading: the probe's
// own cost, apart from any synchronisation it observes.
double recordingNsPerEvent(int threads, std::int64_t eventsPerThread)
{
    EventLog log;
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> writers;
    for (int t = 0; t < threads; ++t) {
        writers.emplace_back([&log, t, eventsPerThread] {
            EventLog* shared = &log;
            Gate gate;
            std::atomic<bool> stop { false };
            const ThreadContext ctx { { Role::Producer, std::uint16_t(t) }, shared, &gate, &stop,
                nullptr, nullptr, true };
            for (std::int64_t i = 0; i < eventsPerThread; ++i)
                ctx.record({ .item = std::uint64_t(i), .value = i, .kind = EventKind::Put });
            ctx.close();
        });
    }
    for (std::thread& w : writers)
        w.join();
    const double seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return seconds * 1e9 / double(eventsPerThread);
}

// Milliseconds to rebuild the state after random events of a retained history of a real run
// of about `events` events: what scrubbing back in the window costs.
std::vector<double> seekMilliseconds(std::size_t events, int seeks)
{
    Scenario scenario;
    scenario.producers = 2;
    scenario.consumers = 2;
    scenario.capacity = 3;
    scenario.items = qint64(events / 20); // about ten events per item on each side
    Engine engine;
    engine.setScenario(scenario);
    const RunInfo info { engine.scenario(), engine.objects() };
    EventHistory history(info, events);
    StateModel live(info);
    EventDrain drain(engine.log(), true);
    const auto keep = [&](const Event& e) {
        live.apply(e);
        history.append(e, live);
    };
    engine.start();
    while (!engine.threadsDone() || !drain.caughtUp()) {
        if (drain.drain(keep) == 0)
            std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    engine.stop();
    drain.drain(keep);
    std::vector<double> ms;
    std::mt19937_64 random(1);
    for (int i = 0; i < seeks; ++i) {
        const std::uint64_t seq = std::uniform_int_distribution<std::uint64_t>(
            history.begin(), history.end() - 1)(random);
        const auto start = std::chrono::steady_clock::now();
        const StateModel state = history.stateAfter(seq);
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
        if (state.applied() == 0)
            std::printf("impossible seek\n");
    }
    std::printf("\nseek in a history of %llu events:",
        static_cast<unsigned long long>(history.end() - history.begin()));
    return ms;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("pcviz throughput benchmark"));
    parser.addHelpOption();
    const QCommandLineOption itemsOption(QStringLiteral("items"), QStringLiteral("Items per run."),
        QStringLiteral("n"), QStringLiteral("10000000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"),
        QStringLiteral("Runs per contender."), QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption pcvizOption(QStringLiteral("pcviz"),
        QStringLiteral("The pcviz binary."), QStringLiteral("path"), QStringLiteral(PCVIZ_BINARY));
    parser.addOptions({ itemsOption, runsOption, pcvizOption });
    parser.process(app);
    const qint64 items = parser.value(itemsOption).toLongLong();
    const int runs = std::max(1, parser.value(runsOption).toInt());
    const QString pcviz = parser.value(pcvizOption);
    constexpr int capacity = 1024;

    std::printf(
        "pcviz-bench: 1 producer, 1 consumer, capacity %d, rates max, %lld items, %d runs each\n",
        capacity, static_cast<long long>(items), runs);
    // "<strategy>": the engine recording every event; "<strategy> checked": the headless
    // binary, whose reader also merges and checks every event, sharing the two cores.
    const QString checked = QStringLiteral(" checked");
    std::vector<QString> contenders { QStringLiteral("plain") };
    for (const QString& name : StrategyRegistry::correctNames())
        contenders.push_back(name);
    for (const QString& name : StrategyRegistry::correctNames())
        contenders.push_back(name + checked);
    std::map<QString, std::vector<double>> samples;
    // Alternate contenders within each round so drift on a shared machine hits all alike.
    for (int round = 0; round < runs; ++round) {
        for (const QString& c : contenders) {
            double rate = 0;
            if (c == u"plain")
                rate = plainItemsPerSecond(items, capacity);
            else if (c.endsWith(checked))
                rate = engineItemsPerSecond(pcviz, c.chopped(checked.size()), items, capacity);
            else
                rate = recordingEngineItemsPerSecond(c, items, capacity);
            samples[c].push_back(rate);
        }
    }
    const double baseline = median(samples[QStringLiteral("plain")]);
    std::printf("%-20s %14s %14s %14s %8s\n", "contender", "median/s", "min/s", "max/s", "ratio");
    for (const QString& c : contenders) {
        const auto& v = samples[c];
        std::printf("%-20s %14.0f %14.0f %14.0f %8.2f\n", qPrintable(c), median(v),
            *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()),
            baseline > 0 ? median(v) / baseline : 0.0);
    }

    std::printf("\nrecording cost (ns per event per thread, %d runs, median):\n", runs);
    for (const int threads : { 1, 2 }) {
        std::vector<double> ns;
        for (int round = 0; round < runs; ++round)
            ns.push_back(recordingNsPerEvent(threads, 5'000'000));
        std::printf("  %d thread%s: %.1f\n", threads, threads > 1 ? "s" : " ", median(ns));
    }
    const std::vector<double> seeks = seekMilliseconds(std::size_t(1) << 20, 200);
    std::printf(" median %.2f ms, max %.2f ms over %zu random seeks\n", median(seeks),
        *std::max_element(seeks.begin(), seeks.end()), seeks.size());
    return 0;
}
