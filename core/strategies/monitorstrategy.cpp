// SPDX-License-Identifier: GPL-3.0-or-later
#include "monitorstrategy.h"

namespace pcviz {

MonitorStrategy::MonitorStrategy(int capacity)
    : m_ring(capacity)
{
}

std::vector<ObjectInfo> MonitorStrategy::objects() const
{
    return { { 0, QStringLiteral("mutex"), ObjectType::Mutex },
        { 1, QStringLiteral("not_full"), ObjectType::CondVar },
        { 2, QStringLiteral("not_empty"), ObjectType::CondVar } };
}

OpStatus MonitorStrategy::put(const ThreadContext& ctx, const Item& item)
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
    ctx.record({ .item = item.id,
        .value = item.value,
        .slot = slot,
        .count = m_ring.count(),
        .kind = EventKind::Put });
    m_notEmpty.signal(ctx);
    return OpStatus::Ok;
}

OpStatus MonitorStrategy::get(const ThreadContext& ctx, Item& out)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return OpStatus::Stopped;
    while (m_ring.empty()) {
        if (ctx.leaving())
            return OpStatus::Closed;
        ctx.record({ .count = 0, .kind = EventKind::GetWait });
        // A wait cut short by leave retakes the lock and loops: a last item is still taken.
        m_notEmpty.wait(lock, { .leaveable = true });
        if (!lock.owns())
            return OpStatus::Stopped;
    }
    ctx.pass(GateAction::Get);
    int slot = 0;
    out = m_ring.get(&slot);
    ctx.record({ .item = out.id,
        .value = out.value,
        .slot = slot,
        .count = m_ring.count(),
        .kind = EventKind::Get });
    m_notFull.signal(ctx);
    return OpStatus::Ok;
}

void MonitorStrategy::setCapacity(const ThreadContext& ctx, int capacity)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return;
    m_ring.setCapacity(capacity);
    ctx.record({ .value = capacity, .count = m_ring.count(), .kind = EventKind::Capacity });
    // More room may let several producers go at once.
    m_notFull.broadcast(ctx);
}

void MonitorStrategy::wakeAll()
{
    m_mutex.poke();
    m_notFull.poke();
    m_notEmpty.poke();
}

} // namespace pcviz
