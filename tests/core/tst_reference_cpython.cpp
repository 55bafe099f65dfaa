// SPDX-License-Identifier: GPL-3.0-or-later
// Behaviours that CPython's Lib/test/test_queue.py pins down for queue.Queue, re-expressed
// against pcviz's strategies: FIFO order, full and empty, a blocked call that waits for its
// trigger, timeouts that never end early, negative timeouts rejected, a shrunk queue that is
// still full, task_done()/join(), and fifty producers with fifty consumers (blocking,
// non-blocking with retry, timeout with retry) moving ten thousand items.
//
// Left out, because pcviz has nothing they could apply to: LifoQueue and PriorityQueue orders
// (no such strategy), SimpleQueue's reentrancy from __del__ / signal handlers (no Python
// finalisers), the failing-queue tests that inject exceptions into _put/_get (a C++ strategy
// has no overridable hooks to fail), and the C/Python implementation pairs.

#include "referencerig.h"
#include "runharness.h"
#include "strategies/pyqueuestrategy.h"
#include "strategies/strategyregistry.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

using namespace pcviz;
using namespace pcviz::test;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr std::uint32_t Sentinel = 0xffff;

enum class ConsumerKind { Blocking, NonBlockingRetry, TimeoutRetry, Mixed };

void addStrategyRows(int producers, int consumers, int capacity)
{
    for (const QString& name : StrategyRegistry::correctNames()) {
        if (strategyTakes(name, producers, consumers, capacity))
            QTest::addRow("%s cap %d", qPrintable(name), capacity) << name << capacity;
    }
}

} // namespace

class TestReferenceCPython : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cpython_getReturnsItemsInPutOrder_data();
    void cpython_getReturnsItemsInPutOrder();
    void cpython_fullQueueRejectsNonBlockingPutAndEmptyRejectsGet();
    void cpython_blockingPutWaitsUntilGetMakesRoom_data();
    void cpython_blockingPutWaitsUntilGetMakesRoom();
    void cpython_blockingGetWaitsUntilPut_data();
    void cpython_blockingGetWaitsUntilPut();
    void cpython_timeoutNeverEarly_data();
    void cpython_timeoutNeverEarly();
    void cpython_negativeTimeoutIsRejectedAndChangesNothing();
    void cpython_shrunkQueueStaysFull();
    void cpython_taskDoneWithoutPutIsRejected();
    void cpython_joinWaitsForEveryTaskDoneAndCanBeRepeated();
    void cpython_manyThreadsMoveEveryItemExactlyOnce_data();
    void cpython_manyThreadsMoveEveryItemExactlyOnce();
};

void TestReferenceCPython::cpython_getReturnsItemsInPutOrder_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<int>("capacity");
    for (const int capacity : { 1, 3, 10 })
        addStrategyRows(1, 1, capacity);
}

void TestReferenceCPython::cpython_getReturnsItemsInPutOrder()
{
    QFETCH(QString, strategy);
    QFETCH(int, capacity);
    ReferenceRig rig;
    const auto queue = StrategyRegistry::create(strategy, capacity);
    const ThreadContext p = rig.context(producer(0));
    const ThreadContext c = rig.context(consumer(0));
    // Fill and empty several times, in batches that do not divide the capacity, so the order
    // is checked across the ring's wrap-around.
    std::uint32_t next = 0;
    std::uint32_t expected = 0;
    for (int round = 0; round < 7; ++round) {
        const int batch = 1 + (round * 2) % capacity;
        for (int i = 0; i < batch; ++i)
            QCOMPARE(queue->put(p, item(0, next++)), OpStatus::Ok);
        for (int i = 0; i < batch; ++i) {
            Item out;
            QCOMPARE(queue->get(c, out), OpStatus::Ok);
            QCOMPARE(itemSerial(out.id), expected);
            QCOMPARE(out.value, std::int64_t(expected));
            ++expected;
        }
    }
}

