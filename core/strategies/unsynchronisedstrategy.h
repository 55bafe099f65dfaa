// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "strategy.h"

#include <atomic>
#include <memory>

namespace pcviz {

/// Broken on purpose: a bounded buffer without any lock. Each operation checks the count,
/// yields, then acts on what it saw, so two producers can fill one slot (an item is lost) and
/// two consumers can take one item (it is consumed twice). Every shared word is a relaxed
/// atomic: the race is in the logic, never a data race in C++ terms.
class UnsynchronisedStrategy final : public Strategy {
public:
    explicit UnsynchronisedStrategy(int capacity);

    std::vector<ObjectInfo> objects() const override { return {}; }
    OpStatus put(const ThreadContext& ctx, const Item& item) override;
    OpStatus get(const ThreadContext& ctx, Item& out) override;
    void setCapacity(const ThreadContext& ctx, int capacity) override;
    /// Nothing to wake: waiting threads poll stop and leave while they back off.
    void wakeAll() override { }

private:
    struct Slot {
        std::atomic<std::uint64_t> id { NoItem };
        std::atomic<std::int64_t> value { 0 };
    };

    std::unique_ptr<Slot[]> m_slots; // room for the largest capacity: a resize would race
    std::atomic<int> m_capacity;
    std::atomic<int> m_count { 0 };
    std::atomic<int> m_in { 0 };
    std::atomic<int> m_out { 0 };
    // There is no lock to order the buffer's events: they take their order from this clock,
    // which is as racy as the rest and so approximates what happened.
    ObjectClock m_clock { 0 };
};

} // namespace pcviz
