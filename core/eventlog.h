// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clock.h"
#include "event.h"
#include "eventlane.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace pcviz {

/// Bounded, thread-safe recording of every event: one lane (a ring of the newest events) per
/// writing thread, so writers never share a counter, a lock or a cache line; an EventDrain
/// merges the lanes into one order and numbers the events. A lossless reader may hold
/// writers back.
class EventLog {
public:
    /// Lanes that can be open at once: every thread of a run (64 producers, 64 consumers, the
    /// control thread), those still leaving after a live change, and tests' own threads.
    static constexpr std::size_t MaxLanes = 512;

    /// laneCapacity: events each lane retains.
    explicit EventLog(std::size_t laneCapacity = std::size_t(1) << 14);
    ~EventLog();
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    /// A lane for one writing thread, parked until it records; reuses a closed one that a
    /// reader has read through.
    EventLane* openLane();
    /// After the writer's last event: the lane parks for good and may serve another thread.
    void closeLane(EventLane* lane);

    /// Records e on a lane shared by all callers, under a lock: for the engine's own events
    /// and tests, not for the hot path.
    void record(const Event& e);

    /// Events recorded so far in this run, over all lanes.
    std::uint64_t recorded() const;
    std::size_t capacity() const { return m_laneCapacity; }
    std::int64_t nowNs() const { return m_clock.nowNs(); }

    /// Lossless mode: writers wait rather than overwrite what the reader has not copied.
    /// Set before the run starts; abandon() releases waiting writers.
    void setLossless(bool lossless);
    bool isLossless() const { return m_lossless.load(std::memory_order_relaxed); }
    void abandon();
    bool isAbandoned() const { return m_abandoned.load(std::memory_order_acquire); }

    /// Called on the recording thread after each event, with the event's key in seq (the
    /// order among all events is known only once the lanes are merged); for the Engine's
    /// transition signal.
    void setTap(std::function<void(const Event&)> tap);
    bool hasTap() const { return bool(m_tap); }
    void tap(const Event& e) const { m_tap(e); }

    /// Empties the log and restarts the clock; only while no thread records.
    void reset();
    /// Counts resets, so a reader can tell that its position belongs to an earlier run.
    std::uint64_t generation() const { return m_generation.load(std::memory_order_acquire); }

    // For readers: the lanes opened so far (a lane, once listed, stays at its index).
    std::size_t laneCount() const { return m_laneCount.load(std::memory_order_seq_cst); }
    EventLane& lane(std::size_t index) const { return *m_lanes[index]; }
    /// The key every event a reader let through is at or below; a lane that unparks continues
    /// above it.
    std::uint64_t frontier() const { return m_frontier.load(std::memory_order_seq_cst); }
    void raiseFrontier(std::uint64_t key);

private:
    const std::size_t m_laneCapacity;
    Clock m_clock;
    std::function<void(const Event&)> m_tap;
    std::atomic<bool> m_lossless { false };
    std::atomic<bool> m_abandoned { false };
    std::atomic<std::uint64_t> m_generation { 0 };

    std::mutex m_lanesMutex; // guards opening and closing lanes
    std::array<std::unique_ptr<EventLane>, MaxLanes> m_lanes;
    std::atomic<std::size_t> m_laneCount { 0 };
    std::vector<EventLane*> m_closed;

    std::mutex m_sharedMutex; // guards the shared lane's writer side
    EventLane* m_shared = nullptr;

    alignas(64) std::atomic<std::uint64_t> m_frontier { 0 };
};

} // namespace pcviz
