// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace pcviz {

/// The synchronisation action a thread is about to take when it passes a gate.
enum class GateAction : std::uint8_t {
    Lock,
    Unlock,
    Wait,
    Signal,
    Acquire,
    Release,
    Put,
    Get,
    TaskDone,
    Join,
    Start,
    Append, // the secure workload's append to the shared results list
};
const char* gateActionName(GateAction action);

/// Where threads park between steps: free-run costs one atomic load, paused parks every thread
/// before its next synchronisation action, and a step lets one chosen thread take one action.
/// The gate also knows which threads are blocked in a primitive, so a step can tell when every
/// thread is again parked or blocked; and it carries a logical clock from step to step, so the
/// merged event order of a stepped run is the order of its steps.
class Gate {
public:
    enum class State : std::uint8_t { Running, Parked, Blocked, Exited };
    /// One thread's standing at the gate.
    struct Slot {
        ThreadRef thread;
        std::atomic<State> state { State::Running };
        std::atomic<GateAction> next { GateAction::Start };
        std::atomic<std::uint8_t> object { NoObject }; // what it will act on, or is blocked in
        // Counts the thread's blocks; only the thread itself writes it.
        std::atomic<std::uint32_t> blocks { 0 };
    };
    struct Parked {
        ThreadRef thread;
        GateAction next;
        std::uint8_t object = NoObject;
    };
    struct ThreadState {
        ThreadRef thread;
        State state;
        GateAction next;
        std::uint8_t object;
        /// How often the thread has blocked so far: a thread seen blocked twice with the same
        /// count stayed blocked in between.
        std::uint32_t blocks = 0;
    };
    enum class StepResult { Done, NotParked, TimedOut };

    /// The slot of a thread, created Running on first use: the engine asks before the thread
    /// starts, so a step waits for a thread still on its way to its first gate.
    Slot* slotFor(ThreadRef thread);
    void exited(Slot* slot);

    /// Parks the thread until it is permitted one action, on resume, or on release().
    void park(Slot* slot, GateAction next, std::uint8_t object = NoObject);
    /// For callers without a context: passes the gate as thread self.
    void pass(ThreadRef self, GateAction next)
    {
        if (isPaused())
            park(slotFor(self), next);
    }
    /// Around a wait in a primitive; wake() is the waker's side, which counts the woken thread
    /// as running at once, before the system lets it run.
    void blockBegin(Slot* slot, std::uint8_t object);
    void blockEnd(Slot* slot);
    void wake(Slot* slot);
    /// Every thread blocked in this object counts as running (a mutex wakes them all).
    void wakeBlockedIn(std::uint8_t object);

    void pause();
    void resume();
    bool isPaused() const { return m_holding.load(std::memory_order_acquire); }
    /// Lets one parked thread through one gate; false when it is not parked here.
    bool permit(ThreadRef thread);
    /// permit(), then waits until every thread is again parked, blocked or gone.
    StepResult step(ThreadRef thread, std::chrono::milliseconds timeout);
    /// True once no thread runs: each is parked, blocked or gone, and no permit is pending.
    bool waitQuiescent(std::chrono::milliseconds timeout);
    /// Opens the gate for good (stop): every parked thread goes, none parks again.
    void release();
    /// Forgets every thread; only while none runs.
    void reset();

    std::vector<Parked> parked() const;
    std::vector<ThreadState> threads() const;

    /// The key of the last event recorded before a thread parked or blocked while paused; a
    /// thread leaving the gate continues above it.
    std::uint64_t stepClock() const { return m_stepClock.load(std::memory_order_acquire); }
    void raiseStepClock(std::uint64_t key);

private:
    bool quiescentLocked() const;

    std::atomic<bool> m_holding { false };
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Slot> m_slots; // stable addresses: contexts keep pointers
    std::vector<ThreadRef> m_permits;
    bool m_released = false;
    std::atomic<std::uint64_t> m_stepClock { 0 };
};

} // namespace pcviz
