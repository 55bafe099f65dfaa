// SPDX-License-Identifier: GPL-3.0-or-later
// Behaviours that qtbase's tst_qsemaphore and tst_qwaitcondition pin down, re-expressed
// against pcviz's instrumented primitives: the two-semaphore ring buffer of 4096 slots moved
// in chunks of 3 and 7, a timed acquire or wait that never returns early, a timed-out waiter
// that never steals a later wake-up or permit, a timed acquire racing a release that neither
// loses nor doubles the permit, and a wake with no waiter that is not kept.
//
// QSemaphore::acquire(n) and release(n) take or give n permits at once; pcviz's Semaphore
// takes one per acquire(), so a chunk is n acquires in a row (the same thing with one acquirer
// per semaphore, as here) and a release of n is adjust(+n), which grants waiters the same way.
//
// Left out: QSemaphoreReleaser, tryAcquire(n) with n larger than the count (pcviz acquires
// one permit at a time), QReadWriteLock-based waits and QWaitCondition's wait on a
// QReadWriteLock (pcviz has no read-write lock), and QDeadlineTimer::Forever overloads (an
// absent deadline is pcviz's forever).

#include "referencerig.h"
#include "runharness.h"
#include "sync/condvar.h"
#include "sync/mutex.h"
#include "sync/semaphore.h"

#include <QTest>

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <thread>

using namespace pcviz;
using namespace pcviz::test;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

namespace {

Deadline after(std::chrono::microseconds d)
{
    return SteadyClock::now() + d;
}

} // namespace

class TestReferenceQtbase : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void qtbase_twoSemaphoreBufferMovesEveryByteInChunksOfThreeAndSeven();
    void qtbase_timedAcquireNeverReturnsEarly_data();
    void qtbase_timedAcquireNeverReturnsEarly();
    void qtbase_timedWaitNeverReturnsEarly_data();
    void qtbase_timedWaitNeverReturnsEarly();
    void qtbase_timedOutWaiterNeverStealsALaterWakeUp();
    void qtbase_timedOutAcquirerNeverStealsALaterPermit();
    void qtbase_timedAcquireRacingReleaseNeitherLosesNorDoublesThePermit();
    void qtbase_wakeWithNoWaiterIsNotKept();
    void qtbase_wakeOneWakesExactlyOneOfManyWaiters();
};

void TestReferenceQtbase::qtbase_twoSemaphoreBufferMovesEveryByteInChunksOfThreeAndSeven()
{
    // As tst_QSemaphore's producer/consumer: free space starts at the buffer size, used space
    // at zero; the producer writes an alphabet in chunks of 3, the consumer checks it in
    // chunks of 7. The amount is a multiple of 3, 7 and the buffer, so both end together.
    constexpr int BufferSize = 4096;
    constexpr int ProducerChunk = 3;
    constexpr int ConsumerChunk = 7;
    static constexpr char Alphabet[] = "ACGTH";
    constexpr int AlphabetSize = sizeof(Alphabet) - 1;
    const qint64 rounds = scaled(4);
    const qint64 dataSize = qint64(ProducerChunk) * ConsumerChunk * BufferSize * rounds;

    ReferenceRig rig;
    Semaphore freeSpace(0, BufferSize);
    Semaphore usedSpace(1, 0);
    // Plain bytes: each is handed from writer to reader through the semaphores, which order
    // the two threads' accesses.
    std::array<char, BufferSize> buffer {};
    std::atomic<qint64> mismatches { 0 };
    std::atomic<qint64> firstMismatch { -1 };
    const auto wake = [&] {
        freeSpace.poke();
        usedSpace.poke();
    };
    RigThread producerThread(rig, wake, [&] {
        const ThreadContext ctx = rig.context(producer(0));
        for (qint64 i = 0; i < dataSize; i += ProducerChunk) {
            for (int k = 0; k < ProducerChunk; ++k) {
                if (freeSpace.acquire(ctx) != WaitResult::Granted)
                    return;
            }
            for (int j = 0; j < ProducerChunk; ++j)
                buffer[std::size_t((i + j) % BufferSize)] = Alphabet[(i + j) % AlphabetSize];
            usedSpace.adjust(ctx, ProducerChunk);
        }
    });
    RigThread consumerThread(rig, wake, [&] {
        const ThreadContext ctx = rig.context(consumer(0));
        for (qint64 i = 0; i < dataSize; i += ConsumerChunk) {
            for (int k = 0; k < ConsumerChunk; ++k) {
                if (usedSpace.acquire(ctx) != WaitResult::Granted)
                    return;
            }
            for (int j = 0; j < ConsumerChunk; ++j) {
                if (buffer[std::size_t((i + j) % BufferSize)] != Alphabet[(i + j) % AlphabetSize]) {
                    mismatches.fetch_add(1);
                    qint64 none = -1;
                    firstMismatch.compare_exchange_strong(none, i + j);
                }
            }
            freeSpace.adjust(ctx, ConsumerChunk);
        }
    });
    QVERIFY(producerThread.finish(120s));
    QVERIFY(consumerThread.finish(120s));
    QVERIFY2(mismatches.load() == 0,
        qPrintable(QStringLiteral("%1 bytes wrong, the first at %2")
                       .arg(mismatches.load())
                       .arg(firstMismatch.load())));
    // Every permit is back where it started.
    QCOMPARE(freeSpace.value(), std::int64_t(BufferSize));
    QCOMPARE(usedSpace.value(), std::int64_t(0));
}

