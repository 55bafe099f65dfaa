// SPDX-License-Identifier: GPL-3.0-or-later
// Behaviours that the JSR-166 TCK's BlockingQueue tests (ArrayBlockingQueueTest,
// BlockingQueueTest) pin down, re-expressed against pcviz's strategies: size plus remaining
// capacity is the capacity after every operation, across the ring's wrap-around; timed offer
// and poll fail no earlier than their timeout and succeed when the other side comes in time;
// a put or take ended by a stop (pcviz's interrupt) inserts and removes nothing.
//
// pcviz's strategies have no size() or remainingCapacity(): size is what every put and get
// records (its count), and remaining capacity is the capacity minus it, or, in the semaphore
// strategy, the value of its `empty` semaphore, with `full` as its size. Both are checked
// against a model of the queue, so neither side of the sum is taken on trust.
//
// Left out, because pcviz has no such operation: iterators, toArray, contains/remove(Object),
// drainTo, clear, and the null-element and serialisation tests. Also the TCK's "put with the
// interrupt status already set throws even when there is room": pcviz's stop ends waits only,
// and a thread that need not wait completes its put (the engine checks stop between items).

#include "eventdrain.h"
#include "referencerig.h"
#include "statemodel.h"
#include "strategies/pyqueuestrategy.h"
#include "strategies/strategyregistry.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <deque>
#include <random>
#include <thread>

using namespace pcviz;
using namespace pcviz::test;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

namespace {

std::uint8_t objectNamed(const Strategy& strategy, const char* name)
{
    for (const ObjectInfo& info : strategy.objects()) {
        if (info.name == QLatin1String(name) && info.type == ObjectType::Semaphore)
            return info.id;
    }
    return NoObject;
}

void addStrategyRows(const QList<int>& capacities)
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<int>("capacity");
    for (const QString& name : StrategyRegistry::correctNames()) {
        for (const int capacity : capacities) {
            if (strategyTakes(name, 1, 1, capacity))
                QTest::addRow("%s cap %d", qPrintable(name), capacity) << name << capacity;
        }
    }
}

double secondsSince(SteadyClock::time_point start)
{
    return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

} // namespace

class TestReferenceJsr166 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void jsr166_sizePlusRemainingCapacityIsCapacityAcrossWrapAround_data();
    void jsr166_sizePlusRemainingCapacityIsCapacityAcrossWrapAround();
    void jsr166_timedOfferOnFullFailsNoEarlierThanTimeout();
    void jsr166_timedPollOnEmptyFailsNoEarlierThanTimeout();
    void jsr166_timedPollReturnsItemOfferedBeforeItsDeadline();
    void jsr166_timedOfferSucceedsWhenTakeMakesRoomBeforeItsDeadline();
    void jsr166_zeroTimeoutPollReturnsHeldItemsInOrderAtOnce();
    void jsr166_stoppedPutInsertsNothing_data();
    void jsr166_stoppedPutInsertsNothing();
    void jsr166_stoppedTakeRemovesNothing_data();
    void jsr166_stoppedTakeRemovesNothing();
};

void TestReferenceJsr166::jsr166_sizePlusRemainingCapacityIsCapacityAcrossWrapAround_data()
{
    addStrategyRows({ 1, 2, 5, 8 });
}

