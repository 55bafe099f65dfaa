// SPDX-License-Identifier: GPL-3.0-or-later
// The event log: gapless sequence numbers, every field round-trips, a lossless reader misses
// nothing from many writers, and a slow reader of an overwriting ring is told what it missed.

#include "eventdrain.h"
#include "eventlog.h"

#include <QTest>

#include <thread>
#include <vector>

using namespace pcviz;

class TestEventLog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void assignsGaplessSequenceNumbersFromZero();
    void roundTripsEveryField();
    void losslessReaderSeesEveryEventOfManyWritersInProgramOrder();
    void overwritingRingReportsWhatASlowReaderMissed();
    void atReturnsOnlyRetainedEvents();
    void resetEmptiesTheLog();
    void timestampsDoNotRunBackwardsOnOneThread();
    void kindAndThreadNamesRoundTrip();
};

void TestEventLog::assignsGaplessSequenceNumbersFromZero()
{
    EventLog log(64);
    for (int i = 0; i < 10; ++i)
        QCOMPARE(log.record({ .kind = EventKind::Produce }), std::uint64_t(i));
    QCOMPARE(log.recorded(), 10u);
}

void TestEventLog::roundTripsEveryField()
{
    EventLog log(16);
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
    Event out;
    std::uint64_t cursor = 0;
    QCOMPARE(log.read(cursor, &out, 1), 1u);
    QCOMPARE(cursor, 1u);
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
    std::vector<std::thread> writers;
    for (int w = 0; w < Writers; ++w) {
        writers.emplace_back([&log, w] {
            for (std::int64_t i = 0; i < PerWriter; ++i)
                log.record({ .value = i,
                    .thread = { Role::Producer, std::uint16_t(w) },
                    .kind = EventKind::Produce });
        });
    }
    std::vector<std::int64_t> next(Writers, 0);
    std::uint64_t expectedSeq = 0;
    bool inOrder = true;
    while (expectedSeq < Writers * PerWriter) {
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

void TestEventLog::overwritingRingReportsWhatASlowReaderMissed()
{
    EventLog log(8);
    for (int i = 0; i < 20; ++i)
        log.record({ .value = i, .kind = EventKind::Produce });
    std::uint64_t cursor = 0;
    std::uint64_t skipped = 0;
    Event events[32];
    const std::size_t n = log.read(cursor, events, 32, &skipped);
    QCOMPARE(n, 8u);
    QCOMPARE(skipped, 12u);
    QCOMPARE(events[0].seq, 12u);
    QCOMPARE(events[0].value, 12);
    QCOMPARE(events[7].seq, 19u);
    QCOMPARE(cursor, 20u);
}

void TestEventLog::atReturnsOnlyRetainedEvents()
{
    EventLog log(4);
    for (int i = 0; i < 6; ++i)
        log.record({ .value = i * 10, .kind = EventKind::Produce });
    Event e;
    QVERIFY(!log.at(1, e));
    QVERIFY(log.at(2, e));
    QCOMPARE(e.value, 20);
    QVERIFY(log.at(5, e));
    QVERIFY(!log.at(6, e));
}

void TestEventLog::resetEmptiesTheLog()
{
    EventLog log(8);
    log.record({ .kind = EventKind::Produce });
    log.reset();
    QCOMPARE(log.recorded(), 0u);
    Event e;
    QVERIFY(!log.at(0, e));
    QCOMPARE(log.record({ .kind = EventKind::Put }), 0u);
}

void TestEventLog::timestampsDoNotRunBackwardsOnOneThread()
{
    EventLog log(4096);
    for (int i = 0; i < 4000; ++i)
        log.record({ .kind = EventKind::Produce });
    std::uint64_t cursor = 0;
    std::vector<Event> events(4000);
    QCOMPARE(log.read(cursor, events.data(), events.size()), 4000u);
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

QTEST_GUILESS_MAIN(TestEventLog)
#include "tst_eventlog.moc"
