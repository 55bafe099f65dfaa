// SPDX-License-Identifier: GPL-3.0-or-later
// The fold and the checker on hand-written event streams: each invariant is caught when broken
// and quiet when kept, and a deadlock is told apart from a thread that is merely about to run.

#include "checker.h"
#include "strategies/strategyregistry.h"

#include <QJsonObject>
#include <QTest>

using namespace pcviz;

namespace {
const ThreadRef P0 { Role::Producer, 0 };
const ThreadRef P1 { Role::Producer, 1 };
const ThreadRef C0 { Role::Consumer, 0 };
const ThreadRef C1 { Role::Consumer, 1 };

// Builds a stream with consecutive seqs, as the log would.
class Stream {
public:
    explicit Stream(const QString& strategy, int capacity)
    {
        Scenario s;
        s.strategy = strategy;
        s.capacity = capacity;
        m_checker = std::make_unique<Checker>(
            RunInfo { s, StrategyRegistry::create(strategy, capacity)->objects() });
    }
    Stream& add(Event e)
    {
        e.seq = m_seq++;
        m_checker->apply(e);
        return *this;
    }
    Stream& start(ThreadRef t) { return add({ .thread = t, .kind = EventKind::ThreadStart }); }
    Stream& put(ThreadRef t, std::uint64_t item, int slot, int count)
    {
        add({ .item = item, .thread = t, .kind = EventKind::Produce });
        return add(
            { .item = item, .slot = slot, .count = count, .thread = t, .kind = EventKind::Put });
    }
    Stream& get(ThreadRef t, std::uint64_t item, int slot, int count)
    {
        return add(
            { .item = item, .slot = slot, .count = count, .thread = t, .kind = EventKind::Get });
    }
    Checker& checker() { return *m_checker; }

private:
    std::unique_ptr<Checker> m_checker;
    std::uint64_t m_seq = 0;
};
} // namespace

class TestChecker : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanStreamHasNoViolations();
    void gettingAnItemTwiceIsADuplicate();
    void puttingIntoAFullBufferIsAnOverflow();
    void gettingFromAnEmptyBufferIsAnUnderflow();
    void gettingANewerItemFirstBreaksFifo();
    void itemsNeitherTakenNorBufferedAreLostAtTheEnd();
    void itemsStillInTheBufferAreNotLost();
    void slotThatDisagreesWithTheHistoryIsReported();
    void foldFollowsThreadStatesThroughAWait();
    void semaphoreWaitersWithNoPermitAreADeadlock();
    void waiterGrantedAPermitIsNotStuck();
    void mutexWaitForABlockedOwnerIsADeadlock();
    void mutexHeldByTheControlThreadIsNotADeadlock();
    void conditionWaiterThatWasSignalledIsNotStuck();
    void consumersWaitingForAnItemOnceProductionIsClosedAreNotStuck();
    void aThreadNotYetStartedPreventsADeadlockVerdict();
    void capacityEventRelaysTheBuffer();
    void afterMissedEventsOnlyTheCountIsKnownUntilTheBufferEmpties();
    void afterMissedEventsTheCheckerStopsJudging();
    void overwritingAnUntakenItemIsReportedLostAsItHappens();
    void gettingNothingFromAnEmptyBufferIsAnUnderflowNotADuplicate();
    void unguardedFoldFollowsTheSlotsAndCountsTheEventsReport();
    void deadlockEventIsCountedNamingWhoWaitsForWhom();
    void threadLeftWaitingWhilePeersProgressIsStarving();
    void waitsThatAreShortAnsweredIdleOrForALockAreNotStarvation_data();
    void waitsThatAreShortAnsweredIdleOrForALockAreNotStarvation();
};

void TestChecker::cleanStreamHasNoViolations()
{
    Stream s(QStringLiteral("monitor"), 2);
    s.start(P0).start(C0);
    s.put(P0, makeItemId(0, 0), 0, 1).put(P0, makeItemId(0, 1), 1, 2);
    s.get(C0, makeItemId(0, 0), 0, 1).get(C0, makeItemId(0, 1), 1, 0);
    s.checker().finish();
    QCOMPARE(s.checker().violations(), 0u);
    QCOMPARE(s.checker().state().maxCount(), 2);
}

