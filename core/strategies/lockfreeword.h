// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>

namespace pcviz {

/// A lock-free ring's producer word: the next position to claim and, in the top bits, the
/// capacity it is claimed under. One compare-and-swap claims a position under a capacity, and
/// a capacity change swaps the same word, so no claim can straddle a change.
struct LockFreeWord {
    static constexpr int LimitShift = 51;
    static constexpr std::uint64_t PositionMask = (std::uint64_t(1) << LimitShift) - 1;
    static constexpr std::uint64_t MaxLimit = (std::uint64_t(1) << (64 - LimitShift)) - 1;

    static constexpr std::uint64_t make(std::uint64_t position, int limit)
    {
        return (position & PositionMask) | (std::uint64_t(limit) << LimitShift);
    }
    static constexpr std::uint64_t position(std::uint64_t word) { return word & PositionMask; }
    static constexpr std::uint64_t limit(std::uint64_t word) { return word >> LimitShift; }

    /// Gives word the new limit, keeping its position; returns that position: the claims from
    /// it on are made under the new limit.
    static std::uint64_t swapLimit(std::atomic<std::uint64_t>& word, int limit)
    {
        std::uint64_t seen = word.load(std::memory_order_acquire);
        while (!word.compare_exchange_weak(seen, make(position(seen), limit),
            std::memory_order_acq_rel, std::memory_order_acquire)) { }
        return position(seen);
    }
};

} // namespace pcviz
