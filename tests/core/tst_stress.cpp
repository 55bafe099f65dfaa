// SPDX-License-Identifier: GPL-3.0-or-later
// Seeded randomized stress: a random correct strategy, thread counts, capacity and rates, with
// random live changes every few milliseconds through the Engine's public API (counts up and
// down, capacity below the count, rate jumps, pause/step/resume, stop/start). After every run
// the whole event stream must show exactly-once, per-producer FIFO and 0 <= count <= capacity,
// no deadlock, and every thread gone once stopped. One run in five records nothing (--record
// off), where the lock-free rings take other paths: its counters must agree instead. Every choice
// comes from one seed, change i from a stream of its own; the time between changes is real, so a
// replay makes the same scenario and the same changes (a step picks among the threads parked at
// that moment, and a run may use up its items sooner or later), not the same interleaving. No check
// depends on timing.
//
// Short mode (CI): a handful of seeds. Replay one: PCVIZ_STRESS_SEED=n. Soak: set
// PCVIZ_STRESS_SECONDS=n and run the soak function (seeds from PCVIZ_STRESS_SEED, default 1).

#include "checker.h"
#include "engine.h"
#include "eventdrain.h"
#include "runharness.h"
#include "strategies/strategyregistry.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>

using namespace pcviz;
using namespace std::chrono_literals;

namespace {

// A run that has not ended this long after it was told to is hung, however slow the machine.
constexpr auto HangLimit = 120s;

QString replayCommand(std::uint64_t seed)
{
    return QStringLiteral("PCVIZ_STRESS_SEED=%1 %2 randomRunsKeepEveryInvariantUnderLiveChanges")
        .arg(seed)
        .arg(QCoreApplication::applicationFilePath());
}

/// What one session did, for the soak's report.
struct Tally {
    std::uint64_t sessions = 0;
    std::uint64_t runs = 0;
    std::uint64_t changes = 0;
    std::uint64_t steps = 0;
    std::uint64_t stepTimeouts = 0; // steps after which some thread did not settle in time
    std::uint64_t rejected = 0; // draws or changes that validation refused
    std::uint64_t items = 0; // items taken, over all runs
    std::uint64_t stopped = 0; // runs ended by stop rather than by finishing their items
    std::uint64_t cut = 0; // stopped runs whose trace the stop cut short: not checkable
    std::uint64_t unrecorded = 0; // runs with recording off: checked by their counters
};

/// Folds the event stream of one run on a thread of its own, so the main thread may block in
/// a step or a stop while the lossless log still drains. Also keeps an exact ledger of puts
/// and gets, independent of the checker.
class RunWatch {
public:
    // Before start(), the engine still holds the last run's strategy: the objects come from
    // the scenario about to run.
    explicit RunWatch(Engine& engine)
        : m_engine(engine)
        , m_checker(RunInfo { engine.scenario(),
              StrategyRegistry::create(engine.scenario().strategy, engine.scenario().capacity)
                  ->objects() })
        , m_drain(engine.log(), true)
    {
    }
    ~RunWatch() { finish(); }

    void begin()
    {
        m_thread = std::thread([this] { loop(); });
    }
    /// After the engine stopped: the last events, then the thread ends.
    void finish()
    {
        if (!m_thread.joinable())
            return;
        m_quit.store(true);
        m_thread.join();
        m_drain.drain([this](const Event& e) { apply(e); });
    }
    bool deadlocked() const { return m_deadlocked.load(); }
    /// Who waited for what when the deadlock was confirmed; set before deadlocked() is true.
    QString deadlock() const { return m_deadlocked.load() ? m_deadlock : QString(); }

