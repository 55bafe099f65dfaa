// SPDX-License-Identifier: GPL-3.0-or-later
// Items per second of every correct strategy, with recording on and off, next to well-kept
// bounded queues from Debian's packages, at 1P/1C, 2P/2C and 8P/8C; measured round-robin in one
// run so that a shared machine's drift hits all alike. Prints medians, min-max and ratios, the
// probe's cost per event and what scrubbing a history costs, as Markdown tables.
//
//   pcviz-bench [--items N] [--runs N] [--scaling] [--quick] [--pcviz PATH]

#include "boundedconcurrentqueue.h"
#include "engine.h"
#include "eventdrain.h"
#include "eventhistory.h"
#include "eventlog.h"
#include "plainbuffer.h"
#include "strategies/strategyregistry.h"
#include "threadcontext.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>

#include <boost/lockfree/spsc_queue.hpp>
#include <readerwriterqueue/readerwritercircularbuffer.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <thread>
#include <vector>

using namespace pcviz;

namespace {

constexpr int Capacity = 1024;
bool g_failed = false; // a figure that cannot be right: the program exits 1

struct Shape {
    int producers;
    int consumers;
    QString label() const { return QStringLiteral("%1P/%2C").arg(producers).arg(consumers); }
};

enum class Kind { Plain, BoostSpsc, ReaderWriter, Concurrent, Engine, Checked };

struct Contender {
    Kind kind;
    QString strategy; // Engine and Checked
    bool record = true; // Engine
    QString name() const
    {
        switch (kind) {
        case Kind::Plain:
            return QStringLiteral("plain mutex+2cv");
        case Kind::BoostSpsc:
            return QStringLiteral("boost spsc_queue");
        case Kind::ReaderWriter:
            return QStringLiteral("moodycamel BlockingRWCircularBuffer");
        case Kind::Concurrent:
            return QStringLiteral("moodycamel BlockingConcurrentQueue+sem");
        case Kind::Engine:
            return strategy + (record ? QStringLiteral(" rec on") : QStringLiteral(" rec off"));
        case Kind::Checked:
            return strategy + QStringLiteral(" headless checked");
        }
        return {};
    }
};

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs producers that each put their share of 0..items-1 and consumers that each take their
// share; every value must arrive exactly once (the sum tells), else the figure is void.
template <typename MakeProducer, typename MakeConsumer>
double runThreads(const Shape& shape, qint64 items, MakeProducer makeProducer,
    MakeConsumer makeConsumer, const char* name)
{
    const qint64 perProducer = std::max<qint64>(1, items / shape.producers);
    const qint64 total = perProducer * shape.producers;
    std::atomic<std::int64_t> sum { 0 };
    std::vector<std::thread> threads;
    const auto start = std::chrono::steady_clock::now();
    for (int c = 0; c < shape.consumers; ++c) {
        const qint64 share = total / shape.consumers + (c < total % shape.consumers ? 1 : 0);
        threads.emplace_back([&, share] {
            auto get = makeConsumer();
            std::int64_t own = 0;
            for (qint64 i = 0; i < share; ++i)
                own += get();
            sum.fetch_add(own, std::memory_order_relaxed);
        });
    }
    for (int p = 0; p < shape.producers; ++p) {
        threads.emplace_back([&, p] {
            auto put = makeProducer();
            const qint64 first = p * perProducer;
            for (qint64 i = first; i < first + perProducer; ++i)
                put(i);
        });
    }
    for (std::thread& t : threads)
        t.join();
    const double seconds = secondsSince(start);
    if (sum.load() != total * (total - 1) / 2) {
        std::fprintf(stderr, "pcviz-bench: %s lost or duplicated items\n", name);
        g_failed = true;
        return 0;
    }
    return double(total) / seconds;
}

double plainItemsPerSecond(const Shape& shape, qint64 items)
{
    bench::PlainBuffer buffer(Capacity);
    return runThreads(
        shape, items, [&] { return [&](std::int64_t v) { buffer.put(v); }; },
        [&] { return [&] { return buffer.get(); }; }, "plain");
}

// Lock-free and without a blocking wait of its own: a full or empty queue is waited out by
// yielding, which on a machine with fewer cores than threads lets the other side run.
double boostSpscItemsPerSecond(qint64 items)
{
    boost::lockfree::spsc_queue<std::int64_t> queue(Capacity);
    return runThreads(
        { 1, 1 }, items,
        [&] {
            return [&](std::int64_t v) {
                while (!queue.push(v))
                    std::this_thread::yield();
            };
        },
        [&] {
            return [&] {
                std::int64_t v = 0;
                while (!queue.pop(v))
                    std::this_thread::yield();
                return v;
            };
        },
        "boost spsc_queue");
}

double readerWriterItemsPerSecond(qint64 items)
{
    moodycamel::BlockingReaderWriterCircularBuffer<std::int64_t> queue(Capacity);
    return runThreads(
        { 1, 1 }, items, [&] { return [&](std::int64_t v) { queue.wait_enqueue(v); }; },
        [&] {
            return [&] {
                std::int64_t v = 0;
                queue.wait_dequeue(v);
                return v;
            };
        },
        "BlockingReaderWriterCircularBuffer");
}

double concurrentItemsPerSecond(const Shape& shape, qint64 items)
{
    bench::BoundedConcurrentQueue queue(Capacity);
    return runThreads(
        shape, items,
        [&] {
            return [&, token = std::make_shared<moodycamel::ProducerToken>(queue.queue())](
                       std::int64_t v) { queue.put(*token, v); };
        },
        [&] {
            return [&, token = std::make_shared<moodycamel::ConsumerToken>(queue.queue())] {
                return queue.get(*token);
            };
        },
        "BlockingConcurrentQueue");
}

Scenario engineScenario(const QString& strategy, const Shape& shape, qint64 items, bool record)
{
    Scenario scenario;
    scenario.strategy = strategy;
    scenario.capacity = Capacity;
    scenario.producers = shape.producers;
    scenario.consumers = shape.consumers;
    scenario.items = std::max<qint64>(1, items / shape.producers);
    scenario.record = record;
    return scenario;
}

// The engine in this process, nobody reading its log: what the strategy and the probe cost the
// threads they run, apart from checking.
double engineItemsPerSecond(const Contender& c, const Shape& shape, qint64 items)
{
    const Scenario scenario = engineScenario(c.strategy, shape, items, c.record);
    Engine engine;
    QString error;
    if (!engine.setScenario(scenario, &error)) {
        std::fprintf(stderr, "pcviz-bench: %s: %s\n", qPrintable(c.name()), qPrintable(error));
        g_failed = true;
        return 0;
    }
    const auto start = std::chrono::steady_clock::now();
    engine.start();
    while (!engine.threadsDone())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const double seconds = secondsSince(start);
    const std::uint64_t consumed = engine.consumed();
    engine.stop();
    if (consumed != std::uint64_t(scenario.items * shape.producers)) {
        std::fprintf(stderr, "pcviz-bench: %s consumed %llu of %lld items\n", qPrintable(c.name()),
            static_cast<unsigned long long>(consumed),
            static_cast<long long>(scenario.items * shape.producers));
        g_failed = true;
        return 0;
    }
    return double(consumed) / seconds;
}

// The real headless binary, whose reader also merges and checks every event, sharing the
// cores with the threads; its own measurement, read from the summary.
double checkedItemsPerSecond(
    const QString& pcviz, const Contender& c, const Shape& shape, qint64 items)
{
    QProcess process;
    process.start(pcviz,
        { QStringLiteral("--headless"), QStringLiteral("--strategy"), c.strategy,
            QStringLiteral("--producers"), QString::number(shape.producers),
            QStringLiteral("--consumers"), QString::number(shape.consumers),
            QStringLiteral("--capacity"), QString::number(Capacity), QStringLiteral("--items"),
            QString::number(std::max<qint64>(1, items / shape.producers)) });
    if (!process.waitForFinished(-1) || process.exitCode() != 0) {
        std::fprintf(stderr, "pcviz-bench: %s %s failed: %s\n", qPrintable(pcviz),
            qPrintable(c.strategy), process.readAllStandardError().constData());
        g_failed = true;
        return 0;
    }
    const QJsonObject summary = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
    return summary.value(QStringLiteral("items_per_s")).toDouble();
}

double measure(const QString& pcviz, const Contender& c, const Shape& shape, qint64 items)
{
    switch (c.kind) {
    case Kind::Plain:
        return plainItemsPerSecond(shape, items);
    case Kind::BoostSpsc:
        return boostSpscItemsPerSecond(items);
    case Kind::ReaderWriter:
        return readerWriterItemsPerSecond(items);
    case Kind::Concurrent:
        return concurrentItemsPerSecond(shape, items);
    case Kind::Engine:
        return engineItemsPerSecond(c, shape, items);
    case Kind::Checked:
        return checkedItemsPerSecond(pcviz, c, shape, items);
    }
    return 0;
}

// CPU time of the calling thread: on a shared machine a writer that is preempted is not
// charged for the time it did not run.
double threadCpuNs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}

