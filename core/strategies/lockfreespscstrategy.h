// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ringbackoff.h"
#include "strategy.h"

#include <atomic>
#include <cstdint>
#include <memory>

namespace pcviz {

/// A single-producer single-consumer ring without locks: the producer alone advances the
/// tail, the consumer alone the head, each publishing with a release store that the other
/// side reads with an acquire load. Each keeps a cached copy of the other side's index and
/// reads the shared one only when the copy says full or empty, so in a steady stream the two
/// threads rarely touch the same cache line. The capacity is a limit on positions, so
/// capacity 3 holds at most 3 and a live change needs no new ring. Exactly one producer and
/// one consumer: the scenario and the engine refuse more.
///
/// Recorded, the producer claims each position with a compare-and-swap that a capacity change
/// also makes, so the history has every put on one side of the change. Unrecorded, nothing
/// reads that order and the producer claims with plain stores: a locked instruction per put
/// waits for the previous put's stores to reach the consumer's core.
class LockFreeSpscStrategy final : public Strategy {
public:
    /// The ring's physical cells: every capacity pcviz allows fits.
    static constexpr std::uint64_t Cells = 4096;

    explicit LockFreeSpscStrategy(int capacity);

    std::vector<ObjectInfo> objects() const override;
    OpStatus put(const ThreadContext& ctx, const Item& item) override;
    OpStatus get(const ThreadContext& ctx, Item& out) override;
    void setCapacity(const ThreadContext& ctx, int capacity) override;
    void wakeAll() override;
    void setRecording(bool recording) override { m_recording = recording; }
    void setSparsePolling(bool sparse) override
    {
        m_polling = sparse ? RingBackoff::Polling::Sparse : RingBackoff::Polling::Eager;
    }

private:
    OpStatus putOrWait(const ThreadContext& ctx, const Item& item);
    OpStatus getOrWait(const ThreadContext& ctx, Item& out);
    void publishUnrecorded(const ThreadContext& ctx, std::uint64_t position, const Item& item);
    std::uint64_t producerWord() const;
    bool hasRoom(std::uint64_t word);
    bool hasItem(std::uint64_t position);
    bool mayRecordPut(std::uint64_t position) const;
    std::uint64_t capacityKey() const { return m_capacityKey.load(std::memory_order_relaxed); }

    // Set before the run, then only read by both sides.
    std::unique_ptr<Item[]> m_cells;
    bool m_recording = true; // false: no clocks to carry, nothing reads them
    RingBackoff::Polling m_polling = RingBackoff::Polling::Eager;
    // Unrecorded, the limit puts are made under; changed only by a capacity change.
    std::atomic<int> m_limit;
    // The producer's own line. m_enqueue holds the next position and the capacity it is
    // claimed under (see LockFreeWord); only a capacity change swaps it besides the producer,
    // so the producer's compare-and-swap finds the line in its own cache. Next to it, its
    // copies of the consumer's index and clock.
    alignas(64) std::atomic<std::uint64_t> m_enqueue { 0 };
    std::uint64_t m_headCache = 0;
    std::uint64_t m_getKeyCache = 0;
    // What the producer publishes: m_tail is the position up to which puts are published and
    // recorded (unrecorded, also the producer's next position), m_putKey the logical clock of
    // the last put's event: a get is recorded after the put of its item.
    alignas(64) std::atomic<std::uint64_t> m_tail { 0 };
    std::atomic<std::uint64_t> m_putKey { 0 };
    // The consumer's line: its index (gets done and recorded) and the clock of its last get:
    // a put is recorded after the get that made its room.
    alignas(64) std::atomic<std::uint64_t> m_head { 0 };
    std::atomic<std::uint64_t> m_getKey { 0 };
    // The consumer's own copies of the producer's index and clock.
    alignas(64) std::uint64_t m_tailCache = 0;
    std::uint64_t m_putKeyCache = 0;
    // A capacity change in progress: the puts claimed from m_resizeAt on wait for its record.
    alignas(64) std::atomic<bool> m_resizing { false };
    std::atomic<std::uint64_t> m_resizeAt { 0 };
    std::atomic<std::uint64_t> m_capacityKey { 0 };
    std::atomic<std::uint64_t> m_pokes { 0 };
};

} // namespace pcviz
