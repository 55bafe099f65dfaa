// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ringbackoff.h"
#include "ringlock.h"
#include "strategy.h"

#include <atomic>
#include <cstdint>
#include <memory>

namespace pcviz {

/// A bounded multi-producer multi-consumer ring without locks, after Dmitry Vyukov: each cell
/// carries a sequence number that says whose turn it is (the producer of position p while it
/// is p, the consumer of p while it is p + 1), and producers and consumers claim positions by
/// compare-and-swap. The capacity is a limit on positions, not the ring's size, so capacity 3
/// holds at most 3 and a live change needs no new ring. Full or empty, threads back off.
/// Recorded, each side takes a RingLock around claim, record and publish instead of the
/// compare-and-swap, so the history has the puts and the gets in ring order; unrecorded,
/// nothing is held.
class LockFreeMpmcStrategy final : public Strategy {
public:
    /// The ring's physical cells: every capacity pcviz allows fits, and the position modulo a
    /// power of two is a mask.
    static constexpr std::uint64_t Cells = 4096;

    explicit LockFreeMpmcStrategy(int capacity);

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
    struct Cell {
        std::atomic<std::uint64_t> seq;
        Item item; // written by the position's producer, read by its consumer; seq hands over
    };
    bool hasRoom(std::uint64_t word) const;
    /// The get of position is done.
    bool taken(std::uint64_t position) const;
    // One attempt each: Ok, Full (Empty) or, recorded, Stopped while waiting for the lock.
    OpStatus tryPut(const Item& item);
    OpStatus tryPutRecorded(const ThreadContext& ctx, const Item& item);
    OpStatus tryGet(Item& out);
    OpStatus tryGetRecorded(const ThreadContext& ctx, Item& out);
    std::uint64_t lastKey() const;

    std::unique_ptr<Cell[]> m_cells;
    bool m_recording = true;
    RingBackoff::Polling m_polling = RingBackoff::Polling::Eager;
    // The producers' line. m_enqueue is the next position to claim, and in the top bits the
    // capacity it is claimed under, so a capacity change and a claim cannot cross. Recorded,
    // only the holder of m_putLock moves it (a put or a capacity change), and m_putKey is the
    // logical clock of the last put: a get is recorded after the put of its item.
    alignas(64) std::atomic<std::uint64_t> m_enqueue { 0 };
    RingLock m_putLock;
    std::atomic<std::uint64_t> m_putKey { 0 };
    // The consumers' line, the same for gets: a put is recorded after the get that made its
    // room. Recorded, m_dequeue counts the gets done and recorded.
    alignas(64) std::atomic<std::uint64_t> m_dequeue { 0 };
    RingLock m_getLock;
    std::atomic<std::uint64_t> m_getKey { 0 };
    alignas(64) std::atomic<std::uint64_t> m_capacityKey { 0 };
    std::atomic<std::uint64_t> m_pokes { 0 };
};

} // namespace pcviz
