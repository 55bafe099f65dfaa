// SPDX-License-Identifier: GPL-3.0-or-later
// PyQueueStrategy against the documented behaviour of CPython's queue.Queue: FIFO order,
// maxsize <= 0 unbounded, queue.Full / queue.Empty for non-blocking and timed calls, ValueError
// (InvalidTimeout, TooManyTaskDone) where CPython raises it, task_done() and join(); plus
// pcviz's own stop and leave, which end a blocked call instead of hanging a run.

#include "eventdrain.h"
#include "eventlog.h"
#include "gate.h"
#include "strategies/pyqueuestrategy.h"
#include "threadcontext.h"

#include <QTest>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <thread>
#include <vector>

namespace pcviz {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

// Found by argument-dependent lookup, so failed QCOMPAREs print names, not numbers.
char* toString(OpStatus status)
{
    switch (status) {
    case OpStatus::Ok:
        return qstrdup("Ok");
    case OpStatus::Full:
        return qstrdup("Full");
    case OpStatus::Empty:
        return qstrdup("Empty");
    case OpStatus::Closed:
        return qstrdup("Closed");
    case OpStatus::Stopped:
        return qstrdup("Stopped");
    case OpStatus::InvalidTimeout:
        return qstrdup("InvalidTimeout");
    case OpStatus::TooManyTaskDone:
        return qstrdup("TooManyTaskDone");
    }
    return qstrdup("(unknown OpStatus)");
}

namespace {

// A sanity limit, not a performance claim: a call that should end at once (or at its
// timeout) and takes longer than this is hung, whatever the machine's load.
constexpr auto Sanity = 5s;
// How long the test waits for a worker to reach a state (blocked, finished) before failing.
constexpr int PatienceMs = 10000;

Item item(std::int64_t value, std::uint32_t producer = 0)
{
    return { makeItemId(producer, std::uint32_t(value)), value };
}

std::uint8_t objectNamed(const Strategy& strategy, const char* name)
{
    for (const ObjectInfo& info : strategy.objects()) {
        if (info.name == QLatin1String(name))
            return info.id;
    }
    return NoObject;
}

double secondsSince(SteadyClock::time_point start)
{
    return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

/// One queue with its log and gate, and a context for the test's own (main) thread.
struct Rig {
    explicit Rig(int maxsize, std::size_t logCapacity = std::size_t(1) << 16)
        : log(logCapacity)
        , queue(maxsize)
    {
    }

    ThreadContext context(ThreadRef who, const std::atomic<bool>* leave = nullptr)
    {
        return { who, &log, &gate, &stop, leave };
    }

    /// Drains what can be placed so far into history; returns how many.
    std::size_t catchUp()
    {
        return drain.drain([this](const Event& e) { history.push_back(e); });
    }
    /// Where the next event will be in history: everything recorded so far comes before it.
    std::uint64_t position()
    {
        eventsSinceEnd();
        return history.size();
    }
    void eventsSinceEnd();

    EventLog log { std::size_t(1) << 16 };
    EventDrain drain { log };
    std::vector<Event> history;
    Gate gate; // never paused here
    std::atomic<bool> stop { false }; // the workers' stop
    // The main thread has a stop of its own, so it can still inspect the queue after the
    // workers were stopped.
    std::atomic<bool> mainStop { false };
    PyQueueStrategy queue;
    ThreadContext main { { Role::Main, 0 }, &log, &gate, &mainStop, nullptr };
    const std::uint8_t notEmpty = objectNamed(queue, "not_empty");
    const std::uint8_t notFull = objectNamed(queue, "not_full");
    const std::uint8_t allTasksDone = objectNamed(queue, "all_tasks_done");
};

/// A worker thread that cannot outlive the test function, however it ends: a failed check
/// stops it and wakes it, and a thread still stuck after that ends the run with a message
/// instead of hanging it (or of std::terminate on a joinable std::thread).
class Worker {
public:
    Worker(Rig& rig, std::function<void()> body)
        : m_rig(rig)
        , m_thread([this, body = std::move(body)] {
            body();
            m_finished.store(true);
        })
    {
    }
    ~Worker()
    {
        if (!m_thread.joinable())
            return;
        m_rig.stop.store(true);
        const auto giveUp = SteadyClock::now() + std::chrono::milliseconds(PatienceMs);
        while (!m_finished.load()) {
            m_rig.queue.wakeAll();
            if (SteadyClock::now() > giveUp)
                qFatal("a worker is still blocked in the queue after stop and wakeAll");
            std::this_thread::sleep_for(1ms);
        }
        m_thread.join();
    }
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    /// Joins the thread once its body has returned; false when it does not return in time
    /// (a lost wake-up, say), leaving the thread to the destructor.
    bool finish()
    {
        const auto giveUp = SteadyClock::now() + std::chrono::milliseconds(PatienceMs);
        while (!m_finished.load()) {
            if (SteadyClock::now() > giveUp)
                return false;
            std::this_thread::sleep_for(1ms);
        }
        m_thread.join();
        return true;
    }

private:
    Rig& m_rig;
    std::atomic<bool> m_finished { false };
    std::thread m_thread;
};

/// The rig's history from position `from` on, once the drain has placed everything recorded so
/// far (the workers are parked, blocked or gone when the tests look).
std::vector<Event> eventsSince(Rig& rig, std::uint64_t from = 0, std::uint64_t* skipped = nullptr)
{
    const auto giveUp = SteadyClock::now() + std::chrono::milliseconds(PatienceMs);
    rig.catchUp();
    while (!rig.drain.caughtUp() && SteadyClock::now() < giveUp) {
        std::this_thread::sleep_for(1ms);
        rig.catchUp();
    }
    if (skipped)
        *skipped = rig.drain.skipped();
    from = std::min<std::uint64_t>(from, rig.history.size());
    return { rig.history.begin() + std::ptrdiff_t(from), rig.history.end() };
}

void Rig::eventsSinceEnd()
{
    eventsSince(*this, history.size());
}

std::vector<Event> ofKind(
    const std::vector<Event>& events, EventKind kind, std::optional<ThreadRef> who = std::nullopt)
{
    std::vector<Event> out;
    std::copy_if(events.begin(), events.end(), std::back_inserter(out),
        [&](const Event& e) { return e.kind == kind && (!who || e.thread == *who); });
    return out;
}

/// Polls the log until `who` records `kind` (on `object`, when given): how the test knows a
/// worker has really blocked, without guessing with a sleep.
/// Polls the log until `who` records `kind` (on `object`, when given): how the test knows a
/// worker has really blocked, without guessing with a sleep.
std::optional<Event> awaitEvent(
    Rig& rig, ThreadRef who, EventKind kind, std::uint8_t object = NoObject, std::uint64_t from = 0)
{
    const auto giveUp = SteadyClock::now() + std::chrono::milliseconds(PatienceMs);
    for (std::size_t i = std::size_t(from);; ++i) {
        while (i >= rig.history.size()) {
            if (rig.catchUp() == 0) {
                if (SteadyClock::now() > giveUp)
                    return std::nullopt;
                std::this_thread::sleep_for(1ms);
            }
        }
        const Event& e = rig.history[i];
        if (e.thread == who && e.kind == kind && (object == NoObject || e.object == object))
            return e;
    }
}

/// What a worker blocks in, for the stop rows.
enum class BlockedIn { Get, TimedGet, Put, TimedPut, Join };

} // namespace

class TstPyQueue : public QObject {
    Q_OBJECT

