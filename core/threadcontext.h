// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "eventlog.h"
#include "gate.h"

#include <atomic>

namespace pcviz {

/// What a worker carries into every operation: who it is, where it records, what stops it.
struct ThreadContext {
    ThreadRef self;
    EventLog* log = nullptr;
    Gate* gate = nullptr;
    /// Engine stop: every wait gives up.
    const std::atomic<bool>* stop = nullptr;
    /// Retire or close: a wait that is marked leaveable gives up instead of blocking.
    const std::atomic<bool>* leave = nullptr;
    /// Once set, nothing more is recorded: a daemon thread dies with the program silently.
    const std::atomic<bool>* mute = nullptr;

    /// Records e as this thread's. The clock is read for kinds that may follow a pause (a wait,
    /// a sleep), after the thread blocked or parked (clockStale), and on every 16th event; the
    /// others reuse the last reading. That keeps a slow clock off the hot path while t_ns stays
    /// within a few events of the truth and never runs backwards on one thread.
    std::uint64_t record(const Event& e) const
    {
        if (mute && mute->load(std::memory_order_relaxed))
            return 0;
        if (clockStale || needsClock(e.kind) || ++sinceClock >= 16) {
            lastNs = log->nowNs();
            sinceClock = 0;
            clockStale = false;
        }
        return log->record(e, self, lastNs);
    }
    void pass(GateAction next) const
    {
        if (gate->pass(self, next))
            clockStale = true;
    }
    bool stopping() const { return stop->load(std::memory_order_acquire); }
    bool leaving() const { return leave && leave->load(std::memory_order_acquire); }

    // The clock cache; only the owning thread records through its context.
    mutable std::int64_t lastNs = 0;
    mutable int sinceClock = 0;
    mutable bool clockStale = true;

    static bool needsClock(EventKind kind)
    {
        switch (kind) {
        case EventKind::Lock:
        case EventKind::Unlock:
        case EventKind::Put:
        case EventKind::Get:
        case EventKind::CondSignal:
        case EventKind::SemRelease:
        case EventKind::TaskDone:
        case EventKind::Produce: // a producer that slept in its pacer marks the clock stale
        case EventKind::Consume:
            return false;
        default:
            return true;
        }
    }
};

} // namespace pcviz
