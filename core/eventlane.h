// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace pcviz {

class EventLog;

/// An event with its logical time: the order key a reader merges lanes by.
struct KeyedEvent {
    std::uint64_t key = 0;
    Event event;
};

/// One writer's ring of events inside an EventLog. A single thread writes at a time, with
/// plain stores to memory no other writer touches; one reader copies events out. Each event
/// carries a Lamport key, so a reader can merge lanes into one order that respects every
/// hand-over through a primitive.
class EventLane {
public:
    EventLane(const EventLog& log, std::size_t capacity);
    ~EventLane();
    EventLane(const EventLane&) = delete;
    EventLane& operator=(const EventLane&) = delete;

    // Writer side: only the lane's current writer calls these.

    /// The next key: above this lane's last key and above atLeast (an object's clock).
    std::uint64_t nextKey(std::uint64_t atLeast)
    {
        m_key = (atLeast > m_key ? atLeast : m_key) + 1;
        return m_key;
    }
    /// thread by reference: a copy made just before the call would be read back from the
    /// stack through two narrower stores, which stalls the store buffer on every event.
    void write(const Event& e, const ThreadRef& thread, std::int64_t tNs, std::uint64_t key);
    std::uint64_t lastKey() const { return m_key; }
    /// Later keys go above key: for an order imposed from outside (the gate's steps).
    void advanceTo(std::uint64_t key) { m_key = key > m_key ? key : m_key; }
    /// Before the writer may block for long: a reader stops waiting for this lane's next event.
    void park()
    {
        if (!m_parked)
            parkNow();
    }
    /// After it: later keys come after everything a reader let through meanwhile.
    void unpark()
    {
        if (m_parked)
            unparkNow();
    }

    // Reader side.

    /// Counts park() and unpark() calls: odd while parked. Read it before head(): a parked
    /// lane has published every event it will write before it unparks.
    std::uint64_t epoch() const { return m_epoch.load(std::memory_order_seq_cst); }
    std::uint64_t head() const { return m_head.load(std::memory_order_acquire); }
    /// Copies up to max events from pos on, advancing pos. Events the writer overwrote before
    /// they were copied are skipped and counted in skipped.
    std::size_t read(
        std::uint64_t& pos, KeyedEvent* out, std::size_t max, std::uint64_t& skipped) const;
    /// The reader has copied (or skipped) everything before pos; in lossless mode the writer
    /// may then reuse it.
    void consumed(std::uint64_t pos) { m_readerPos.store(pos, std::memory_order_release); }
    /// A reader has copied or skipped every event written so far (for a closed lane: all).
    bool fullyRead() const
    {
        return m_readerPos.load(std::memory_order_acquire)
            >= m_head.load(std::memory_order_acquire);
    }

    /// Empties the lane for a new run; only while nothing writes or reads.
    void reset();

private:
    struct Slot;
    void waitForRoom();
    void parkNow();
    void unparkNow();

    const EventLog& m_log;
    std::unique_ptr<Slot[]> m_slots;
    const std::size_t m_mask;

    // The writer's own line: read and written on every event by the writer alone.
    alignas(64) std::uint64_t m_pos = 0;
    std::uint64_t m_key = 0;
    std::uint64_t m_roomUntil = 0; // in lossless mode, positions below this are known free
    std::uint64_t m_epochCount = 1;
    bool m_parked = true;
    // Published by the writer, read by the reader once per batch.
    alignas(64) std::atomic<std::uint64_t> m_head { 0 };
    std::atomic<std::uint64_t> m_epoch { 1 };
    // Published by the reader.
    alignas(64) std::atomic<std::uint64_t> m_readerPos { 0 };
};

} // namespace pcviz
