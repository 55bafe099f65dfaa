// SPDX-License-Identifier: GPL-3.0-or-later
// Stepping real threads: a schedule replays to the same events in the same order every time,
// a blocked thread cannot be stepped, and the policies choose as they say.

#include "engine.h"
#include "eventdrain.h"
#include "steppolicy.h"
#include "strategies/strategyregistry.h"

#include <QTest>

#include <tuple>
#include <vector>

using namespace pcviz;

namespace {
using Fingerprint = std::tuple<std::uint64_t, std::uint32_t, int, std::uint64_t, std::int64_t,
    std::int32_t, std::int32_t, int, std::uint32_t>;

Fingerprint fingerprint(const Event& e)
{
    return { e.seq, e.thread.packed(), int(e.kind), e.item, e.value, e.slot, e.count, e.object,
        e.peer.packed() };
}

Scenario scenarioFor(const QString& strategy)
{
    Scenario s;
    s.strategy = strategy;
    // Two of each where the strategy serves them (lockfree-spsc serves one).
    s.producers = StrategyRegistry::find(strategy)->threadLimit(2);
    s.consumers = s.producers;
    s.capacity = 2;
    s.items = 80 / s.producers; // enough for every stepped run below
    return s;
}

std::vector<ThreadRef> parkedThreads(Engine& engine)
{
    std::vector<ThreadRef> out;
    for (const Gate::Parked& p : engine.gate().parked())
        out.push_back(p.thread);
    return out;
}

std::uint8_t objectNamed(const Engine& engine, const char* name)
{
    for (const ObjectInfo& o : engine.objects()) {
        if (o.name == QLatin1String(name))
            return o.id;
    }
    return NoObject;
}

/// Steps the engine along schedule (or, where it runs out, by policy up to `steps`), and
/// returns the events of the stepped part of the run with the schedule it applied.
struct SteppedRun {
    std::vector<Fingerprint> events;
    std::vector<ThreadRef> schedule;
    bool allStepsDone = true;
};

SteppedRun runStepped(
    const Scenario& scenario, const std::vector<ThreadRef>& schedule, StepPolicy* policy, int steps)
{
    SteppedRun run;
    Engine engine;
    if (!engine.setScenario(scenario))
        return run;
    EventDrain drain(engine.log(), true);
    const auto collect = [&](const Event& e) { run.events.push_back(fingerprint(e)); };
    engine.start(Engine::StartMode::Stepping);
    engine.waitUntilSettled();
    for (int i = 0; i < steps; ++i) {
        std::optional<ThreadRef> next;
        if (std::size_t(i) < schedule.size())
            next = schedule[std::size_t(i)];
        else if (policy)
            next = policy->next(parkedThreads(engine));
        if (!next)
            break;
        if (engine.step(*next) != Gate::StepResult::Done) {
            run.allStepsDone = false;
            break;
        }
        run.schedule.push_back(*next);
        drain.drain(collect);
    }
    // What stop wakes is free-running again: only the stepped part is compared.
    engine.stop();
    return run;
}
} // namespace

class TestStepping : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aScheduleReplaysToTheSameEventsEveryTime_data();
    void aScheduleReplaysToTheSameEventsEveryTime();
    void aBlockedThreadCannotBeStepped();
    void pausedThreadsWaitAtTheirGatesUntilStepped();
    void roundRobinTakesThreadsInOrder();
    void aPermitNotTakenBeforeTheGateOpensForGoodIsForgotten();
    void randomPolicyRepeatsWithItsSeed();
};

void TestStepping::aScheduleReplaysToTheSameEventsEveryTime_data()
{
    QTest::addColumn<QString>("strategy");
    for (const QString& strategy : StrategyRegistry::correctNames())
        QTest::newRow(qPrintable(strategy)) << strategy;
}

void TestStepping::aScheduleReplaysToTheSameEventsEveryTime()
{
    QFETCH(QString, strategy);
    constexpr int Steps = 200;
    StepPolicy policy(StepPolicy::Kind::Random, 7);
    const SteppedRun first = runStepped(scenarioFor(strategy), {}, &policy, Steps);
    QVERIFY(first.allStepsDone);
    QCOMPARE(int(first.schedule.size()), Steps);
    QVERIFY(first.events.size() > std::size_t(Steps / 2));
    for (int replay = 0; replay < 20; ++replay) {
        const SteppedRun again = runStepped(scenarioFor(strategy), first.schedule, nullptr, Steps);
        QVERIFY(again.allStepsDone);
        QCOMPARE(again.schedule.size(), first.schedule.size());
        QCOMPARE(again.events.size(), first.events.size());
        for (std::size_t i = 0; i < first.events.size(); ++i) {
            if (again.events[i] != first.events[i])
                QFAIL(
                    qPrintable(QStringLiteral("replay %1 differs at event %2").arg(replay).arg(i)));
        }
    }
}

