// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../slotring.h"
#include "../sync/condvar.h"
#include "../sync/mutex.h"
#include "strategy.h"

namespace pcviz {

/// Broken on purpose: the monitor with `if` where it needs `while`. A woken thread does not
/// look again: when another consumer took the item between the signal and the wake-up, it gets
/// from an empty buffer (a vacant slot, no item); when another producer filled the last slot,
/// it puts into a full one (overwriting the oldest item).
class IfNotWhileStrategy final : public Strategy {
public:
    explicit IfNotWhileStrategy(int capacity);

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
};

} // namespace pcviz