    Checker& checker() { return m_checker; }
    std::uint64_t skipped() const { return m_drain.skipped(); }
    QString ledgerProblem() const { return m_problem; }
    std::uint64_t puts() const { return m_puts; }
    std::uint64_t gets() const { return m_gets; }
    /// Items produced whose put was never recorded: in a producer's hand when the run stopped.
    std::unordered_map<std::uint32_t, int> inHand() const
    {
        std::unordered_map<std::uint32_t, int> byThread;
        for (const auto& [item, thread] : m_produced)
            ++byThread[thread];
        return byThread;
    }

private:
    void loop()
    {
        int stuckPolls = 0;
        while (!m_quit.load()) {
            if (m_drain.drain([this](const Event& e) { apply(e); }) > 0) {
                stuckPolls = 0;
                continue;
            }
            if (m_drain.caughtUp() && !m_engine.threadsDone()
                && m_checker.deadlocked(m_engine.threadsAlive())) {
                // The headless runner's rule: the same stuck state on several quiet polls.
                if (++stuckPolls >= test::DeadlockConfirmations && !m_deadlocked.load()) {
                    // Described here, on the thread that owns the checker, as it stands now.
                    m_deadlock = describeDeadlock();
                    m_deadlocked.store(true);
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(test::DeadlockPollMs));
                continue;
            }
            stuckPolls = 0;
            std::this_thread::sleep_for(200us);
        }
    }

    QString describeDeadlock() const
    {
        QStringList threads;
        for (const ThreadView& t : m_checker.state().threads()) {
            if (t.alive())
                threads << QStringLiteral("%1 task %2 blocked %3 on %4")
                               .arg(t.ref.name())
                               .arg(int(t.task))
                               .arg(int(t.blocked))
                               .arg(int(t.object));
        }
        QStringList gate;
        for (const Gate::ThreadState& t : m_engine.gate().threads())
            gate << QStringLiteral("%1 %2").arg(t.thread.name()).arg(int(t.state));
        return QStringLiteral("%1; threads alive %2: %3; gate (0 running, 1 parked, 2 blocked, "
                              "3 exited): %4; paused %5")
            .arg(QString::fromUtf8(
                QJsonDocument(m_checker.waitCycle()).toJson(QJsonDocument::Compact)))
            .arg(m_engine.threadsAlive())
            .arg(threads.join(QStringLiteral(", ")))
            .arg(gate.join(QStringLiteral(", ")))
            .arg(m_engine.gate().isPaused());
    }

    void apply(const Event& e)
    {
        m_checker.apply(e);
        switch (e.kind) {
        case EventKind::Produce:
            m_produced.emplace(e.item, e.thread.packed());
            break;
        case EventKind::Put:
            ++m_puts;
            if (m_produced.erase(e.item) != 1)
                note(QStringLiteral("put of item %1 that was not produced (or put twice)"), e);
            if (!m_inBuffer.insert(e.item).second)
                note(QStringLiteral("item %1 put while already in the buffer"), e);
            if (e.count < 0)
                note(QStringLiteral("count below zero after putting %1"), e);
            break;
        case EventKind::Get:
            ++m_gets;
            if (m_inBuffer.erase(e.item) != 1)
                note(QStringLiteral("item %1 taken but not in the buffer"), e);
            if (e.count < 0)
                note(QStringLiteral("count below zero after taking %1"), e);
            break;
        default:
            break;
        }
    }
    void note(const QString& what, const Event& e)
    {
        if (m_problem.isEmpty())
            m_problem = what.arg(e.item, 0, 16) + QStringLiteral(" (seq %1)").arg(e.seq);
    }