void TestReferenceJsr166::jsr166_sizePlusRemainingCapacityIsCapacityAcrossWrapAround()
{
    QFETCH(QString, strategy);
    QFETCH(int, capacity);
    ReferenceRig rig(1 << 12);
    EventDrain drain(rig.log);
    const auto queue = StrategyRegistry::create(strategy, capacity);
    auto* py = dynamic_cast<PyQueueStrategy*>(queue.get());
    const std::uint8_t emptySem = objectNamed(*queue, "empty");
    const std::uint8_t fullSem = objectNamed(*queue, "full");
    const ThreadContext ctx = rig.context(producer(0));
    Scenario shape;
    shape.strategy = strategy;
    shape.capacity = capacity;
    // What the window shows: the fold of the events. A lock-free ring's events carry only the
    // count their thread saw, so for those the fold's own count is the size.
    StateModel state(RunInfo { shape, queue->objects() });
    const bool lockFree = StrategyRegistry::find(strategy)->lockFree;

    // A seeded walk between empty and full, long enough to wrap the ring many times.
    std::mt19937_64 rng(capacity);
    std::deque<std::uint32_t> model;
    std::uint32_t next = 0;
    std::int64_t emptyValue = capacity;
    std::int64_t fullValue = 0;
    for (int op = 0; op < 40 * capacity + 40; ++op) {
        const bool put = model.empty()
            || (int(model.size()) < capacity && std::bernoulli_distribution(0.55)(rng));
        int recordedCount = -1;
        if (put) {
            QCOMPARE(queue->put(ctx, item(0, next)), OpStatus::Ok);
            model.push_back(next++);
        } else {
            Item out;
            QCOMPARE(queue->get(ctx, out), OpStatus::Ok);
            QCOMPARE(itemSerial(out.id), model.front());
            model.pop_front();
        }
        drain.drain([&](const Event& e) {
            state.apply(e);
            if (e.kind == EventKind::Put || e.kind == EventKind::Get)
                recordedCount = e.count;
            if ((e.kind == EventKind::SemAcquire || e.kind == EventKind::SemRelease)
                && e.object == emptySem)
                emptyValue = e.count;
            if ((e.kind == EventKind::SemAcquire || e.kind == EventKind::SemRelease)
                && e.object == fullSem)
                fullValue = e.count;
        });
        const int size = lockFree ? state.buffer().count() : recordedCount;
        const int remaining = capacity - size;
        QCOMPARE(size, int(model.size()));
        QCOMPARE(state.buffer().count(), size);
        // A stale view of the other side's index may be off, but never outside the bounds.
        QVERIFY(recordedCount >= 0 && recordedCount <= capacity);
        QVERIFY(size >= 0 && remaining >= 0);
        if (py)
            QCOMPARE(py->qsize(ctx), size);
        if (emptySem != NoObject && fullSem != NoObject) {
            // The semaphore strategy keeps both numbers itself.
            QCOMPARE(fullValue, std::int64_t(size));
            QCOMPARE(emptyValue, std::int64_t(remaining));
            QCOMPARE(fullValue + emptyValue, std::int64_t(capacity));
        }
    }
    QCOMPARE(drain.skipped(), std::uint64_t(0));
}

void TestReferenceJsr166::jsr166_timedOfferOnFullFailsNoEarlierThanTimeout()
{
    ReferenceRig rig;
    PyQueueStrategy q(2);
    const ThreadContext ctx = rig.context(producer(0));
    QCOMPARE(q.put(ctx, item(0, 0), true, 0.0), OpStatus::Ok);
    QCOMPARE(q.put(ctx, item(0, 1), true, 0.0), OpStatus::Ok);
    for (const double timeout : { 0.0, 0.005, 0.05 }) {
        const auto start = SteadyClock::now();
        QCOMPARE(q.put(ctx, item(0, 2), true, timeout), OpStatus::Full);
        QVERIFY(secondsSince(start) >= timeout);
    }
    QCOMPARE(q.qsize(ctx), 2);
}

void TestReferenceJsr166::jsr166_timedPollOnEmptyFailsNoEarlierThanTimeout()
{
    ReferenceRig rig;
    PyQueueStrategy q(2);
    const ThreadContext ctx = rig.context(consumer(0));
    for (const double timeout : { 0.0, 0.005, 0.05 }) {
        Item out;
        const auto start = SteadyClock::now();
        QCOMPARE(q.get(ctx, out, true, timeout), OpStatus::Empty);
        QVERIFY(secondsSince(start) >= timeout);
        QCOMPARE(out.id, NoItem);
    }
}

void TestReferenceJsr166::jsr166_timedPollReturnsItemOfferedBeforeItsDeadline()
{
    ReferenceRig rig;
    PyQueueStrategy q(2);
    const ThreadContext p = rig.context(producer(0));
    const ThreadContext c = rig.context(consumer(0));
    std::atomic<int> status { -1 };
    Item out;
    // A deadline far beyond any machine's delay: the poll must end because of the offer.
    RigThread poller(
        rig, [&] { q.wakeAll(); }, [&] { status = int(q.get(c, out, true, 60.0)); });
    QVERIFY(waitUntilBlocked(rig, consumer(0)));
    QCOMPARE(q.put(p, item(0, 7), true, 0.0), OpStatus::Ok);
    QVERIFY(poller.finish());
    QCOMPARE(OpStatus(status.load()), OpStatus::Ok);
    QCOMPARE(itemSerial(out.id), 7u);
}

void TestReferenceJsr166::jsr166_timedOfferSucceedsWhenTakeMakesRoomBeforeItsDeadline()
{
    ReferenceRig rig;
    PyQueueStrategy q(1);
    const ThreadContext p = rig.context(producer(0));
    const ThreadContext c = rig.context(consumer(0));
    QCOMPARE(q.put(p, item(0, 0)), OpStatus::Ok);
    std::atomic<int> status { -1 };
    RigThread offerer(
        rig, [&] { q.wakeAll(); }, [&] { status = int(q.put(p, item(0, 1), true, 60.0)); });
    QVERIFY(waitUntilBlocked(rig, producer(0)));
    Item out;
    QCOMPARE(q.get(c, out), OpStatus::Ok);
    QVERIFY(offerer.finish());
    QCOMPARE(OpStatus(status.load()), OpStatus::Ok);
    QCOMPARE(q.get(c, out, false, std::nullopt), OpStatus::Ok);
    QCOMPARE(itemSerial(out.id), 1u);
}

