// SPDX-License-Identifier: GPL-3.0-or-later
// The secure producer-consumer: for each switch, its fault with the switch off fails in the
// way the course describes and the checker says so; with the switch on the same fault is
// contained. Runs that must interleave in one exact way are stepped, so nothing here waits
// for a lucky schedule.

#include "presets.h"
#include "runharness.h"
#include "tokenbucket.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTest>

using namespace pcviz;
using Switch = SecureOptions::Switch;

namespace {

QString violationText(const Checker& checker)
{
    return QString::fromUtf8(
        QJsonDocument(checker.violationsJson()).toJson(QJsonDocument::Compact));
}

// Every switch on, no fault, a limit too high to matter: each test changes what it studies.
Scenario secureScenario(qint64 items, int consumers = 3)
{
    Scenario s;
    s.name = QStringLiteral("secure-test");
    s.strategy = QStringLiteral("pyqueue");
    s.capacity = 8;
    s.producers = 1;
    s.consumers = consumers;
    s.items = items;
    s.mainProduces = true;
    s.join = true;
    s.secure.enabled = true;
    s.secure.switches.fill(true);
    s.secure.rateLimit = SecureOptions::MaxRateLimit;
    s.secure.burst = SecureOptions::MaxBurst;
    s.secure.timeoutMs = 50;
    return s;
}

Scenario withFault(Scenario s, Switch which, bool switchOn)
{
    s.secure.setFault(which, true);
    s.secure.setOn(which, switchOn);
    return s;
}

// A stepped run: main moves whenever it can, else the consumers in turn. Ends when no thread
// is parked (all done, or all blocked), then stops the engine and folds the rest.
struct SteppedRun {
    std::unique_ptr<Checker> checker;
    bool finished = false;
    std::uint64_t appendEvents = 0;
};

class Stepper {
public:
    explicit Stepper(Engine& engine)
        : m_engine(engine)
        , m_checker(std::make_unique<Checker>(RunInfo { engine.scenario(), engine.objects() }))
        , m_drain(engine.log(), true)
    {
        m_engine.start(Engine::StartMode::Stepping);
        m_engine.waitUntilSettled();
    }

