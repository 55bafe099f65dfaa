// SPDX-License-Identifier: GPL-3.0-or-later
// Going back in time: the state after any retained event, rebuilt from a checkpoint, is the
// state a fresh fold of the run up to that event gives; old events go in whole chunks.

#include "engine.h"
#include "eventdrain.h"
#include "eventhistory.h"
#include "runharness.h"

#include <QTest>

#include <random>
#include <vector>

using namespace pcviz;

namespace {
/// Everything the views draw, as text: equal text, equal pictures.
QString describe(const StateModel& s)
{
    QString out = QStringLiteral("count %1 in %2 out %3 applied %4 produced %5 consumed %6 "
                                 "puts %7 gets %8 unfinished %9\n")
                      .arg(s.count())
                      .arg(s.buffer().in())
                      .arg(s.buffer().out())
                      .arg(s.applied())
                      .arg(s.produced())
                      .arg(s.consumed())
                      .arg(s.puts())
                      .arg(s.gets())
                      .arg(s.unfinishedTasks());
    for (int i = 0; i < s.count(); ++i)
        out += s.itemLabel(s.buffer().fromOldest(i)) + u' ';
    out += u'\n';
    for (const ThreadView& t : s.threads()) {
        out += QStringLiteral("%1 task %2 blocked %3 on %4 item %5 done %6\n")
                   .arg(t.ref.name())
                   .arg(int(t.task))
                   .arg(int(t.blocked))
                   .arg(t.object)
                   .arg(s.itemLabel(t.item))
                   .arg(t.done);
    }
    for (const ObjectView& o : s.objects()) {
        out += QStringLiteral("%1 owner %2 value %3 waiting")
                   .arg(o.info.name, o.owner.name())
                   .arg(o.value);
        for (const ThreadRef w : o.waiting)
            out += u' ' + w.name();
        out += u'\n';
    }
    return out;
}

/// A real run's events, in seq order.
std::vector<Event> recordRun(const QString& strategy, qint64 items, RunInfo* info)
{
    Scenario s;
    s.strategy = strategy;
    s.producers = 2;
    s.consumers = 2;
    s.capacity = 3;
    s.items = items;
    Engine engine;
    if (!engine.setScenario(s))
        return {};
    std::vector<Event> events;
    const test::RunResult run
        = test::runToCompletion(engine, [&](const Event& e) { events.push_back(e); });
    *info = RunInfo { engine.scenario(), engine.objects() };
    if (!run.finished || run.skipped != 0)
        return {};
    return events;
}
} // namespace

class TestHistory : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stateAfterAnyEventEqualsAFreshFold_data();
    void stateAfterAnyEventEqualsAFreshFold();
    void oldEventsGoInWholeChunksAndTheRestStaysSeekable();
};

void TestHistory::stateAfterAnyEventEqualsAFreshFold_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::newRow("monitor") << QStringLiteral("monitor");
    QTest::newRow("semaphore") << QStringLiteral("semaphore");
    QTest::newRow("pyqueue") << QStringLiteral("pyqueue");
}

void TestHistory::stateAfterAnyEventEqualsAFreshFold()
{
    QFETCH(QString, strategy);
    RunInfo info;
    const std::vector<Event> events = recordRun(strategy, 3000, &info);
    QVERIFY(events.size() > 3 * EventHistory::CheckpointEvery);
    EventHistory history(info);
    StateModel live(info);
    for (const Event& e : events) {
        live.apply(e);
        history.append(e, live);
    }
    QCOMPARE(history.begin(), 0u);
    QCOMPARE(history.end(), std::uint64_t(events.size()));

    // Around every checkpoint, the ends, and random points: each against a fold from zero.
    std::vector<std::uint64_t> seqs { 0, events.size() - 1 };
    for (std::uint64_t k = EventHistory::CheckpointEvery; k < events.size();
         k += EventHistory::CheckpointEvery) {
        seqs.insert(seqs.end(), { k - 2, k - 1, k });
    }
    std::mt19937_64 random(3);
    for (int i = 0; i < 20; ++i)
        seqs.push_back(std::uniform_int_distribution<std::uint64_t>(0, events.size() - 1)(random));
    for (const std::uint64_t seq : seqs) {
        StateModel fresh(info);
        for (std::uint64_t s = 0; s <= seq; ++s)
            fresh.apply(events[s]);
        QCOMPARE(describe(history.stateAfter(seq)), describe(fresh));
        QCOMPARE(history.at(seq).seq, events[seq].seq);
    }
}

void TestHistory::oldEventsGoInWholeChunksAndTheRestStaysSeekable()
{
    RunInfo info;
    const std::vector<Event> events = recordRun(QStringLiteral("monitor"), 3000, &info);
    QVERIFY(events.size() > 5 * EventHistory::CheckpointEvery);
    constexpr std::size_t Keep = 2 * EventHistory::CheckpointEvery;
    EventHistory history(info, Keep);
    StateModel live(info);
    for (const Event& e : events) {
        live.apply(e);
        history.append(e, live);
        QVERIFY(history.end() - history.begin() < Keep + EventHistory::CheckpointEvery);
    }
    QVERIFY(history.begin() > 0);
    QCOMPARE(history.begin() % EventHistory::CheckpointEvery, 0u);
    QCOMPARE(history.end(), std::uint64_t(events.size()));
    // The oldest retained event and the newest rebuild exactly.
    for (const std::uint64_t seq : { history.begin(), history.begin() + 1, history.end() - 1 }) {
        StateModel fresh(info);
        for (std::uint64_t s = 0; s <= seq; ++s)
            fresh.apply(events[s]);
        QCOMPARE(describe(history.stateAfter(seq)), describe(fresh));
    }
    QCOMPARE(describe(history.stateAfter(history.end() - 1)), describe(live));
}

QTEST_GUILESS_MAIN(TestHistory)

#include "tst_history.moc"
