// SPDX-License-Identifier: GPL-3.0-or-later
#include "lostwakeupstrategy.h"

#include <thread>

namespace pcviz {

LostWakeupStrategy::LostWakeupStrategy(int capacity)
    : m_ring(capacity)
{
}

std::vector<ObjectInfo> LostWakeupStrategy::objects() const
{
    return { { 0, QStringLiteral("mutex"), ObjectType::Mutex },
        { 1, QStringLiteral("not_full"), ObjectType::CondVar },
        { 2, QStringLiteral("not_empty"), ObjectType::CondVar } };
}

OpStatus LostWakeupStrategy::put(const ThreadContext& ctx, const Item& item)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return OpStatus::Stopped;
    while (m_ring.full()) {
        ctx.record({ .item = item.id, .count = m_ring.count(), .kind = EventKind::PutWait });
        if (m_notFull.wait(lock) == WaitResult::Cancelled)
            return OpStatus::Stopped;
    }
    ctx.pass(GateAction::Put);
    const int slot = m_ring.put(item);
    m_size.store(m_ring.count(), std::memory_order_relaxed);
    ctx.record({ .item = item.id,
        .value = item.value,
        .slot = slot,
        .count = m_ring.count(),
        .kind = EventKind::Put });
    // Correct on its own: the signal is sent under the mutex. It is lost only because the
    // consumer decided to wait before taking the mutex.
    m_notEmpty.signal(ctx);
    return OpStatus::Ok;
}

OpStatus LostWakeupStrategy::get(const ThreadContext& ctx, Item& out)
{
    for (;;) {
        // The flaw: the test for empty and the wait are not one atomic step under the mutex.
        const bool looksEmpty = m_size.load(std::memory_order_relaxed) == 0;
        if (looksEmpty) {
            if (ctx.leaving())
                return OpStatus::Closed;
            ctx.record({ .count = 0, .kind = EventKind::GetWait });
            // Widens the gap between test and wait, as any preemption there would, so the
            // lesson shows within seconds rather than once in a long while. Parked: the yield
            // may lose the core, and a reader must not wait for this lane meanwhile.
            const ThreadContext::Parking parking(ctx);
            std::this_thread::yield();
        }
        MutexLocker lock(m_mutex, ctx);
        if (!lock.owns())
            return OpStatus::Stopped;
        if (looksEmpty) {
            // Sleeps on the stale test, without looking again: an item put (and signalled)
            // since then is not seen.
            m_notEmpty.wait(lock, { .leaveable = true });
            if (!lock.owns())
                return OpStatus::Stopped;
        }
        if (m_ring.empty())
            continue; // another consumer took it, or the wait was cut short: test again
        ctx.pass(GateAction::Get);
        int slot = 0;
        out = m_ring.get(&slot);
        m_size.store(m_ring.count(), std::memory_order_relaxed);
        ctx.record({ .item = out.id,
            .value = out.value,
            .slot = slot,
            .count = m_ring.count(),
            .kind = EventKind::Get });
        m_notFull.signal(ctx);
        return OpStatus::Ok;
    }
}

void LostWakeupStrategy::setCapacity(const ThreadContext& ctx, int capacity)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return;
    m_ring.setCapacity(capacity);
    ctx.record({ .value = capacity, .count = m_ring.count(), .kind = EventKind::Capacity });
    m_notFull.broadcast(ctx);
}

void LostWakeupStrategy::wakeAll()
{
    m_mutex.poke();
    m_notFull.poke();
    m_notEmpty.poke();
}

} // namespace pcviz
