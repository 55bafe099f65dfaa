// SPDX-License-Identifier: GPL-3.0-or-later
// The instrumented primitives on their own: stop frees every kind of waiter, even one whose
// mutex is never released, and a wake-up with no waiter is not kept. The gate's watch tells
// threads that stay blocked from threads that block again between looks.

#include "blockedwatch.h"
#include "eventdrain.h"
#include "sync/condvar.h"
#include "sync/mutex.h"
#include "sync/semaphore.h"
#include "sync/wakeword.h"

#include <QTest>

#include <algorithm>

#include <atomic>
#include <thread>

using namespace pcviz;

namespace {
struct Rig {
    EventLog log { 1 << 16 };
    Gate gate;
    std::atomic<bool> stop { false };
    ThreadContext context(ThreadRef ref) { return ThreadContext { ref, &log, &gate, &stop }; }

    // Waits until thread has recorded kind: the other thread is then really blocked (or about
    // to be), without guessing with a sleep.
    bool sawEvent(ThreadRef thread, EventKind kind)
    {
        drain.drain([this](const Event& e) { seen.push_back(e); });
        return std::any_of(seen.begin(), seen.end(),
            [&](const Event& e) { return e.thread == thread && e.kind == kind; });
    }
    EventDrain drain { log };
    std::vector<Event> seen;
};
const ThreadRef Holder { Role::Producer, 0 };
const ThreadRef WaitingThread { Role::Consumer, 0 };
} // namespace

class TestSync : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stopFreesAThreadWaitingForAMutexThatIsNeverReleased();
    void unlockHandsTheMutexToAParkedThread();
    void stopFreesSemaphoreAndConditionWaiters();
    void signalWithNoWaiterIsNotKept();
    void releaseHandsThePermitToTheLongestWaiter();
    void pausedGateLetsAPermittedThreadTakeOneAction();
    void aThreadThatBlockedAgainBetweenLooksIsNotCountedStuck();
    void wakeWordWakesSleepersAndNeverSleepsOnAStaleCount();
};

void TestSync::stopFreesAThreadWaitingForAMutexThatIsNeverReleased()
{
    Rig rig;
    Mutex mutex(0);
    const ThreadContext holder = rig.context(Holder);
    const ThreadContext waiter = rig.context(WaitingThread);
    QVERIFY(mutex.lock(holder));
    std::atomic<int> result { -1 };
    std::thread t([&] { result = mutex.lock(waiter) ? 1 : 0; });
    QTRY_VERIFY_WITH_TIMEOUT(rig.sawEvent(WaitingThread, EventKind::LockWait), 5000);
    rig.stop = true;
    // The poke may come before or after the waiter parks; either way it must leave.
    mutex.poke();
    t.join();
    QCOMPARE(result.load(), 0);
    QVERIFY(mutex.owner() == Holder);
}

void TestSync::unlockHandsTheMutexToAParkedThread()
{
    Rig rig;
    Mutex mutex(0);
    const ThreadContext holder = rig.context(Holder);
    const ThreadContext waiter = rig.context(WaitingThread);
    QVERIFY(mutex.lock(holder));
    std::atomic<int> result { -1 };
    std::thread t([&] {
        result = mutex.lock(waiter) ? 1 : 0;
        mutex.unlock(waiter);
    });
    QTRY_VERIFY_WITH_TIMEOUT(rig.sawEvent(WaitingThread, EventKind::LockWait), 5000);
    mutex.poke(); // a poke without stop is harmless: the waiter parks again
    mutex.unlock(holder);
    t.join();
    QCOMPARE(result.load(), 1);
}

