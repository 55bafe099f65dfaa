// SPDX-License-Identifier: GPL-3.0-or-later
// The charts turn the state into rates, occupancy and blocked shares over a sliding window.

#include "chartspanel.h"
#include "strategies/strategyregistry.h"

#include <QCategoryAxis>
#include <QLineSeries>
#include <QTest>
#include <QValueAxis>

using namespace pcviz;

namespace {
const ThreadRef P0 { Role::Producer, 0 };
const ThreadRef C0 { Role::Consumer, 0 };
} // namespace

class TestChartsPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void ratesOccupancyAndBlockedSharesFollowTheState();
    void windowDropsOldSamples();
    void ratesComeFromTheRunsCountsWhenGiven();
    void axesEndOnRoundNumbersAndRatesReadCompactly();
};

void TestChartsPanel::ratesOccupancyAndBlockedSharesFollowTheState()
{
    Scenario s;
    s.capacity = 64;
    StateModel state(RunInfo { s, StrategyRegistry::create(s.strategy, s.capacity)->objects() });
    std::uint64_t seq = 0;
    std::int64_t ns = 0;
    int count = 0;
    const auto on = [&](Event e) {
        e.seq = seq++;
        e.tNs = ns;
        state.apply(e);
    };
    on({ .thread = P0, .kind = EventKind::ThreadStart });
    on({ .thread = C0, .kind = EventKind::ThreadStart });
    ChartsPanel charts;
    charts.sample(state, state.produced(), state.consumed()); // t = 0
    // One second: 10 items produced and put, none consumed; the consumer is blocked.
    on({ .count = 1, .thread = C0, .kind = EventKind::CondWait, .object = 2 });
    for (int i = 0; i < 10; ++i) {
        ns += 100'000'000;
        on({ .item = makeItemId(0, i), .thread = P0, .kind = EventKind::Produce });
        on({ .item = makeItemId(0, i),
            .slot = count,
            .count = count + 1,
            .thread = P0,
            .kind = EventKind::Put });
        ++count;
    }
    charts.sample(state, state.produced(), state.consumed()); // t = 1 s
    QCOMPARE(charts.producedSeries()->count(), 2);
    QCOMPARE(charts.producedSeries()->at(1), QPointF(1.0, 10.0));
    QCOMPARE(charts.consumedSeries()->at(1).y(), 0.0);
    QCOMPARE(charts.occupancySeries()->at(1).y(), 10.0);
    QCOMPARE(charts.consumersBlockedSeries()->at(1).y(), 100.0);
    QCOMPARE(charts.producersBlockedSeries()->at(1).y(), 0.0);
    // Samples closer together than a quarter second are merged into the next one.
    ns += 10'000'000;
    charts.sample(state, state.produced(), state.consumed());
    QCOMPARE(charts.producedSeries()->count(), 2);
}

void TestChartsPanel::windowDropsOldSamples()
{
    Scenario s;
    StateModel state(RunInfo { s, StrategyRegistry::create(s.strategy, s.capacity)->objects() });
    ChartsPanel charts;
    charts.setWindowSeconds(5);
    for (int i = 0; i <= 40; ++i) {
        state.apply({ .seq = std::uint64_t(i),
            .tNs = std::int64_t(i) * 500'000'000,
            .thread = P0,
            .kind = EventKind::ThreadStart });
        charts.sample(state, state.produced(), state.consumed());
    }
    // 20 s of samples every 0.5 s, a 5 s window: 10 intervals plus the one at its left edge.
    QCOMPARE(charts.producedSeries()->count(), 12);
    QCOMPARE(charts.producedSeries()->at(charts.producedSeries()->count() - 1).x(), 20.0);
    charts.clear();
    QCOMPARE(charts.producedSeries()->count(), 0);
}

void TestChartsPanel::ratesComeFromTheRunsCountsWhenGiven()
{
    // A window that fell behind folded none of these items: the engine's counts carry them.
    Scenario s;
    StateModel state(RunInfo { s, StrategyRegistry::create(s.strategy, s.capacity)->objects() });
    ChartsPanel charts;
    state.apply({ .seq = 0, .tNs = 0, .thread = P0, .kind = EventKind::ThreadStart });
    charts.sample(state, 0, 0);
    state.apply({ .seq = 1, .tNs = 2'000'000'000, .thread = C0, .kind = EventKind::ThreadStart });
    charts.sample(state, 3000, 2400);
    QCOMPARE(state.produced(), std::uint64_t(0));
    QCOMPARE(charts.producedSeries()->at(1), QPointF(2.0, 1500.0));
    QCOMPARE(charts.consumedSeries()->at(1), QPointF(2.0, 1200.0));
    // Counts that go back (a new run before the charts were cleared) make no negative rate.
    state.apply(
        { .seq = 2, .tNs = 3'000'000'000, .thread = C0, .kind = EventKind::Lock, .object = 0 });
    charts.sample(state, 10, 10);
    QCOMPARE(charts.producedSeries()->at(2).y(), 0.0);
}

void TestChartsPanel::axesEndOnRoundNumbersAndRatesReadCompactly()
{
    // Projected in a lecture, "4891405" and "2445703" could not be read at a glance.
    Scenario s;
    StateModel state(RunInfo { s, StrategyRegistry::create(s.strategy, s.capacity)->objects() });
    ChartsPanel charts;
    std::uint64_t seq = 0;
    const auto at = [&](double seconds) {
        state.apply({ .seq = seq++,
            .tNs = std::int64_t(seconds * 1e9),
            .thread = P0,
            .kind = EventKind::ThreadStart });
    };
    at(0);
    charts.sample(state, 0, 0);
    at(1);
    charts.sample(state, 1500, 1200); // 1500 items/s at most
    QCOMPARE(charts.rateAxis()->min(), 0.0);
    QCOMPARE(charts.rateAxis()->max(), 2000.0);
    QCOMPARE(charts.rateAxis()->categoriesLabels(), (QStringList { "0", "1k", "2k" }));
    QCOMPARE(charts.rateAxis()->endValue(QStringLiteral("1k")), 1000.0);
    at(2);
    charts.sample(state, 1500 + 4'891'405, 1200 + 4'891'405);
    QCOMPARE(charts.rateAxis()->max(), 6e6);
    QCOMPARE(charts.rateAxis()->categoriesLabels(), (QStringList { "0", "3M", "6M" }));
    // Slow runs keep plain numbers; the labels follow the top down when the window empties.
    charts.clear();
    at(3);
    charts.sample(state, 0, 0);
    at(4);
    charts.sample(state, 30, 30);
    QCOMPARE(charts.rateAxis()->max(), 40.0);
    QCOMPARE(charts.rateAxis()->categoriesLabels(), (QStringList { "0", "20", "40" }));
    // Occupancy: an empty buffer still gives ticks 0, 1 and 2.
    QCOMPARE(charts.occupancyAxis()->max(), 2.0);
}

QTEST_MAIN(TestChartsPanel)
#include "tst_chartspanel.moc"