void TestStepping::aBlockedThreadCannotBeStepped()
{
    Scenario s = scenarioFor(QStringLiteral("monitor"));
    s.producers = 1;
    s.consumers = 1;
    Engine engine;
    QVERIFY(engine.setScenario(s));
    engine.start(Engine::StartMode::Stepping);
    QVERIFY(engine.waitUntilSettled());
    const ThreadRef consumer { Role::Consumer, 0 };
    // The consumer starts, enters get(), locks, finds the buffer empty and waits on not_empty.
    int steps = 0;
    for (; steps < 10; ++steps) {
        const Gate::StepResult result = engine.step(consumer);
        if (result == Gate::StepResult::NotParked)
            break;
        QCOMPARE(result, Gate::StepResult::Done);
    }
    QVERIFY2(steps < 10, "the consumer never blocked");
    bool blocked = false;
    for (const Gate::ThreadState& t : engine.gate().threads()) {
        if (t.thread == consumer) {
            blocked
                = t.state == Gate::State::Blocked && t.object == objectNamed(engine, "not_empty");
        }
    }
    QVERIFY(blocked);
    // The producer can still move, and its put wakes the consumer, which then parks again.
    const ThreadRef producer { Role::Producer, 0 };
    for (int i = 0; i < 10 && engine.step(consumer) == Gate::StepResult::NotParked; ++i)
        QCOMPARE(engine.step(producer), Gate::StepResult::Done);
    QCOMPARE(engine.step(consumer), Gate::StepResult::Done);
    engine.stop();
}

void TestStepping::pausedThreadsWaitAtTheirGatesUntilStepped()
{
    Engine engine;
    QVERIFY(engine.setScenario(scenarioFor(QStringLiteral("semaphore"))));
    EventDrain drain(engine.log(), true);
    engine.start(Engine::StartMode::Stepping);
    QVERIFY(engine.waitUntilSettled());
    // Every thread waits at its start gate and nothing has happened yet.
    QCOMPARE(engine.gate().parked().size(), std::size_t(4));
    for (const Gate::Parked& p : engine.gate().parked())
        QCOMPARE(p.next, GateAction::Start);
    QCOMPARE(drain.drain([](const Event&) {}), std::size_t(0));
    // One step moves one thread from its start to its next gate, and only that thread.
    QCOMPARE(engine.step({ Role::Producer, 1 }), Gate::StepResult::Done);
    std::vector<Event> events;
    drain.drain([&](const Event& e) { events.push_back(e); });
    QVERIFY(!events.empty());
    for (const Event& e : events)
        QCOMPARE(e.thread.name(), QStringLiteral("P1"));
    QCOMPARE(events.front().kind, EventKind::ThreadStart);
    QCOMPARE(engine.gate().parked().size(), std::size_t(4));
    engine.stop();
}

void TestStepping::roundRobinTakesThreadsInOrder()
{
    StepPolicy policy(StepPolicy::Kind::RoundRobin, 0);
    const std::vector<ThreadRef> all { { Role::Consumer, 1 }, { Role::Producer, 0 },
        { Role::Consumer, 0 } };
    QCOMPARE(policy.next(all)->name(), QStringLiteral("P0"));
    QCOMPARE(policy.next(all)->name(), QStringLiteral("C0"));
    QCOMPARE(policy.next(all)->name(), QStringLiteral("C1"));
    QCOMPARE(policy.next(all)->name(), QStringLiteral("P0"));
    // A thread that cannot move is passed over.
    QCOMPARE(policy.next({ { Role::Consumer, 1 } })->name(), QStringLiteral("C1"));
    QVERIFY(!policy.next({}));
    QCOMPARE(StepPolicy::fromName(u"random"), std::optional(StepPolicy::Kind::Random));
    QVERIFY(!StepPolicy::fromName(u"fifo"));
}

void TestStepping::randomPolicyRepeatsWithItsSeed()
{
    const std::vector<ThreadRef> all { { Role::Producer, 0 }, { Role::Producer, 1 },
        { Role::Consumer, 0 }, { Role::Consumer, 1 } };
    StepPolicy a(StepPolicy::Kind::Random, 42);
    StepPolicy b(StepPolicy::Kind::Random, 42);
    StepPolicy other(StepPolicy::Kind::Random, 43);
    int differences = 0;
    for (int i = 0; i < 100; ++i) {
        const ThreadRef fromA = *a.next(all);
        QVERIFY(fromA == *b.next(all));
        differences += fromA == *other.next(all) ? 0 : 1;
    }
    QVERIFY(differences > 0);
}

void TestStepping::aPermitNotTakenBeforeTheGateOpensForGoodIsForgotten()
{
    // Found by the GUI fuzz: a step permitted a thread just as the last producer of a join
    // run left and released the gate; the permit stayed, and every later step of that run
    // waited the whole step timeout for quiescence.
    Gate gate;
    gate.pause();
    Gate::Slot* slot = gate.slotFor(*ThreadRef::fromName(QStringLiteral("C0")));
    slot->state.store(Gate::State::Parked); // as a thread parked at its gate
    QVERIFY(gate.permit(slot->thread));
    gate.release(); // the thread leaves without taking its permit...
    gate.exited(slot); // ...and ends
    QVERIFY(gate.waitQuiescent(std::chrono::milliseconds(0)));
}

QTEST_GUILESS_MAIN(TestStepping)

#include "tst_stepping.moc"