// Nanoseconds of its own CPU time a thread spends per event, recording into one log with
// nobody reading, averaged over the writers: the probe's own cost, apart from any
// synchronisation it observes.
double recordingNsPerEvent(int threads, std::int64_t eventsPerThread)
{
    EventLog log;
    std::vector<double> ns(std::size_t(threads), 0.0);
    std::vector<std::thread> writers;
    for (int t = 0; t < threads; ++t) {
        writers.emplace_back([&log, &ns, t, eventsPerThread] {
            Gate gate;
            std::atomic<bool> stop { false };
            const ThreadContext ctx { { Role::Producer, std::uint16_t(t) }, &log, &gate, &stop,
                nullptr, nullptr, true };
            const double start = threadCpuNs();
            for (std::int64_t i = 0; i < eventsPerThread; ++i)
                ctx.record({ .item = std::uint64_t(i), .value = i, .kind = EventKind::Put });
            ns[std::size_t(t)] = (threadCpuNs() - start) / double(eventsPerThread);
            ctx.close();
        });
    }
    for (std::thread& w : writers)
        w.join();
    double sum = 0;
    for (const double v : ns)
        sum += v;
    return sum / double(threads);
}

// Milliseconds to rebuild the state after random events of a retained history of a real run
// of about `events` events: what scrubbing back in the window costs.
std::vector<double> seekMilliseconds(std::size_t events, int seeks, std::uint64_t* retained)
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
        ms.push_back(secondsSince(start) * 1e3);
        if (state.applied() == 0) {
            std::fprintf(stderr, "pcviz-bench: a seek rebuilt no state\n");
            g_failed = true;
        }
    }
    *retained = history.end() - history.begin();
    return ms;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    if (v.empty())
        return 0;
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

