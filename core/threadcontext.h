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

    std::uint64_t record(Event e) const
    {
        e.thread = self;
        return log->record(e);
    }
    void pass(GateAction next) const { gate->pass(self, next); }
    bool stopping() const { return stop->load(std::memory_order_acquire); }
    bool leaving() const { return leave && leave->load(std::memory_order_acquire); }
};

} // namespace pcviz