    // pcviz_core defines QT_NO_KEYWORDS publicly, so `slots` is spelt Q_SLOTS.
private Q_SLOTS:
    void getReturnsItemsInFifoOrder_data();
    void getReturnsItemsInFifoOrder();
    void fifoOrderSurvivesRingWrapAroundAndGrowth_data();
    void fifoOrderSurvivesRingWrapAroundAndGrowth();
    void unboundedQueueNeverBlocksNorReportsFull_data();
    void unboundedQueueNeverBlocksNorReportsFull();
    void putNonBlockingOnFullQueueFailsWithFullAndInsertsNothing_data();
    void putNonBlockingOnFullQueueFailsWithFullAndInsertsNothing();
    void getNonBlockingOnEmptyQueueFailsWithEmpty_data();
    void getNonBlockingOnEmptyQueueFailsWithEmpty();
    void nonBlockingCallsIgnoreTheTimeout_data();
    void nonBlockingCallsIgnoreTheTimeout();
    void timedPutOnFullQueueFailsWithFullNoEarlierThanTimeout_data();
    void timedPutOnFullQueueFailsWithFullNoEarlierThanTimeout();
    void timedGetOnEmptyQueueFailsWithEmptyNoEarlierThanTimeout_data();
    void timedGetOnEmptyQueueFailsWithEmptyNoEarlierThanTimeout();
    void zeroTimeoutBehavesLikeNonBlockingCall_data();
    void zeroTimeoutBehavesLikeNonBlockingCall();
    void negativeTimeoutOnBlockingCallIsInvalidTimeout_data();
    void negativeTimeoutOnBlockingCallIsInvalidTimeout();
    void negativeTimeoutPutOnUnboundedQueueSucceeds_data();
    void negativeTimeoutPutOnUnboundedQueueSucceeds();
    void blockingGetWakesWhenAnotherThreadPuts_data();
    void blockingGetWakesWhenAnotherThreadPuts();
    void blockingPutOnFullQueueResumesWhenGetMakesRoom_data();
    void blockingPutOnFullQueueResumesWhenGetMakesRoom();
    void timedGetReturnsItemPutBeforeItsDeadline_data();
    void timedGetReturnsItemPutBeforeItsDeadline();
    void unfinishedTasksCountsPutsMinusTaskDones_data();
    void unfinishedTasksCountsPutsMinusTaskDones();
    void taskDoneBeyondPutsFailsWithTooManyTaskDoneAndKeepsCountAtZero_data();
    void taskDoneBeyondPutsFailsWithTooManyTaskDoneAndKeepsCountAtZero();
    void joinReturnsAtOnceWhenNoTaskIsUnfinished_data();
    void joinReturnsAtOnceWhenNoTaskIsUnfinished();
    void joinBlocksUntilLastTaskDone_data();
    void joinBlocksUntilLastTaskDone();
    void manyThreadsMoveEveryItemExactlyOnceInFifoOrder_data();
    void manyThreadsMoveEveryItemExactlyOnceInFifoOrder();
    void stopEndsBlockedCallWithStopped_data();
    void stopEndsBlockedCallWithStopped();
    void leaveEndsBlockingGetOnEmptyQueueWithClosed_data();
    void leaveEndsBlockingGetOnEmptyQueueWithClosed();
    void leavingConsumerStillGetsAvailableItem_data();
    void leavingConsumerStillGetsAvailableItem();
};

void TstPyQueue::getReturnsItemsInFifoOrder_data()
{
    QTest::addColumn<int>("maxsize");
    QTest::addColumn<int>("count");
    QTest::newRow("maxsize 1") << 1 << 1;
    QTest::newRow("bounded, filled exactly") << 64 << 64;
    QTest::newRow("unbounded, a few") << 0 << 10;
    QTest::newRow("unbounded, growing many times") << 0 << 1000;
}

void TstPyQueue::getReturnsItemsInFifoOrder()
{
    QFETCH(int, maxsize);
    QFETCH(int, count);
    Rig rig(maxsize);

    for (int i = 0; i < count; ++i)
        QCOMPARE(rig.queue.put(rig.main, item(i)), OpStatus::Ok);
    QCOMPARE(rig.queue.qsize(rig.main), count);
    QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(count));
    for (int i = 0; i < count; ++i) {
        Item out;
        QCOMPARE(rig.queue.get(rig.main, out), OpStatus::Ok);
        QCOMPARE(out.value, std::int64_t(i));
        QCOMPARE(out.id, item(i).id);
    }
    QCOMPARE(rig.queue.qsize(rig.main), 0);

