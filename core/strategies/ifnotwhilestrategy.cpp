// SPDX-License-Identifier: GPL-3.0-or-later
#include "ifnotwhilestrategy.h"

namespace pcviz {

IfNotWhileStrategy::IfNotWhileStrategy(int capacity)
    : m_ring(capacity)
{
}

std::vector<ObjectInfo> IfNotWhileStrategy::objects() const
{
    return { { 0, QStringLiteral("mutex"), ObjectType::Mutex },
        { 1, QStringLiteral("not_full"), ObjectType::CondVar },
        { 2, QStringLiteral("not_empty"), ObjectType::CondVar } };
}

OpStatus IfNotWhileStrategy::put(const ThreadContext& ctx, const Item& item)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return OpStatus::Stopped;
    if (m_ring.full()) { // the flaw: once woken, the buffer is taken to have room
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

OpStatus IfNotWhileStrategy::get(const ThreadContext& ctx, Item& out)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return OpStatus::Stopped;
    if (m_ring.empty()) { // the flaw: once woken, the buffer is taken to hold an item
        if (ctx.leaving())
            return OpStatus::Closed;
        ctx.record({ .count = 0, .kind = EventKind::GetWait });
        const WaitResult woken = m_notEmpty.wait(lock, { .leaveable = true });
        if (!lock.owns())
            return OpStatus::Stopped;
        // Asked to leave rather than woken: that is the engine closing the buffer, not a
        // wake-up this strategy mishandles.
        if (woken == WaitResult::Cancelled && m_ring.empty())
            return OpStatus::Closed;
    }
    ctx.pass(GateAction::Get);
    int slot = 0;
    out = m_ring.get(&slot); // the vacant Item when empty: no id, no value
    ctx.record({ .item = out.id,
        .value = out.value,
        .slot = slot,
        .count = m_ring.count(),
        .kind = EventKind::Get });
    m_notFull.signal(ctx);
    return OpStatus::Ok;
}

void IfNotWhileStrategy::setCapacity(const ThreadContext& ctx, int capacity)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return;
    m_ring.setCapacity(capacity);
    ctx.record({ .value = capacity, .count = m_ring.count(), .kind = EventKind::Capacity });
    m_notFull.broadcast(ctx);
}

void IfNotWhileStrategy::wakeAll()
{
    m_mutex.poke();
    m_notFull.poke();
    m_notEmpty.poke();
}

} // namespace pcviz