void TestReferenceJsr166::jsr166_zeroTimeoutPollReturnsHeldItemsInOrderAtOnce()
{
    ReferenceRig rig;
    PyQueueStrategy q(5);
    const ThreadContext ctx = rig.context(producer(0));
    for (std::uint32_t i = 0; i < 5; ++i)
        QCOMPARE(q.put(ctx, item(0, i), true, 0.0), OpStatus::Ok);
    for (std::uint32_t i = 0; i < 5; ++i) {
        Item out;
        QCOMPARE(q.get(ctx, out, true, 0.0), OpStatus::Ok);
        QCOMPARE(itemSerial(out.id), i);
    }
    Item out;
    QCOMPARE(q.get(ctx, out, true, 0.0), OpStatus::Empty);
}

void TestReferenceJsr166::jsr166_stoppedPutInsertsNothing_data()
{
    addStrategyRows({ 1, 3 });
}

void TestReferenceJsr166::jsr166_stoppedPutInsertsNothing()
{
    QFETCH(QString, strategy);
    QFETCH(int, capacity);
    ReferenceRig rig;
    const auto queue = StrategyRegistry::create(strategy, capacity);
    // The test's own thread has a stop of its own, so it can still look after the stop.
    std::atomic<bool> inspectorStop { false };
    const ThreadContext inspector { consumer(0), &rig.log, &rig.gate, &inspectorStop };
    const ThreadContext p = rig.context(producer(0));
    for (int i = 0; i < capacity; ++i)
        QCOMPARE(queue->put(inspector, item(1, std::uint32_t(i))), OpStatus::Ok);
    std::atomic<int> status { -1 };
    RigThread putter(
        rig, [&] { queue->wakeAll(); }, [&] { status = int(queue->put(p, item(0, 99))); });
    QVERIFY(waitUntilBlocked(rig, producer(0)));
    rig.stop.store(true);
    queue->wakeAll();
    QVERIFY(putter.finish());
    QCOMPARE(OpStatus(status.load()), OpStatus::Stopped);
    // Exactly the items that were there, in order; the stopped put's item is not among them.
    for (int i = 0; i < capacity; ++i) {
        Item out;
        QCOMPARE(queue->get(inspector, out), OpStatus::Ok);
        QCOMPARE(out.id, makeItemId(1, std::uint32_t(i)));
    }
    // And the queue is empty now: a put then a get return that one item, not the lost one.
    QCOMPARE(queue->put(inspector, item(2, 0)), OpStatus::Ok);
    Item out;
    QCOMPARE(queue->get(inspector, out), OpStatus::Ok);
    QCOMPARE(out.id, makeItemId(2, 0));
}

void TestReferenceJsr166::jsr166_stoppedTakeRemovesNothing_data()
{
    addStrategyRows({ 1, 3 });
}

void TestReferenceJsr166::jsr166_stoppedTakeRemovesNothing()
{
    QFETCH(QString, strategy);
    QFETCH(int, capacity);
    ReferenceRig rig;
    const auto queue = StrategyRegistry::create(strategy, capacity);
    std::atomic<bool> inspectorStop { false };
    const ThreadContext inspector { producer(0), &rig.log, &rig.gate, &inspectorStop };
    const ThreadContext c = rig.context(consumer(0));
    std::atomic<int> status { -1 };
    Item taken;
    RigThread taker(
        rig, [&] { queue->wakeAll(); }, [&] { status = int(queue->get(c, taken)); });
    QVERIFY(waitUntilBlocked(rig, consumer(0)));
    rig.stop.store(true);
    queue->wakeAll();
    QVERIFY(taker.finish());
    QCOMPARE(OpStatus(status.load()), OpStatus::Stopped);
    QCOMPARE(taken.id, NoItem);
    // The stopped take left no claim behind: every later item still arrives, in order.
    for (int i = 0; i < capacity; ++i)
        QCOMPARE(queue->put(inspector, item(0, std::uint32_t(i))), OpStatus::Ok);
    for (int i = 0; i < capacity; ++i) {
        Item out;
        QCOMPARE(queue->get(inspector, out), OpStatus::Ok);
        QCOMPARE(itemSerial(out.id), std::uint32_t(i));
    }
}

QTEST_GUILESS_MAIN(TestReferenceJsr166)
#include "tst_reference_jsr166.moc"
