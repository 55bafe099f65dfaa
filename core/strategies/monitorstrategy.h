// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../slotring.h"
#include "../sync/condvar.h"
#include "../sync/mutex.h"
#include "strategy.h"

namespace pcviz {

/// A monitor: one mutex and the conditions not_full and not_empty, waited on in while loops
/// (the shape of Qt's wait-conditions example).
class MonitorStrategy final : public Strategy {
public:
    explicit MonitorStrategy(int capacity);

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