    // The recorded history tells the same story: puts count up, gets hand values back in order.
    std::uint64_t skipped = 0;
    const std::vector<Event> events = eventsSince(rig, 0, &skipped);
    QCOMPARE(skipped, std::uint64_t(0));
    const std::vector<Event> puts = ofKind(events, EventKind::Put);
    const std::vector<Event> gets = ofKind(events, EventKind::Get);
    QCOMPARE(puts.size(), std::size_t(count));
    QCOMPARE(gets.size(), std::size_t(count));
    for (int i = 0; i < count; ++i) {
        QCOMPARE(puts[std::size_t(i)].value, std::int64_t(i));
        QCOMPARE(puts[std::size_t(i)].count, i + 1);
        QCOMPARE(gets[std::size_t(i)].value, std::int64_t(i));
        QCOMPARE(gets[std::size_t(i)].count, count - 1 - i);
    }
}

void TstPyQueue::fifoOrderSurvivesRingWrapAroundAndGrowth_data()
{
    QTest::addColumn<int>("maxsize");
    QTest::addColumn<int>("putsPerRound");
    QTest::addColumn<int>("getsPerRound");
    QTest::addColumn<int>("rounds");
    QTest::newRow("bounded, wraps many times") << 5 << 3 << 3 << 40;
    QTest::newRow("bounded, full every round") << 4 << 4 << 4 << 30;
    QTest::newRow("unbounded, grows while wrapped") << 0 << 3 << 2 << 100;
}

void TstPyQueue::fifoOrderSurvivesRingWrapAroundAndGrowth()
{
    QFETCH(int, maxsize);
    QFETCH(int, putsPerRound);
    QFETCH(int, getsPerRound);
    QFETCH(int, rounds);
    Rig rig(maxsize);

    std::int64_t next = 0;
    std::vector<std::int64_t> got;
    for (int r = 0; r < rounds; ++r) {
        for (int i = 0; i < putsPerRound; ++i)
            QCOMPARE(rig.queue.put(rig.main, item(next++), false, std::nullopt), OpStatus::Ok);
        for (int i = 0; i < getsPerRound; ++i) {
            Item out;
            QCOMPARE(rig.queue.get(rig.main, out, false, std::nullopt), OpStatus::Ok);
            got.push_back(out.value);
        }
    }
    for (Item out; rig.queue.get(rig.main, out, false, std::nullopt) == OpStatus::Ok;)
        got.push_back(out.value);

    QCOMPARE(std::int64_t(got.size()), next);
    for (std::size_t i = 0; i < got.size(); ++i)
        QCOMPARE(got[i], std::int64_t(i));
}

void TstPyQueue::unboundedQueueNeverBlocksNorReportsFull_data()
{
    QTest::addColumn<int>("maxsize");
    QTest::newRow("maxsize 0") << 0;
    QTest::newRow("maxsize -1") << -1;
    QTest::newRow("maxsize -1000") << -1000;
}

void TstPyQueue::unboundedQueueNeverBlocksNorReportsFull()
{
    QFETCH(int, maxsize);
    constexpr int Blocking = 5000;
    constexpr int NonBlocking = 5000;
    constexpr int ZeroTimeout = 100;
    constexpr int Total = Blocking + NonBlocking + ZeroTimeout;
    Rig rig(maxsize, std::size_t(1) << 17);
    const ThreadRef producer { Role::Producer, 0 };

    // On a worker, so a put that does block fails the test instead of hanging it.
    std::map<OpStatus, int> statuses;
    Worker worker(rig, [&] {
        const ThreadContext ctx = rig.context(producer);
        std::int64_t v = 0;
        for (int i = 0; i < Blocking; ++i, ++v)
            ++statuses[rig.queue.put(ctx, item(v))];
        for (int i = 0; i < NonBlocking; ++i, ++v)
            ++statuses[rig.queue.put(ctx, item(v), false, std::nullopt)];
        for (int i = 0; i < ZeroTimeout; ++i, ++v)
            ++statuses[rig.queue.put(ctx, item(v), true, 0.0)];
    });
    QVERIFY(worker.finish());

    QCOMPARE(statuses[OpStatus::Ok], Total);
    QCOMPARE(rig.queue.qsize(rig.main), Total);
    std::uint64_t skipped = 0;
    const std::vector<Event> events = eventsSince(rig, 0, &skipped);
    QCOMPARE(skipped, std::uint64_t(0));
    QVERIFY(ofKind(events, EventKind::PutWait).empty());
    QVERIFY(ofKind(events, EventKind::CondWait).empty());
    QCOMPARE(ofKind(events, EventKind::Put).size(), std::size_t(Total));
}

void TstPyQueue::putNonBlockingOnFullQueueFailsWithFullAndInsertsNothing_data()
{
    QTest::addColumn<int>("maxsize");
    QTest::newRow("maxsize 1") << 1;
    QTest::newRow("maxsize 3") << 3;
    QTest::newRow("maxsize 8") << 8;
}

void TstPyQueue::putNonBlockingOnFullQueueFailsWithFullAndInsertsNothing()
{
    QFETCH(int, maxsize);
    Rig rig(maxsize);
    for (int i = 0; i < maxsize; ++i)
        QCOMPARE(rig.queue.put(rig.main, item(i), false, std::nullopt), OpStatus::Ok);

    const std::uint64_t before = rig.position();
    const Item rejected = item(1000);
    QCOMPARE(rig.queue.put(rig.main, rejected, false, std::nullopt), OpStatus::Full);
    QCOMPARE(rig.queue.qsize(rig.main), maxsize);
    QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(maxsize));
    const std::vector<Event> events = eventsSince(rig, before);
    QVERIFY(ofKind(events, EventKind::Put).empty());
    QVERIFY(ofKind(events, EventKind::PutWait).empty());

    for (int i = 0; i < maxsize; ++i) {
        Item out;
        QCOMPARE(rig.queue.get(rig.main, out, false, std::nullopt), OpStatus::Ok);
        QCOMPARE(out.value, std::int64_t(i));
    }
    Item out;
    QCOMPARE(rig.queue.get(rig.main, out, false, std::nullopt), OpStatus::Empty);
}

void TstPyQueue::getNonBlockingOnEmptyQueueFailsWithEmpty_data()
{
    QTest::addColumn<int>("maxsize");
    QTest::addColumn<int>("drained"); // items put and taken out again before the get
    QTest::newRow("unbounded, never used") << 0 << 0;
    QTest::newRow("unbounded, drained") << 0 << 20;
    QTest::newRow("maxsize 1, never used") << 1 << 0;
    QTest::newRow("maxsize 4, drained") << 4 << 4;
}

void TstPyQueue::getNonBlockingOnEmptyQueueFailsWithEmpty()
{
    QFETCH(int, maxsize);
    QFETCH(int, drained);
    Rig rig(maxsize);
    for (int i = 0; i < drained; ++i)
        QCOMPARE(rig.queue.put(rig.main, item(i)), OpStatus::Ok);
    for (int i = 0; i < drained; ++i) {
        Item out;
        QCOMPARE(rig.queue.get(rig.main, out), OpStatus::Ok);
    }

    const std::uint64_t before = rig.position();
    Item out;
    QCOMPARE(rig.queue.get(rig.main, out, false, std::nullopt), OpStatus::Empty);
    QCOMPARE(rig.queue.qsize(rig.main), 0);
    const std::vector<Event> events = eventsSince(rig, before);
    QVERIFY(ofKind(events, EventKind::Get).empty());
    QVERIFY(ofKind(events, EventKind::GetWait).empty());
}

void TstPyQueue::nonBlockingCallsIgnoreTheTimeout_data()
{
    // CPython looks at timeout only when block is true: q.put(x, False, -1) raises Full (or
    // succeeds), never ValueError; the same for get.
    QTest::addColumn<bool>("isPut");
    QTest::addColumn<int>("maxsize");
    QTest::addColumn<int>("prefill");
    QTest::addColumn<double>("timeout");
    QTest::addColumn<OpStatus>("expected");
    QTest::addColumn<int>("qsizeAfter");
    QTest::newRow("put, full, negative timeout") << true << 2 << 2 << -1.0 << OpStatus::Full << 2;
    QTest::newRow("put, room, negative timeout") << true << 2 << 1 << -1.0 << OpStatus::Ok << 2;
    QTest::newRow("put, full, long timeout") << true << 2 << 2 << 60.0 << OpStatus::Full << 2;
    QTest::newRow("get, empty, negative timeout")
        << false << 2 << 0 << -1.0 << OpStatus::Empty << 0;
    QTest::newRow("get, items, negative timeout") << false << 0 << 2 << -1.0 << OpStatus::Ok << 1;
    QTest::newRow("get, empty, long timeout") << false << 0 << 0 << 60.0 << OpStatus::Empty << 0;
}

