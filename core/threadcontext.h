// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "eventlog.h"
#include "gate.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>

namespace pcviz {

/// A primitive's logical clock: the key of the last event recorded while holding it. Passing
/// it from one holder to the next orders their events, across lanes, as the primitive did.
using ObjectClock = std::atomic<std::uint64_t>;

/// What a worker carries into every operation: who it is, where it records, what stops it.
/// Move-only: it owns the lane its thread records into.
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
    /// A streaming context keeps its lane open between events, which is fastest; its thread
    /// must then block only in waits that park the lane (primitives, the gate, the pacer), or
    /// a reader waits for it. Other contexts park after every event.
    bool streaming = false;

    /// Records e as this thread's. The muted check is inline: with recording off it is all an
    /// event costs, not a call whose saved registers fill the store buffer.
    void record(const Event& e) const
    {
        if (!muted())
            write(e, nullptr);
    }
    /// Records e while holding the primitive whose clock this is.
    void record(const Event& e, ObjectClock& clock) const
    {
        if (!muted())
            write(e, &clock);
    }
    /// Records e about a primitive this thread waits for but does not hold: after what its
    /// holder recorded, as far as this thread can tell.
    void recordWaitingFor(const Event& e, const ObjectClock& clock) const
    {
        if (muted())
            return;
        ObjectClock seen { clock.load(std::memory_order_relaxed) };
        write(e, &seen);
    }

    /// Before each synchronisation action: free-run costs one atomic load; while paused the
    /// thread parks until it is stepped, and its events then follow those of earlier steps.
    void pass(GateAction next, std::uint8_t object = NoObject) const
    {
        if (!gate->isPaused())
            return;
        Gate::Slot* slot = gateSlot();
        gate->raiseStepClock(lastKey());
        {
            const Parking parking(*this);
            gate->park(slot, next, object);
        }
        followKey(gate->stepClock());
    }
    /// Nothing is recorded: the run records nothing, or its daemon died silently.
    bool muted() const { return mute && mute->load(std::memory_order_relaxed); }
    bool stopping() const { return stop->load(std::memory_order_acquire); }
    bool leaving() const { return leave && leave->load(std::memory_order_acquire); }

    /// While in scope the thread may block: a reader need not wait for its next event. With
    /// an object, the thread is blocked in that primitive, which the gate counts as at rest.
    class Parking {
    public:
        explicit Parking(const ThreadContext& ctx, std::optional<std::uint8_t> blockedIn = {})
            : m_ctx(ctx)
            , m_blocked(blockedIn.has_value())
        {
            if (m_ctx.lane.lane)
                m_ctx.lane.lane->park();
            if (m_blocked) {
                if (m_ctx.gate->isPaused())
                    m_ctx.gate->raiseStepClock(m_ctx.lastKey());
                m_ctx.gate->blockBegin(m_ctx.gateSlot(), *blockedIn);
            }
        }
        ~Parking()
        {
            if (m_blocked)
                m_ctx.gate->blockEnd(m_ctx.gateSlot());
            m_ctx.clockStale = true; // the next event must not carry the time the wait began
            if (m_ctx.streaming && m_ctx.lane.lane)
                m_ctx.lane.lane->unpark();
        }
        Parking(const Parking&) = delete;
        Parking& operator=(const Parking&) = delete;

    private:
        const ThreadContext& m_ctx;
        bool m_blocked;
    };

    /// This thread's place at the gate, made on first use.
    Gate::Slot* gateSlot() const
    {
        if (!m_gateSlot)
            m_gateSlot = gate->slotFor(self);
        return m_gateSlot;
    }
    void setGateSlot(Gate::Slot* slot) { m_gateSlot = slot; }

    /// After the thread's last event: its lane goes back to the log, and a step no longer
    /// waits for it.
    void close() const
    {
        if (lane.lane)
            gate->raiseStepClock(lane.lane->lastKey());
        lane.close();
        if (m_gateSlot)
            gate->exited(m_gateSlot);
    }

    /// The lane, opened at the first event and closed with the context.
    struct LaneHandle {
        EventLog* log = nullptr;
        EventLane* lane = nullptr;
        LaneHandle() = default;
        LaneHandle(LaneHandle&& other) noexcept
            : log(std::exchange(other.log, nullptr))
            , lane(std::exchange(other.lane, nullptr))
        {
        }
        LaneHandle& operator=(LaneHandle&& other) noexcept
        {
            if (this != &other) {
                close();
                log = std::exchange(other.log, nullptr);
                lane = std::exchange(other.lane, nullptr);
            }
            return *this;
        }
        ~LaneHandle() { close(); }
        void close()
        {
            if (lane)
                log->closeLane(lane);
            lane = nullptr;
        }
    };
    mutable LaneHandle lane;
    mutable Gate::Slot* m_gateSlot = nullptr;
    // A key the lane must pass once it opens: the step clock seen before the first event.
    mutable std::uint64_t m_pendingKey = 0;

    // The clock cache; only the owning thread records through its context.
    mutable std::int64_t lastNs = 0;
    mutable int sinceClock = 0;
    mutable bool clockStale = true;

private:
    std::uint64_t lastKey() const { return lane.lane ? lane.lane->lastKey() : m_pendingKey; }
    void followKey(std::uint64_t key) const
    {
        if (lane.lane)
            lane.lane->advanceTo(key);
        else
            m_pendingKey = std::max(m_pendingKey, key);
    }

    /// The clock is read for kinds that may follow a pause (a wait, a sleep), after the thread
    /// blocked or parked (clockStale), and on every 16th event; the others reuse the last
    /// reading. That keeps a slow clock off the hot path while t_ns stays within a few events
    /// of the truth and never runs backwards on one thread.
    void write(const Event& e, ObjectClock* clock) const
    {
        if (!lane.lane) {
            lane.log = log;
            lane.lane = log->openLane();
            lane.lane->unpark();
            lane.lane->advanceTo(m_pendingKey);
        }
        EventLane& l = *lane.lane;
        l.unpark();
        if (clockStale || needsClock(e.kind) || ++sinceClock >= 16) {
            lastNs = log->nowNs();
            sinceClock = 0;
            clockStale = false;
        }
        const std::uint64_t key = l.nextKey(clock ? clock->load(std::memory_order_relaxed) : 0);
        l.write(e, self, lastNs, key);
        if (clock)
            clock->store(key, std::memory_order_relaxed);
        if (!streaming)
            l.park();
        if (log->hasTap()) {
            Event copy = e;
            copy.seq = key;
            copy.tNs = lastNs;
            copy.thread = self;
            log->tap(copy);
        }
    }

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