QString millions(double perSecond)
{
    return QString::number(perSecond / 1e6, 'f', perSecond < 1e7 ? 2 : 1) + QStringLiteral("M");
}

QString ratio(double a, double b)
{
    return b > 0 ? QString::number(a / b, 'f', 2) + QStringLiteral("x") : QStringLiteral("-");
}

void printLine(const QString& line)
{
    std::printf("%s\n", qPrintable(line));
}

QString cpuModel()
{
    QFile file(QStringLiteral("/proc/cpuinfo"));
    if (file.open(QIODevice::ReadOnly)) {
        const QRegularExpression model(
            QStringLiteral("^model name\\s*:\\s*(.*)$"), QRegularExpression::MultilineOption);
        const QRegularExpressionMatch m = model.match(QString::fromUtf8(file.readAll()));
        if (m.hasMatch())
            return m.captured(1).trimmed();
    }
    return QStringLiteral("unknown CPU");
}

// Whether the strategy takes this shape, by the same validation that guards the CLI.
bool accepts(const QString& strategy, const Shape& shape)
{
    return engineScenario(strategy, shape, 1000, true).validate().isEmpty();
}

struct Cell {
    Contender contender;
    Shape shape;
    std::vector<double> samples;
};

// Every cell once per round, round-robin, the starting cell moving on each round so that no
// contender always runs first or after the same neighbour.
void runRounds(std::vector<Cell>& cells, const QString& pcviz, qint64 items, int runs)
{
    for (int round = 0; round < runs; ++round) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            Cell& cell = cells[(i + std::size_t(round)) % cells.size()];
            const double rate = measure(pcviz, cell.contender, cell.shape, items);
            if (!(rate > 0) || !std::isfinite(rate)) {
                std::fprintf(stderr, "pcviz-bench: %s at %s measured %g items/s\n",
                    qPrintable(cell.contender.name()), qPrintable(cell.shape.label()), rate);
                g_failed = true;
            }
            cell.samples.push_back(rate);
        }
        std::fprintf(stderr, "pcviz-bench: round %d of %d done\n", round + 1, runs);
    }
}