void TstPyQueue::nonBlockingCallsIgnoreTheTimeout()
{
    QFETCH(bool, isPut);
    QFETCH(int, maxsize);
    QFETCH(int, prefill);
    QFETCH(double, timeout);
    QFETCH(OpStatus, expected);
    QFETCH(int, qsizeAfter);
    Rig rig(maxsize);
    for (int i = 0; i < prefill; ++i)
        QCOMPARE(rig.queue.put(rig.main, item(i)), OpStatus::Ok);

    const auto start = SteadyClock::now();
    Item out;
    const OpStatus status = isPut ? rig.queue.put(rig.main, item(100), false, timeout)
                                  : rig.queue.get(rig.main, out, false, timeout);
    QVERIFY(SteadyClock::now() - start < Sanity);
    QCOMPARE(status, expected);
    QCOMPARE(rig.queue.qsize(rig.main), qsizeAfter);
}

void TstPyQueue::timedPutOnFullQueueFailsWithFullNoEarlierThanTimeout_data()
{
    QTest::addColumn<int>("maxsize");
    QTest::addColumn<double>("timeout");
    QTest::newRow("maxsize 1, 50 ms") << 1 << 0.05;
    QTest::newRow("maxsize 1, 200 ms") << 1 << 0.2;
    QTest::newRow("maxsize 4, 50 ms") << 4 << 0.05;
    QTest::newRow("maxsize 4, 200 ms") << 4 << 0.2;
}

void TstPyQueue::timedPutOnFullQueueFailsWithFullNoEarlierThanTimeout()
{
    QFETCH(int, maxsize);
    QFETCH(double, timeout);
    Rig rig(maxsize);
    for (int i = 0; i < maxsize; ++i)
        QCOMPARE(rig.queue.put(rig.main, item(i)), OpStatus::Ok);

    const std::uint64_t before = rig.position();
    const auto start = SteadyClock::now();
    const OpStatus status = rig.queue.put(rig.main, item(100), true, timeout);
    const double elapsed = secondsSince(start);
    QCOMPARE(status, OpStatus::Full);
    QVERIFY2(elapsed >= timeout,
        qPrintable(QStringLiteral("gave up after %1 s of %2 s").arg(elapsed).arg(timeout)));
    QVERIFY(elapsed < std::chrono::duration<double>(Sanity).count());

    QCOMPARE(rig.queue.qsize(rig.main), maxsize);
    const std::vector<Event> events = eventsSince(rig, before);
    QVERIFY(ofKind(events, EventKind::Put).empty());
    QVERIFY(!ofKind(events, EventKind::PutWait).empty());
    for (int i = 0; i < maxsize; ++i) {
        Item out;
        QCOMPARE(rig.queue.get(rig.main, out, false, std::nullopt), OpStatus::Ok);
        QCOMPARE(out.value, std::int64_t(i));
    }
}

void TstPyQueue::timedGetOnEmptyQueueFailsWithEmptyNoEarlierThanTimeout_data()
{
    QTest::addColumn<int>("maxsize");
    QTest::addColumn<double>("timeout");
    QTest::newRow("unbounded, 50 ms") << 0 << 0.05;
    QTest::newRow("unbounded, 200 ms") << 0 << 0.2;
    QTest::newRow("maxsize 3, 50 ms") << 3 << 0.05;
    QTest::newRow("maxsize 3, 200 ms") << 3 << 0.2;
}

void TstPyQueue::timedGetOnEmptyQueueFailsWithEmptyNoEarlierThanTimeout()
{
    QFETCH(int, maxsize);
    QFETCH(double, timeout);
    Rig rig(maxsize);

    const std::uint64_t before = rig.position();
    const auto start = SteadyClock::now();
    Item out;
    const OpStatus status = rig.queue.get(rig.main, out, true, timeout);
    const double elapsed = secondsSince(start);
    QCOMPARE(status, OpStatus::Empty);
    QVERIFY2(elapsed >= timeout,
        qPrintable(QStringLiteral("gave up after %1 s of %2 s").arg(elapsed).arg(timeout)));
    QVERIFY(elapsed < std::chrono::duration<double>(Sanity).count());

    QCOMPARE(rig.queue.qsize(rig.main), 0);
    const std::vector<Event> events = eventsSince(rig, before);
    QVERIFY(ofKind(events, EventKind::Get).empty());
    QVERIFY(!ofKind(events, EventKind::GetWait).empty());
}

void TstPyQueue::zeroTimeoutBehavesLikeNonBlockingCall_data()
{
    QTest::addColumn<bool>("isPut");
    QTest::addColumn<int>("maxsize");
    QTest::addColumn<int>("prefill");
    QTest::addColumn<double>("timeout");
    QTest::addColumn<OpStatus>("expected");
    QTest::addColumn<int>("qsizeAfter");
    QTest::newRow("put, full, 0") << true << 2 << 2 << 0.0 << OpStatus::Full << 2;
    QTest::newRow("put, full, -0.0") << true << 2 << 2 << -0.0 << OpStatus::Full << 2;
    QTest::newRow("put, room, 0") << true << 2 << 1 << 0.0 << OpStatus::Ok << 2;
    QTest::newRow("put, unbounded, 0") << true << 0 << 5 << 0.0 << OpStatus::Ok << 6;
    QTest::newRow("get, empty, 0") << false << 2 << 0 << 0.0 << OpStatus::Empty << 0;
    QTest::newRow("get, empty, -0.0") << false << 2 << 0 << -0.0 << OpStatus::Empty << 0;
    QTest::newRow("get, empty unbounded, 0") << false << 0 << 0 << 0.0 << OpStatus::Empty << 0;
    QTest::newRow("get, items, 0") << false << 2 << 1 << 0.0 << OpStatus::Ok << 0;
}

void TstPyQueue::zeroTimeoutBehavesLikeNonBlockingCall()
{
    QFETCH(bool, isPut);
    QFETCH(int, maxsize);
    QFETCH(int, prefill);
    QFETCH(double, timeout);
    QFETCH(OpStatus, expected);
    QFETCH(int, qsizeAfter);
    Rig rig(maxsize);
    for (int i = 0; i < prefill; ++i)
        QCOMPARE(rig.queue.put(rig.main, item(i)), OpStatus::Ok);

    const std::uint64_t before = rig.position();
    const auto start = SteadyClock::now();
    Item out;
    const OpStatus status = isPut ? rig.queue.put(rig.main, item(100), true, timeout)
                                  : rig.queue.get(rig.main, out, true, timeout);
    QVERIFY(SteadyClock::now() - start < Sanity);
    QCOMPARE(status, expected);
    QCOMPARE(rig.queue.qsize(rig.main), qsizeAfter);
    if (!isPut && expected == OpStatus::Ok)
        QCOMPARE(out.value, std::int64_t(0));
    // It never waited: no wait of any kind was recorded.
    const std::vector<Event> events = eventsSince(rig, before);
    QVERIFY(ofKind(events, EventKind::PutWait).empty());
    QVERIFY(ofKind(events, EventKind::GetWait).empty());
    QVERIFY(ofKind(events, EventKind::CondWait).empty());
}

