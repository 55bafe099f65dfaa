// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clock.h"
#include "event.h"

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

namespace pcviz {

/// Bounded, thread-safe recording of every event: a ring of the newest events with a global
/// sequence number. Writers never lock or allocate; a lossless reader may hold them back.
class EventLog {
public:
    explicit EventLog(std::size_t capacity = std::size_t(1) << 18);
    ~EventLog();
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    /// Stamps seq and tNs, stores the event and returns its seq.
    std::uint64_t record(const Event& event) { return record(event, event.thread, nowNs()); }
    /// The same on behalf of thread (replacing event.thread), stamped tNs. The event is taken by
    /// reference and written field by field: a by-value copy of it cost more than the rest.
    std::uint64_t record(const Event& event, ThreadRef thread, std::int64_t tNs);

    /// Events recorded so far, which is also the next seq.
    std::uint64_t recorded() const { return m_head.load(std::memory_order_acquire); }
    std::size_t capacity() const { return m_mask + 1; }
    std::int64_t nowNs() const { return m_clock.nowNs(); }

    /// Copies up to max events from cursor on, advancing cursor. Events a slow reader let the
    /// ring overwrite are skipped and counted in skipped; it stops at an event still being written.
    std::size_t read(
        std::uint64_t& cursor, Event* out, std::size_t max, std::uint64_t* skipped = nullptr) const;
    /// The event with this seq, if the ring still holds it.
    bool at(std::uint64_t seq, Event& out) const;

    /// Lossless mode: writers wait rather than overwrite what the reader has not consumed.
    /// The reader reports its progress with consumed(); abandon() releases waiting writers.
    void setLossless(bool lossless);
    void consumed(std::uint64_t cursor);
    void abandon();

    /// Called on the recording thread after each event; for the Engine's transition signal.
    void setTap(std::function<void(const Event&)> tap);

    /// Empties the log and restarts the clock; only while no thread records.
    void reset();
    /// Counts resets, so a reader can tell that its cursor belongs to an earlier run.
    std::uint64_t generation() const { return m_generation.load(std::memory_order_acquire); }

private:
    struct Slot;
    void waitForRoom(std::uint64_t seq);
    bool load(const Slot& slot, std::uint64_t seq, Event& out) const;

    std::unique_ptr<Slot[]> m_slots;
    std::size_t m_mask;
    Clock m_clock;
    std::function<void(const Event&)> m_tap;
    std::atomic<bool> m_lossless { false };
    std::atomic<bool> m_abandoned { false };
    std::atomic<std::uint64_t> m_generation { 0 };
    alignas(64) std::atomic<std::uint64_t> m_head { 0 };
    alignas(64) std::atomic<std::uint64_t> m_readerCursor { 0 };
};

} // namespace pcviz
