// SPDX-License-Identifier: GPL-3.0-or-later
// The lock-free rings: lockfree-spsc refuses a second producer or consumer as bad input, a stop
// ends threads that back off on a full or an empty ring at once, the capacity is exact and may
// change live without dropping an item, many producers and consumers move every item exactly
// once, a stepped thread that finds the ring empty counts as blocked until a put wakes it, and
// before it waits a thread looks at the ring after every pause, or seldom when unrecorded.

#include "runharness.h"
#include "strategies/lockfreempmcstrategy.h"
#include "strategies/lockfreespscstrategy.h"
#include "strategies/ringbackoff.h"
#include "strategies/strategyregistry.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QTest>

#include <thread>
#include <unordered_set>

using namespace pcviz;

namespace {
const QString Spsc = QStringLiteral("lockfree-spsc");
const QString Mpmc = QStringLiteral("lockfree-mpmc");

/// Time a stop may take: the threads nap at most a fraction of a millisecond, the rest is
/// joining (generous for sanitizer builds on a loaded machine).
constexpr qint64 PromptStopMs = 2000;

QByteArray violationsOf(const Checker& checker)
{
    return QJsonDocument(checker.violationsJson()).toJson(QJsonDocument::Compact);
}

void addBothStrategies()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<int>("threads");
    QTest::newRow("lockfree-spsc 1P/1C") << Spsc << 1;
    QTest::newRow("lockfree-mpmc 4P/4C") << Mpmc << 4;
}

std::optional<Gate::ThreadState> gateStateOf(const Gate& gate, ThreadRef thread)
{
    for (const Gate::ThreadState& t : gate.threads()) {
        if (t.thread == thread)
            return t;
    }
    return std::nullopt;
}

std::optional<Gate::ThreadState> gateStateOf(Engine& engine, ThreadRef thread)
{
    return gateStateOf(engine.gate(), thread);
}

/// Blocked in not_full means the thread looked and found no room; it cannot get in by itself.
bool blockedAt(const Gate& gate, ThreadRef thread)
{
    const std::optional<Gate::ThreadState> state = gateStateOf(gate, thread);
    return state && state->state == Gate::State::Blocked;
}

/// A context on the bare strategy with recording muted, as an unrecorded run's.
struct MutedContexts {
    Gate gate;
    std::atomic<bool> stop { false };
    std::atomic<bool> leave { false };
    const std::atomic<bool> muted { true };
    ThreadContext operator()(Role role, int index)
    {
        return ThreadContext { { role, std::uint16_t(index) }, nullptr, &gate, &stop, &leave,
            &muted };
    }
};
} // namespace

class TestLockFree : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void spscRefusesASecondProducerOrConsumerNamingTheField();
    void spscEngineKeepsOneProducerAndOneConsumerLive();
    void stopEndsThreadsBackingOffOnAFullRingPromptly_data() { addBothStrategies(); }
    void stopEndsThreadsBackingOffOnAFullRingPromptly();
    void stopEndsThreadsBackingOffOnAnEmptyRingPromptly_data() { addBothStrategies(); }
    void stopEndsThreadsBackingOffOnAnEmptyRingPromptly();
    void capacityThreeNeverHoldsFour_data() { addBothStrategies(); }
    void capacityThreeNeverHoldsFour();
    void liveCapacityShrinkDropsNothingAndIsKept_data() { addBothStrategies(); }
    void liveCapacityShrinkDropsNothingAndIsKept();
    void mpmcFourProducersFourConsumersMoveEveryItemExactlyOnce();
    void mpmcStopMidFlowLeavesARecordThatKeepsFifo();
    void mpmcUnrecordedKeepsTheLimitAndMovesEveryItemOnceInOrder();
    void spscUnrecordedKeepsTheLimitAndMovesEveryItemOnceInOrder();
    void steppedConsumerOnAnEmptyRingIsBlockedUntilAPutWakesIt_data() { addBothStrategies(); }
    void steppedConsumerOnAnEmptyRingIsBlockedUntilAPutWakesIt();
    void spinLooksAfterEveryPauseEagerlyAndSeldomSparsely();
};