const Cell* findCell(const std::vector<Cell>& cells, Kind kind, const Shape& shape,
    const QString& strategy = {}, bool record = true)
{
    for (const Cell& c : cells) {
        if (c.contender.kind == kind && c.shape.producers == shape.producers
            && c.shape.consumers == shape.consumers && c.contender.strategy == strategy
            && c.contender.record == record)
            return &c;
    }
    return nullptr;
}

void printComparison(const std::vector<Cell>& cells, const std::vector<Shape>& shapes)
{
    for (const Shape& shape : shapes) {
        const Cell* plain = findCell(cells, Kind::Plain, shape);
        const Cell* boost = findCell(cells, Kind::BoostSpsc, shape);
        const double plainMedian = plain ? median(plain->samples) : 0;
        const double boostMedian = boost ? median(boost->samples) : 0;
        printLine(QStringLiteral("\n%1, capacity %2:\n").arg(shape.label()).arg(Capacity));
        printLine(QStringLiteral("| contender | median items/s | min - max | vs plain | vs boost "
                                 "spsc |\n|---|---:|---:|---:|---:|"));
        for (const Cell& c : cells) {
            if (c.shape.producers != shape.producers || c.shape.consumers != shape.consumers)
                continue;
            const double m = median(c.samples);
            const auto [lo, hi] = std::minmax_element(c.samples.begin(), c.samples.end());
            printLine(QStringLiteral("| %1 | %2 | %3 - %4 | %5 | %6 |")
                          .arg(c.contender.name(), millions(m), millions(*lo), millions(*hi),
                              ratio(m, plainMedian),
                              boostMedian > 0 && c.contender.kind != Kind::BoostSpsc
                                  ? ratio(m, boostMedian)
                                  : QStringLiteral("-")));
        }
    }
    printLine(QStringLiteral("\nrecording on / off (median items/s):\n"));
    QString header = QStringLiteral("| strategy |");
    QString rule = QStringLiteral("|---|");
    for (const Shape& shape : shapes) {
        header += QStringLiteral(" %1 |").arg(shape.label());
        rule += QStringLiteral("---:|");
    }
    printLine(header + u'\n' + rule);
    for (const QString& strategy : StrategyRegistry::correctNames()) {
        QString line = QStringLiteral("| %1 |").arg(strategy);
        for (const Shape& shape : shapes) {
            const Cell* on = findCell(cells, Kind::Engine, shape, strategy, true);
            const Cell* off = findCell(cells, Kind::Engine, shape, strategy, false);
            line += QStringLiteral(" %1 |").arg(
                on && off ? ratio(median(on->samples), median(off->samples)) : QStringLiteral("-"));
        }
        printLine(line);
    }
}