void TestReferenceCPython::cpython_fullQueueRejectsNonBlockingPutAndEmptyRejectsGet()
{
    ReferenceRig rig;
    PyQueueStrategy q(3);
    const ThreadContext ctx = rig.context(producer(0));
    Item out;
    QCOMPARE(q.qsize(ctx), 0);
    QCOMPARE(q.get(ctx, out, false, std::nullopt), OpStatus::Empty);
    QCOMPARE(q.get(ctx, out, true, 0.01), OpStatus::Empty);
    for (std::uint32_t i = 0; i < 3; ++i)
        QCOMPARE(q.put(ctx, item(0, i), false, std::nullopt), OpStatus::Ok);
    QCOMPARE(q.qsize(ctx), 3);
    QCOMPARE(q.put(ctx, item(0, 3), false, std::nullopt), OpStatus::Full);
    QCOMPARE(q.put(ctx, item(0, 3), true, 0.01), OpStatus::Full);
    QCOMPARE(q.qsize(ctx), 3); // the refused puts inserted nothing
    for (std::uint32_t i = 0; i < 3; ++i) {
        QCOMPARE(q.get(ctx, out, false, std::nullopt), OpStatus::Ok);
        QCOMPARE(itemSerial(out.id), i);
    }
    QCOMPARE(q.get(ctx, out, false, std::nullopt), OpStatus::Empty);
    QCOMPARE(q.qsize(ctx), 0);
}

void TestReferenceCPython::cpython_blockingPutWaitsUntilGetMakesRoom_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<int>("capacity");
    for (const int capacity : { 1, 4 })
        addStrategyRows(1, 1, capacity);
}

void TestReferenceCPython::cpython_blockingPutWaitsUntilGetMakesRoom()
{
    QFETCH(QString, strategy);
    QFETCH(int, capacity);
    ReferenceRig rig;
    const auto queue = StrategyRegistry::create(strategy, capacity);
    const ThreadContext p = rig.context(producer(0));
    const ThreadContext c = rig.context(consumer(0));
    for (int i = 0; i < capacity; ++i)
        QCOMPARE(queue->put(p, item(0, std::uint32_t(i))), OpStatus::Ok);
    std::atomic<int> status { -1 };
    RigThread blocked(
        rig, [&] { queue->wakeAll(); },
        [&] { status = int(queue->put(p, item(0, std::uint32_t(capacity)))); });
    // As CPython's do_blocking_test: the call must not return before its trigger. Waiting
    // longer only makes a wrong early return likelier to be seen; it cannot fail a correct run.
    std::this_thread::sleep_for(50ms);
    QVERIFY2(!blocked.done(), "a put into a full queue returned before any get");
    Item out;
    QCOMPARE(queue->get(c, out), OpStatus::Ok);
    QCOMPARE(itemSerial(out.id), 0u);
    QVERIFY(blocked.finish());
    QCOMPARE(OpStatus(status.load()), OpStatus::Ok);
    for (int i = 1; i <= capacity; ++i) {
        QCOMPARE(queue->get(c, out), OpStatus::Ok);
        QCOMPARE(itemSerial(out.id), std::uint32_t(i));
    }
}

void TestReferenceCPython::cpython_blockingGetWaitsUntilPut_data()
{
    cpython_blockingPutWaitsUntilGetMakesRoom_data();
}

void TestReferenceCPython::cpython_blockingGetWaitsUntilPut()
{
    QFETCH(QString, strategy);
    QFETCH(int, capacity);
    ReferenceRig rig;
    const auto queue = StrategyRegistry::create(strategy, capacity);
    const ThreadContext p = rig.context(producer(0));
    const ThreadContext c = rig.context(consumer(0));
    std::atomic<int> status { -1 };
    Item out;
    RigThread blocked(
        rig, [&] { queue->wakeAll(); }, [&] { status = int(queue->get(c, out)); });
    std::this_thread::sleep_for(50ms);
    QVERIFY2(!blocked.done(), "a get from an empty queue returned before any put");
    QCOMPARE(queue->put(p, item(0, 42)), OpStatus::Ok);
    QVERIFY(blocked.finish());
    QCOMPARE(OpStatus(status.load()), OpStatus::Ok);
    QCOMPARE(itemSerial(out.id), 42u);
}

