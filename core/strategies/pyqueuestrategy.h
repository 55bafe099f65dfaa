// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../slotring.h"
#include "../sync/condvar.h"
#include "../sync/mutex.h"
#include "strategy.h"

#include <optional>

namespace pcviz {

/// Python's queue.Queue, operation for operation: one mutex shared by the conditions
/// not_empty, not_full and all_tasks_done; maxsize <= 0 is unbounded; put/get with block and
/// timeout; task_done() and join() over the count of unfinished tasks.
class PyQueueStrategy final : public Strategy {
public:
    explicit PyQueueStrategy(int maxsize);

    std::vector<ObjectInfo> objects() const override;
    OpStatus put(const ThreadContext& ctx, const Item& item) override;
    OpStatus get(const ThreadContext& ctx, Item& out) override;
    void setCapacity(const ThreadContext& ctx, int capacity) override;
    void wakeAll() override;
    bool hasTasks() const override { return true; }
    OpStatus taskDone(const ThreadContext& ctx) override;
    OpStatus join(const ThreadContext& ctx) override;

    /// q.put(item, block, timeout): Full when it cannot (or did not in time), InvalidTimeout for
    /// a negative timeout on a bounded queue, as CPython raises.
    OpStatus put(const ThreadContext& ctx, const Item& item, bool block,
        std::optional<double> timeoutSeconds);
    /// q.get(block, timeout): Empty when it cannot (or did not in time).
    OpStatus get(
        const ThreadContext& ctx, Item& out, bool block, std::optional<double> timeoutSeconds);
    int qsize(const ThreadContext& ctx);
    std::int64_t unfinishedTasks(const ThreadContext& ctx);

private:
    Mutex m_mutex { 0 };
    CondVar m_notEmpty { 1 };
    CondVar m_notFull { 2 };
    CondVar m_allTasksDone { 3 };
    SlotRing<Item> m_ring; // everything below is guarded by m_mutex
    std::int64_t m_unfinished = 0;
};

} // namespace pcviz