void TestChecker::gettingAnItemTwiceIsADuplicate()
{
    Stream s(QStringLiteral("monitor"), 4);
    s.put(P0, makeItemId(0, 0), 0, 1).put(P0, makeItemId(0, 1), 1, 2);
    s.get(C0, makeItemId(0, 0), 0, 1);
    s.get(C1, makeItemId(0, 0), 1, 0);
    QCOMPARE(s.checker().duplicated(), 1u);
    QCOMPARE(s.checker().kept().back().thread.name(), QStringLiteral("C1"));
}

void TestChecker::puttingIntoAFullBufferIsAnOverflow()
{
    Stream s(QStringLiteral("monitor"), 1);
    s.put(P0, makeItemId(0, 0), 0, 1).put(P1, makeItemId(1, 0), 0, 2);
    QCOMPARE(s.checker().count(Violation::Kind::Overflow), 1u);
}

void TestChecker::gettingFromAnEmptyBufferIsAnUnderflow()
{
    Stream s(QStringLiteral("monitor"), 2);
    s.get(C0, makeItemId(0, 0), 0, 0);
    QCOMPARE(s.checker().count(Violation::Kind::Underflow), 1u);
}

void TestChecker::gettingANewerItemFirstBreaksFifo()
{
    Stream s(QStringLiteral("monitor"), 4);
    s.put(P0, makeItemId(0, 0), 0, 1).put(P1, makeItemId(1, 0), 1, 2);
    s.get(C0, makeItemId(1, 0), 0, 1);
    QCOMPARE(s.checker().count(Violation::Kind::Fifo), 1u);
    QCOMPARE(s.checker().duplicated(), 0u);
}

void TestChecker::itemsNeitherTakenNorBufferedAreLostAtTheEnd()
{
    Stream s(QStringLiteral("monitor"), 4);
    s.add({ .item = makeItemId(0, 0), .thread = P0, .kind = EventKind::Produce });
    s.put(P0, makeItemId(0, 1), 0, 1).get(C0, makeItemId(0, 1), 0, 0);
    s.checker().finish();
    QCOMPARE(s.checker().lost(), 1u);
}

void TestChecker::itemsStillInTheBufferAreNotLost()
{
    Stream s(QStringLiteral("monitor"), 4);
    s.put(P0, makeItemId(0, 0), 0, 1).put(P0, makeItemId(0, 1), 1, 2);
    s.checker().finish();
    QCOMPARE(s.checker().lost(), 0u);
    QCOMPARE(s.checker().state().buffer().count(), 2);
}

void TestChecker::slotThatDisagreesWithTheHistoryIsReported()
{
    Stream s(QStringLiteral("monitor"), 4);
    s.put(P0, makeItemId(0, 0), 3, 1);
    QCOMPARE(s.checker().count(Violation::Kind::Layout), 1u);
}

void TestChecker::foldFollowsThreadStatesThroughAWait()
{
    Stream s(QStringLiteral("monitor"), 1);
    s.start(C0);
    const StateModel& state = s.checker().state();
    QCOMPARE(state.thread(C0)->task, Task::Getting);
    s.add({ .thread = C0, .kind = EventKind::Lock, .object = 0 });
    QVERIFY(state.object(0)->owner == C0);
    s.add({ .count = 0, .thread = C0, .kind = EventKind::GetWait });
    QCOMPARE(state.thread(C0)->blocked, Blocked::BufferEmpty);
    s.add({ .count = 1, .thread = C0, .kind = EventKind::CondWait, .object = 2 });
    s.add({ .thread = C0, .kind = EventKind::Unlock, .object = 0 });
    QCOMPARE(state.thread(C0)->blocked, Blocked::BufferEmpty);
    QCOMPARE(state.thread(C0)->object, std::uint8_t(2));
    QCOMPARE(state.object(2)->waiting.size(), 1u);
    QVERIFY(state.object(0)->owner.isNone());
    s.add({ .thread = P0, .peer = C0, .kind = EventKind::CondSignal, .object = 2 });
    QCOMPARE(state.object(2)->waiting.size(), 0u);
    QCOMPARE(state.object(2)->woken.size(), 1u);
    s.add({ .thread = C0, .kind = EventKind::CondWake, .object = 2 });
    QCOMPARE(state.thread(C0)->blocked, Blocked::None);
    QCOMPARE(state.object(2)->woken.size(), 0u);
}

