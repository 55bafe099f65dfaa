// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "waitqueue.h"

#include <cstdint>
#include <mutex>

namespace pcviz {

/// An instrumented counting semaphore with a FIFO of waiters. A release hands its permit to the
/// longest waiter, so no later caller can barge past it. The value may be driven below zero by
/// adjust() (a capacity shrink); acquirers then wait until releases pay the debt.
class Semaphore {
public:
    Semaphore(std::uint8_t id, std::int64_t initial)
        : m_value(initial)
        , m_id(id)
    {
    }
    Semaphore(const Semaphore&) = delete;
    Semaphore& operator=(const Semaphore&) = delete;

    WaitResult acquire(const ThreadContext& ctx, const WaitOptions& options = {});
    void release(const ThreadContext& ctx);
    /// Adds delta permits (negative takes them away without blocking).
    void adjust(const ThreadContext& ctx, std::int64_t delta);
    void poke();

    std::int64_t value() const;
    std::uint8_t id() const { return m_id; }

private:
    void grantWaiters();

    mutable std::mutex m_mutex;
    WaitQueue m_queue;
    std::int64_t m_value;
    ObjectClock m_clock { 0 }; // guarded by m_mutex
    std::uint8_t m_id;
};

} // namespace pcviz