void TstPyQueue::negativeTimeoutOnBlockingCallIsInvalidTimeout_data()
{
    // CPython raises ValueError("'timeout' must be a non-negative number") before it looks at
    // the queue's contents: for get always, for put only when maxsize > 0.
    QTest::addColumn<bool>("isPut");
    QTest::addColumn<int>("maxsize");
    QTest::addColumn<int>("prefill");
    QTest::addColumn<double>("timeout");
    QTest::newRow("get, unbounded, empty") << false << 0 << 0 << -1.0;
    QTest::newRow("get, unbounded, has items") << false << 0 << 2 << -1.0;
    QTest::newRow("get, bounded, empty") << false << 3 << 0 << -1.0;
    QTest::newRow("get, bounded, has items") << false << 3 << 3 << -1.0;
    QTest::newRow("get, tiny negative") << false << 3 << 0 << -1e-9;
    QTest::newRow("put, bounded, full") << true << 2 << 2 << -1.0;
    QTest::newRow("put, bounded, room") << true << 2 << 0 << -1.0;
    QTest::newRow("put, bounded, tiny negative") << true << 2 << 1 << -1e-9;
}

void TstPyQueue::negativeTimeoutOnBlockingCallIsInvalidTimeout()
{
    QFETCH(bool, isPut);
    QFETCH(int, maxsize);
    QFETCH(int, prefill);
    QFETCH(double, timeout);
    Rig rig(maxsize);
    for (int i = 0; i < prefill; ++i)
        QCOMPARE(rig.queue.put(rig.main, item(i)), OpStatus::Ok);

    const std::uint64_t before = rig.position();
    const auto start = SteadyClock::now();
    Item out;
    const OpStatus status = isPut ? rig.queue.put(rig.main, item(100), true, timeout)
                                  : rig.queue.get(rig.main, out, true, timeout);
    QVERIFY(SteadyClock::now() - start < Sanity);
    QCOMPARE(status, OpStatus::InvalidTimeout);
    // Nothing went in or out.
    QCOMPARE(rig.queue.qsize(rig.main), prefill);
    QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(prefill));
    const std::vector<Event> events = eventsSince(rig, before);
    QVERIFY(ofKind(events, EventKind::Put).empty());
    QVERIFY(ofKind(events, EventKind::Get).empty());
}

void TstPyQueue::negativeTimeoutPutOnUnboundedQueueSucceeds_data()
{
    // CPython's put() checks the timeout only inside `if self.maxsize > 0:`.
    QTest::addColumn<int>("maxsize");
    QTest::addColumn<double>("timeout");
    QTest::newRow("maxsize 0, -1 s") << 0 << -1.0;
    QTest::newRow("maxsize 0, -1e9 s") << 0 << -1e9;
    QTest::newRow("maxsize -5, -1 s") << -5 << -1.0;
}

void TstPyQueue::negativeTimeoutPutOnUnboundedQueueSucceeds()
{
    QFETCH(int, maxsize);
    QFETCH(double, timeout);
    Rig rig(maxsize);
    QCOMPARE(rig.queue.put(rig.main, item(0)), OpStatus::Ok);

    QCOMPARE(rig.queue.put(rig.main, item(1), true, timeout), OpStatus::Ok);
    QCOMPARE(rig.queue.qsize(rig.main), 2);
    QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(2));
    Item out;
    QCOMPARE(rig.queue.get(rig.main, out, false, std::nullopt), OpStatus::Ok);
    QCOMPARE(out.value, std::int64_t(0));
    QCOMPARE(rig.queue.get(rig.main, out, false, std::nullopt), OpStatus::Ok);
    QCOMPARE(out.value, std::int64_t(1));
}

void TstPyQueue::blockingGetWakesWhenAnotherThreadPuts_data()
{
    QTest::addColumn<int>("maxsize");
    QTest::newRow("unbounded") << 0;
    QTest::newRow("maxsize 1") << 1;
    QTest::newRow("maxsize 4") << 4;
}

void TstPyQueue::blockingGetWakesWhenAnotherThreadPuts()
{
    QFETCH(int, maxsize);
    Rig rig(maxsize);
    const ThreadRef consumer { Role::Consumer, 0 };

    std::atomic<bool> returned { false };
    OpStatus status = OpStatus::Empty;
    Item got;
    Worker worker(rig, [&] {
        const ThreadContext ctx = rig.context(consumer);
        status = rig.queue.get(ctx, got);
        returned.store(true);
    });

    // Waiting on not_empty, not merely on its way there.
    QVERIFY(awaitEvent(rig, consumer, EventKind::CondWait, rig.notEmpty));
    QVERIFY(!returned.load());
    const std::uint64_t putSeq = rig.position();
    QCOMPARE(rig.queue.put(rig.main, item(42)), OpStatus::Ok);
    QVERIFY(worker.finish());

    QCOMPARE(status, OpStatus::Ok);
    QCOMPARE(got.value, std::int64_t(42));
    QCOMPARE(got.id, item(42).id);
    QCOMPARE(rig.queue.qsize(rig.main), 0);
    const std::vector<Event> gets = ofKind(eventsSince(rig, putSeq), EventKind::Get, consumer);
    QCOMPARE(gets.size(), std::size_t(1));
    QCOMPARE(gets.front().item, item(42).id);
}

void TstPyQueue::blockingPutOnFullQueueResumesWhenGetMakesRoom_data()
{
    QTest::addColumn<int>("maxsize");
    QTest::addColumn<bool>("timed"); // with a timeout far longer than the test
    QTest::newRow("maxsize 1") << 1 << false;
    QTest::newRow("maxsize 3") << 3 << false;
    QTest::newRow("maxsize 1, timed") << 1 << true;
    QTest::newRow("maxsize 3, timed") << 3 << true;
}

void TstPyQueue::blockingPutOnFullQueueResumesWhenGetMakesRoom()
{
    QFETCH(int, maxsize);
    QFETCH(bool, timed);
    Rig rig(maxsize);
    const ThreadRef producer { Role::Producer, 0 };
    for (int i = 0; i < maxsize; ++i)
        QCOMPARE(rig.queue.put(rig.main, item(i)), OpStatus::Ok);

    std::atomic<bool> returned { false };
    OpStatus status = OpStatus::Full;
    Worker worker(rig, [&] {
        const ThreadContext ctx = rig.context(producer);
        status = timed ? rig.queue.put(ctx, item(100), true, 60.0) : rig.queue.put(ctx, item(100));
        returned.store(true);
    });

    QVERIFY(awaitEvent(rig, producer, EventKind::CondWait, rig.notFull));
    QVERIFY(!returned.load());
    QCOMPARE(rig.queue.qsize(rig.main), maxsize);
    Item out;
    QCOMPARE(rig.queue.get(rig.main, out), OpStatus::Ok);
    QCOMPARE(out.value, std::int64_t(0));
    QVERIFY(worker.finish());

    QCOMPARE(status, OpStatus::Ok);
    QCOMPARE(rig.queue.qsize(rig.main), maxsize);
    for (int i = 1; i < maxsize; ++i) {
        QCOMPARE(rig.queue.get(rig.main, out, false, std::nullopt), OpStatus::Ok);
        QCOMPARE(out.value, std::int64_t(i));
    }
    QCOMPARE(rig.queue.get(rig.main, out, false, std::nullopt), OpStatus::Ok);
    QCOMPARE(out.value, std::int64_t(100));
}