void TestReferenceCPython::cpython_timeoutNeverEarly_data()
{
    QTest::addColumn<bool>("put");
    QTest::addColumn<double>("timeout");
    for (const double t : { 0.001, 0.02, 0.1 }) {
        QTest::addRow("get on empty, %g s", t) << false << t;
        QTest::addRow("put on full, %g s", t) << true << t;
    }
}

void TestReferenceCPython::cpython_timeoutNeverEarly()
{
    QFETCH(bool, put);
    QFETCH(double, timeout);
    ReferenceRig rig;
    PyQueueStrategy q(2);
    const ThreadContext ctx = rig.context(producer(0));
    if (put) {
        QCOMPARE(q.put(ctx, item(0, 0)), OpStatus::Ok);
        QCOMPARE(q.put(ctx, item(0, 1)), OpStatus::Ok);
    }
    // Several tries: an early return is a matter of where the deadline falls.
    for (int attempt = 0; attempt < 5; ++attempt) {
        const auto start = SteadyClock::now();
        Item out;
        const OpStatus status
            = put ? q.put(ctx, item(0, 9), true, timeout) : q.get(ctx, out, true, timeout);
        const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
        QCOMPARE(status, put ? OpStatus::Full : OpStatus::Empty);
        // Only the lower bound: a loaded machine may return late, never early.
        QVERIFY2(elapsed >= timeout,
            qPrintable(
                QStringLiteral("returned after %1 s of a %2 s timeout").arg(elapsed).arg(timeout)));
    }
    QCOMPARE(q.qsize(ctx), put ? 2 : 0);
}

void TestReferenceCPython::cpython_negativeTimeoutIsRejectedAndChangesNothing()
{
    ReferenceRig rig;
    PyQueueStrategy q(2);
    const ThreadContext ctx = rig.context(producer(0));
    Item out;
    // A blocking call with a negative timeout is a ValueError, whatever the queue holds.
    QCOMPARE(q.put(ctx, item(0, 0), true, -1.0), OpStatus::InvalidTimeout);
    QCOMPARE(q.qsize(ctx), 0);
    QCOMPARE(q.get(ctx, out, true, -1.0), OpStatus::InvalidTimeout);
    QCOMPARE(q.put(ctx, item(0, 0)), OpStatus::Ok);
    QCOMPARE(q.get(ctx, out, true, -0.5), OpStatus::InvalidTimeout);
    QCOMPARE(q.qsize(ctx), 1);
    // Non-blocking calls never look at the timeout.
    QCOMPARE(q.put(ctx, item(0, 1), false, -1.0), OpStatus::Ok);
    QCOMPARE(q.put(ctx, item(0, 2), false, -1.0), OpStatus::Full);
    QCOMPARE(q.get(ctx, out, false, -1.0), OpStatus::Ok);
    QCOMPARE(itemSerial(out.id), 0u);
    QCOMPARE(q.qsize(ctx), 1);
}

void TestReferenceCPython::cpython_shrunkQueueStaysFull()
{
    ReferenceRig rig;
    PyQueueStrategy q(3);
    const ThreadContext ctx = rig.context(producer(0));
    for (std::uint32_t i = 0; i < 3; ++i)
        QCOMPARE(q.put(ctx, item(0, i)), OpStatus::Ok);
    QCOMPARE(q.put(ctx, item(0, 3), false, std::nullopt), OpStatus::Full);
    q.setCapacity(ctx, 2);
    QCOMPARE(q.put(ctx, item(0, 3), false, std::nullopt), OpStatus::Full);
    // The shrink dropped nothing; room comes back only below the new capacity.
    QCOMPARE(q.qsize(ctx), 3);
    Item out;
    QCOMPARE(q.get(ctx, out, false, std::nullopt), OpStatus::Ok);
    QCOMPARE(q.put(ctx, item(0, 3), false, std::nullopt), OpStatus::Full);
    QCOMPARE(q.get(ctx, out, false, std::nullopt), OpStatus::Ok);
    QCOMPARE(q.put(ctx, item(0, 3), false, std::nullopt), OpStatus::Ok);
    for (const std::uint32_t expected : { 2u, 3u }) {
        QCOMPARE(q.get(ctx, out, false, std::nullopt), OpStatus::Ok);
        QCOMPARE(itemSerial(out.id), expected);
    }
}