void printScaling(const std::vector<Cell>& cells, const std::vector<Shape>& shapes)
{
    QString header = QStringLiteral("| contender |");
    QString rule = QStringLiteral("|---|");
    for (const Shape& shape : shapes) {
        header += QStringLiteral(" %1 |").arg(shape.label());
        rule += QStringLiteral("---:|");
    }
    printLine(QStringLiteral("\nscaling, median items/s, capacity %1:\n").arg(Capacity));
    printLine(header + u'\n' + rule);
    std::vector<QString> order;
    for (const Cell& c : cells) {
        if (std::find(order.begin(), order.end(), c.contender.name()) == order.end())
            order.push_back(c.contender.name());
    }
    for (const QString& name : order) {
        QString line = QStringLiteral("| %1 |").arg(name);
        for (const Shape& shape : shapes) {
            const auto it = std::find_if(cells.begin(), cells.end(), [&](const Cell& c) {
                return c.contender.name() == name && c.shape.producers == shape.producers;
            });
            line += QStringLiteral(" %1 |").arg(
                it == cells.end() ? QStringLiteral("-") : millions(median(it->samples)));
        }
        printLine(line);
    }
}

std::optional<qint64> parseCount(
    const QCommandLineParser& parser, const QCommandLineOption& option, qint64 max)
{
    bool ok = false;
    const qint64 v = parser.value(option).toLongLong(&ok);
    if (!ok || v < 1 || v > max) {
        std::fprintf(stderr, "pcviz-bench: --%s: %s is not allowed (allowed: 1..%lld)\n",
            qPrintable(option.names().constFirst()), qPrintable(parser.value(option)),
            static_cast<long long>(max));
        return std::nullopt;
    }
    return v;
}

} // namespace