void TstPyQueue::timedGetReturnsItemPutBeforeItsDeadline_data()
{
    QTest::addColumn<int>("maxsize");
    QTest::addColumn<double>("timeout");
    QTest::newRow("unbounded, 30 s") << 0 << 30.0;
    QTest::newRow("maxsize 2, 30 s") << 2 << 30.0;
    // About 31 years: valid in CPython, and far from overflowing a nanosecond deadline.
    QTest::newRow("unbounded, 1e9 s") << 0 << 1e9;
}

void TstPyQueue::timedGetReturnsItemPutBeforeItsDeadline()
{
    QFETCH(int, maxsize);
    QFETCH(double, timeout);
    Rig rig(maxsize);
    const ThreadRef consumer { Role::Consumer, 0 };

    std::atomic<bool> returned { false };
    OpStatus status = OpStatus::Empty;
    Item got;
    Worker worker(rig, [&] {
        const ThreadContext ctx = rig.context(consumer);
        status = rig.queue.get(ctx, got, true, timeout);
        returned.store(true);
    });

    QVERIFY(awaitEvent(rig, consumer, EventKind::CondWait, rig.notEmpty));
    QVERIFY(!returned.load());
    QCOMPARE(rig.queue.put(rig.main, item(7)), OpStatus::Ok);
    QVERIFY(worker.finish());

    QCOMPARE(status, OpStatus::Ok);
    QCOMPARE(got.value, std::int64_t(7));
    QCOMPARE(rig.queue.qsize(rig.main), 0);
    QVERIFY(ofKind(eventsSince(rig), EventKind::Timeout, consumer).empty());
}

void TstPyQueue::unfinishedTasksCountsPutsMinusTaskDones_data()
{
    // CPython counts puts minus task_done() calls; gets do not count, and a task_done() need
    // not follow a get.
    QTest::addColumn<int>("puts");
    QTest::addColumn<int>("gets");
    QTest::addColumn<int>("taskDones");
    QTest::newRow("nothing") << 0 << 0 << 0;
    QTest::newRow("puts only") << 5 << 0 << 0;
    QTest::newRow("gets do not finish tasks") << 5 << 5 << 0;
    QTest::newRow("some done") << 5 << 5 << 3;
    QTest::newRow("all done") << 5 << 5 << 5;
    QTest::newRow("done before got") << 5 << 2 << 5;
}

void TstPyQueue::unfinishedTasksCountsPutsMinusTaskDones()
{
    QFETCH(int, puts);
    QFETCH(int, gets);
    QFETCH(int, taskDones);
    Rig rig(0);
    for (int i = 0; i < puts; ++i) {
        QCOMPARE(rig.queue.put(rig.main, item(i)), OpStatus::Ok);
        QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(i + 1));
    }
    for (int i = 0; i < gets; ++i) {
        Item out;
        QCOMPARE(rig.queue.get(rig.main, out), OpStatus::Ok);
        QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(puts));
    }
    const std::uint64_t before = rig.position();
    for (int i = 0; i < taskDones; ++i)
        QCOMPARE(rig.queue.taskDone(rig.main), OpStatus::Ok);
    QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(puts - taskDones));

    // Each task_done records how many tasks are left.
    const std::vector<Event> done = ofKind(eventsSince(rig, before), EventKind::TaskDone);
    QCOMPARE(done.size(), std::size_t(taskDones));
    for (int i = 0; i < taskDones; ++i)
        QCOMPARE(done[std::size_t(i)].count, puts - i - 1);
}

void TstPyQueue::taskDoneBeyondPutsFailsWithTooManyTaskDoneAndKeepsCountAtZero_data()
{
    QTest::addColumn<int>("puts");
    QTest::newRow("fresh queue") << 0;
    QTest::newRow("one put") << 1;
    QTest::newRow("three puts") << 3;
}

void TstPyQueue::taskDoneBeyondPutsFailsWithTooManyTaskDoneAndKeepsCountAtZero()
{
    QFETCH(int, puts);
    Rig rig(4);
    for (int i = 0; i < puts; ++i)
        QCOMPARE(rig.queue.put(rig.main, item(i)), OpStatus::Ok);
    for (int i = 0; i < puts; ++i) {
        Item out;
        QCOMPARE(rig.queue.get(rig.main, out), OpStatus::Ok);
        QCOMPARE(rig.queue.taskDone(rig.main), OpStatus::Ok);
    }
    QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(0));

    const std::uint64_t before = rig.position();
    QCOMPARE(rig.queue.taskDone(rig.main), OpStatus::TooManyTaskDone);
    QCOMPARE(rig.queue.taskDone(rig.main), OpStatus::TooManyTaskDone);
    QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(0));
    QVERIFY(ofKind(eventsSince(rig, before), EventKind::TaskDone).empty());

    // The failed calls left no debt: the next put is one unfinished task, and join still
    // returns once it is done.
    QCOMPARE(rig.queue.put(rig.main, item(100)), OpStatus::Ok);
    QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(1));
    QCOMPARE(rig.queue.taskDone(rig.main), OpStatus::Ok);
    QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(0));
}

void TstPyQueue::joinReturnsAtOnceWhenNoTaskIsUnfinished_data()
{
    QTest::addColumn<int>("puts"); // each one got and task_done()
    QTest::newRow("fresh queue") << 0;
    QTest::newRow("every put finished") << 3;
}

void TstPyQueue::joinReturnsAtOnceWhenNoTaskIsUnfinished()
{
    QFETCH(int, puts);
    Rig rig(0);
    const ThreadRef joiner { Role::Main, 1 };
    for (int i = 0; i < puts; ++i) {
        Item out;
        QCOMPARE(rig.queue.put(rig.main, item(i)), OpStatus::Ok);
        QCOMPARE(rig.queue.get(rig.main, out), OpStatus::Ok);
        QCOMPARE(rig.queue.taskDone(rig.main), OpStatus::Ok);
    }

    // On a worker, so a join that does block fails the test instead of hanging it.
    OpStatus status = OpStatus::Stopped;
    Worker worker(rig, [&] {
        const ThreadContext ctx = rig.context(joiner);
        status = rig.queue.join(ctx);
    });
    QVERIFY(worker.finish());

    QCOMPARE(status, OpStatus::Ok);
    const std::vector<Event> events = eventsSince(rig);
    QCOMPARE(ofKind(events, EventKind::JoinDone, joiner).size(), std::size_t(1));
    QVERIFY(ofKind(events, EventKind::JoinWait, joiner).empty());
}

void TstPyQueue::joinBlocksUntilLastTaskDone_data()
{
    QTest::addColumn<int>("puts");
    QTest::addColumn<int>("joiners");
    QTest::newRow("one task, one joiner") << 1 << 1;
    QTest::newRow("three tasks, one joiner") << 3 << 1;
    QTest::newRow("three tasks, three joiners") << 3 << 3;
}

