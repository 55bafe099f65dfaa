// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../slotring.h"
#include "../sync/mutex.h"
#include "../sync/semaphore.h"
#include "strategy.h"

namespace pcviz {

/// Broken on purpose: Dijkstra's bounded buffer with the producer's two waits swapped,
/// wait(mutex) before wait(empty). A producer that finds the buffer full sleeps on empty while
/// holding the mutex, and every consumer that could free a slot waits for that mutex: a
/// deadlock.
class SwappedWaitOrderStrategy final : public Strategy {
public:
    explicit SwappedWaitOrderStrategy(int capacity);

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