void TestReferenceCPython::cpython_taskDoneWithoutPutIsRejected()
{
    ReferenceRig rig;
    PyQueueStrategy q(4);
    const ThreadContext ctx = rig.context(consumer(0));
    QCOMPARE(q.taskDone(ctx), OpStatus::TooManyTaskDone);
    QCOMPARE(q.put(ctx, item(0, 0)), OpStatus::Ok);
    Item out;
    QCOMPARE(q.get(ctx, out), OpStatus::Ok);
    QCOMPARE(q.taskDone(ctx), OpStatus::Ok);
    QCOMPARE(q.taskDone(ctx), OpStatus::TooManyTaskDone);
    QCOMPARE(q.unfinishedTasks(ctx), std::int64_t(0));
}

void TestReferenceCPython::cpython_joinWaitsForEveryTaskDoneAndCanBeRepeated()
{
    // As test_queue_join: workers add up what they take; join() returns only after the last
    // task_done(), so the sum is complete when it does; and a second round works the same.
    constexpr int Workers = 2;
    constexpr int Items = 100;
    ReferenceRig rig;
    PyQueueStrategy q(0);
    const ThreadContext main = rig.context({ Role::Main, 0 });
    std::atomic<std::int64_t> sum { 0 };
    std::deque<RigThread> workers;
    for (int w = 0; w < Workers; ++w) {
        workers.emplace_back(
            rig, [&] { q.wakeAll(); },
            [&, w] {
                const ThreadContext ctx = rig.context(consumer(w));
                for (;;) {
                    Item out;
                    if (q.get(ctx, out) != OpStatus::Ok)
                        return;
                    const bool last = itemProducer(out.id) == Sentinel;
                    if (!last)
                        sum.fetch_add(out.value);
                    q.taskDone(ctx);
                    if (last)
                        return;
                }
            });
    }
    for (int round = 1; round <= 2; ++round) {
        for (std::uint32_t i = 0; i < Items; ++i)
            QCOMPARE(q.put(main, item(0, i)), OpStatus::Ok);
        QCOMPARE(q.join(main), OpStatus::Ok);
        QCOMPARE(sum.load(), std::int64_t(round) * Items * (Items - 1) / 2);
        QCOMPARE(q.unfinishedTasks(main), std::int64_t(0));
    }
    for (int w = 0; w < Workers; ++w)
        QCOMPARE(q.put(main, item(Sentinel, std::uint32_t(w))), OpStatus::Ok);
    QCOMPARE(q.join(main), OpStatus::Ok);
    for (RigThread& w : workers)
        QVERIFY(w.finish());
}

void TestReferenceCPython::cpython_manyThreadsMoveEveryItemExactlyOnce_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("kindRow");
    for (const QString& name : StrategyRegistry::correctNames()) {
        if (strategyTakes(name, 50, 50, 16))
            QTest::addRow("%s, blocking consumers", qPrintable(name))
                << name << 16 << int(ConsumerKind::Blocking);
    }
    // Only queue.Queue has non-blocking and timed gets to retry with.
    const QString py = QStringLiteral("pyqueue");
    QTest::addRow("pyqueue unbounded, blocking") << py << 0 << int(ConsumerKind::Blocking);
    QTest::addRow("pyqueue, non-blocking retry") << py << 16 << int(ConsumerKind::NonBlockingRetry);
    QTest::addRow("pyqueue unbounded, non-blocking retry")
        << py << 0 << int(ConsumerKind::NonBlockingRetry);
    QTest::addRow("pyqueue, timeout retry") << py << 16 << int(ConsumerKind::TimeoutRetry);
    QTest::addRow("pyqueue unbounded, timeout retry") << py << 0 << int(ConsumerKind::TimeoutRetry);
    QTest::addRow("pyqueue, all three kinds") << py << 16 << int(ConsumerKind::Mixed);
}