void TestReferenceQtbase::qtbase_timedAcquireNeverReturnsEarly_data()
{
    QTest::addColumn<int>("timeoutUs");
    for (const int us : { 0, 1000, 20000, 100000 })
        QTest::addRow("%d us", us) << us;
}

void TestReferenceQtbase::qtbase_timedAcquireNeverReturnsEarly()
{
    QFETCH(int, timeoutUs);
    ReferenceRig rig;
    Semaphore semaphore(0, 0);
    const ThreadContext ctx = rig.context(consumer(0));
    for (int attempt = 0; attempt < 5; ++attempt) {
        const auto start = SteadyClock::now();
        const Deadline deadline = start + std::chrono::microseconds(timeoutUs);
        QCOMPARE(semaphore.acquire(ctx, { .deadline = deadline }), WaitResult::TimedOut);
        // The lower bound only: a loaded machine returns late, never early.
        QVERIFY(SteadyClock::now() >= deadline);
    }
    QCOMPARE(semaphore.value(), std::int64_t(0));
}

void TestReferenceQtbase::qtbase_timedWaitNeverReturnsEarly_data()
{
    qtbase_timedAcquireNeverReturnsEarly_data();
}

void TestReferenceQtbase::qtbase_timedWaitNeverReturnsEarly()
{
    QFETCH(int, timeoutUs);
    ReferenceRig rig;
    Mutex mutex(0);
    CondVar condition(1);
    const ThreadContext ctx = rig.context(consumer(0));
    for (int attempt = 0; attempt < 5; ++attempt) {
        MutexLocker locker(mutex, ctx);
        const Deadline deadline = after(std::chrono::microseconds(timeoutUs));
        QCOMPARE(condition.wait(locker, { .deadline = deadline }), WaitResult::TimedOut);
        QVERIFY(SteadyClock::now() >= deadline);
        // As QWaitCondition::wait: the mutex is held again on return.
        QVERIFY(locker.owns());
        QVERIFY(mutex.owner() == consumer(0));
    }
}

void TestReferenceQtbase::qtbase_timedOutWaiterNeverStealsALaterWakeUp()
{
    ReferenceRig rig;
    Mutex mutex(0);
    CondVar condition(1);
    const ThreadContext first = rig.context(consumer(0));
    const ThreadContext signaller = rig.context(producer(0));
    {
        MutexLocker locker(mutex, first);
        QCOMPARE(condition.wait(locker, { .deadline = after(5ms) }), WaitResult::TimedOut);
    }
    // A second thread waits without a timeout; the one signal must be its.
    std::atomic<int> result { -1 };
    RigThread second(
        rig, [&] { condition.poke(); },
        [&] {
            const ThreadContext ctx = rig.context(consumer(1));
            MutexLocker locker(mutex, ctx);
            result = int(condition.wait(locker));
        });
    QVERIFY(waitUntilBlocked(rig, consumer(1), condition.id()));
    {
        MutexLocker locker(mutex, signaller);
        condition.signal(signaller);
    }
    QVERIFY(second.finish());
    QCOMPARE(WaitResult(result.load()), WaitResult::Granted);
    // And the first, waiting again, finds no signal left over for it.
    MutexLocker locker(mutex, first);
    QCOMPARE(condition.wait(locker, { .deadline = after(5ms) }), WaitResult::TimedOut);
}

