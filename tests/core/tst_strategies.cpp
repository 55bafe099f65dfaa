// SPDX-License-Identifier: GPL-3.0-or-later
// Every strategy moves every item exactly once, in FIFO order, never over capacity, for several
// thread counts and capacities: checked from the event stream of real runs.

#include "runharness.h"
#include "strategies/strategyregistry.h"

#include <QJsonDocument>
#include <QTest>

using namespace pcviz;

class TestStrategies : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void movesEveryItemExactlyOnceInFifoOrderWithinCapacity_data();
    void movesEveryItemExactlyOnceInFifoOrderWithinCapacity();
    void recordsBufferEventsInsideTheCriticalSection_data();
    void recordsBufferEventsInsideTheCriticalSection();
};

void TestStrategies::movesEveryItemExactlyOnceInFifoOrderWithinCapacity_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<int>("producers");
    QTest::addColumn<int>("consumers");
    QTest::addColumn<int>("capacity");
    for (const QString& strategy : StrategyRegistry::correctNames()) {
        for (const auto& [p, c] : { std::pair { 1, 1 }, std::pair { 4, 4 }, std::pair { 8, 2 } }) {
            for (const int capacity : { 1, 3, 64 }) {
                QTest::addRow("%s %dP/%dC capacity %d", qPrintable(strategy), p, c, capacity)
                    << strategy << p << c << capacity;
            }
        }
    }
}

void TestStrategies::movesEveryItemExactlyOnceInFifoOrderWithinCapacity()
{
    QFETCH(QString, strategy);
    QFETCH(int, producers);
    QFETCH(int, consumers);
    QFETCH(int, capacity);
    const StrategyInfo* info = StrategyRegistry::find(strategy);
    if (std::max(producers, consumers) > info->threadLimit(Scenario::MaxThreads))
        QSKIP("the strategy serves fewer threads (the scenario refuses this shape)");

    Scenario s;
    s.strategy = strategy;
    s.producers = producers;
    s.consumers = consumers;
    s.capacity = capacity;
    const qint64 total = test::scaled(100'000);
    s.items = (total + producers - 1) / producers;
    Engine engine;
    QString error;
    QVERIFY2(engine.setScenario(s, &error), qPrintable(error));

    int maxCount = 0;
    const test::RunResult run = test::runToCompletion(engine, [&](const Event& e) {
        if (e.kind == EventKind::Put)
            maxCount = std::max(maxCount, int(e.count));
    });
    QVERIFY(run.finished);
    QCOMPARE(run.skipped, 0u);
    const Checker& checker = *run.checker;
    const QByteArray details
        = QJsonDocument(checker.violationsJson()).toJson(QJsonDocument::Compact);
    QVERIFY2(checker.violations() == 0, details.constData());
    QCOMPARE(checker.state().produced(), std::uint64_t(s.items * producers));
    QCOMPARE(checker.state().consumed(), std::uint64_t(s.items * producers));
    QCOMPARE(checker.state().gets(), checker.state().puts());
    QCOMPARE(checker.duplicated(), 0u);
    QCOMPARE(checker.lost(), 0u);
    QCOMPARE(checker.count(Violation::Kind::Fifo), 0u);
    QVERIFY(maxCount <= capacity);
    QVERIFY(checker.state().maxCount() <= capacity);
    // A lock-free ring's count is what its recording thread saw: never below the fold's.
    if (info->lockFree)
        QVERIFY(checker.state().maxCount() <= maxCount);
    else
        QCOMPARE(checker.state().maxCount(), maxCount);
    QCOMPARE(checker.state().buffer().count(), 0);
}

void TestStrategies::recordsBufferEventsInsideTheCriticalSection_data()
{
    QTest::addColumn<QString>("strategy");
    for (const QString& strategy : StrategyRegistry::correctNames())
        QTest::newRow(qPrintable(strategy)) << strategy;
}

// If a put or get were recorded outside the lock, two threads could record them in an order that
// disagrees with the buffer's real history; the fold then sees a slot or count it cannot
// reproduce. Many threads on two slots make such a disagreement likely if it were possible.
void TestStrategies::recordsBufferEventsInsideTheCriticalSection()
{
    QFETCH(QString, strategy);
    const int threads = std::min(6, StrategyRegistry::find(strategy)->threadLimit(6));
    Scenario s;
    s.strategy = strategy;
    s.producers = threads;
    s.consumers = threads;
    s.capacity = 2;
    s.items = test::scaled(5000);
    Engine engine;
    QVERIFY(engine.setScenario(s));
    const test::RunResult run = test::runToCompletion(engine);
    QVERIFY(run.finished);
    QCOMPARE(run.checker->count(Violation::Kind::Layout), 0u);
    QCOMPARE(run.checker->state().layoutMismatches(), 0u);
    QCOMPARE(run.checker->violations(), 0u);
}

QTEST_GUILESS_MAIN(TestStrategies)
#include "tst_strategies.moc"
