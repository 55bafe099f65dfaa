// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
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
};
const char* gateActionName(GateAction action);

/// Where threads park between steps: free-run costs one atomic load, paused parks every thread
/// before its next synchronisation action, and a permit lets one chosen thread take one action.
class Gate {
public:
    struct Parked {
        ThreadRef thread;
        GateAction next;
    };

    /// Called by a worker before each action. Returns at once while running; while paused it
    /// returns when this thread is permitted one action, on resume, or on release(). True when
    /// the thread was held.
    bool pass(ThreadRef self, GateAction next)
    {
        if (!m_holding.load(std::memory_order_acquire))
            return false;
        park(self, next);
        return true;
    }

    void pause();
    void resume();
    bool isPaused() const { return m_holding.load(std::memory_order_acquire); }
    /// Lets one parked thread through one gate; false when it is not parked here.
    bool permit(ThreadRef thread);
    /// Opens the gate for good (stop): every parked thread goes, none parks again.
    void release();
    void reset();

    std::vector<Parked> parked() const;

    /// The slow half of pass(): parks until this thread may take its action.
    void park(ThreadRef self, GateAction next);

private:
    std::atomic<bool> m_holding { false };
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<Parked> m_parked;
    std::vector<ThreadRef> m_permits;
    bool m_released = false;
};

} // namespace pcviz