void TestLockFree::spscRefusesASecondProducerOrConsumerNamingTheField()
{
    Scenario s;
    s.strategy = Spsc;
    QVERIFY(s.validate().isEmpty());
    s.producers = 2;
    QCOMPARE(s.validate(),
        QStringLiteral("producers: 2 is not allowed (allowed: 1 with lockfree-spsc)"));
    s.producers = 1;
    s.consumers = 3;
    QCOMPARE(s.validate(),
        QStringLiteral("consumers: 3 is not allowed (allowed: 1 with lockfree-spsc)"));
    Engine engine;
    QString error;
    QVERIFY(!engine.setScenario(s, &error));
    QVERIFY(error.startsWith(u"consumers:"));
    // The many-producer ring takes them.
    s.strategy = Mpmc;
    s.producers = 8;
    s.consumers = 8;
    QVERIFY2(s.validate().isEmpty(), qPrintable(s.validate()));
}

void TestLockFree::spscEngineKeepsOneProducerAndOneConsumerLive()
{
    Scenario s;
    s.strategy = Spsc;
    s.items = 1'000'000;
    s.produceRate = 50;
    s.consumeRate = 50;
    Engine engine;
    QVERIFY(engine.setScenario(s));
    QCOMPARE(engine.maxThreadsPerRole(), 1);
    engine.start();
    engine.setProducers(2);
    engine.setConsumers(4);
    QCOMPARE(engine.liveProducers(), 1);
    QCOMPARE(engine.liveConsumers(), 1);
    QCOMPARE(engine.scenario().producers, 1);
    QCOMPARE(engine.scenario().consumers, 1);
    engine.stop();
    // Other strategies still take many.
    s.strategy = Mpmc;
    QVERIFY(engine.setScenario(s));
    QCOMPARE(engine.maxThreadsPerRole(), Scenario::MaxThreads);
}

void TestLockFree::stopEndsThreadsBackingOffOnAFullRingPromptly()
{
    QFETCH(QString, strategy);
    QFETCH(int, threads);
    Scenario s;
    s.strategy = strategy;
    s.producers = threads;
    s.consumers = threads;
    s.capacity = 2;
    s.items = 1'000'000;
    s.consumeRate = Scenario::MinRate; // the consumers take one item, then sleep for minutes
    Engine engine;
    QVERIFY(engine.setScenario(s));
    EventDrain drain(engine.log(), true);
    StateModel state(RunInfo { s, engine.objects() });
    engine.start();
    // Every producer ends up waiting for room.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            drain.drain([&](const Event& e) { state.apply(e); });
            int waiting = 0;
            for (const ThreadView& t : state.threads())
                waiting += t.ref.role == Role::Producer && t.blocked == Blocked::BufferFull;
            return waiting == threads;
        }(),
        10000);
    QElapsedTimer timer;
    timer.start();
    engine.stop();
    QVERIFY2(timer.elapsed() < PromptStopMs, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(engine.threadsAlive(), 0);
    QCOMPARE(engine.runState(), Engine::RunState::Stopped);
}

void TestLockFree::stopEndsThreadsBackingOffOnAnEmptyRingPromptly()
{
    QFETCH(QString, strategy);
    QFETCH(int, threads);
    Scenario s;
    s.strategy = strategy;
    s.producers = threads;
    s.consumers = threads;
    s.capacity = 8;
    s.items = 1'000'000;
    s.produceRate = Scenario::MinRate; // one item each, then a sleep of minutes
    Engine engine;
    QVERIFY(engine.setScenario(s));
    EventDrain drain(engine.log(), true);
    StateModel state(RunInfo { s, engine.objects() });
    engine.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            drain.drain([&](const Event& e) { state.apply(e); });
            int waiting = 0;
            for (const ThreadView& t : state.threads())
                waiting += t.ref.role == Role::Consumer && t.blocked == Blocked::BufferEmpty;
            return waiting == threads;
        }(),
        10000);
    QElapsedTimer timer;
    timer.start();
    engine.stop();
    QVERIFY2(timer.elapsed() < PromptStopMs, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(engine.threadsAlive(), 0);
}

