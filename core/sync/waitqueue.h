// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../threadcontext.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>

namespace pcviz {

using Deadline = std::chrono::steady_clock::time_point;

/// How a blocking call may end besides success.
struct WaitOptions {
    std::optional<Deadline> deadline;
    /// Give up when the thread is asked to leave (a retired consumer, a closed buffer).
    bool leaveable = false;
};

enum class WaitResult : std::uint8_t { Granted, TimedOut, Cancelled };

/// Takes a primitive's internal lock for a recording thread. Its holder may be waiting for a
/// lossless reader, and the reader for this thread's next event: a thread that must wait for
/// the lock waits parked.
std::unique_lock<std::mutex> lockRecording(std::mutex& mutex, const ThreadContext& ctx);

/// One blocked thread: lives on that thread's stack while it waits, so queuing never allocates.
struct Waiter {
    explicit Waiter(const ThreadContext& c)
        : ctx(c)
    {
    }
    const ThreadContext& ctx;
    std::condition_variable cv;
    bool granted = false;
    Waiter* prev = nullptr;
    Waiter* next = nullptr;
};

/// An explicit FIFO of waiters, guarded by its owner's mutex: wake-ups pick a determined thread.
class WaitQueue {
public:
    void pushBack(Waiter& w);
    Waiter* popFront();
    void remove(Waiter& w);
    bool empty() const { return m_head == nullptr; }
    std::size_t size() const { return m_size; }
    Waiter* front() const { return m_head; }

    /// Blocks until w is granted, the deadline passes, or its thread must stop; w is dequeued
    /// unless granted. The caller holds lock, which guards this queue. While stepping, the
    /// woken thread then waits at the gate (as about to take `resume` on object) without the
    /// lock, so it records nothing before its turn.
    WaitResult park(std::unique_lock<std::mutex>& lock, Waiter& w, const WaitOptions& options,
        GateAction resume, std::uint8_t object);

    /// Wakes every waiter so it re-checks stop and leave; nothing is granted.
    void pokeAll();

private:
    Waiter* m_head = nullptr;
    Waiter* m_tail = nullptr;
    std::size_t m_size = 0;
};

} // namespace pcviz
