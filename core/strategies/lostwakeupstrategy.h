// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../slotring.h"
#include "../sync/condvar.h"
#include "../sync/mutex.h"
#include "strategy.h"

#include <atomic>

namespace pcviz {

/// Broken on purpose: a monitor whose consumers test for an empty buffer without holding the
/// mutex and then wait. A put and its signal that fall between the test and the wait find no
/// waiter and are lost, so the consumer sleeps beside an item; once the producers wait for room
/// as well, nobody is left to signal (a deadlock with items waiting).
class LostWakeupStrategy final : public Strategy {
public:
    explicit LostWakeupStrategy(int capacity);

    std::vector<ObjectInfo> objects() const override;
    OpStatus put(const ThreadContext& ctx, const Item& item) override;
    OpStatus get(const ThreadContext& ctx, Item& out) override;
    void setCapacity(const ThreadContext& ctx, int capacity) override;
    void wakeAll() override;

private:
    Mutex m_mutex { 0 };
    CondVar m_notFull { 1 };
    CondVar m_notEmpty { 2 };
    SlotRing<Item> m_ring; // guarded by m_mutex
    // The ring's count, written under the mutex and read without it: the unlocked test.
    std::atomic<int> m_size { 0 };
};

} // namespace pcviz