void TestChecker::semaphoreWaitersWithNoPermitAreADeadlock()
{
    Stream s(QStringLiteral("semaphore"), 1);
    s.start(P0).start(C0);
    // The swapped-wait-order shape: C0 waits on full (0), P0 waits on the mutex C0 holds.
    s.add({ .thread = C0, .kind = EventKind::Lock, .object = 2 });
    s.add({ .count = 0, .thread = C0, .kind = EventKind::SemWait, .object = 1 });
    QVERIFY(!s.checker().deadlocked(2));
    s.add({ .thread = P0, .peer = C0, .kind = EventKind::LockWait, .object = 2 });
    QVERIFY(s.checker().deadlocked(2));
    const QJsonArray cycle = s.checker().waitCycle();
    QCOMPARE(cycle.size(), 2);
    bool mutexHeldByC0 = false;
    for (const QJsonValue& v : cycle) {
        const QJsonObject o = v.toObject();
        if (o.value(QStringLiteral("thread")).toString() == u"P0")
            mutexHeldByC0 = o.value(QStringLiteral("waits_for")).toString() == u"mutex"
                && o.value(QStringLiteral("held_by")).toString() == u"C0";
    }
    QVERIFY(mutexHeldByC0);
}

void TestChecker::waiterGrantedAPermitIsNotStuck()
{
    Stream s(QStringLiteral("semaphore"), 1);
    s.start(P0).start(C0);
    s.add({ .count = 0, .thread = C0, .kind = EventKind::SemWait, .object = 1 });
    s.add({ .count = 0, .thread = P0, .kind = EventKind::SemWait, .object = 0 });
    QVERIFY(s.checker().deadlocked(2));
    s.add({ .count = 0,
        .thread = { Role::Control, 0 },
        .peer = C0,
        .kind = EventKind::Wake,
        .object = 1 });
    QVERIFY(!s.checker().deadlocked(2));
}

void TestChecker::mutexWaitForABlockedOwnerIsADeadlock()
{
    Stream s(QStringLiteral("monitor"), 1);
    s.start(P0).start(C0);
    s.add({ .thread = P0, .kind = EventKind::Lock, .object = 0 });
    s.add({ .thread = C0, .peer = P0, .kind = EventKind::LockWait, .object = 0 });
    QVERIFY(!s.checker().deadlocked(2)); // P0 holds the mutex but runs
    s.add({ .count = 1, .thread = P0, .kind = EventKind::CondWait, .object = 1 });
    QVERIFY(s.checker().deadlocked(2)); // a wait that never released the mutex: stuck for good
    s.add({ .thread = P0, .kind = EventKind::Unlock, .object = 0 });
    QVERIFY(!s.checker().deadlocked(2)); // the mutex is free: C0 will take it
}

void TestChecker::mutexHeldByTheControlThreadIsNotADeadlock()
{
    // A live capacity change: the control thread holds the monitor's mutex for a moment, and
    // every worker waits for it. Control runs and lets go (however long a loaded machine keeps
    // it off the CPU), so that is no deadlock; the stress runner once saw one here.
    Stream s(QStringLiteral("monitor"), 4);
    s.start(P0).start(C0);
    const ThreadRef control { Role::Control, 0 };
    s.add({ .thread = control, .kind = EventKind::Lock, .object = 0 });
    s.add({ .thread = P0, .peer = control, .kind = EventKind::LockWait, .object = 0 });
    s.add({ .thread = C0, .peer = control, .kind = EventKind::LockWait, .object = 0 });
    QVERIFY(!s.checker().deadlocked(2));
    s.add({ .value = 2, .count = 0, .thread = control, .kind = EventKind::Capacity });
    s.add({ .thread = control, .kind = EventKind::Unlock, .object = 0 });
    QVERIFY(!s.checker().deadlocked(2));
}

