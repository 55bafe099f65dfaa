// SPDX-License-Identifier: GPL-3.0-or-later
// The primitives table: passes QAbstractItemModelTester through a real run's states, and
// shows owners, semaphore values, waiters in order and Python's unfinished-task count.

#include "engine.h"
#include "eventdrain.h"
#include "presets.h"
#include "primitivesmodel.h"
#include "strategies/strategyregistry.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace pcviz;

class TestPrimitivesModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void passesTheModelTesterThroughARealRun_data();
    void passesTheModelTesterThroughARealRun();
    void showsOwnerValueAndWaitersInOrder();
};

void TestPrimitivesModel::passesTheModelTesterThroughARealRun_data()
{
    QTest::addColumn<QString>("strategy");
    for (const QString& name : StrategyRegistry::correctNames())
        QTest::newRow(qPrintable(name)) << name;
}

void TestPrimitivesModel::passesTheModelTesterThroughARealRun()
{
    QFETCH(QString, strategy);
    Scenario s;
    s.strategy = strategy;
    s.capacity = 2;
    // Three producers and two consumers where the strategy serves them (lockfree-spsc: one).
    s.producers = StrategyRegistry::find(strategy)->threadLimit(3);
    s.consumers = StrategyRegistry::find(strategy)->threadLimit(2);
    s.items = 300;
    Engine engine;
    QVERIFY(engine.setScenario(s));
    PrimitivesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    StateModel state(RunInfo { s, engine.objects() });
    EventDrain drain(engine.log(), true);
    engine.start();
    int frames = 0;
    while (!(engine.threadsDone() && drain.caughtUp())) {
        drain.drain([&](const Event& e) { state.apply(e); });
        model.showState(state);
        ++frames;
    }
    engine.stop();
    QVERIFY(frames > 0);
    const int expectedRows = int(engine.objects().size()) + (strategy == u"pyqueue" ? 1 : 0);
    QCOMPARE(model.rowCount(), expectedRows);
}

void TestPrimitivesModel::showsOwnerValueAndWaitersInOrder()
{
    Scenario s;
    s.strategy = QStringLiteral("semaphore");
    s.capacity = 1;
    StateModel state(RunInfo { s, StrategyRegistry::create(s.strategy, 1)->objects() });
    std::uint64_t seq = 0;
    const auto on = [&](Event e) {
        e.seq = seq++;
        state.apply(e);
    };
    const ThreadRef c0 { Role::Consumer, 0 }, c1 { Role::Consumer, 1 }, p0 { Role::Producer, 0 };
    on({ .count = 0, .thread = c0, .kind = EventKind::SemWait, .object = 1 });
    on({ .count = 0, .thread = c1, .kind = EventKind::SemWait, .object = 1 });
    on({ .thread = p0, .kind = EventKind::Lock, .object = 2 });
    PrimitivesModel model;
    model.showState(state);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, PrimitivesModel::Name).data().toString(), QStringLiteral("empty"));
    QCOMPARE(model.index(0, PrimitivesModel::State).data().toString(), QStringLiteral("value 1"));
    QCOMPARE(model.index(1, PrimitivesModel::State).data().toString(), QStringLiteral("value 0"));
    QCOMPARE(model.index(1, PrimitivesModel::Waiting).data().toString(), QStringLiteral("C0, C1"));
    QCOMPARE(
        model.index(2, PrimitivesModel::State).data().toString(), QStringLiteral("held by P0"));
    on({ .value = 1,
        .count = 0,
        .thread = p0,
        .peer = c0,
        .kind = EventKind::SemRelease,
        .object = 1 });
    model.showState(state);
    QCOMPARE(model.index(1, PrimitivesModel::Waiting).data().toString(),
        QStringLiteral("C1; woken: C0"));
}

QTEST_MAIN(TestPrimitivesModel)
#include "tst_primitivesmodel.moc"
