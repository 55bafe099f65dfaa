// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "mutex.h"
#include "waitqueue.h"

#include <mutex>

namespace pcviz {

/// An instrumented condition variable with a FIFO of waiters: signal wakes the longest waiter,
/// and a signal with no waiter is not kept (as with pthreads, Qt and Python).
class CondVar {
public:
    explicit CondVar(std::uint8_t id)
        : m_id(id)
    {
    }
    CondVar(const CondVar&) = delete;
    CondVar& operator=(const CondVar&) = delete;

    /// Atomically releases the locker's mutex and waits; takes the mutex back before returning,
    /// except when the run stops (then locker no longer owns it).
    WaitResult wait(MutexLocker& locker, const WaitOptions& options = {});
    void signal(const ThreadContext& ctx);
    void broadcast(const ThreadContext& ctx);
    /// Wakes waiters so they re-check stop and leave.
    void poke();

    std::uint8_t id() const { return m_id; }

private:
    mutable std::mutex m_mutex;
    WaitQueue m_queue;
    // Mirrors m_queue.size() so a signal with nobody waiting need not take m_mutex.
    std::atomic<int> m_waiting { 0 };
    ObjectClock m_clock { 0 }; // guarded by m_mutex
    std::uint8_t m_id;
};

} // namespace pcviz