// The probe's own cost per event, then what a seek back in a real run's history costs.
void printCostAndSeek(bool quick, int runs)
{
    const std::int64_t events = quick ? 100'000 : 5'000'000;
    printLine(QStringLiteral("\nrecording cost, ns of the writer's own CPU time per event, "
                             "nobody reading, median of %1:\n")
                  .arg(runs));
    printLine(QStringLiteral("| writers | ns/event |\n|---:|---:|"));
    for (const int threads : { 1, 2 }) {
        std::vector<double> ns;
        for (int round = 0; round < runs; ++round)
            ns.push_back(recordingNsPerEvent(threads, events));
        const double m = median(ns);
        if (!(m > 0) || !std::isfinite(m))
            g_failed = true;
        printLine(QStringLiteral("| %1 | %2 |").arg(threads).arg(m, 0, 'f', 1));
    }
    std::uint64_t retained = 0;
    const std::vector<double> seeks = seekMilliseconds(
        quick ? std::size_t(1) << 14 : std::size_t(1) << 20, quick ? 20 : 200, &retained);
    printLine(QStringLiteral("\nseek in a history of %1 events: median %2 ms, max %3 ms over %4 "
                             "random seeks")
                  .arg(retained)
                  .arg(median(seeks), 0, 'f', 2)
                  .arg(*std::max_element(seeks.begin(), seeks.end()), 0, 'f', 2)
                  .arg(seeks.size()));
}

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("pcviz throughput benchmark: every correct strategy, recording on and "
                       "off, next to bounded queues from Debian's packages."));
    parser.addHelpOption();
    const QCommandLineOption itemsOption(QStringLiteral("items"),
        QStringLiteral("Items per run, over all producers (default 4000000; --quick 20000)."),
        QStringLiteral("n"));
    const QCommandLineOption runsOption(QStringLiteral("runs"),
        QStringLiteral("Runs per contender, alternating (default 5; --quick 1)."),
        QStringLiteral("n"));
    const QCommandLineOption scalingOption(QStringLiteral("scaling"),
        QStringLiteral("Instead: items/s as producers = consumers = 1, 2, 4, 8, 16."));
    const QCommandLineOption quickOption(QStringLiteral("quick"),
        QStringLiteral("A smoke run with few items: checks that the bench works, not speed."));
    const QCommandLineOption pcvizOption(QStringLiteral("pcviz"),
        QStringLiteral("The pcviz binary."), QStringLiteral("path"), QStringLiteral(PCVIZ_BINARY));
    const QCommandLineOption costOption(QStringLiteral("cost"),
        QStringLiteral("Instead: only the recording cost per event and the seek."));
    const QCommandLineOption onlyOption(QStringLiteral("only"),
        QStringLiteral("Only contenders whose name contains text (the plain baseline always "
                       "runs), e.g. \"monitor\"; skips the recording cost and the seek."),
        QStringLiteral("text"));
    parser.addOptions({ itemsOption, runsOption, scalingOption, costOption, quickOption,
        pcvizOption, onlyOption });
    parser.process(app);
    const bool quick = parser.isSet(quickOption);
    qint64 items = quick ? 20'000 : 4'000'000;
    int runs = quick ? 1 : 5;
    if (parser.isSet(itemsOption)) {
        const auto v = parseCount(parser, itemsOption, Scenario::MaxItems);
        if (!v)
            return 2;
        items = *v;
    }
    if (parser.isSet(runsOption)) {
        const auto v = parseCount(parser, runsOption, 1000);
        if (!v)
            return 2;
        runs = int(*v);
    }
    const QString pcviz = parser.value(pcvizOption);
    const bool scaling = parser.isSet(scalingOption);
    const QString only = parser.value(onlyOption);
    // The baseline every ratio needs, and whatever --only names.
    const auto wanted = [&](const Cell& cell) {
        return cell.contender.kind == Kind::Plain || cell.contender.name().contains(only);
    };

    printLine(QStringLiteral("pcviz-bench %1: %2, %3 hardware threads; capacity %4, rates max, "
                             "%5 items per run, %6 runs each, alternating")
                  .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate), cpuModel())
                  .arg(std::thread::hardware_concurrency())
                  .arg(Capacity)
                  .arg(items)
                  .arg(runs));

    if (parser.isSet(costOption)) {
        printCostAndSeek(quick, runs);
        return g_failed ? 1 : 0;
    }
    std::vector<Cell> cells;
    if (scaling) {
        const std::vector<Shape> shapes { { 1, 1 }, { 2, 2 }, { 4, 4 }, { 8, 8 }, { 16, 16 } };
        for (const Shape& shape : shapes) {
            cells.push_back({ { Kind::Plain }, shape, {} });
            for (const QString& name : StrategyRegistry::correctNames()) {
                if (accepts(name, shape))
                    cells.push_back({ { Kind::Engine, name, true }, shape, {} });
            }
        }
        std::erase_if(cells, std::not_fn(wanted));
        runRounds(cells, pcviz, items, runs);
        printScaling(cells, shapes);
        return g_failed ? 1 : 0;
    }

    const std::vector<Shape> shapes { { 1, 1 }, { 2, 2 }, { 8, 8 } };
    for (const Shape& shape : shapes) {
        cells.push_back({ { Kind::Plain }, shape, {} });
        if (shape.producers == 1 && shape.consumers == 1) {
            cells.push_back({ { Kind::BoostSpsc }, shape, {} });
            cells.push_back({ { Kind::ReaderWriter }, shape, {} });
        }
        cells.push_back({ { Kind::Concurrent }, shape, {} });
        for (const QString& name : StrategyRegistry::correctNames()) {
            if (!accepts(name, shape))
                continue;
            cells.push_back({ { Kind::Engine, name, true }, shape, {} });
            cells.push_back({ { Kind::Engine, name, false }, shape, {} });
            // The whole headless program, checking as it goes: at 1P/1C only, to keep the
            // run short.
            if (shape.producers == 1)
                cells.push_back({ { Kind::Checked, name }, shape, {} });
        }
    }
    std::erase_if(cells, std::not_fn(wanted));
    runRounds(cells, pcviz, items, runs);
    printComparison(cells, shapes);
    if (!only.isEmpty())
        return g_failed ? 1 : 0;

    printCostAndSeek(quick, runs);
    if (g_failed)
        std::fprintf(stderr, "pcviz-bench: some figures are void (see above)\n");
    return g_failed ? 1 : 0;
}
