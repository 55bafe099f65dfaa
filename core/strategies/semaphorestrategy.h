// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../slotring.h"
#include "../sync/mutex.h"
#include "../sync/semaphore.h"
#include "strategy.h"

namespace pcviz {

/// Dijkstra's bounded buffer: counting semaphores empty (starts at capacity) and full (starts
/// at 0) around a mutex that guards the slots.
class SemaphoreStrategy final : public Strategy {
public:
    explicit SemaphoreStrategy(int capacity);

    std::vector<ObjectInfo> objects() const override;
    OpStatus put(const ThreadContext& ctx, const Item& item) override;
    OpStatus get(const ThreadContext& ctx, Item& out) override;
    void setCapacity(const ThreadContext& ctx, int capacity) override;
    void wakeAll() override;

private:
    Semaphore m_empty;
    Semaphore m_full { 1, 0 };
    Mutex m_mutex { 2 };
    int m_initialCapacity;
    SlotRing<Item> m_ring; // guarded by m_mutex
};

} // namespace pcviz
