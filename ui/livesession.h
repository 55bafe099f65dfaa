// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checker.h"
#include "engine.h"
#include "eventdrain.h"
#include "eventhistory.h"
#include "framemoves.h"
#include "statemodel.h"
#include "steppolicy.h"

#include <QHash>

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace pcviz {

/// The GUI's side of a run: drives the engine and, once per frame, drains the events recorded
/// since the last frame into the state model the views paint from. It never waits for the
/// engine, and the engine never waits for it: at rates too high to fold every event, the
/// drain skips what the ring overwrote and says so (skippedEvents).
class LiveSession : public QObject {
    Q_OBJECT
public:
    /// The workers' nice value above the window's: with 32 threads flat out on two cores the
    /// window's thread otherwise waits for a core behind them, and frames come late (16P/16C
    /// lockfree-mpmc under Xvfb, p95 frame interval: 43-48 ms at 0, 20.4-20.8 ms at 10, 19 ms
    /// at 15; the engine kept 0.9x-1.0x of its headless speed).
    static constexpr int WorkerNiceness = 15;

    explicit LiveSession(QObject* parent = nullptr);
    ~LiveSession() override;

    /// Loads a scenario, always with recording on; the current run stops. False (with the
    /// reason) when it is invalid.
    bool setScenario(const Scenario& scenario, QString* error = nullptr);
    const Scenario& scenario() const { return m_engine.scenario(); }

    /// Starts the scenario: freely, or stepped when it carries a schedule (which the steps
    /// then follow before the policy takes over).
    void start();
    /// Starts afresh with every thread waiting at its start gate; the steps taken are kept as
    /// a schedule that Save scenario stores and that replays exactly.
    void startStepped();
    /// The steps of a run started stepped, in order; empty otherwise.
    const QStringList& schedule() const { return m_schedule; }
    void togglePause();
    /// Pauses if running, then moves one thread to its next gate: the given one, or the one
    /// the step policy picks. Empty on success, else why the thread cannot move.
    QString step(std::optional<ThreadRef> thread = std::nullopt);
    void setStepPolicy(StepPolicy::Kind kind);
    enum class Until { NextBlock, BufferFull, BufferEmpty };
    /// Steps the others by the policy until thread can move, then steps it; empty on success.
    QString runUntilMoves(ThreadRef thread, int maxSteps = 10'000);
    /// Steps by the policy until the condition holds, no thread can move, or maxSteps; empty
    /// when the condition was reached, else why it stopped.
    QString runUntil(Until until, int maxSteps = 10'000);
    /// Every live thread is blocked and none can wake another: who waits for what, in words.
    /// Empty when there is no deadlock.
    QString deadlockText() const;
    StepPolicy::Kind stepPolicy() const { return m_stepPolicy.kind(); }
    /// While paused: what each thread will do next ("lock mutex") or what it is blocked in.
    QHash<std::uint32_t, QString> nextActions() const;
    /// Stops the run and starts the scenario (with any live changes) afresh.
    void reset();
    void stop();

    Engine& engine() { return m_engine; }
    const StateModel& state() const { return m_checker->state(); }
    /// The invariants checked live; complete() is false once events had to be skipped.
    const Checker& checker() const { return *m_checker; }
    std::uint64_t skippedEvents() const { return m_drain ? m_drain->skipped() : 0; }
    /// Items produced and consumed in the live run: the fold's counts while it has read every
    /// event, the engine's exact counters once events were skipped (the fold's then run short,
    /// and consumed could pass produced).
    std::uint64_t produced() const;
    std::uint64_t consumed() const;
    /// Items in the buffer once events were skipped: produced() minus consumed(), which also
    /// counts the few items consumers hold between their get and their consume. The fold's
    /// count then is only that of the last event it read, which may be far behind the counts
    /// shown beside it.
    std::uint64_t roughlyInBuffer() const;
    /// The puts and gets folded by the last frame (those stateChanged was emitted for).
    const FrameMoves& frameMoves() const { return m_moves; }
    /// The newest events folded, for going back in time.
    const EventHistory& history() const { return *m_history; }
    /// Counts the runs this session started: a view of the past belongs to one of them.
    std::uint64_t runNumber() const { return m_runNumber; }
    double elapsedSeconds() const;

Q_SIGNALS:
    /// Emitted once per frame after new events were folded in, and when a new run replaces
    /// the state and history (which the views must then stop reading).
    void stateChanged();
    void runStateChanged(pcviz::Engine::RunState state);

private:
    void frame();
    void rebuildState();

    Engine m_engine;
    std::unique_ptr<EventDrain> m_drain;
    std::unique_ptr<Checker> m_checker; // folds the state the views paint, and checks it
    std::unique_ptr<EventHistory> m_history;
    std::uint64_t m_runNumber = 0;
    QStringList m_schedule; // the steps taken, when the run started stepped
    bool m_recordingSchedule = false;
    qsizetype m_scheduleToFollow = 0; // steps of the scenario's schedule still to replay
    QStringList m_scenarioSchedule;
    StepPolicy m_stepPolicy { StepPolicy::Kind::RoundRobin, 1 };
    FrameMoves m_moves;
    QTimer m_frameTimer;
    QElapsedTimer m_runClock;
};

} // namespace pcviz
