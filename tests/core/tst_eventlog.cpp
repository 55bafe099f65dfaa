// SPDX-License-Identifier: GPL-3.0-or-later
// The event log: a drain numbers events gaplessly in an order that respects every hand-over
// through a primitive, every field round-trips, a lossless reader misses nothing from many
// writers, a parked thread never holds the reader back, and a slow reader of overwriting
// lanes is told what it missed.

#include "eventdrain.h"
#include "eventlog.h"
#include "probecost.h"
#include "sync/mutex.h"
#include "threadcontext.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <future>
#include <thread>
#include <vector>

using namespace pcviz;

namespace {
std::vector<Event> drainAll(EventDrain& drain)
{
    std::vector<Event> events;
    drain.drain([&](const Event& e) { events.push_back(e); });
    return events;
}
} // namespace

class TestEventLog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void drainNumbersEventsGaplesslyFromZero();
    void roundTripsEveryField();
    void losslessReaderSeesEveryEventOfManyWritersInProgramOrder();
    void mergedOrderFollowsTheMutexHandOvers();
    void aParkedThreadDoesNotHoldBackTheReader();
    void aRunningThreadHoldsBackWhatMightFollowItsNextEvent();
    void overwritingLaneReportsWhatASlowReaderMissed();
    void aDrainReturnsWhileItsWritersKeepPace();
    void closedLanesServeLaterThreads();
    void aThreadThatEndedUnreadIsNotHiddenByTheNextOne();
    void resetEmptiesTheLog();
    void timestampsDoNotRunBackwardsOnOneThread();
    void kindAndThreadNamesRoundTrip();
    void probeCostIsAPositiveFigureMeasuredOnce();
};

void TestEventLog::drainNumbersEventsGaplesslyFromZero()
{
    EventLog log(64);
    EventDrain drain(log);
    for (int i = 0; i < 10; ++i)
        log.record({ .value = i, .kind = EventKind::Produce });
    QCOMPARE(log.recorded(), 10u);
    const std::vector<Event> events = drainAll(drain);
    QCOMPARE(events.size(), 10u);
    for (std::size_t i = 0; i < events.size(); ++i) {
        QCOMPARE(events[i].seq, std::uint64_t(i));
        QCOMPARE(events[i].value, std::int64_t(i));
    }
    QVERIFY(drain.caughtUp());
    QCOMPARE(drain.cursor(), 10u);
}

void TestEventLog::roundTripsEveryField()
{
    EventLog log(16);
    EventDrain drain(log);
    const Event in { .item = makeItemId(63, 999'999'999),
        .value = -42,
        .result = 1'000'000'000'000'000'000,
        .slot = 4095,
        .count = 4096,
        .thread = { Role::Consumer, 63 },
        .peer = { Role::Producer, 7 },
        .kind = EventKind::Get,
        .object = 3 };
    log.record(in);
    const std::vector<Event> events = drainAll(drain);
    QCOMPARE(events.size(), 1u);
    const Event& out = events.front();
    QCOMPARE(out.seq, 0u);
    QCOMPARE(out.item, in.item);
    QCOMPARE(itemProducer(out.item), 63u);
    QCOMPARE(itemSerial(out.item), 999'999'999u);
    QCOMPARE(out.value, in.value);
    QCOMPARE(out.result, in.result);
    QCOMPARE(out.slot, in.slot);
    QCOMPARE(out.count, in.count);
    QVERIFY(out.thread == in.thread);
    QVERIFY(out.peer == in.peer);
    QCOMPARE(out.kind, in.kind);
    QCOMPARE(out.object, in.object);
    QCOMPARE(out.thread.name(), QStringLiteral("C63"));
    QCOMPARE(out.peer.name(), QStringLiteral("P7"));
}