void TstPyQueue::joinBlocksUntilLastTaskDone()
{
    QFETCH(int, puts);
    QFETCH(int, joiners);
    Rig rig(0);
    for (int i = 0; i < puts; ++i)
        QCOMPARE(rig.queue.put(rig.main, item(i)), OpStatus::Ok);
    for (int i = 0; i < puts - 1; ++i)
        QCOMPARE(rig.queue.taskDone(rig.main), OpStatus::Ok);

    std::atomic<int> returned { 0 };
    std::vector<OpStatus> statuses(std::size_t(joiners), OpStatus::Stopped);
    std::deque<Worker> workers;
    for (int j = 0; j < joiners; ++j) {
        workers.emplace_back(rig, [&, j] {
            const ThreadContext ctx = rig.context({ Role::Main, std::uint16_t(j + 1) });
            statuses[std::size_t(j)] = rig.queue.join(ctx);
            returned.fetch_add(1);
        });
    }
    for (int j = 0; j < joiners; ++j) {
        const ThreadRef joiner { Role::Main, std::uint16_t(j + 1) };
        QVERIFY(awaitEvent(rig, joiner, EventKind::JoinWait));
        QVERIFY(awaitEvent(rig, joiner, EventKind::CondWait, rig.allTasksDone));
    }
    // Every joiner waits on all_tasks_done while one task is unfinished.
    QCOMPARE(returned.load(), 0);
    QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(1));

    QCOMPARE(rig.queue.taskDone(rig.main), OpStatus::Ok);
    for (Worker& w : workers)
        QVERIFY(w.finish());

    QCOMPARE(returned.load(), joiners);
    for (OpStatus status : statuses)
        QCOMPARE(status, OpStatus::Ok);
    const std::vector<Event> events = eventsSince(rig);
    const std::vector<Event> done = ofKind(events, EventKind::TaskDone);
    QCOMPARE(done.size(), std::size_t(puts));
    QCOMPARE(done.back().count, 0);
    const std::vector<Event> joined = ofKind(events, EventKind::JoinDone);
    QCOMPARE(joined.size(), std::size_t(joiners));
    for (const Event& e : joined)
        QVERIFY(e.seq > done.back().seq);
}

void TstPyQueue::manyThreadsMoveEveryItemExactlyOnceInFifoOrder_data()
{
    QTest::addColumn<int>("producers");
    QTest::addColumn<int>("consumers");
    QTest::addColumn<int>("maxsize");
    QTest::addColumn<int>("itemsPerProducer");
    QTest::newRow("4x4, maxsize 8") << 4 << 4 << 8 << 2500;
    QTest::newRow("1x3, maxsize 1") << 1 << 3 << 1 << 2000;
    QTest::newRow("3x1, unbounded") << 3 << 1 << 0 << 2000;
}

void TstPyQueue::manyThreadsMoveEveryItemExactlyOnceInFifoOrder()
{
    QFETCH(int, producers);
    QFETCH(int, consumers);
    QFETCH(int, maxsize);
    QFETCH(int, itemsPerProducer);
    // Room for every event of each thread, so the whole buffer history can be checked.
    Rig rig(maxsize, std::size_t(1) << 17);
    constexpr std::uint32_t SentinelProducer = 0xffff;

    std::atomic<int> producing { producers };
    std::atomic<int> failures { 0 };
    std::atomic<int> finishedConsumers { 0 };
    std::vector<std::vector<Item>> consumed(static_cast<std::size_t>(consumers));
    std::deque<Worker> workers;
    for (int c = 0; c < consumers; ++c) {
        workers.emplace_back(rig, [&, c] {
            const ThreadContext ctx = rig.context({ Role::Consumer, std::uint16_t(c) });
            for (;;) {
                Item out;
                if (rig.queue.get(ctx, out) != OpStatus::Ok) {
                    failures.fetch_add(1);
                    return;
                }
                if (rig.queue.taskDone(ctx) != OpStatus::Ok)
                    failures.fetch_add(1);
                if (itemProducer(out.id) == SentinelProducer)
                    break;
                consumed[std::size_t(c)].push_back(out);
            }
            finishedConsumers.fetch_add(1);
        });
    }
    for (int p = 0; p < producers; ++p) {
        workers.emplace_back(rig, [&, p] {
            const ThreadContext ctx = rig.context({ Role::Producer, std::uint16_t(p) });
            for (int s = 0; s < itemsPerProducer; ++s) {
                if (rig.queue.put(ctx, item(s, std::uint32_t(p))) != OpStatus::Ok)
                    failures.fetch_add(1);
            }
            // The last producer to finish tells every consumer to go home.
            if (producing.fetch_sub(1) == 1) {
                for (int c = 0; c < consumers; ++c) {
                    if (rig.queue.put(ctx, item(c, SentinelProducer)) != OpStatus::Ok)
                        failures.fetch_add(1);
                }
            }
        });
    }
    for (Worker& w : workers)
        QVERIFY(w.finish());
    QCOMPARE(finishedConsumers.load(), consumers);

    QCOMPARE(failures.load(), 0);
    QCOMPARE(rig.queue.qsize(rig.main), 0);
    QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(0));

    // Exactly once, and each consumer sees each producer's items in the order they were made.
    std::vector<std::vector<int>> seen(
        std::size_t(producers), std::vector<int>(std::size_t(itemsPerProducer), 0));
    for (const std::vector<Item>& items : consumed) {
        std::vector<std::int64_t> last(std::size_t(producers), -1);
        for (const Item& it : items) {
            const std::uint32_t p = itemProducer(it.id);
            QVERIFY(p < std::uint32_t(producers));
            QVERIFY(it.value >= 0 && it.value < itemsPerProducer);
            QCOMPARE(std::int64_t(itemSerial(it.id)), it.value);
            QVERIFY2(it.value > last[p], "a producer's items arrived out of order");
            last[p] = it.value;
            ++seen[p][std::size_t(it.value)];
        }
    }
    for (int p = 0; p < producers; ++p) {
        for (int s = 0; s < itemsPerProducer; ++s) {
            QVERIFY2(seen[std::size_t(p)][std::size_t(s)] == 1,
                qPrintable(QStringLiteral("P%1 item %2 consumed %3 times")
                               .arg(p)
                               .arg(s)
                               .arg(seen[std::size_t(p)][std::size_t(s)])));
        }
    }

    // The history in seq order is a FIFO history: gets hand out each producer's items in order,
    // and a bounded queue never holds more than maxsize.
    std::uint64_t skipped = 0;
    const std::vector<Event> events = eventsSince(rig, 0, &skipped);
    QCOMPARE(skipped, std::uint64_t(0));
    std::vector<std::int64_t> lastGot(std::size_t(producers), -1);
    std::size_t gets = 0;
    for (const Event& e : events) {
        if (maxsize > 0 && (e.kind == EventKind::Put || e.kind == EventKind::Get))
            QVERIFY(e.count >= 0 && e.count <= maxsize);
        if (e.kind != EventKind::Get || itemProducer(e.item) == SentinelProducer)
            continue;
        const std::uint32_t p = itemProducer(e.item);
        QVERIFY(std::int64_t(itemSerial(e.item)) > lastGot[p]);
        lastGot[p] = itemSerial(e.item);
        ++gets;
    }
    QCOMPARE(gets, std::size_t(producers) * std::size_t(itemsPerProducer));
}