void TestChecker::conditionWaiterThatWasSignalledIsNotStuck()
{
    Stream s(QStringLiteral("monitor"), 1);
    s.start(C0).start(C1);
    s.add({ .count = 1, .thread = C0, .kind = EventKind::CondWait, .object = 2 });
    s.add({ .count = 2, .thread = C1, .kind = EventKind::CondWait, .object = 2 });
    QVERIFY(s.checker().deadlocked(2));
    s.add({ .thread = C0, .peer = C1, .kind = EventKind::CondSignal, .object = 2 });
    QVERIFY(!s.checker().deadlocked(2));
}

void TestChecker::consumersWaitingForAnItemOnceProductionIsClosedAreNotStuck()
{
    // The last producer has gone: until the engine says production is over, consumers that
    // wait for an item look stuck for good; after, they are only waiting to be told to leave
    // (the stress runner, on a loaded machine, once saw a deadlock here).
    Stream s(QStringLiteral("monitor"), 2);
    s.start(P0).start(C0).start(C1);
    for (const ThreadRef c : { C0, C1 }) {
        s.add({ .count = 0, .thread = c, .kind = EventKind::GetWait });
        s.add({ .count = 1, .thread = c, .kind = EventKind::CondWait, .object = 2 });
    }
    s.add({ .thread = P0, .kind = EventKind::ThreadExit });
    QVERIFY(s.checker().deadlocked(2));
    s.add({ .thread = { Role::Control, 0 }, .kind = EventKind::Closed });
    QVERIFY(s.checker().state().closed());
    QVERIFY(!s.checker().deadlocked(2));
}

void TestChecker::aThreadNotYetStartedPreventsADeadlockVerdict()
{
    Stream s(QStringLiteral("monitor"), 1);
    s.start(C0);
    s.add({ .count = 1, .thread = C0, .kind = EventKind::CondWait, .object = 2 });
    QVERIFY(s.checker().deadlocked(1));
    // The engine says a producer is alive too, but it has not recorded anything yet.
    QVERIFY(!s.checker().deadlocked(2));
}

void TestChecker::capacityEventRelaysTheBuffer()
{
    Stream s(QStringLiteral("monitor"), 4);
    s.put(P0, makeItemId(0, 0), 0, 1)
        .put(P0, makeItemId(0, 1), 1, 2)
        .put(P0, makeItemId(0, 2), 2, 3);
    s.get(C0, makeItemId(0, 0), 0, 2);
    s.add({ .value = 2, .count = 2, .thread = { Role::Control, 0 }, .kind = EventKind::Capacity });
    // Relaid oldest first from slot 0; the ring is full at its new capacity.
    QCOMPARE(s.checker().state().capacity(), 2);
    QVERIFY(s.checker().state().buffer().full());
    s.get(C0, makeItemId(0, 1), 0, 1);
    s.put(P0, makeItemId(0, 3), 0, 2);
    QCOMPARE(s.checker().violations(), 0u);
}