void TestEventLog::losslessReaderSeesEveryEventOfManyWritersInProgramOrder()
{
    constexpr int Writers = 4;
    constexpr std::int64_t PerWriter = 50'000;
    EventLog log(1024); // far smaller than the total: writers must wait for the reader
    EventDrain drain(log, true);
    Gate gate;
    std::atomic<bool> stop { false };
    std::vector<std::thread> writers;
    for (int w = 0; w < Writers; ++w) {
        writers.emplace_back([&, w] {
            const ThreadContext ctx { { Role::Producer, std::uint16_t(w) }, &log, &gate, &stop,
                nullptr, nullptr, true };
            for (std::int64_t i = 0; i < PerWriter; ++i)
                ctx.record({ .value = i, .kind = EventKind::Produce });
            ctx.close();
        });
    }
    std::vector<std::int64_t> next(Writers, 0);
    std::uint64_t expectedSeq = 0;
    bool inOrder = true;
    const QDeadlineTimer guard(120'000);
    while (expectedSeq < Writers * PerWriter && !guard.hasExpired()) {
        drain.drain([&](const Event& e) {
            inOrder = inOrder && e.seq == expectedSeq && e.value == next[e.thread.index];
            ++next[e.thread.index];
            ++expectedSeq;
        });
        std::this_thread::yield();
    }
    for (std::thread& t : writers)
        t.join();
    QVERIFY(inOrder);
    QCOMPARE(drain.skipped(), 0u);
    for (int w = 0; w < Writers; ++w)
        QCOMPARE(next[w], PerWriter);
}

void TestEventLog::mergedOrderFollowsTheMutexHandOvers()
{
    // Threads take turns in a mutex and record a shared counter while holding it: whatever
    // lanes the events sit in, the merged order must show the counter rising one by one.
    constexpr int Threads = 3;
    constexpr std::int64_t Rounds = 20'000;
    EventLog log(256);
    EventDrain drain(log, true);
    Gate gate;
    std::atomic<bool> stop { false };
    Mutex mutex(0);
    std::int64_t counter = 0; // guarded by mutex
    std::vector<std::thread> threads;
    for (int t = 0; t < Threads; ++t) {
        threads.emplace_back([&, t] {
            const ThreadContext ctx { { Role::Producer, std::uint16_t(t) }, &log, &gate, &stop,
                nullptr, nullptr, true };
            for (std::int64_t i = 0; i < Rounds; ++i) {
                MutexLocker locker(mutex, ctx);
                ctx.record({ .value = counter++, .kind = EventKind::Put });
            }
            ctx.close();
        });
    }
    std::int64_t expected = 0;
    std::int64_t outOfOrder = 0;
    const QDeadlineTimer guard(120'000);
    while (expected < Threads * Rounds && !guard.hasExpired()) {
        drain.drain([&](const Event& e) {
            if (e.kind != EventKind::Put)
                return;
            outOfOrder += e.value == expected ? 0 : 1;
            ++expected;
        });
        std::this_thread::yield();
    }
    for (std::thread& t : threads)
        t.join();
    QCOMPARE(expected, Threads * Rounds);
    QCOMPARE(outOfOrder, 0);
}

void TestEventLog::aParkedThreadDoesNotHoldBackTheReader()
{
    EventLog log(1024);
    EventDrain drain(log);
    Gate gate;
    std::atomic<bool> stop { false };
    std::promise<void> recorded;
    std::promise<void> wake;
    std::thread sleeper([&] {
        const ThreadContext ctx { { Role::Consumer, 0 }, &log, &gate, &stop, nullptr, nullptr,
            true };
        ctx.record({ .kind = EventKind::GetWait });
        {
            const ThreadContext::Parking parking(ctx);
            recorded.set_value();
            wake.get_future().wait();
        }
        ctx.record({ .kind = EventKind::CondWake });
        ctx.close();
    });
    recorded.get_future().wait();
    for (int i = 0; i < 100; ++i)
        log.record({ .value = i, .thread = { Role::Producer, 0 }, .kind = EventKind::Produce });

    std::vector<Event> events;
    QTRY_COMPARE_WITH_TIMEOUT(
        (drain.drain([&](const Event& e) { events.push_back(e); }), events.size()), 101u, 10000);
    QCOMPARE(std::count_if(events.begin(), events.end(),
                 [](const Event& e) { return e.kind == EventKind::GetWait; }),
        1);
    wake.set_value();
    sleeper.join();
    drainAll(drain).swap(events);
    QCOMPARE(events.size(), 1u);
    // Everything the reader let through while it slept comes before its next event.
    QCOMPARE(events.front().kind, EventKind::CondWake);
    QCOMPARE(events.front().seq, 101u);
}

void TestEventLog::aRunningThreadHoldsBackWhatMightFollowItsNextEvent()
{
    EventLog log(1024);
    EventDrain drain(log);
    Gate gate;
    std::atomic<bool> stop { false };
    // A streaming context that has recorded and is neither parked nor closed: the reader
    // cannot know that its next event will not come first.
    const ThreadContext running { { Role::Consumer, 0 }, &log, &gate, &stop, nullptr, nullptr,
        true };
    running.record({ .kind = EventKind::ThreadStart });
    running.record({ .kind = EventKind::Consume });
    for (int i = 0; i < 10; ++i)
        log.record({ .value = i, .thread = { Role::Producer, 0 }, .kind = EventKind::Produce });
    const std::vector<Event> first = drainAll(drain);
    QVERIFY(!drain.caughtUp());
    QVERIFY(first.size() < 12u);
    {
        const ThreadContext::Parking parking(running);
        QCOMPARE(drainAll(drain).size() + first.size(), 12u);
    }
    QVERIFY(drain.caughtUp());
    running.close();
}

void TestEventLog::overwritingLaneReportsWhatASlowReaderMissed()
{
    EventLog log(8);
    EventDrain drain(log);
    for (int i = 0; i < 20; ++i)
        log.record({ .value = i, .kind = EventKind::Produce });
    const std::vector<Event> events = drainAll(drain);
    QVERIFY(!events.empty());
    QVERIFY(events.size() <= 8u);
    QCOMPARE(drain.skipped() + events.size(), 20u);
    // What it read is the newest, in order, numbered from 0.
    for (std::size_t i = 0; i < events.size(); ++i) {
        QCOMPARE(events[i].value, std::int64_t(20 - events.size() + i));
        QCOMPARE(events[i].seq, std::uint64_t(i));
    }
}

void TestEventLog::aDrainReturnsWhileItsWritersKeepPace()
{
    // A writer that records one more event for every event read: a drain that chased it
    // would not come back to its caller (a headless run at full speed would not see Ctrl-C,
    // and under ThreadSanitizer a test waited for a whole run). It hands out what was
    // recorded before the call, and the next call goes on from there.
    EventLog log(1024);
    EventDrain drain(log, true);
    for (int i = 0; i < 300; ++i)
        log.record({ .value = i, .kind = EventKind::Produce });
    std::int64_t handed = 0;
    const auto keepPace = [&](const Event& e) {
        QCOMPARE(e.value, handed);
        ++handed;
        if (handed < 100'000) // a bound, so the old chase ends too
            log.record({ .value = handed + 299, .kind = EventKind::Produce });
    };
    QCOMPARE(drain.drain(keepPace), std::size_t(300));
    QCOMPARE(handed, std::int64_t(300));
    QCOMPARE(drain.drain(keepPace), std::size_t(300));
    QCOMPARE(handed, std::int64_t(600));
}

void TestEventLog::closedLanesServeLaterThreads()
{
    EventLog log(128);
    EventDrain drain(log);
    Gate gate;
    std::atomic<bool> stop { false };
    std::vector<Event> events;
    for (int t = 0; t < 100; ++t) {
        std::thread([&, t] {
            const ThreadContext ctx { { Role::Consumer, std::uint16_t(t) }, &log, &gate, &stop,
                nullptr, nullptr, true };
            ctx.record({ .value = t, .kind = EventKind::ThreadStart });
        }).join();
        const std::vector<Event> read = drainAll(drain);
        events.insert(events.end(), read.begin(), read.end());
    }
    QVERIFY(log.laneCount() <= 2u); // the shared lane and one reused by all
    QCOMPARE(events.size(), 100u);
    for (std::size_t i = 0; i < events.size(); ++i)
        QCOMPARE(events[i].value, std::int64_t(i));
}

void TestEventLog::aThreadThatEndedUnreadIsNotHiddenByTheNextOne()
{
    // A run over before the window first reads: the window skips to each lane's newest
    // events, so a second thread on the first one's lane would hide the first one entirely.
    EventLog log(128);
    EventDrain drain(log);
    Gate gate;
    std::atomic<bool> stop { false };
    const auto runThread = [&](ThreadRef self, int events) {
        std::thread([&, self, events] {
            const ThreadContext ctx { self, &log, &gate, &stop, nullptr, nullptr, true };
            for (int i = 0; i < events; ++i)
                ctx.record({ .value = i, .kind = EventKind::Produce });
        }).join();
    };
    const ThreadRef first { Role::Producer, 0 };
    const ThreadRef second { Role::Consumer, 0 };
    runThread(first, 50);
    runThread(second, 100);
    drain.skipToNewest(10);
    bool sawFirst = false;
    bool sawSecond = false;
    drain.drain([&](const Event& e) {
        sawFirst = sawFirst || e.thread == first;
        sawSecond = sawSecond || e.thread == second;
    });
    QVERIFY(sawFirst);
    QVERIFY(sawSecond);

    // Read through, the first thread's lane serves the next thread.
    const std::size_t lanes = log.laneCount();
    runThread({ Role::Producer, 1 }, 5);
    QCOMPARE(log.laneCount(), lanes);
}

void TestEventLog::resetEmptiesTheLog()
{
    EventLog log(8);
    EventDrain drain(log);
    log.record({ .kind = EventKind::Produce });
    QCOMPARE(drainAll(drain).size(), 1u);
    log.reset();
    QCOMPARE(log.recorded(), 0u);
    log.record({ .kind = EventKind::Put });
    const std::vector<Event> events = drainAll(drain);
    QCOMPARE(events.size(), 1u);
    QCOMPARE(events.front().kind, EventKind::Put);
    QCOMPARE(events.front().seq, 0u);
}

void TestEventLog::timestampsDoNotRunBackwardsOnOneThread()
{
    EventLog log(4096);
    EventDrain drain(log);
    Gate gate;
    std::atomic<bool> stop { false };
    const ThreadContext ctx { { Role::Producer, 0 }, &log, &gate, &stop, nullptr, nullptr, true };
    for (int i = 0; i < 4000; ++i)
        ctx.record({ .kind = EventKind::Produce });
    ctx.close();
    const std::vector<Event> events = drainAll(drain);
    QCOMPARE(events.size(), 4000u);
    for (std::size_t i = 1; i < events.size(); ++i)
        QVERIFY(events[i].tNs >= events[i - 1].tNs);
}

void TestEventLog::kindAndThreadNamesRoundTrip()
{
    for (int k = 0; k < EventKindCount; ++k)
        QCOMPARE(
            kindFromName(QString::fromLatin1(kindName(EventKind(k)))), std::optional(EventKind(k)));
    QVERIFY(!kindFromName(u"nosuch"));
    for (const ThreadRef ref : { ThreadRef { Role::Producer, 0 }, ThreadRef { Role::Consumer, 63 },
             ThreadRef { Role::Main, 0 }, ThreadRef { Role::Control, 0 } })
        QVERIFY(ThreadRef::fromName(ref.name()) == ref);
    for (const char* bad : { "", "P", "X1", "P-1", "P+1", "C70000", "mainly" })
        QVERIFY2(!ThreadRef::fromName(QString::fromLatin1(bad)), bad);
}

// The figure the GUI and --perf-report show: a real measurement (positive, finite), taken once
// so that every reading in a session agrees.
void TestEventLog::probeCostIsAPositiveFigureMeasuredOnce()
{
    const double fresh = ProbeCost::measure(1000, 2);
    QVERIFY2(fresh > 0 && std::isfinite(fresh), qPrintable(QString::number(fresh)));
    const double calibrated = ProbeCost::nsPerEvent();
    QVERIFY2(calibrated > 0 && std::isfinite(calibrated), qPrintable(QString::number(calibrated)));
    QCOMPARE(ProbeCost::nsPerEvent(), calibrated);
}

QTEST_GUILESS_MAIN(TestEventLog)

#include "tst_eventlog.moc"