void TestReferenceCPython::cpython_manyThreadsMoveEveryItemExactlyOnce()
{
    QFETCH(QString, strategy);
    QFETCH(int, capacity);
    QFETCH(int, kindRow);
    const auto kind = ConsumerKind(kindRow);
    constexpr int Producers = 50;
    constexpr int Consumers = 50;
    const int inputs = int(scaled(10000));
    ReferenceRig rig;
    const auto queue = StrategyRegistry::create(strategy, capacity);
    auto* py = dynamic_cast<PyQueueStrategy*>(queue.get());
    QVERIFY(kind == ConsumerKind::Blocking || py);

    // As CPython's feeders: every producer takes the next input from one shared list.
    std::atomic<int> nextInput { 0 };
    std::atomic<int> feeding { Producers };
    std::atomic<int> failures { 0 };
    std::vector<std::int64_t> results;
    std::vector<std::vector<Item>> taken(Consumers);
    std::deque<RigThread> threads;
    for (int c = 0; c < Consumers; ++c) {
        const ConsumerKind mine = kind == ConsumerKind::Mixed ? ConsumerKind(c % 3) : kind;
        threads.emplace_back(
            rig, [&] { queue->wakeAll(); },
            [&, c, mine] {
                const ThreadContext ctx = rig.context(consumer(c));
                for (;;) {
                    Item out;
                    OpStatus status = OpStatus::Ok;
                    switch (mine) {
                    case ConsumerKind::Blocking:
                    case ConsumerKind::Mixed:
                        status = queue->get(ctx, out);
                        break;
                    case ConsumerKind::NonBlockingRetry:
                        while ((status = py->get(ctx, out, false, std::nullopt)) == OpStatus::Empty
                            && !ctx.stopping())
                            std::this_thread::sleep_for(10us);
                        break;
                    case ConsumerKind::TimeoutRetry:
                        while ((status = py->get(ctx, out, true, 1e-5)) == OpStatus::Empty
                            && !ctx.stopping()) { }
                        break;
                    }
                    if (status != OpStatus::Ok) {
                        failures.fetch_add(1);
                        return;
                    }
                    if (itemProducer(out.id) == Sentinel)
                        return;
                    taken[std::size_t(c)].push_back(out);
                }
            });
    }
    for (int p = 0; p < Producers; ++p) {
        threads.emplace_back(
            rig, [&] { queue->wakeAll(); },
            [&, p] {
                const ThreadContext ctx = rig.context(producer(p));
                std::uint32_t serial = 0;
                for (int input; (input = nextInput.fetch_add(1)) < inputs;) {
                    if (queue->put(ctx, { makeItemId(std::uint32_t(p), serial++), input })
                        != OpStatus::Ok)
                        failures.fetch_add(1);
                }
                // The last feeder tells every consumer to go home.
                if (feeding.fetch_sub(1) == 1) {
                    for (int c = 0; c < Consumers; ++c) {
                        if (queue->put(ctx, item(Sentinel, std::uint32_t(c))) != OpStatus::Ok)
                            failures.fetch_add(1);
                    }
                }
            });
    }
    for (RigThread& t : threads)
        QVERIFY(t.finish(120s));
    QCOMPARE(failures.load(), 0);

    // Every input exactly once; each consumer saw each producer's items in their order.
    for (const std::vector<Item>& mine : taken) {
        std::vector<std::int64_t> lastSerial(Producers, -1);
        for (const Item& it : mine) {
            const std::uint32_t p = itemProducer(it.id);
            QVERIFY(p < std::uint32_t(Producers));
            QVERIFY2(std::int64_t(itemSerial(it.id)) > lastSerial[p],
                "a producer's items were taken out of order");
            lastSerial[p] = itemSerial(it.id);
            results.push_back(it.value);
        }
    }
    std::sort(results.begin(), results.end());
    QCOMPARE(int(results.size()), inputs);
    for (int i = 0; i < inputs; ++i)
        QCOMPARE(results[std::size_t(i)], std::int64_t(i));
}

QTEST_GUILESS_MAIN(TestReferenceCPython)
#include "tst_reference_cpython.moc"