    Engine& m_engine;
    Checker m_checker;
    EventDrain m_drain;
    std::thread m_thread;
    std::atomic<bool> m_quit { false };
    std::atomic<bool> m_deadlocked { false };
    QString m_deadlock; // written once, before m_deadlocked
    // Only the drain thread touches these until finish().
    std::unordered_map<std::uint64_t, std::uint32_t> m_produced; // item -> producer, not put yet
    std::unordered_set<std::uint64_t> m_inBuffer;
    std::uint64_t m_puts = 0;
    std::uint64_t m_gets = 0;
    QString m_problem;
};

/// Ends the process with the seed when a session hangs: a hung engine would otherwise block
/// the test until CTest kills it, and the seed would be lost.
class Watchdog {
public:
    Watchdog()
        : m_thread([this] { loop(); })
    {
    }
    ~Watchdog()
    {
        {
            std::lock_guard lock(m_mutex);
            m_quit = true;
        }
        m_changed.notify_all();
        m_thread.join();
    }
    /// Arms for one phase of a session: the phase must end (disarm or re-arm) within limit.
    void arm(std::uint64_t seed, const char* phase, std::chrono::seconds limit)
    {
        {
            std::lock_guard lock(m_mutex);
            m_seed = seed;
            m_phase = phase;
            m_deadline = std::chrono::steady_clock::now() + limit;
            m_armed = true;
        }
        m_changed.notify_all();
    }
    void disarm()
    {
        std::lock_guard lock(m_mutex);
        m_armed = false;
    }

private:
    void loop()
    {
        std::unique_lock lock(m_mutex);
        while (!m_quit) {
            if (m_armed && std::chrono::steady_clock::now() > m_deadline) {
                qFatal("stress: seed %llu hung in %s; replay: %s", qulonglong(m_seed), m_phase,
                    qPrintable(replayCommand(m_seed)));
            }
            m_changed.wait_for(lock, 1s);
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_quit = false;
    bool m_armed = false;
    std::uint64_t m_seed = 0;
    const char* m_phase = "";
    std::chrono::steady_clock::time_point m_deadline;
    std::thread m_thread;
};

/// One seeded session: several runs of random scenarios, each under random live changes.
class Session {
public:
    Session(std::uint64_t seed, Tally& tally, Watchdog& watchdog)
        : m_seed(seed)
        , m_rng(seed)
        , m_tally(tally)
        , m_watchdog(watchdog)
    {
    }

    /// Empty when every run kept every invariant; else what broke, with the seed to replay.
    QString run()
    {
        ++m_tally.sessions;
        const int changes = pick(20, 60);
        Engine& engine = m_engine;
        if (QString error = startRun(engine); !error.isEmpty())
            return fail(error);
        for (int i = 0; i < changes; ++i) {
            // Each change draws from its own stream: whether a run has used up its items by
            // now depends on timing, and must not shift the choices of every later change.
            m_rng.seed(m_seed * 0x9E3779B97F4A7C15ull + std::uint64_t(i) + 1);
            std::this_thread::sleep_for(std::chrono::microseconds(pick(500, 8000)));
            if (QString error = checkAlive(engine); !error.isEmpty())
                return fail(error);
            if (engine.threadsDone()) {
                // The run used up its items: check it and go on with a new one.
                if (QString error = endRun(engine, false); !error.isEmpty())
                    return fail(error);
                if (QString error = startRun(engine); !error.isEmpty())
                    return fail(error);
                continue;
            }
            if (QString error = change(engine); !error.isEmpty())
                return fail(error);
            ++m_tally.changes;
        }
        // The last run ends either way: stopped where it is, or let run out at full speed.
        const bool stopIt = chance(0.5);
        if (QString error = endRun(engine, stopIt); !error.isEmpty())
            return fail(error);
        return {};
    }

private:
    int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_rng); }
    bool chance(double p) { return std::bernoulli_distribution(p)(m_rng); }
    double rate()
    {
        if (chance(0.35))
            return RateModel::Max;
        // Log-uniform from 200 to 100,000 items/s per thread: slow enough to see the buffer
        // fill and drain, never so slow that a run takes long to finish at the end.
        return std::pow(10.0, std::uniform_real_distribution<double>(2.3, 5.0)(m_rng));
    }
    int capacityFor(const QString& strategy)
    {
        const StrategyInfo* info = StrategyRegistry::find(strategy);
        if (info && info->allowsUnbounded && chance(0.1))
            return 0;
        return chance(0.3) ? pick(1, 3) : pick(1, 64);
    }

    QString fail(const QString& what) const
    {
        // The engine and the drain still have to wind down when the session ends.
        m_watchdog.arm(m_seed, "winding down after a failure", HangLimit);
        return QStringLiteral("seed %1, run %2 (%3): %4\n  replay: %5")
            .arg(m_seed)
            .arg(m_runIndex)
            .arg(m_describe)
            .arg(what)
            .arg(replayCommand(m_seed));
    }

