// SPDX-License-Identifier: GPL-3.0-or-later
// The results list keeps pace with a run left going flat out: it keeps the newest rows only, so
// memory stays flat, and it numbers them as the whole run appended them.

#include "eventhistory.h"
#include "resultsmodel.h"
#include "scenario.h"
#include "statemodel.h"
#include "strategies/strategyregistry.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace pcviz;

class TestResultsModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void keepsTheNewestRowsNumberedAsTheRunAppendedThem();
};

void TestResultsModel::keepsTheNewestRowsNumberedAsTheRunAppendedThem()
{
    Scenario scenario;
    const RunInfo info { scenario, StrategyRegistry::create(scenario.strategy, 8)->objects() };
    EventHistory history(info);
    StateModel state(info);
    ResultsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const ThreadRef consumer { Role::Consumer, 0 };
    std::uint64_t seq = 0;
    // Consumes only: the results list reads nothing else.
    const auto consume = [&](std::int64_t count) {
        for (std::int64_t i = 0; i < count; ++i, ++seq) {
            const std::int64_t value = std::int64_t(seq);
            const Event e { .seq = seq,
                .item = makeItemId(0, std::uint32_t(seq)),
                .value = value,
                .result = value * value,
                .thread = consumer,
                .kind = EventKind::Consume };
            state.apply(e);
            history.append(e, state);
        }
        model.follow(history, state, 1, 0);
    };
    consume(10);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.appended(), 10u);
    // Past the limit in small steps and then in one go larger than the limit itself.
    consume(ResultsModel::MaxRows - 5);
    consume(7);
    QCOMPARE(model.rowCount(), ResultsModel::MaxRows);
    QCOMPARE(model.appended(), std::uint64_t(ResultsModel::MaxRows) + 12);
    consume(ResultsModel::MaxRows + 3);
    QCOMPARE(model.rowCount(), ResultsModel::MaxRows);
    const std::uint64_t appended = std::uint64_t(ResultsModel::MaxRows) * 2 + 15;
    QCOMPARE(model.appended(), appended);
    // The first row kept is the oldest still kept, numbered as the run appended it.
    const std::uint64_t firstKept = appended - std::uint64_t(ResultsModel::MaxRows);
    QCOMPARE(
        model.data(model.index(0, ResultsModel::Index), Qt::DisplayRole).toULongLong(), firstKept);
    QCOMPARE(model.results().front().value, std::int64_t(firstKept));
    QCOMPARE(model.results().back().value, std::int64_t(appended - 1));
    QCOMPARE(model.data(model.index(0, ResultsModel::Pair), Qt::DisplayRole).toString(),
        QStringLiteral("(%1, %2)").arg(firstKept).arg(firstKept * firstKept));
    // Named as the buffer view names items, when shown.
    QCOMPARE(model.data(model.index(0, ResultsModel::Item), Qt::DisplayRole).toString(),
        QStringLiteral("P0.%1").arg(firstKept));
    // A new run, with its own history, starts the list afresh.
    model.follow(EventHistory(info), StateModel(info), 2, 0);
    QCOMPARE(model.appended(), 0u);
    QCOMPARE(model.rowCount(), 0);
    // The seed program's items are main's, and a run's rows are named after its own producers.
    Scenario seed = scenario;
    seed.mainProduces = true;
    const RunInfo seedInfo { seed, info.objects };
    EventHistory seedHistory(seedInfo);
    StateModel seedState(seedInfo);
    const Event e { .seq = 0,
        .item = makeItemId(0, 7),
        .value = 7,
        .result = 49,
        .thread = consumer,
        .kind = EventKind::Consume };
    seedState.apply(e);
    seedHistory.append(e, seedState);
    model.follow(seedHistory, seedState, 3, 0);
    QCOMPARE(model.data(model.index(0, ResultsModel::Item), Qt::DisplayRole).toString(),
        QStringLiteral("main.7"));
}

QTEST_GUILESS_MAIN(TestResultsModel)
#include "tst_resultsmodel.moc"