void TestLockFree::capacityThreeNeverHoldsFour()
{
    QFETCH(QString, strategy);
    QFETCH(int, threads);
    Scenario s;
    s.strategy = strategy;
    s.producers = threads;
    s.consumers = threads;
    s.capacity = 3;
    s.items = test::scaled(8'000) / threads;
    // Consumers slower than the producers keep the ring at its limit, where the producers race
    // for the last cell.
    s.consumeRate = 40'000.0 / threads;
    Engine engine;
    QVERIFY(engine.setScenario(s));
    int maxCount = 0;
    const test::RunResult run = test::runToCompletion(engine, [&](const Event& e) {
        if (e.kind == EventKind::Put)
            maxCount = std::max(maxCount, int(e.count));
    });
    QVERIFY(run.finished);
    QCOMPARE(run.skipped, 0u);
    QVERIFY2(run.checker->violations() == 0, violationsOf(*run.checker).constData());
    QCOMPARE(run.checker->count(Violation::Kind::Overflow), 0u);
    QVERIFY2(maxCount <= 3, qPrintable(QString::number(maxCount)));
    QVERIFY(run.checker->state().maxCount() <= 3);
    // Not a power of two rounded up: the ring fills to exactly 3 while the consumers lag.
    QCOMPARE(maxCount, 3);
    QCOMPARE(run.checker->state().maxCount(), 3);
}

void TestLockFree::liveCapacityShrinkDropsNothingAndIsKept()
{
    QFETCH(QString, strategy);
    QFETCH(int, threads);
    Scenario s;
    s.strategy = strategy;
    s.producers = threads;
    s.consumers = threads;
    s.capacity = 64;
    s.items = test::scaled(60'000) / threads;
    const qint64 total = s.items * threads;
    Engine engine;
    QVERIFY(engine.setScenario(s));
    int inForce = s.capacity;
    int putsOverCapacity = 0;
    qint64 puts = 0;
    int changes = 0;
    const test::RunResult run = test::runToCompletion(engine, [&](const Event& e) {
        if (e.kind == EventKind::Capacity)
            inForce = int(e.value);
        if (e.kind != EventKind::Put)
            return;
        ++puts;
        putsOverCapacity += e.count > inForce;
        // Shrink below what the ring holds, grow again, shrink again.
        if (changes == 0 && puts >= total / 4) {
            QVERIFY(engine.setCapacity(2));
            ++changes;
        } else if (changes == 1 && puts >= total / 2) {
            QVERIFY(engine.setCapacity(7));
            ++changes;
        } else if (changes == 2 && puts >= 3 * total / 4) {
            QVERIFY(engine.setCapacity(1));
            ++changes;
        }
    });
    QVERIFY(run.finished);
    QCOMPARE(changes, 3);
    // The changes reach the ring through the engine's control thread: the last one may land
    // after the final put (a slow sanitizer build), never one that was not asked for.
    QVERIFY2(inForce == 2 || inForce == 7 || inForce == 1, qPrintable(QString::number(inForce)));
    QCOMPARE(engine.scenario().capacity, 1);
    QVERIFY2(run.checker->violations() == 0, violationsOf(*run.checker).constData());
    QCOMPARE(putsOverCapacity, 0);
    QCOMPARE(run.checker->state().consumed(), std::uint64_t(total));
    QCOMPARE(run.checker->lost(), 0u);
    QCOMPARE(run.checker->duplicated(), 0u);
}

void TestLockFree::mpmcFourProducersFourConsumersMoveEveryItemExactlyOnce()
{
    Scenario s;
    s.strategy = Mpmc;
    s.producers = 4;
    s.consumers = 4;
    s.capacity = 16;
    s.items = test::scaled(50'000);
    Engine engine;
    QVERIFY(engine.setScenario(s));
    std::unordered_set<std::uint64_t> got;
    std::uint64_t gets = 0;
    const test::RunResult run = test::runToCompletion(engine, [&](const Event& e) {
        if (e.kind == EventKind::Get) {
            got.insert(e.item);
            ++gets;
        }
    });
    QVERIFY(run.finished);
    QCOMPARE(run.skipped, 0u);
    QVERIFY2(run.checker->violations() == 0, violationsOf(*run.checker).constData());
    const std::uint64_t total = std::uint64_t(s.items) * 4;
    QCOMPARE(gets, total);
    QCOMPARE(std::uint64_t(got.size()), total);
    QCOMPARE(engine.consumed(), total);
    QCOMPARE(run.checker->count(Violation::Kind::Fifo), 0u);
}

void TestLockFree::mpmcUnrecordedKeepsTheLimitAndMovesEveryItemOnceInOrder()
{
    // With --record off the ring skips the waits that keep its records in order, so nothing
    // but the ring itself is checked here: real threads on the bare strategy, recording muted.
    constexpr int Threads = 4;
    const std::uint32_t perProducer = std::uint32_t(test::scaled(100'000));
    LockFreeMpmcStrategy ring(3);
    ring.setRecording(false);
    MutedContexts context;
    std::atomic<bool>& stop = context.stop;
    std::atomic<bool>& leave = context.leave;

    // No consumer yet: three puts fit, a fourth backs off until the limit is raised.
    const ThreadContext main = context(Role::Control, 0);
    for (std::uint32_t serial = 0; serial < 3; ++serial)
        QCOMPARE(ring.put(main, { makeItemId(9, serial), 0 }), OpStatus::Ok);
    std::atomic<bool> fourthIn { false };
    std::vector<std::thread> threads;
    // A failed check returns early: stop and join whatever still runs.
    const auto joinAll = qScopeGuard([&] {
        stop = true;
        ring.wakeAll();
        for (std::thread& t : threads)
            t.join();
    });
    threads.emplace_back([&] {
        const ThreadContext ctx = context(Role::Producer, 9);
        fourthIn = ring.put(ctx, { makeItemId(9, 3), 0 }) == OpStatus::Ok;
    });
    QTRY_VERIFY_WITH_TIMEOUT(blockedAt(context.gate, { Role::Producer, 9 }), 10000);
    QVERIFY(!fourthIn.load());
    ring.setCapacity(main, 4);
    QTRY_VERIFY_WITH_TIMEOUT(fourthIn.load(), 10000);
    for (std::uint32_t serial = 0; serial < 4; ++serial) {
        Item item;
        QCOMPARE(ring.get(main, item), OpStatus::Ok);
        QCOMPARE(item.id, makeItemId(9, serial));
    }

    // Past the first lap of the limit: four fit again, and a fifth backs off until one is
    // taken, however many cells the ring has free.
    for (std::uint32_t serial = 4; serial < 8; ++serial)
        QCOMPARE(ring.put(main, { makeItemId(9, serial), 0 }), OpStatus::Ok);
    std::atomic<bool> fifthIn { false };
    threads.emplace_back([&] {
        const ThreadContext ctx = context(Role::Producer, 8);
        fifthIn = ring.put(ctx, { makeItemId(9, 8), 0 }) == OpStatus::Ok;
    });
    QTRY_VERIFY_WITH_TIMEOUT(blockedAt(context.gate, { Role::Producer, 8 }), 10000);
    QVERIFY(!fifthIn.load());
    for (std::uint32_t serial = 4; serial < 9; ++serial) {
        Item item;
        QCOMPARE(ring.get(main, item), OpStatus::Ok);
        QCOMPARE(item.id, makeItemId(9, serial));
        if (serial == 4)
            QTRY_VERIFY_WITH_TIMEOUT(fifthIn.load(), 10000);
    }

    // Then many on each side: every item once, each producer's items in order at every consumer.
    std::vector<std::vector<std::uint64_t>> got(Threads);
    for (int c = 0; c < Threads; ++c) {
        threads.emplace_back([&, c] {
            const ThreadContext ctx = context(Role::Consumer, c);
            Item item;
            while (ring.get(ctx, item) == OpStatus::Ok)
                got[std::size_t(c)].push_back(item.id);
        });
    }
    std::atomic<int> producing { Threads };
    for (int p = 0; p < Threads; ++p) {
        threads.emplace_back([&, p] {
            const ThreadContext ctx = context(Role::Producer, p);
            for (std::uint32_t serial = 0; serial < perProducer; ++serial)
                ring.put(ctx, { makeItemId(std::uint32_t(p), serial), 0 });
            // The last producer out lets the consumers go once they find the ring empty.
            if (--producing == 0)
                leave = true;
        });
    }
    for (std::thread& t : threads)
        t.join();
    threads.clear();
    std::unordered_set<std::uint64_t> seen;
    for (const std::vector<std::uint64_t>& ids : got) {
        std::vector<std::int64_t> lastSerial(Threads, -1);
        for (const std::uint64_t id : ids) {
            QVERIFY2(seen.insert(id).second, "an item was taken twice");
            const std::size_t producer = itemProducer(id);
            const std::int64_t serial = itemSerial(id);
            QVERIFY2(serial > lastSerial[producer], "a producer's items came out of order");
            lastSerial[producer] = serial;
        }
    }
    QCOMPARE(seen.size(), std::size_t(perProducer) * Threads);
}

void TestLockFree::spscUnrecordedKeepsTheLimitAndMovesEveryItemOnceInOrder()
{
    // Unrecorded, the producer claims with plain stores and a capacity change only stores the
    // new limit: the limit still holds, a raise lets a waiting put in, a shrink holds puts
    // back until the consumer drains below it, and a streaming pair moves every item once and
    // in order while the capacity keeps changing.
    LockFreeSpscStrategy ring(3);
    ring.setRecording(false);
    ring.setSparsePolling(true);
    MutedContexts context;
    const ThreadContext main = context(Role::Control, 0);
    std::vector<std::thread> threads;
    const auto joinThreads = [&] {
        for (std::thread& t : threads)
            t.join();
        threads.clear();
    };
    const auto joinAll = qScopeGuard([&] {
        context.stop = true;
        ring.wakeAll();
        joinThreads();
    });
    // One producer at a time: each put below is made by a thread that starts after the last
    // one's put returned.
    const auto putFrom = [&](int index, std::uint32_t serial, std::atomic<bool>& in) {
        threads.emplace_back([&, index, serial] {
            const ThreadContext ctx = context(Role::Producer, index);
            in = ring.put(ctx, { makeItemId(0, serial), 0 }) == OpStatus::Ok;
        });
    };
    const auto take = [&](std::uint32_t serial) {
        Item item;
        return ring.get(main, item) == OpStatus::Ok && item.id == makeItemId(0, serial);
    };

    for (std::uint32_t serial = 0; serial < 3; ++serial)
        QCOMPARE(ring.put(main, { makeItemId(0, serial), 0 }), OpStatus::Ok);
    std::atomic<bool> fourthIn { false };
    putFrom(1, 3, fourthIn);
    QTRY_VERIFY_WITH_TIMEOUT(blockedAt(context.gate, { Role::Producer, 1 }), 10000);
    QVERIFY(!fourthIn.load());
    ring.setCapacity(main, 4);
    QTRY_VERIFY_WITH_TIMEOUT(fourthIn.load(), 10000);

    // Four held, the limit now two: two gets leave two, still no room.
    ring.setCapacity(main, 2);
    QVERIFY(take(0));
    QVERIFY(take(1));
    std::atomic<bool> fifthIn { false };
    putFrom(2, 4, fifthIn);
    QTRY_VERIFY_WITH_TIMEOUT(blockedAt(context.gate, { Role::Producer, 2 }), 10000);
    QVERIFY(!fifthIn.load());
    QVERIFY(take(2));
    QTRY_VERIFY_WITH_TIMEOUT(fifthIn.load(), 10000);
    QVERIFY(take(3));
    QVERIFY(take(4));
    joinThreads();

    // Streaming, flat out, while another thread moves the capacity between 1 and 8.
    const std::uint32_t items = std::uint32_t(test::scaled(200'000));
    std::atomic<bool> producing { true };
    std::uint32_t received = 0;
    bool inOrder = true;
    threads.emplace_back([&] {
        const ThreadContext ctx = context(Role::Consumer, 0);
        Item item;
        while (ring.get(ctx, item) == OpStatus::Ok) {
            inOrder = inOrder && item.id == makeItemId(1, received);
            ++received;
        }
    });
    threads.emplace_back([&] {
        const ThreadContext ctx = context(Role::Producer, 3);
        for (std::uint32_t serial = 0; serial < items; ++serial)
            ring.put(ctx, { makeItemId(1, serial), 0 });
        producing = false;
        context.leave = true;
    });
    for (int change = 0; producing.load(); ++change) {
        ring.setCapacity(main, 1 + change % 8);
        std::this_thread::yield();
    }
    joinThreads();
    QVERIFY2(inOrder, "an item came out of order, twice or not at all");
    QCOMPARE(received, items);
}

void TestLockFree::mpmcStopMidFlowLeavesARecordThatKeepsFifo()
{
    // A stop finds threads waiting for the ring's record lock and holding it: a put or a get
    // is either claimed, recorded and published, or not done at all, so the trace is a prefix
    // of the ring's history that keeps FIFO. Each stop is a fresh chance to catch a thread in
    // between (when gets waited for their turn to record after claiming, about one stop in
    // thirty left a gap), so stop many busy runs.
    Scenario s;
    s.strategy = Mpmc;
    s.producers = 3;
    s.consumers = 6;
    s.capacity = 18;
    s.items = 1'000'000;
    Engine engine;
    QVERIFY(engine.setScenario(s));
    const int runs = int(test::scaled(150));
    int checked = 0;
    for (int run = 0; run < runs; ++run) {
        Checker checker(RunInfo { engine.scenario(), engine.objects() });
        EventDrain drain(engine.log(), true);
        int gets = 0;
        const auto apply = [&](const Event& e) {
            checker.apply(e);
            gets += e.kind == EventKind::Get;
        };
        engine.start();
        const QDeadlineTimer guard(10000);
        while (gets < 100 && !guard.hasExpired()) {
            if (drain.drain(apply) == 0)
                std::this_thread::yield();
        }
        QVERIFY2(gets >= 100, qPrintable(QStringLiteral("run %1: %2 gets").arg(run).arg(gets)));
        engine.stop();
        QCOMPARE(engine.threadsAlive(), 0);
        drain.drain(apply);
        // A stop abandons the lossless log, so a writer may overwrite what was not drained:
        // such a trace is incomplete and cannot be judged.
        if (drain.skipped() > 0)
            continue;
        ++checked;
        QVERIFY2(checker.violations() == 0,
            qPrintable(QStringLiteral("run %1: %2")
                           .arg(run)
                           .arg(QString::fromUtf8(violationsOf(checker)))));
    }
    QVERIFY2(
        checked * 2 >= runs, qPrintable(QStringLiteral("%1 of %2 runs").arg(checked).arg(runs)));
}

void TestLockFree::steppedConsumerOnAnEmptyRingIsBlockedUntilAPutWakesIt()
{
    QFETCH(QString, strategy);
    Scenario s;
    s.strategy = strategy;
    s.producers = 1;
    s.consumers = 1;
    s.capacity = 2;
    s.items = 5;
    Engine engine;
    QVERIFY(engine.setScenario(s));
    EventDrain drain(engine.log(), true);
    engine.start(Engine::StartMode::Stepping);
    QVERIFY(engine.waitUntilSettled());
    const ThreadRef consumer { Role::Consumer, 0 };
    const ThreadRef producer { Role::Producer, 0 };
    // Start, then try to get from the empty ring: the consumer blocks in not_empty.
    int steps = 0;
    for (; steps < 5 && engine.step(consumer) == Gate::StepResult::Done; ++steps) { }
    QVERIFY2(steps < 5, "the consumer never blocked");
    auto state = gateStateOf(engine, consumer);
    QVERIFY(state);
    QCOMPARE(state->state, Gate::State::Blocked);
    QCOMPARE(engine.objects()[state->object].name, QStringLiteral("not_empty"));
    QCOMPARE(engine.step(consumer), Gate::StepResult::NotParked);
    // The producer starts, produces and puts; its put sends the consumer back to its gate.
    for (int i = 0; i < 10 && gateStateOf(engine, consumer)->state == Gate::State::Blocked; ++i)
        QCOMPARE(engine.step(producer), Gate::StepResult::Done);
    QCOMPARE(gateStateOf(engine, consumer)->state, Gate::State::Parked);
    drain.drain([](const Event&) {});
    QCOMPARE(engine.step(consumer), Gate::StepResult::Done);
    std::vector<Event> events;
    drain.drain([&](const Event& e) { events.push_back(e); });
    QVERIFY(!events.empty());
    QCOMPARE(events.front().kind, EventKind::Get);
    QCOMPARE(events.front().thread, consumer);
    QCOMPARE(events.front().value, 0);
    engine.stop();
}

// What a ring's thread does on a full or an empty ring before it announces a wait: eager, it
// looks after every pause; sparse (unrecorded, outside the window), it looks a few times, so the
// other side can move a run of cells unwatched; paused, it does not spin, so a step sees the wait.
void TestLockFree::spinLooksAfterEveryPauseEagerlyAndSeldomSparsely()
{
    Gate gate;
    const std::atomic<bool> stop { false };
    ThreadContext ctx;
    ctx.gate = &gate;
    ctx.stop = &stop;
    int looks = 0;
    const auto never = [&] {
        ++looks;
        return false;
    };
    QVERIFY(!RingBackoff::spin(ctx, RingBackoff::Polling::Eager, never));
    QCOMPARE(looks, RingBackoff::SpinRounds);

    looks = 0;
    QVERIFY(!RingBackoff::spin(ctx, RingBackoff::Polling::Sparse, never));
    QCOMPARE(looks, RingBackoff::SparseLooks);

    looks = 0;
    const auto onSecondLook = [&] { return ++looks == 2; };
    QVERIFY(RingBackoff::spin(ctx, RingBackoff::Polling::Sparse, onSecondLook));
    QCOMPARE(looks, 2);

    looks = 0;
    gate.pause();
    QVERIFY(!RingBackoff::spin(ctx, RingBackoff::Polling::Eager, never));
    QCOMPARE(looks, 0);
    gate.resume();
}

QTEST_GUILESS_MAIN(TestLockFree)
#include "tst_lockfree.moc"
