// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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

private:
    struct Cell {
        std::atomic<std::uint64_t> seq;
        Item item; // written by the position's producer, read by its consumer; seq hands over
    };
    bool hasRoom(std::uint64_t word) const;
    /// The get of position is done.
    bool taken(std::uint64_t position) const;
    bool mayRecordPut(std::uint64_t position) const;
    bool finishPut(const ThreadContext& ctx, std::uint64_t position, const Item& item);
    void finishGet(const ThreadContext& ctx, std::uint64_t position, Item& out);
    std::uint64_t lastKey() const;
    /// Puts claimed from the returned position on see capacity as their limit.
    std::uint64_t setLimit(int capacity);

    std::unique_ptr<Cell[]> m_cells;
    // The producers' word: the next position to claim, and in the top bits the capacity it
    // is claimed under, so a capacity change and a claim cannot cross.
    alignas(64) std::atomic<std::uint64_t> m_enqueue { 0 };
    alignas(64) std::atomic<std::uint64_t> m_dequeue { 0 };
    // Puts and gets are recorded in position order: each waits for its predecessor's record,
    // and carries on its logical clock, so the merged events are a valid order of the ring's
    // history (puts and gets each in ring order, every get after its put, every put after the
    // get that made its room). Unrecorded, nothing waits and nothing counts: the cells'
    // sequences alone hand items over and keep the capacity limit (hasRoom).
    bool m_recording = true;
    alignas(64) std::atomic<std::uint64_t> m_putsDone { 0 };
    std::atomic<std::uint64_t> m_putKey { 0 };
    alignas(64) std::atomic<std::uint64_t> m_getsDone { 0 };
    std::atomic<std::uint64_t> m_getKey { 0 };
    // A get went unrecorded (a stop caught it waiting for its turn): the later ones are not
    // recorded either, so the recorded gets stay a prefix of the ring's. Set before the
    // m_getsDone it precedes, read after it.
    std::atomic<bool> m_getsUnrecorded { false };
    // A capacity change in progress: the puts claimed from m_resizeAt on wait for its record.
    alignas(64) std::atomic<bool> m_resizing { false };
    std::atomic<std::uint64_t> m_resizeAt { 0 };
    std::atomic<std::uint64_t> m_capacityKey { 0 };
    std::atomic<std::uint64_t> m_pokes { 0 };
};

} // namespace pcviz