    /// Draws scenarios until validation takes one: a strategy may allow only some shapes.
    QString startRun(Engine& engine)
    {
        const QStringList strategies = StrategyRegistry::correctNames();
        for (int attempt = 0; attempt < 1000; ++attempt) {
            Scenario s;
            s.name = QStringLiteral("stress");
            s.strategy = strategies[pick(0, int(strategies.size()) - 1)];
            s.producers = chance(0.3) ? 1 : pick(1, 8);
            s.consumers = chance(0.3) ? 1 : pick(1, 8);
            s.capacity = capacityFor(s.strategy);
            s.items = std::max<qint64>(1, test::scaled(pick(20, 3000)));
            s.produceRate = rate();
            s.consumeRate = rate();
            s.distribution = Distribution(pick(0, 2));
            s.seed = qint64(m_rng() & quint64(Scenario::MaxSeed));
            s.record = !chance(0.2);
            if (!engine.setScenario(s)) {
                ++m_tally.rejected;
                continue;
            }
            ++m_runIndex;
            ++m_tally.runs;
            m_describe = QStringLiteral("%1 %2P/%3C cap %4 items %5%6")
                             .arg(s.strategy)
                             .arg(s.producers)
                             .arg(s.consumers)
                             .arg(s.capacity)
                             .arg(s.items)
                             .arg(s.record ? QString() : QStringLiteral(" unrecorded"));
            // The old drain goes first: its end turns the log's lossless mode off.
            m_watch.reset();
            m_watch = std::make_unique<RunWatch>(engine);
            m_watchdog.arm(m_seed, "a run with live changes", HangLimit);
            engine.start(chance(0.1) ? Engine::StartMode::Stepping : Engine::StartMode::Running);
            m_watch->begin();
            return {};
        }
        return QStringLiteral("no valid scenario in 1000 draws");
    }

    QString checkAlive(Engine&)
    {
        if (m_watch->deadlocked())
            return QStringLiteral("deadlock of a correct strategy: %1").arg(m_watch->deadlock());
        return {};
    }

    /// Applies a live change only if validation would take the scenario it leads to.
    bool allowed(const Engine& engine, const std::function<void(Scenario&)>& edit)
    {
        Scenario next = engine.scenario();
        edit(next);
        if (next.validate().isEmpty())
            return true;
        ++m_tally.rejected;
        return false;
    }

    QString change(Engine& engine)
    {
        switch (pick(0, 9)) {
        case 0:
        case 1: {
            const int n = chance(0.3) ? 1 : pick(1, 12);
            if (allowed(engine, [n](Scenario& s) { s.producers = n; }))
                engine.setProducers(n);
            break;
        }
        case 2:
        case 3: {
            const int n = chance(0.3) ? 1 : pick(1, 12);
            if (allowed(engine, [n](Scenario& s) { s.consumers = n; }))
                engine.setConsumers(n);
            break;
        }
        case 4: {
            // Mostly a shrink, often below what the buffer holds now.
            const int now = std::max(1, engine.scenario().capacity);
            const int n = chance(0.7) ? pick(1, now) : capacityFor(engine.scenario().strategy);
            if (allowed(engine, [n](Scenario& s) { s.capacity = n; })) {
                if (!engine.setCapacity(n))
                    return QStringLiteral("setCapacity(%1) refused a capacity validation takes")
                        .arg(n);
            }
            break;
        }
        case 5:
            if (chance(0.5))
                engine.setProduceRate(rate());
            else
                engine.setConsumeRate(rate());
            break;
        case 6:
            engine.setDistribution(Distribution(pick(0, 2)));
            break;
        case 7:
        case 8:
            return pauseStepResume(engine);
        case 9: {
            const bool finishRun = chance(0.2);
            if (QString error = endRun(engine, !finishRun); !error.isEmpty())
                return error;
            return startRun(engine);
        }
        }
        return {};
    }

    QString pauseStepResume(Engine& engine)
    {
        if (engine.runState() == Engine::RunState::Running)
            engine.pause();
        const int steps = pick(0, 12);
        for (int i = 0; i < steps && engine.runState() == Engine::RunState::Paused; ++i) {
            const std::vector<Gate::Parked> parked = engine.gate().parked();
            if (parked.empty()) {
                std::this_thread::sleep_for(200us);
                continue;
            }
            // Which threads are parked depends on timing; a seeded pick among them still
            // replays the same kinds of choices.
            const auto result
                = engine.step(parked[std::size_t(pick(0, int(parked.size()) - 1))].thread);
            ++m_tally.steps;
            if (result == Gate::StepResult::TimedOut) {
                ++m_tally.stepTimeouts;
                QStringList running;
                for (const Gate::ThreadState& t : engine.gate().threads()) {
                    if (t.state == Gate::State::Running)
                        running << QStringLiteral("%1 (next %2, object %3)")
                                       .arg(t.thread.name())
                                       .arg(QLatin1String(gateActionName(t.next)))
                                       .arg(int(t.object));
                }
                qInfo("seed %llu: a step timed out; still running: %s", qulonglong(m_seed),
                    qPrintable(running.join(QStringLiteral(", "))));
            }
        }
        // Sometimes stay paused across the next changes; a later one resumes.
        if (chance(0.7))
            engine.resume();
        return {};
    }