void TestChecker::afterMissedEventsOnlyTheCountIsKnownUntilTheBufferEmpties()
{
    Scenario scenario;
    scenario.capacity = 4;
    StateModel state(
        RunInfo { scenario, StrategyRegistry::create(scenario.strategy, 4)->objects() });
    std::uint64_t seq = 0;
    const auto on = [&](Event e) {
        e.seq = seq++;
        state.apply(e);
    };
    on({ .item = makeItemId(0, 0), .slot = 0, .count = 1, .thread = P0, .kind = EventKind::Put });
    on({ .thread = C0, .peer = C1, .kind = EventKind::CondSignal, .object = 2 });
    state.missedEvents();
    QVERIFY(state.bufferApproximate());
    QVERIFY(state.object(2)->woken.empty());
    // Events after the gap: puts and gets at slots the fold cannot check.
    on({ .item = makeItemId(0, 7), .slot = 3, .count = 3, .thread = P0, .kind = EventKind::Put });
    QCOMPARE(state.count(), 3);
    on({ .item = makeItemId(0, 5), .slot = 1, .count = 2, .thread = C0, .kind = EventKind::Get });
    on({ .item = makeItemId(0, 6), .slot = 2, .count = 1, .thread = C0, .kind = EventKind::Get });
    on({ .item = makeItemId(0, 7), .slot = 3, .count = 0, .thread = C0, .kind = EventKind::Get });
    // Empty again: exact from here on, the next put going to the slot after the last get.
    QVERIFY(!state.bufferApproximate());
    QCOMPARE(state.count(), 0);
    on({ .item = makeItemId(0, 8), .slot = 0, .count = 1, .thread = P0, .kind = EventKind::Put });
    QCOMPARE(state.buffer().count(), 1);
    QCOMPARE(state.buffer().fromOldest(0), makeItemId(0, 8));
    QCOMPARE(state.layoutMismatches(), 0u);
}

void TestChecker::afterMissedEventsTheCheckerStopsJudging()
{
    Stream s(QStringLiteral("monitor"), 4);
    s.put(P0, makeItemId(0, 0), 0, 1).get(C0, makeItemId(0, 0), 0, 0);
    QVERIFY(s.checker().complete());
    s.checker().missedEvents();
    QVERIFY(!s.checker().complete());
    // What looks like a duplicate may be an item whose first get was missed: not counted.
    s.put(P0, makeItemId(0, 5), 1, 1).get(C0, makeItemId(0, 0), 1, 0);
    QCOMPARE(s.checker().violations(), 0u);
    QCOMPARE(s.checker().state().count(), 0);
}

// The if-not-while shape: a producer woken for room that another filled first puts into the
// full ring, which overwrites the oldest item. The loss is known at once, not only at the end.
void TestChecker::overwritingAnUntakenItemIsReportedLostAsItHappens()
{
    Stream s(QStringLiteral("if-not-while"), 1);
    s.put(P0, makeItemId(0, 0), 0, 1);
    s.put(P1, makeItemId(1, 0), 0, 1);
    QCOMPARE(s.checker().count(Violation::Kind::Overflow), 1u);
    QCOMPARE(s.checker().lost(), 1u);
    QCOMPARE(s.checker().count(Violation::Kind::Layout), 0u);
    QCOMPARE(s.checker().kept().back().item, makeItemId(0, 0));
    QCOMPARE(s.checker().kept().back().thread.name(), QStringLiteral("P1"));
    s.get(C0, makeItemId(1, 0), 0, 0);
    s.checker().finish();
    // Counted once, when it happened: the end finds nothing new.
    QCOMPARE(s.checker().lost(), 1u);
    QCOMPARE(s.checker().violations(), 2u);
}

// A woken consumer that does not look again takes the vacant slot: no item, nothing taken twice.
void TestChecker::gettingNothingFromAnEmptyBufferIsAnUnderflowNotADuplicate()
{
    Stream s(QStringLiteral("if-not-while"), 2);
    s.put(P0, makeItemId(0, 0), 0, 1).get(C0, makeItemId(0, 0), 0, 0);
    s.get(C1, NoItem, 1, 0).get(C1, NoItem, 1, 0);
    QCOMPARE(s.checker().count(Violation::Kind::Underflow), 2u);
    QCOMPARE(s.checker().duplicated(), 0u);
    QCOMPARE(s.checker().count(Violation::Kind::Layout), 0u);
    QCOMPARE(s.checker().state().count(), 0);
    // The ring has not moved: the next put and get use slot 1 as they would have.
    s.put(P0, makeItemId(0, 1), 1, 1).get(C0, makeItemId(0, 1), 1, 0);
    s.checker().finish();
    QCOMPARE(s.checker().violations(), 2u);
}