void TstPyQueue::stopEndsBlockedCallWithStopped_data()
{
    QTest::addColumn<BlockedIn>("blockedIn");
    QTest::newRow("get on empty queue") << BlockedIn::Get;
    QTest::newRow("timed get on empty queue") << BlockedIn::TimedGet;
    QTest::newRow("put on full queue") << BlockedIn::Put;
    QTest::newRow("timed put on full queue") << BlockedIn::TimedPut;
    QTest::newRow("join with an unfinished task") << BlockedIn::Join;
}

void TstPyQueue::stopEndsBlockedCallWithStopped()
{
    QFETCH(BlockedIn, blockedIn);
    constexpr int Maxsize = 2;
    Rig rig(Maxsize);
    const ThreadRef worker { Role::Consumer, 0 };
    const bool onFull = blockedIn == BlockedIn::Put || blockedIn == BlockedIn::TimedPut;
    const int prefill = onFull ? Maxsize : blockedIn == BlockedIn::Join ? 1 : 0;
    if (blockedIn == BlockedIn::Join) {
        // One task that was got but never done: the queue is empty, join still waits.
        QCOMPARE(rig.queue.put(rig.main, item(0)), OpStatus::Ok);
        Item out;
        QCOMPARE(rig.queue.get(rig.main, out), OpStatus::Ok);
    } else {
        for (int i = 0; i < prefill; ++i)
            QCOMPARE(rig.queue.put(rig.main, item(i)), OpStatus::Ok);
    }
    const std::uint8_t waitsOn = onFull ? rig.notFull
        : blockedIn == BlockedIn::Join  ? rig.allTasksDone
                                        : rig.notEmpty;

    OpStatus status = OpStatus::Ok;
    Worker thread(rig, [&] {
        const ThreadContext ctx = rig.context(worker);
        Item out;
        switch (blockedIn) {
        case BlockedIn::Get:
            status = rig.queue.get(ctx, out);
            break;
        case BlockedIn::TimedGet:
            status = rig.queue.get(ctx, out, true, 60.0);
            break;
        case BlockedIn::Put:
            status = rig.queue.put(ctx, item(100));
            break;
        case BlockedIn::TimedPut:
            status = rig.queue.put(ctx, item(100), true, 60.0);
            break;
        case BlockedIn::Join:
            status = rig.queue.join(ctx);
            break;
        }
    });

    QVERIFY(awaitEvent(rig, worker, EventKind::CondWait, waitsOn));
    rig.stop.store(true);
    rig.queue.wakeAll();
    QVERIFY(thread.finish());

    QCOMPARE(status, OpStatus::Stopped);
    // The stopped thread let go of the lock and changed nothing.
    QCOMPARE(rig.queue.qsize(rig.main), blockedIn == BlockedIn::Join ? 0 : prefill);
    QCOMPARE(rig.queue.unfinishedTasks(rig.main), std::int64_t(prefill));
}

void TstPyQueue::leaveEndsBlockingGetOnEmptyQueueWithClosed_data()
{
    QTest::addColumn<bool>("timed");
    QTest::addColumn<bool>("leaveFirst"); // asked to leave before it calls get
    QTest::newRow("blocked, untimed") << false << false;
    QTest::newRow("blocked, timed") << true << false;
    QTest::newRow("already leaving, untimed") << false << true;
    QTest::newRow("already leaving, timed") << true << true;
}

void TstPyQueue::leaveEndsBlockingGetOnEmptyQueueWithClosed()
{
    QFETCH(bool, timed);
    QFETCH(bool, leaveFirst);
    Rig rig(3);
    const ThreadRef consumer { Role::Consumer, 0 };
    std::atomic<bool> leave { leaveFirst };

    OpStatus status = OpStatus::Ok;
    Worker worker(rig, [&] {
        const ThreadContext ctx = rig.context(consumer, &leave);
        Item out;
        status = timed ? rig.queue.get(ctx, out, true, 60.0) : rig.queue.get(ctx, out);
    });
    if (!leaveFirst) {
        QVERIFY(awaitEvent(rig, consumer, EventKind::CondWait, rig.notEmpty));
        leave.store(true);
        rig.queue.wakeAll();
    }
    QVERIFY(worker.finish());

    QCOMPARE(status, OpStatus::Closed);
    QVERIFY(!rig.stop.load());
    // The queue is untouched and still works for others.
    QCOMPARE(rig.queue.qsize(rig.main), 0);
    QCOMPARE(rig.queue.put(rig.main, item(5)), OpStatus::Ok);
    Item out;
    QCOMPARE(rig.queue.get(rig.main, out, false, std::nullopt), OpStatus::Ok);
    QCOMPARE(out.value, std::int64_t(5));
}

void TstPyQueue::leavingConsumerStillGetsAvailableItem_data()
{
    QTest::addColumn<bool>("timed");
    QTest::addColumn<bool>("putWhileBlocked"); // the put's wake-up races the leave request
    QTest::newRow("item waiting, untimed") << false << false;
    QTest::newRow("item waiting, timed") << true << false;
    QTest::newRow("put wakes it before the leave, untimed") << false << true;
    QTest::newRow("put wakes it before the leave, timed") << true << true;
}

void TstPyQueue::leavingConsumerStillGetsAvailableItem()
{
    QFETCH(bool, timed);
    QFETCH(bool, putWhileBlocked);
    Rig rig(3);
    const ThreadRef consumer { Role::Consumer, 0 };
    std::atomic<bool> leave { !putWhileBlocked };
    if (!putWhileBlocked)
        QCOMPARE(rig.queue.put(rig.main, item(9)), OpStatus::Ok);

    OpStatus status = OpStatus::Closed;
    Item got;
    Worker worker(rig, [&] {
        const ThreadContext ctx = rig.context(consumer, &leave);
        status = timed ? rig.queue.get(ctx, got, true, 60.0) : rig.queue.get(ctx, got);
    });
    if (putWhileBlocked) {
        QVERIFY(awaitEvent(rig, consumer, EventKind::CondWait, rig.notEmpty));
        // The put hands the wake-up to this consumer; a leave that comes after must not
        // throw the item's wake-up away.
        QCOMPARE(rig.queue.put(rig.main, item(9)), OpStatus::Ok);
        leave.store(true);
        rig.queue.wakeAll();
    }
    QVERIFY(worker.finish());

    QCOMPARE(status, OpStatus::Ok);
    QCOMPARE(got.value, std::int64_t(9));
    QCOMPARE(rig.queue.qsize(rig.main), 0);
}

} // namespace pcviz

QTEST_GUILESS_MAIN(pcviz::TstPyQueue)
#include "tst_pyqueue.moc"