void TestReferenceQtbase::qtbase_timedOutAcquirerNeverStealsALaterPermit()
{
    ReferenceRig rig;
    Semaphore semaphore(0, 0);
    const ThreadContext first = rig.context(consumer(0));
    const ThreadContext releaser = rig.context(producer(0));
    QCOMPARE(semaphore.acquire(first, { .deadline = after(5ms) }), WaitResult::TimedOut);
    std::atomic<int> result { -1 };
    RigThread second(
        rig, [&] { semaphore.poke(); },
        [&] { result = int(semaphore.acquire(rig.context(consumer(1)))); });
    QVERIFY(waitUntilBlocked(rig, consumer(1), semaphore.id()));
    semaphore.release(releaser);
    QVERIFY(second.finish());
    QCOMPARE(WaitResult(result.load()), WaitResult::Granted);
    QCOMPARE(semaphore.value(), std::int64_t(0));
    QCOMPARE(semaphore.acquire(first, { .deadline = after(5ms) }), WaitResult::TimedOut);
}

void TestReferenceQtbase::qtbase_timedAcquireRacingReleaseNeitherLosesNorDoublesThePermit()
{
    // The release lands anywhere around the acquirer's deadline, so some rounds grant and
    // some time out: either way the permit is in exactly one place afterwards.
    ReferenceRig rig;
    const ThreadContext acquirer = rig.context(consumer(0));
    const ThreadContext releaser = rig.context(producer(0));
    const int rounds = int(scaled(1000));
    int granted = 0;
    int timedOut = 0;
    for (int round = 0; round < rounds; ++round) {
        Semaphore semaphore(0, 0);
        const auto deadline = after(std::chrono::microseconds(round % 50));
        std::atomic<int> result { -1 };
        {
            RigThread t(
                rig, [&] { semaphore.poke(); },
                [&] { result = int(semaphore.acquire(acquirer, { .deadline = deadline })); });
            std::this_thread::sleep_for(std::chrono::microseconds((round * 7) % 60));
            semaphore.release(releaser);
            QVERIFY(t.finish());
        }
        const auto r = WaitResult(result.load());
        QVERIFY(r == WaitResult::Granted || r == WaitResult::TimedOut);
        const std::int64_t left = semaphore.value();
        if (r == WaitResult::Granted) {
            ++granted;
            QCOMPARE(left, std::int64_t(0));
        } else {
            ++timedOut;
            QCOMPARE(left, std::int64_t(1));
        }
    }
    QCOMPARE(granted + timedOut, rounds);
    qInfo("%d rounds granted, %d timed out with the permit left", granted, timedOut);
}

void TestReferenceQtbase::qtbase_wakeWithNoWaiterIsNotKept()
{
    ReferenceRig rig;
    Mutex mutex(0);
    CondVar condition(1);
    const ThreadContext ctx = rig.context(consumer(0));
    {
        MutexLocker locker(mutex, ctx);
        condition.signal(ctx);
        condition.broadcast(ctx);
    }
    // Neither the wakeOne nor the wakeAll is remembered for a wait that starts later.
    MutexLocker locker(mutex, ctx);
    QCOMPARE(condition.wait(locker, { .deadline = after(20ms) }), WaitResult::TimedOut);
}

void TestReferenceQtbase::qtbase_wakeOneWakesExactlyOneOfManyWaiters()
{
    // As tst_QWaitCondition::wakeOne: each wakeOne releases one waiter, never more, and the
    // longest waiter first (pcviz's wait queue is FIFO).
    constexpr int Waiters = 6;
    ReferenceRig rig;
    Mutex mutex(0);
    CondVar condition(1);
    const ThreadContext signaller = rig.context(producer(0));
    std::atomic<int> woken { 0 };
    std::array<std::atomic<int>, Waiters> order {};
    std::deque<RigThread> threads;
    for (int i = 0; i < Waiters; ++i) {
        threads.emplace_back(
            rig, [&] { condition.poke(); },
            [&, i] {
                const ThreadContext ctx = rig.context(consumer(i));
                MutexLocker locker(mutex, ctx);
                if (condition.wait(locker) == WaitResult::Granted)
                    order[std::size_t(i)] = woken.fetch_add(1) + 1;
            });
        // Each waits before the next starts, so the queue order is known.
        QVERIFY(waitUntilBlocked(rig, consumer(i), condition.id()));
    }
    for (int k = 1; k <= Waiters; ++k) {
        {
            MutexLocker locker(mutex, signaller);
            condition.signal(signaller);
        }
        QTRY_COMPARE_WITH_TIMEOUT(woken.load(), k, 30000);
        QVERIFY(threads[std::size_t(k - 1)].finish());
        QCOMPARE(order[std::size_t(k - 1)].load(), k);
        // No other waiter left the queue with it.
        for (int i = k; i < Waiters; ++i)
            QCOMPARE(order[std::size_t(i)].load(), 0);
    }
}

QTEST_GUILESS_MAIN(TestReferenceQtbase)
#include "tst_reference_qtbase.moc"