// Without a lock the events are the only account of the buffer: the fold takes their slots and
// counts, and the checker judges losses and duplicates, not layout or order.
void TestChecker::unguardedFoldFollowsTheSlotsAndCountsTheEventsReport()
{
    Stream s(QStringLiteral("unsynchronised"), 2);
    QVERIFY(s.checker().state().unguarded());
    s.put(P0, makeItemId(0, 0), 0, 1);
    s.put(P1, makeItemId(1, 0), 0, 1); // both read in == 0: P0.0 is overwritten
    QCOMPARE(s.checker().lost(), 1u);
    s.get(C0, makeItemId(1, 0), 0, 0);
    s.get(C1, makeItemId(1, 0), 0, -1); // both read out == 0: taken twice, the count below zero
    QCOMPARE(s.checker().duplicated(), 1u);
    QCOMPARE(s.checker().count(Violation::Kind::Underflow), 1u);
    s.put(P0, makeItemId(0, 1), 1, 1).put(P1, makeItemId(1, 1), 0, 2);
    s.put(P0, makeItemId(0, 2), 1, 3); // past the capacity, over P0.1
    QCOMPARE(s.checker().count(Violation::Kind::Overflow), 1u);
    QCOMPARE(s.checker().lost(), 2u);
    QCOMPARE(s.checker().state().maxCount(), 3);
    s.get(C0, makeItemId(1, 1), 0, 1).get(C1, makeItemId(0, 2), 1, 0);
    s.checker().finish();
    QCOMPARE(s.checker().lost(), 2u);
    QCOMPARE(s.checker().count(Violation::Kind::Layout), 0u);
    QCOMPARE(s.checker().count(Violation::Kind::Fifo), 0u);
    QCOMPARE(s.checker().state().layoutMismatches(), 0u);
}

void TestChecker::deadlockEventIsCountedNamingWhoWaitsForWhom()
{
    Stream s(QStringLiteral("swapped-wait-order"), 1);
    s.start(P0).start(C0);
    s.add({ .thread = P0, .kind = EventKind::Lock, .object = 2 });
    s.add({ .count = 0, .thread = P0, .kind = EventKind::SemWait, .object = 0 });
    s.add({ .thread = C0, .peer = P0, .kind = EventKind::LockWait, .object = 2 });
    QVERIFY(s.checker().deadlocked(2));
    QCOMPARE(s.checker().violations(), 0u); // the verdict is the runner's to give
    s.add({ .thread = { Role::Control, 0 }, .kind = EventKind::Deadlock });
    QCOMPARE(s.checker().count(Violation::Kind::Deadlock), 1u);
    const QString detail = s.checker().kept().back().detail;
    QVERIFY2(detail.contains(u"C0 waits for mutex held by P0"), qPrintable(detail));
    QVERIFY2(detail.contains(u"P0 waits for empty (value 0)"), qPrintable(detail));
}

namespace {
// C0 waits on not_empty from time 0; P0 and C1 then move `items` items through slot 0, one
// every stepNs. `signalled`: C0 is signalled at once (and then not scheduled).
// `lockWait`: C0 waits for the mutex instead, which C1 and P0 keep taking. `backoff`: the
// strategy is lockfree-mpmc and C0 backs off at its not_empty (object 1) without a lock.
struct StarvationScript {
    int items;
    std::int64_t stepNs;
    bool signalled = false;
    bool lockWait = false;
    bool backoff = false;
};

std::unique_ptr<Stream> play(const StarvationScript& script)
{
    auto stream = std::make_unique<Stream>(
        script.backoff ? QStringLiteral("lockfree-mpmc") : QStringLiteral("monitor"), 4);
    Stream& s = *stream;
    s.start(C0).start(C1).start(P0);
    if (script.backoff) {
        s.add({ .count = 0, .thread = C0, .kind = EventKind::GetWait, .object = 1 });
    } else if (script.lockWait) {
        s.add({ .thread = P0, .kind = EventKind::Lock, .object = 0 });
        s.add({ .thread = C0, .peer = P0, .kind = EventKind::LockWait, .object = 0 });
        s.add({ .thread = P0, .kind = EventKind::Unlock, .object = 0 });
    } else {
        s.add({ .thread = C0, .kind = EventKind::Lock, .object = 0 });
        s.add({ .count = 0, .thread = C0, .kind = EventKind::GetWait });
        s.add({ .count = 1, .thread = C0, .kind = EventKind::CondWait, .object = 2 });
        s.add({ .thread = C0, .kind = EventKind::Unlock, .object = 0 });
        if (script.signalled)
            s.add({ .thread = P0, .peer = C0, .kind = EventKind::CondSignal, .object = 2 });
    }
    for (int i = 0; i < script.items; ++i) {
        const std::int64_t t = (i + 1) * script.stepNs;
        const std::uint64_t item = makeItemId(0, std::uint32_t(i));
        s.add({ .tNs = t, .item = item, .thread = P0, .kind = EventKind::Produce });
        s.add({ .tNs = t,
            .item = item,
            .slot = i % 4,
            .count = 1,
            .thread = P0,
            .kind = EventKind::Put });
        s.add({ .tNs = t,
            .item = item,
            .slot = i % 4,
            .count = 0,
            .thread = C1,
            .kind = EventKind::Get });
    }
    return stream;
}
} // namespace

