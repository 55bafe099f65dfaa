// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"
#include "eventlog.h"
#include "gate.h"
#include "rate.h"
#include "scenario.h"
#include "secureworkload.h"
#include "strategies/strategy.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace pcviz {

/// Runs a scenario on real producer and consumer threads over a strategy, recording every
/// transition; start, pause, resume, stop, and live changes of rates, counts and capacity.
class Engine : public QObject {
    Q_OBJECT
public:
    enum class RunState { Idle, Running, Paused, Finished, Stopped };
    Q_ENUM(RunState)

    /// Events the log retains per thread: several frames' worth at full speed (about 1 MB).
    static constexpr std::size_t DefaultLogCapacity = std::size_t(1) << 14;

    /// logCapacity: events each thread's lane retains.
    explicit Engine(std::size_t logCapacity = DefaultLogCapacity, QObject* parent = nullptr);
    ~Engine() override;

    /// Takes effect at the next start(); false (with the reason) for an invalid scenario.
    bool setScenario(const Scenario& scenario, QString* error = nullptr);
    const Scenario& scenario() const { return m_scenario; }
    /// The current run's synchronisation objects (those of the scenario's strategy before one).
    std::vector<ObjectInfo> objects() const;

    enum class StartMode { Running, Stepping };
    /// Stepping: every thread parks at its first gate and moves only when stepped.
    void start(StartMode mode = StartMode::Running);
    /// Parks every thread at its next gate.
    void pause();
    /// While paused: lets thread take its next action and waits until every thread is again
    /// parked at a gate, blocked in a primitive or gone. NotParked when the thread cannot move
    /// (it is blocked, gone, or no thread of this run).
    Gate::StepResult step(ThreadRef thread);
    /// Waits until no thread is on its way to a gate; false when that takes too long.
    bool waitUntilSettled();
    /// What a step may take at most: a step that runs longer is a thread stuck outside the gates.
    static constexpr std::chrono::milliseconds StepTimeout { 5000 };
    void resume();
    /// Ends the run: wakes every waiting thread and joins them all. Returns promptly even when
    /// every thread is blocked.
    void stop();
    RunState runState() const { return m_runState; }
    bool isActive() const
    {
        return m_runState == RunState::Running || m_runState == RunState::Paused;
    }

    /// From the next thread started on: producers and consumers run this much nicer than the
    /// process (Linux keeps a nice value per thread; elsewhere nothing changes). A window sets
    /// it so that its own thread gets a core when a frame is due, however many workers run
    /// flat out; headless runs leave it at 0.
    void setWorkerNiceness(int niceness) { m_workerNiceness = niceness; }
    /// From the next run on: whether the threads of an unrecorded lock-free ring may spin a few
    /// tens of microseconds on a full or an empty ring, looking seldom, which makes the ring
    /// fastest when nothing else needs the cores (RingBackoff::Polling). A window says no: its
    /// frames need a core. A recorded ring never does: its reader needs one.
    void setSparsePollingAllowed(bool allowed) { m_sparsePollingAllowed = allowed; }
    bool sparsePollingAllowed() const { return m_sparsePollingAllowed; }

    // Live changes; they also update scenario() for the next run.
    void setProduceRate(double perSecond);
    void setConsumeRate(double perSecond);
    void setDistribution(Distribution distribution);
    /// Clamped to 1..maxThreadsPerRole().
    void setProducers(int count);
    void setConsumers(int count);
    /// The most producers (and consumers) the run's strategy can serve.
    int maxThreadsPerRole() const;
    /// False (and nothing changes) for a capacity the strategy cannot take.
    bool setCapacity(int capacity);

    EventLog& log() { return m_log; }
    const EventLog& log() const { return m_log; }
    Gate& gate() { return m_gate; }
    const Gate& gate() const { return m_gate; }
    /// Exact totals of the current run, kept outside the bounded log.
    std::uint64_t produced() const;
    std::uint64_t consumed() const;
    int liveProducers() const;
    int liveConsumers() const;
    /// True when the work is done (or the run stopped) and every thread has exited.
    bool threadsDone() const { return threadsAlive() == 0; }
    int threadsAlive() const { return m_threadsAlive.load(std::memory_order_acquire); }
    /// The secure run's workload (results list and all), or null when the run is not secure.
    const SecureWorkload* secureWorkload() const { return m_secure.get(); }
    /// Records an event on behalf of the engine ("main"), e.g. the checker's deadlock verdict.
    void recordEngineEvent(Event event);

    /// Emits runFinished once the threads are done; the engine's timer calls it, and owners
    /// without an event loop may call it themselves.
    void poll();

Q_SIGNALS:
    /// Every transition, emitted on the thread that made it, possibly while it holds a
    /// primitive's lock: connect directly, before start(), and never call back into the engine.
    void transition(const pcviz::Event& event);
    void runFinished();
    void runStateChanged(pcviz::Engine::RunState state);

private:
    struct Worker;
    void spawn(Role role);
    void producerMain(Worker& w);
    void consumerMain(Worker& w);
    void workerExited(Worker& w);
    void controlMain();
    void post(std::function<void()> command);
    void setRunState(RunState state);
    void joinAll();
    ThreadContext makeContext(ThreadRef self, Worker* w);

    Scenario m_scenario; // the next run's, with live changes applied
    Scenario m_run; // the current run's shape, fixed at start()
    EventLog m_log;
    Gate m_gate;
    Gate m_controlGate; // never paused: the control thread must not park
    RateModel m_produceRate;
    RateModel m_consumeRate;
    std::unique_ptr<Strategy> m_strategy;
    std::unique_ptr<SecureWorkload> m_secure; // a secure run's; null otherwise
    std::atomic<bool> m_stop { false };
    const std::atomic<bool> m_silenced { true }; // what a run without recording mutes with

    mutable std::mutex m_control; // guards everything below
    std::vector<std::unique_ptr<Worker>> m_workers;
    std::uint16_t m_nextIndex[4] = {};
    bool m_closed = false;
    std::deque<std::function<void()>> m_commands;
    std::condition_variable m_commandReady;
    std::thread m_controlThread;

    std::atomic<int> m_threadsAlive { 0 };
    int m_workerNiceness = 0;
    bool m_sparsePollingAllowed = true;
    RunState m_runState = RunState::Idle;
    bool m_userStopped = false;
    QTimer m_pollTimer;
};

} // namespace pcviz

Q_DECLARE_METATYPE(pcviz::Event)