    /// Ends the current run (by stop, or by letting it use up its items at full speed) and
    /// checks it.
    QString endRun(Engine& engine, bool stopIt)
    {
        if (!stopIt) {
            m_watchdog.arm(m_seed, "running a run out", HangLimit);
            engine.setProduceRate(RateModel::Max);
            engine.setConsumeRate(RateModel::Max);
            engine.resume();
            const QDeadlineTimer guard(
                std::chrono::duration_cast<std::chrono::milliseconds>(HangLimit - 10s).count());
            while (!engine.threadsDone()) {
                if (m_watch->deadlocked())
                    return checkAlive(engine);
                if (guard.hasExpired())
                    return QStringLiteral("the run did not finish its items in time: %1 of its "
                                          "threads still alive")
                        .arg(engine.threadsAlive());
                std::this_thread::sleep_for(1ms);
            }
        }
        const bool finished = engine.threadsDone();
        m_watchdog.arm(m_seed, "stop", HangLimit);
        engine.stop();
        if (!engine.threadsDone())
            return QStringLiteral("%1 threads still alive after stop").arg(engine.threadsAlive());
        if (engine.runState() != Engine::RunState::Stopped
            && engine.runState() != Engine::RunState::Finished)
            return QStringLiteral("run state after stop is %1").arg(int(engine.runState()));
        m_watch->finish();
        if (finished)
            m_watch->checker().finish();
        else
            ++m_tally.stopped;
        return checkRun(engine, finished);
    }

    QString checkRun(Engine& engine, bool finished)
    {
        if (!engine.scenario().record)
            return checkUnrecordedRun(engine, finished);
        RunWatch& w = *m_watch;
        Checker& c = w.checker();
        m_tally.items += w.gets();
        if (w.skipped() != 0 || !c.complete()) {
            // Engine::stop() abandons the lossless log first, so that no writer waiting for the
            // reader holds up the stop: a writer whose lane was full then overwrites its oldest
            // unread events. Such a trace cannot be checked; a finished run is never cut.
            if (!finished) {
                ++m_tally.cut;
                return {};
            }
            return QStringLiteral("the lossless drain missed %1 events of a finished run")
                .arg(w.skipped());
        }
        if (w.deadlocked())
            return checkAlive(engine);
        if (c.violations() != 0) {
            return QStringLiteral("%1 violations: %2")
                .arg(c.violations())
                .arg(QString::fromUtf8(
                    QJsonDocument(c.violationsJson()).toJson(QJsonDocument::Compact)));
        }
        if (!w.ledgerProblem().isEmpty())
            return w.ledgerProblem();
        const int count = c.state().count();
        if (count < 0 || std::uint64_t(count) != w.puts() - w.gets())
            return QStringLiteral("the buffer holds %1 items, but %2 were put and %3 taken")
                .arg(count)
                .arg(w.puts())
                .arg(w.gets());
        // Nothing produced goes missing: a stopped producer may hold one item it had not put
        // yet, never more; a finished run put everything it produced, and left nothing behind.
        for (const auto& [thread, n] : w.inHand()) {
            if (finished || n > 1)
                return QStringLiteral("%1 holds %2 produced items it never put")
                    .arg(ThreadRef::unpack(thread).name())
                    .arg(n);
        }
        if (finished && count != 0)
            return QStringLiteral("a finished run left %1 items in the buffer").arg(count);
        if (finished && engine.produced() != engine.consumed())
            return QStringLiteral("finished with %1 produced and %2 consumed")
                .arg(engine.produced())
                .arg(engine.consumed());
        return {};
    }