// C1 takes item after item while C0, never signalled, waits on: past a second and a thousand
// of C1's items that is starvation, reported once for the whole wait.
void TestChecker::threadLeftWaitingWhilePeersProgressIsStarving()
{
    const auto stream = play({ .items = 3000, .stepNs = 1'000'000 });
    const Checker& checker = stream->checker();
    QCOMPARE(checker.count(Violation::Kind::Starvation), 1u);
    const Violation& v = checker.kept().back();
    QCOMPARE(v.kind, Violation::Kind::Starvation);
    QCOMPARE(v.thread.name(), QStringLiteral("C0"));
    QVERIFY2(v.detail.contains(u"C0 waits for not_empty"), qPrintable(v.detail));
    QVERIFY2(v.detail.contains(u"other consumers got"), qPrintable(v.detail));
    // Found within one check interval of both bounds being passed, not at the end.
    // (Seven events of setting up, then three per item; the check runs every 10 ms.)
    const std::uint64_t firstSeqPastBounds = 7 + 3 * Checker::StarvationPeerOps;
    QVERIFY2(v.seq >= firstSeqPastBounds && v.seq < firstSeqPastBounds + 3 * 10,
        qPrintable(QString::number(v.seq)));
    QCOMPARE(checker.violations(), 1u);
}

void TestChecker::waitsThatAreShortAnsweredIdleOrForALockAreNotStarvation_data()
{
    QTest::addColumn<int>("items");
    QTest::addColumn<qint64>("stepNs");
    QTest::addColumn<bool>("signalled");
    QTest::addColumn<bool>("lockWait");
    QTest::addColumn<bool>("backoff");
    // Many items, but all within half a second: a busy moment, not a thread left behind.
    QTest::newRow("short") << 5000 << qint64(100'000) << false << false << false;
    // Long, but the peers are idle too: nothing to be left behind by.
    QTest::newRow("idle peers") << 20 << qint64(200'000'000) << false << false << false;
    // Woken, just not yet running: the scheduler's delay, not its peers'.
    QTest::newRow("signalled") << 3000 << qint64(1'000'000) << true << false << false;
    // Lock waits are left to the lock's own unfairness, which correct strategies share.
    QTest::newRow("lock wait") << 3000 << qint64(1'000'000) << false << true << false;
    // So are a lock-free ring's back-offs: lock-free promises progress to someone, not each.
    QTest::newRow("lock-free back-off") << 3000 << qint64(1'000'000) << false << false << true;
}

void TestChecker::waitsThatAreShortAnsweredIdleOrForALockAreNotStarvation()
{
    QFETCH(int, items);
    QFETCH(qint64, stepNs);
    QFETCH(bool, signalled);
    QFETCH(bool, lockWait);
    QFETCH(bool, backoff);
    const auto stream = play({ items, stepNs, signalled, lockWait, backoff });
    QCOMPARE(stream->checker().count(Violation::Kind::Starvation), 0u);
    QCOMPARE(stream->checker().violations(), 0u);
}

QTEST_GUILESS_MAIN(TestChecker)
#include "tst_checker.moc"