void TestSync::stopFreesSemaphoreAndConditionWaiters()
{
    Rig rig;
    Semaphore semaphore(1, 0);
    CondVar condition(2);
    Mutex mutex(0);
    const ThreadContext a = rig.context(WaitingThread);
    const ThreadContext b = rig.context(Holder);
    std::atomic<int> semaphoreResult { -1 };
    std::atomic<int> conditionResult { -1 };
    std::thread t1([&] { semaphoreResult = int(semaphore.acquire(a)); });
    std::thread t2([&] {
        MutexLocker lock(mutex, b);
        conditionResult = int(condition.wait(lock));
    });
    QTRY_VERIFY_WITH_TIMEOUT(rig.sawEvent(WaitingThread, EventKind::SemWait), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(rig.sawEvent(Holder, EventKind::CondWait), 5000);
    rig.stop = true;
    semaphore.poke();
    condition.poke();
    t1.join();
    t2.join();
    QCOMPARE(semaphoreResult.load(), int(WaitResult::Cancelled));
    QCOMPARE(conditionResult.load(), int(WaitResult::Cancelled));
    QVERIFY(rig.sawEvent(WaitingThread, EventKind::Cancel));
    QVERIFY(rig.sawEvent(Holder, EventKind::Cancel));
}

void TestSync::signalWithNoWaiterIsNotKept()
{
    Rig rig;
    CondVar condition(1);
    Mutex mutex(0);
    const ThreadContext ctx = rig.context(Holder);
    condition.signal(ctx);
    MutexLocker lock(mutex, ctx);
    const WaitResult result = condition.wait(
        lock, { .deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(50) });
    QCOMPARE(int(result), int(WaitResult::TimedOut));
    QVERIFY(lock.owns());
}

void TestSync::releaseHandsThePermitToTheLongestWaiter()
{
    Rig rig;
    Semaphore semaphore(0, 0);
    const ThreadRef first { Role::Consumer, 1 };
    const ThreadRef second { Role::Consumer, 2 };
    const ThreadContext c1 = rig.context(first);
    const ThreadContext c2 = rig.context(second);
    const ThreadContext releaser = rig.context(Holder);
    std::atomic<int> order { 0 };
    std::atomic<int> firstGot { 0 }, secondGot { 0 };
    std::thread t1([&] {
        semaphore.acquire(c1);
        firstGot = ++order;
    });
    QTRY_VERIFY_WITH_TIMEOUT(rig.sawEvent(first, EventKind::SemWait), 5000);
    std::thread t2([&] {
        semaphore.acquire(c2);
        secondGot = ++order;
    });
    QTRY_VERIFY_WITH_TIMEOUT(rig.sawEvent(second, EventKind::SemWait), 5000);
    semaphore.release(releaser);
    t1.join();
    QCOMPARE(firstGot.load(), 1);
    QCOMPARE(secondGot.load(), 0);
    QCOMPARE(semaphore.value(), 0);
    semaphore.release(releaser);
    t2.join();
    QCOMPARE(secondGot.load(), 2);
}

void TestSync::pausedGateLetsAPermittedThreadTakeOneAction()
{
    Gate gate;
    gate.pause();
    std::atomic<int> passed { 0 };
    const ThreadRef worker { Role::Producer, 0 };
    std::thread t([&] {
        gate.pass(worker, GateAction::Lock);
        ++passed;
        gate.pass(worker, GateAction::Put);
        ++passed;
    });
    QTRY_COMPARE_WITH_TIMEOUT(gate.parked().size(), std::size_t(1), 5000);
    QCOMPARE(gate.parked().front().next, GateAction::Lock);
    QCOMPARE(passed.load(), 0);
    QVERIFY(!gate.permit({ Role::Consumer, 0 })); // not parked here
    QVERIFY(gate.permit(worker));
    // One action, then parked again before the next.
    QTRY_VERIFY_WITH_TIMEOUT(passed.load() == 1 && gate.parked().size() == 1
            && gate.parked().front().next == GateAction::Put,
        5000);
    gate.resume();
    t.join();
    QCOMPARE(passed.load(), 2);
}

void TestSync::aThreadThatBlockedAgainBetweenLooksIsNotCountedStuck()
{
    // A run without events finds its deadlocks by looking at the gate. Threads that hand work
    // to each other flat out are both blocked at many an instant: one waits, the other was
    // woken a moment ago and is not yet on a core. Looks must not count that as a stall.
    Rig rig;
    Mutex mutex(0);
    CondVar first(1), second(2);
    const ThreadRef a { Role::Consumer, 1 };
    const ThreadRef b { Role::Consumer, 2 };
    const ThreadContext ca = rig.context(a);
    const ThreadContext cb = rig.context(b);
    const ThreadContext signaller = rig.context({ Role::Main, 0 });
    std::thread ta([&] {
        MutexLocker lock(mutex, ca);
        first.wait(lock);
        first.wait(lock); // blocks again: the stop below ends it
    });
    std::thread tb([&] {
        MutexLocker lock(mutex, cb);
        second.wait(lock);
    });
    const auto blockedThreads = [&rig] {
        const std::vector<Gate::ThreadState> threads = rig.gate.threads();
        return std::count_if(threads.begin(), threads.end(),
            [](const Gate::ThreadState& t) { return t.state == Gate::State::Blocked; });
    };
    const auto condWaitsOf = [&rig](ThreadRef thread) {
        rig.sawEvent(thread, EventKind::CondWait);
        return std::count_if(rig.seen.begin(), rig.seen.end(),
            [&](const Event& e) { return e.thread == thread && e.kind == EventKind::CondWait; });
    };
    QTRY_COMPARE_WITH_TIMEOUT(blockedThreads(), 2, 5000);

    BlockedWatch watch({ { 0, QStringLiteral("mutex"), ObjectType::Mutex },
        { 1, QStringLiteral("first"), ObjectType::CondVar },
        { 2, QStringLiteral("second"), ObjectType::CondVar } });
    QCOMPARE(watch.look(rig.gate), 1);
    QCOMPARE(watch.look(rig.gate), 2);
    // a is enqueued, so a signal without the mutex reaches it.
    first.signal(signaller);
    QTRY_COMPARE_WITH_TIMEOUT(condWaitsOf(a), 2, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(blockedThreads(), 2, 5000);
    // Blocked at every look, but a moved in between: the count starts again.
    QCOMPARE(watch.look(rig.gate), 1);
    // Now nobody moves: a real stall keeps counting.
    QCOMPARE(watch.look(rig.gate), 2);
    QCOMPARE(watch.look(rig.gate), 3);

    rig.stop = true;
    first.poke();
    second.poke();
    mutex.poke();
    ta.join();
    tb.join();
    QCOMPARE(watch.look(rig.gate), 0);
}

void TestSync::wakeWordWakesSleepersAndNeverSleepsOnAStaleCount()
{
    WakeWord word;
    // A wake-up counted after the count was read: the sleep returns at once (a sleep here
    // would never end, and the test would time out).
    const std::uint32_t stale = word.load();
    word.wakeOne();
    QVERIFY(word.load() != stale);
    word.sleepUnless(stale);

    // Two sleepers read the count before they start, so wherever they are when the wake-up
    // comes (not yet asleep, yielding, or in the kernel), it reaches them.
    const std::uint32_t seen = word.load();
    std::atomic<int> awake { 0 };
    const auto sleeper = [&] {
        word.sleepUnless(seen);
        while (word.load() == seen) // a spurious return sleeps again, as the mutex does
            word.sleepUnless(seen);
        ++awake;
    };
    std::thread first(sleeper);
    std::thread second(sleeper);
    word.wakeAll();
    first.join();
    second.join();
    QCOMPARE(awake.load(), 2);

    // wakeOne: one sleeper per wake-up.
    const std::uint32_t before = word.load();
    std::thread third([&] {
        while (word.load() == before)
            word.sleepUnless(before);
        ++awake;
    });
    word.wakeOne();
    third.join();
    QCOMPARE(awake.load(), 3);
}

QTEST_GUILESS_MAIN(TestSync)
#include "tst_sync.moc"