    /// No events to check: every item put was taken once a run finished, never more.
    QString checkUnrecordedRun(const Engine& engine, bool finished)
    {
        ++m_tally.unrecorded;
        m_tally.items += engine.consumed();
        if (engine.consumed() > engine.produced()
            || (finished && engine.consumed() != engine.produced()))
            return QStringLiteral("%1 with %2 put and %3 consumed, unrecorded")
                .arg(finished ? QStringLiteral("finished") : QStringLiteral("stopped"))
                .arg(engine.produced())
                .arg(engine.consumed());
        return {};
    }

    std::uint64_t m_seed;
    std::mt19937_64 m_rng;
    Tally& m_tally;
    Watchdog& m_watchdog;
    // Before the watch, so it outlives the watch's thread, which asks it about its threads.
    Engine m_engine;
    std::unique_ptr<RunWatch> m_watch;
    int m_runIndex = 0;
    QString m_describe;
};

QString tallyText(const Tally& t)
{
    return QStringLiteral("%1 sessions, %2 runs (%3 stopped, %8 of them with a trace cut by the "
                          "stop; %10 unrecorded), %4 live changes, %5 steps (%9 timed out), %6 "
                          "items moved, %7 draws/changes "
                          "refused by validation")
        .arg(t.sessions)
        .arg(t.runs)
        .arg(t.stopped)
        .arg(t.changes)
        .arg(t.steps)
        .arg(t.items)
        .arg(t.rejected)
        .arg(t.cut)
        .arg(t.stepTimeouts)
        .arg(t.unrecorded);
}

} // namespace

class TestStress : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void randomRunsKeepEveryInvariantUnderLiveChanges_data();
    void randomRunsKeepEveryInvariantUnderLiveChanges();
    void soakKeepsEveryInvariantUntilTimeIsUp();
};

void TestStress::randomRunsKeepEveryInvariantUnderLiveChanges_data()
{
    QTest::addColumn<quint64>("seed");
    bool replay = false;
    const quint64 only = qEnvironmentVariable("PCVIZ_STRESS_SEED").toULongLong(&replay);
    if (replay) {
        QTest::addRow("seed %llu", only) << only;
        return;
    }
    // Few under the sanitizers, whose builds run ten times slower.
    const int seeds = qEnvironmentVariableIntValue("PCVIZ_TEST_DIVISOR") > 1 ? 4 : 16;
    for (quint64 seed = 1; seed <= quint64(seeds); ++seed)
        QTest::addRow("seed %llu", seed) << seed;
}

void TestStress::randomRunsKeepEveryInvariantUnderLiveChanges()
{
    QFETCH(quint64, seed);
    Tally tally;
    Watchdog watchdog;
    const QString problem = Session(seed, tally, watchdog).run();
    watchdog.disarm();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    qInfo("%s", qPrintable(tallyText(tally)));
}

void TestStress::soakKeepsEveryInvariantUntilTimeIsUp()
{
    const int seconds = qEnvironmentVariableIntValue("PCVIZ_STRESS_SECONDS");
    if (seconds <= 0)
        QSKIP("soak: set PCVIZ_STRESS_SECONDS (and PCVIZ_STRESS_SEED for the first seed)");
    bool given = false;
    quint64 seed = qEnvironmentVariable("PCVIZ_STRESS_SEED").toULongLong(&given);
    if (!given)
        seed = 1;
    const quint64 first = seed;
    Tally tally;
    Watchdog watchdog;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    auto nextReport = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < end) {
        const QString problem = Session(seed, tally, watchdog).run();
        watchdog.disarm();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        ++seed;
        if (std::chrono::steady_clock::now() > nextReport) {
            qInfo("soak: seeds %llu..%llu: %s", first, seed - 1, qPrintable(tallyText(tally)));
            nextReport += 60s;
        }
    }
    qInfo("soak done: seeds %llu..%llu: %s", first, seed - 1, qPrintable(tallyText(tally)));
}

int main(int argc, char* argv[])
{
    // QTest ends any test function after five minutes; a soak is meant to run for longer.
    const qint64 soakSeconds = qEnvironmentVariableIntValue("PCVIZ_STRESS_SECONDS");
    if (soakSeconds > 0 && !qEnvironmentVariableIsSet("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", QByteArray::number((soakSeconds + 600) * 1000));
    QCoreApplication app(argc, argv);
    TestStress test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_stress.moc"