    void drain()
    {
        m_drain.drain([this](const Event& e) {
            m_checker->apply(e);
            m_appends += e.kind == EventKind::Append;
        });
    }
    std::optional<Gate::Parked> parked(ThreadRef thread) const
    {
        for (const Gate::Parked& p : m_engine.gate().parked()) {
            if (p.thread == thread)
                return p;
        }
        return std::nullopt;
    }
    /// Steps thread until pred() holds or it is no longer parked; false if it never held.
    bool stepUntil(ThreadRef thread, const std::function<bool()>& pred, int maxSteps = 1000)
    {
        for (int i = 0; i < maxSteps; ++i) {
            drain();
            if (pred())
                return true;
            if (!parked(thread) || m_engine.step(thread) != Gate::StepResult::Done)
                return false;
        }
        return false;
    }
    /// Main first, then the consumers round robin, until nobody is parked.
    void runOut(int maxSteps = 100'000)
    {
        std::size_t turn = 0;
        for (int i = 0; i < maxSteps; ++i) {
            drain();
            const std::vector<Gate::Parked> all = m_engine.gate().parked();
            if (all.empty())
                return;
            ThreadRef next = all[turn++ % all.size()].thread;
            for (const Gate::Parked& p : all) {
                if (p.thread.role == Role::Main)
                    next = p.thread;
            }
            m_engine.step(next);
        }
    }
    SteppedRun finish()
    {
        // Once main has gone, the daemons are killed and the gate opened: wait for them.
        const QDeadlineTimer guard(20000);
        while (!m_engine.threadsDone() && !guard.hasExpired()) {
            drain();
            if (!m_engine.gate().parked().empty() || m_checker->deadlocked(m_engine.threadsAlive()))
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        SteppedRun run;
        run.finished = m_engine.threadsDone();
        m_engine.stop();
        drain();
        if (run.finished)
            m_checker->finish();
        run.appendEvents = m_appends;
        run.checker = std::move(m_checker);
        return run;
    }

private:
    Engine& m_engine;
    std::unique_ptr<Checker> m_checker;
    EventDrain m_drain;
    std::uint64_t m_appends = 0;
};

constexpr ThreadRef Main { Role::Main, 0 };
constexpr ThreadRef C0 { Role::Consumer, 0 };
constexpr ThreadRef C1 { Role::Consumer, 1 };

} // namespace

class TestSecure : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tokenBucketGivesTheBurstThenOneTokenPerPeriod();
    void secureOptionsRoundTripThroughAScenarioFile();
    void secureOptionsRejectUnknownKeysNamingTheField_data();
    void secureOptionsRejectUnknownKeysNamingTheField();
    void presetSecureRunsCleanlyWithItsGentleFaultContained();
    void floodGrowsAnUnboundedQueueAndTheBoundHoldsIt_data();
    void floodGrowsAnUnboundedQueueAndTheBoundHoldsIt();
    void stalledConsumerHangsAPlainPutAndTimesOutATimedOne_data();
    void stalledConsumerHangsAPlainPutAndTimesOutATimedOne();
    void raisingConsumerHangsJoinUnlessTaskDoneIsInFinally_data();
    void raisingConsumerHangsJoinUnlessTaskDoneIsInFinally();
    void stopNowLosesItemsInFlightUnlessPoisonPillsDrainThem_data();
    void stopNowLosesItemsInFlightUnlessPoisonPillsDrainThem();
    void malformedItemsReachTheResultsUnlessValidatedIntoDeadLetters_data();
    void malformedItemsReachTheResultsUnlessValidatedIntoDeadLetters();
    void burstExceedsTheRateLimitUnlessTheBucketThrottlesIt_data();
    void burstExceedsTheRateLimitUnlessTheBucketThrottlesIt();
    void concurrentAppendsLoseAResultUnlessUnderTheLock_data();
    void concurrentAppendsLoseAResultUnlessUnderTheLock();
};

void TestSecure::tokenBucketGivesTheBurstThenOneTokenPerPeriod()
{
    // 100 tokens a second (one per 10 ms), bursts of 3.
    TokenBucket bucket(100, 3);
    const std::int64_t ms = 1'000'000;
    for (int i = 0; i < 3; ++i)
        QCOMPARE(bucket.take(0), 0);
    // The waits are rounded up, never down: a token is never promised early.
    const auto near = [](std::int64_t wait, std::int64_t expected) {
        return wait >= expected && wait <= expected + 1;
    };
    QVERIFY(near(bucket.take(0), 10 * ms));
    QVERIFY(near(bucket.take(4 * ms), 6 * ms));
    QCOMPARE(bucket.take(10 * ms), 0);
    QVERIFY(bucket.take(10 * ms) > 0);
    // A long pause refills only up to the burst.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(bucket.take(1000 * ms), 0);
    QVERIFY(bucket.take(1000 * ms) > 0);
}

void TestSecure::secureOptionsRoundTripThroughAScenarioFile()
{
    Scenario s = secureScenario(50);
    s.secure.setOn(Switch::Bounded, false);
    s.secure.setFault(Switch::Timeouts, true);
    s.secure.rateLimit = 123.5;
    s.secure.burst = 7;
    s.secure.timeoutMs = 321;
    QCOMPARE(s.validate(), QString());
    QString error;
    const auto back = Scenario::fromJson(
        QJsonDocument(s.toJson()).toJson(), QStringLiteral("round trip"), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->secure, s.secure);
    QCOMPARE(back->runCapacity(), 0);
    QVERIFY(!back->consumersAreDaemons());
    s.secure.setOn(Switch::PoisonPill, false);
    QVERIFY(s.consumersAreDaemons());
}

void TestSecure::secureOptionsRejectUnknownKeysNamingTheField_data()
{
    QTest::addColumn<QString>("secureJson");
    QTest::addColumn<QString>("field");
    QTest::newRow("unknown switch") << R"({"switches": {"boundd": true}})"
                                    << "secure.switches.\"boundd\"";
    QTest::newRow("unknown fault") << R"({"faults": {"fire": true}})"
                                   << "secure.faults.\"fire\"";
    QTest::newRow("switch not a boolean") << R"({"switches": {"bounded": 1}})"
                                          << "secure.switches.bounded";
    QTest::newRow("unknown key") << R"({"shield": true})"
                                 << "secure.\"shield\"";
    QTest::newRow("timeout out of range") << R"({"timeout_ms": 0})"
                                          << "secure.timeout_ms";
    QTest::newRow("rate as text") << R"({"rate_limit": "fast"})"
                                  << "secure.rate_limit";
    QTest::newRow("burst fraction") << R"({"burst": 2.5})"
                                    << "secure.burst";
    QTest::newRow("not an object") << R"([])"
                                   << "secure";
}

void TestSecure::secureOptionsRejectUnknownKeysNamingTheField()
{
    QFETCH(QString, secureJson);
    QFETCH(QString, field);
    QJsonObject o = secureScenario(10).toJson();
    o.remove(QStringLiteral("secure"));
    QString text = QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    text.chop(1);
    text += QStringLiteral(",\"secure\":%1}").arg(secureJson);
    QString error;
    QVERIFY(!Scenario::fromJson(text.toUtf8(), QStringLiteral("f.json"), &error));
    QVERIFY2(error.contains(field), qPrintable(error));
}

void TestSecure::presetSecureRunsCleanlyWithItsGentleFaultContained()
{
    QString error;
    auto s = Presets::load(QStringLiteral("secure"), &error);
    QVERIFY2(s, qPrintable(error));
    for (const Switch w : SecureOptions::AllSwitches)
        QVERIFY2(s->secure.on(w), qPrintable(SecureOptions::switchKey(w)));
    s->items = test::scaled(s->items);
    s->consumeRate = RateModel::Max;
    s->secure.rateLimit = SecureOptions::MaxRateLimit;
    Engine engine;
    QVERIFY(engine.setScenario(*s));
    const test::RunResult run = test::runUntilDoneOrDeadlocked(engine);
    QVERIFY(run.finished);
    QVERIFY2(run.checker->violations() == 0, qPrintable(violationText(*run.checker)));
    const auto& counts = run.checker->state().secure();
    QVERIFY(counts.joinReturned);
    QCOMPARE(counts.deadLetters, std::uint64_t(s->items / SecureOptions::MalformedEvery));
    QCOMPARE(counts.resultsLength, s->items - s->items / SecureOptions::MalformedEvery);
    QCOMPARE(counts.pillsTaken, std::uint64_t(s->consumers));
}

void TestSecure::floodGrowsAnUnboundedQueueAndTheBoundHoldsIt_data()
{
    QTest::addColumn<bool>("bounded");
    QTest::newRow("unbounded") << false;
    QTest::newRow("bounded") << true;
}

// The flood puts every item before the consumers start (they start early only when the queue
// refuses one), so the peak is exact: every item without a bound, the bound with one.
void TestSecure::floodGrowsAnUnboundedQueueAndTheBoundHoldsIt()
{
    QFETCH(bool, bounded);
    const qint64 items = test::scaled(2000);
    Engine engine;
    QVERIFY(engine.setScenario(withFault(secureScenario(items), Switch::Bounded, bounded)));
    const test::RunResult run = test::runUntilDoneOrDeadlocked(engine);
    QVERIFY(run.finished);
    const Checker& checker = *run.checker;
    if (bounded) {
        QCOMPARE(checker.state().maxCount(), 8);
        QVERIFY2(checker.violations() == 0, qPrintable(violationText(checker)));
    } else {
        // Every item, and perhaps the pills put behind them before a consumer woke.
        QVERIFY(checker.state().maxCount() >= int(items));
        QVERIFY(checker.state().maxCount() <= int(items) + 3);
        QCOMPARE(checker.count(Violation::Kind::Exhaustion), 1u);
        QCOMPARE(checker.violations(), 1u);
    }
    QCOMPARE(checker.state().secure().resultsLength, items);
}

void TestSecure::stalledConsumerHangsAPlainPutAndTimesOutATimedOne_data()
{
    QTest::addColumn<bool>("timeouts");
    QTest::newRow("blocking put") << false;
    QTest::newRow("put with timeout") << true;
}

// The consumers stall until production ends; the producer fills the bound and then either
// waits for ever (the detector names the cycle) or gives up after its timeout and says so.
void TestSecure::stalledConsumerHangsAPlainPutAndTimesOutATimedOne()
{
    QFETCH(bool, timeouts);
    const qint64 items = test::scaled(200);
    Engine engine;
    QVERIFY(engine.setScenario(withFault(secureScenario(items), Switch::Timeouts, timeouts)));
    const test::RunResult run = test::runUntilDoneOrDeadlocked(engine, {}, 60000);
    const Checker& checker = *run.checker;
    if (!timeouts) {
        QVERIFY(run.deadlocked);
        QCOMPARE(checker.count(Violation::Kind::Deadlock), 1u);
        const QString text = violationText(checker);
        QVERIFY2(text.contains(QStringLiteral("main waits for not_full")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("stalled consumer")), qPrintable(text));
        QCOMPARE(checker.state().secure().putTimeouts, 0u);
    } else {
        QVERIFY(run.finished);
        QVERIFY2(checker.violations() == 0, qPrintable(violationText(checker)));
        // The producer gives up on the first item that did not fit in time.
        QCOMPARE(checker.state().secure().putTimeouts, 1u);
        QCOMPARE(checker.state().produced(), 9u);
        QVERIFY(checker.state().secure().joinReturned);
        QCOMPARE(checker.state().secure().resultsLength, 8);
    }
}

void TestSecure::raisingConsumerHangsJoinUnlessTaskDoneIsInFinally_data()
{
    QTest::addColumn<bool>("inFinally");
    QTest::addColumn<bool>("pills");
    QTest::newRow("no finally, daemons") << false << false;
    QTest::newRow("no finally, pills") << false << true;
    QTest::newRow("finally, daemons") << true << false;
    QTest::newRow("finally, pills") << true << true;
}

void TestSecure::raisingConsumerHangsJoinUnlessTaskDoneIsInFinally()
{
    QFETCH(bool, inFinally);
    QFETCH(bool, pills);
    const qint64 items = test::scaled(200);
    Scenario s = withFault(secureScenario(items), Switch::TaskDoneFinally, inFinally);
    s.secure.setOn(Switch::PoisonPill, pills);
    Engine engine;
    QVERIFY(engine.setScenario(s));
    const test::RunResult run = test::runUntilDoneOrDeadlocked(engine, {}, 60000);
    const Checker& checker = *run.checker;
    QCOMPARE(run.skipped, 0u);
    QVERIFY2(checker.state().secure().raised == 1,
        qPrintable(QStringLiteral("raised %1, finished %2, deadlocked %3, consumed %4: %5")
                       .arg(checker.state().secure().raised)
                       .arg(run.finished)
                       .arg(run.deadlocked)
                       .arg(checker.state().consumed())
                       .arg(violationText(checker))));
    if (!inFinally) {
        QVERIFY(run.deadlocked);
        QVERIFY(!checker.state().secure().joinReturned);
        const QString text = violationText(checker);
        QVERIFY2(text.contains(QStringLiteral("join can never return")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("no live consumer will call task_done")),
            qPrintable(text));
    } else {
        QVERIFY(run.finished);
        QVERIFY2(checker.violations() == 0, qPrintable(violationText(checker)));
        QVERIFY(checker.state().secure().joinReturned);
        QCOMPARE(checker.state().secure().resultsLength, items - 1);
    }
}

void TestSecure::stopNowLosesItemsInFlightUnlessPoisonPillsDrainThem_data()
{
    QTest::addColumn<bool>("pills");
    QTest::newRow("daemons killed at exit") << false;
    QTest::newRow("poison pills") << true;
}

// Stepped, main first: consumers move only while main is blocked, so when main stops the
// queue still holds its last items.
void TestSecure::stopNowLosesItemsInFlightUnlessPoisonPillsDrainThem()
{
    QFETCH(bool, pills);
    const qint64 items = 30;
    Engine engine;
    QVERIFY(engine.setScenario(withFault(secureScenario(items, 2), Switch::PoisonPill, pills)));
    Stepper stepper(engine);
    stepper.runOut();
    const SteppedRun run = stepper.finish();
    QVERIFY(run.finished);
    const Checker& checker = *run.checker;
    if (!pills) {
        QVERIFY(checker.count(Violation::Kind::LostInFlight) > 0);
        QCOMPARE(checker.count(Violation::Kind::LostInFlight),
            std::uint64_t(items) - checker.state().consumed());
        QVERIFY(!checker.state().secure().joinReturned);
    } else {
        QVERIFY2(checker.violations() == 0, qPrintable(violationText(*run.checker)));
        QCOMPARE(checker.state().consumed(), std::uint64_t(items));
        QCOMPARE(checker.state().secure().pillsTaken, 2u);
        QVERIFY(checker.state().secure().joinReturned);
    }
}

void TestSecure::malformedItemsReachTheResultsUnlessValidatedIntoDeadLetters_data()
{
    QTest::addColumn<bool>("validation");
    QTest::newRow("no validation") << false;
    QTest::newRow("validation") << true;
}

void TestSecure::malformedItemsReachTheResultsUnlessValidatedIntoDeadLetters()
{
    QFETCH(bool, validation);
    const qint64 items = test::scaled(1000);
    const qint64 malformed = items / SecureOptions::MalformedEvery;
    Engine engine;
    QVERIFY(engine.setScenario(withFault(secureScenario(items), Switch::Validation, validation)));
    std::vector<std::int64_t> consumedValues;
    const test::RunResult run = test::runUntilDoneOrDeadlocked(engine, [&](const Event& e) {
        if (e.kind == EventKind::Consume)
            consumedValues.push_back(e.value);
    });
    QVERIFY(run.finished);
    const Checker& checker = *run.checker;
    const qint64 negative = std::count_if(
        consumedValues.begin(), consumedValues.end(), [](std::int64_t v) { return v < 0; });
    if (!validation) {
        QCOMPARE(negative, malformed);
        QCOMPARE(checker.count(Violation::Kind::Unvalidated), std::uint64_t(malformed));
        QCOMPARE(checker.state().secure().deadLetters, 0u);
    } else {
        QCOMPARE(negative, 0);
        QVERIFY2(checker.violations() == 0, qPrintable(violationText(checker)));
        QCOMPARE(checker.state().secure().deadLetters, std::uint64_t(malformed));
        QCOMPARE(checker.state().secure().resultsLength, items - malformed);
    }
}

void TestSecure::burstExceedsTheRateLimitUnlessTheBucketThrottlesIt_data()
{
    QTest::addColumn<bool>("limited");
    QTest::newRow("no limit") << false;
    QTest::newRow("token bucket") << true;
}

// The limit is 1000 items/s with bursts of 5. Throttled, the run cannot be faster than the
// bucket allows, whatever the machine; unthrottled, the burst makes its items far faster than
// that (a measured rate, so the margin is wide: 200 items within 0.2 s).
void TestSecure::burstExceedsTheRateLimitUnlessTheBucketThrottlesIt()
{
    QFETCH(bool, limited);
    const qint64 items = test::scaled(200);
    Scenario s = withFault(secureScenario(items), Switch::RateLimit, limited);
    s.secure.rateLimit = 1000;
    s.secure.burst = 5;
    s.produceRate = 10; // the pace the burst ignores
    Engine engine;
    QVERIFY(engine.setScenario(s));
    QElapsedTimer clock;
    clock.start();
    const test::RunResult run = test::runUntilDoneOrDeadlocked(engine);
    const double seconds = clock.nsecsElapsed() / 1e9;
    QVERIFY(run.finished);
    const Checker& checker = *run.checker;
    const auto& counts = checker.state().secure();
    if (!limited) {
        QVERIFY(counts.rateExceeded > 0);
        QCOMPARE(checker.count(Violation::Kind::RateExceeded), counts.rateExceeded);
        QCOMPARE(counts.throttled, 0u);
    } else {
        QCOMPARE(counts.rateExceeded, 0u);
        QVERIFY2(checker.violations() == 0, qPrintable(violationText(checker)));
        QVERIFY(counts.throttled > 0);
        QVERIFY2(seconds >= double(items - 5) / 1000,
            qPrintable(QStringLiteral("%1 items in %2 s").arg(items).arg(seconds)));
    }
}

void TestSecure::concurrentAppendsLoseAResultUnlessUnderTheLock_data()
{
    QTest::addColumn<bool>("locked");
    QTest::newRow("no lock") << false;
    QTest::newRow("lock") << true;
}

// Stepped: C0 reads the list's length and parks before writing; C1 reads the same length;
// both write. Without the lock that loses one result; with it the interleaving cannot happen
// (there is no gate inside the lock), and the same steps lose nothing.
void TestSecure::concurrentAppendsLoseAResultUnlessUnderTheLock()
{
    QFETCH(bool, locked);
    const qint64 items = 6;
    Engine engine;
    QVERIFY(engine.setScenario(withFault(secureScenario(items, 2), Switch::LockedResults, locked)));
    Stepper stepper(engine);
    // main puts every item and its pills, then waits in join().
    QVERIFY(!stepper.stepUntil(Main, [] { return false; }));
    const auto atAppend = [&](ThreadRef t) {
        const auto p = stepper.parked(t);
        return p && p->next == GateAction::Append;
    };
    const bool c0 = stepper.stepUntil(
        C0, [&] { return atAppend(C0); }, 200);
    const bool c1 = stepper.stepUntil(
        C1, [&] { return atAppend(C1); }, 200);
    QCOMPARE(c0, !locked);
    QCOMPARE(c1, !locked);
    stepper.runOut();
    const SteppedRun run = stepper.finish();
    QVERIFY(run.finished);
    const Checker& checker = *run.checker;
    const auto& counts = checker.state().secure();
    QCOMPARE(counts.appends, std::uint64_t(items));
    QCOMPARE(run.appendEvents, std::uint64_t(items));
    // The independent recount: appends made less the list's final length.
    const std::uint64_t recount = counts.appends - std::uint64_t(counts.resultsLength);
    QCOMPARE(checker.count(Violation::Kind::LostResult), recount);
    QCOMPARE(engine.secureWorkload()->results().size(), std::size_t(counts.resultsLength));
    if (!locked) {
        QVERIFY(recount >= 1);
    } else {
        QCOMPARE(recount, 0u);
        QVERIFY2(checker.violations() == 0, qPrintable(violationText(checker)));
    }
}

QTEST_GUILESS_MAIN(TestSecure)
#include "tst_secure.moc"
