// SPDX-License-Identifier: GPL-3.0-or-later
#include "semaphorestrategy.h"

namespace pcviz {

SemaphoreStrategy::SemaphoreStrategy(int capacity)
    : m_empty(0, capacity)
    , m_initialCapacity(capacity)
    , m_ring(capacity)
{
}

std::vector<ObjectInfo> SemaphoreStrategy::objects() const
{
    return { { 0, QStringLiteral("empty"), ObjectType::Semaphore, m_initialCapacity },
        { 1, QStringLiteral("full"), ObjectType::Semaphore, 0 },
        { 2, QStringLiteral("mutex"), ObjectType::Mutex } };
}

OpStatus SemaphoreStrategy::put(const ThreadContext& ctx, const Item& item)
{
    if (m_empty.acquire(ctx) != WaitResult::Granted)
        return OpStatus::Stopped;
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return OpStatus::Stopped;
    // Only a live capacity shrink can leave the ring full here: the permit was taken before the
    // shrink. Hand it back and queue for a new one, so the bound holds without dropping anything.
    while (m_ring.full()) {
        lock.unlock();
        m_empty.release(ctx);
        if (m_empty.acquire(ctx) != WaitResult::Granted)
            return OpStatus::Stopped;
        if (!m_mutex.lock(ctx))
            return OpStatus::Stopped;
        lock.setOwns(true);
    }
    ctx.pass(GateAction::Put);
    const int slot = m_ring.put(item);
    ctx.record({ .item = item.id,
        .value = item.value,
        .slot = slot,
        .count = m_ring.count(),
        .kind = EventKind::Put });
    lock.unlock();
    m_full.release(ctx);
    return OpStatus::Ok;
}

OpStatus SemaphoreStrategy::get(const ThreadContext& ctx, Item& out)
{
    switch (m_full.acquire(ctx, { .leaveable = true })) {
    case WaitResult::Granted:
        break;
    case WaitResult::Cancelled:
        return ctx.stopping() ? OpStatus::Stopped : OpStatus::Closed;
    case WaitResult::TimedOut:
        return OpStatus::Empty;
    }
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return OpStatus::Stopped;
    ctx.pass(GateAction::Get);
    int slot = 0;
    out = m_ring.get(&slot);
    ctx.record({ .item = out.id,
        .value = out.value,
        .slot = slot,
        .count = m_ring.count(),
        .kind = EventKind::Get });
    lock.unlock();
    m_empty.release(ctx);
    return OpStatus::Ok;
}

void SemaphoreStrategy::setCapacity(const ThreadContext& ctx, int capacity)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return;
    const int delta = capacity - m_ring.capacity();
    m_ring.setCapacity(capacity);
    ctx.record({ .value = capacity, .count = m_ring.count(), .kind = EventKind::Capacity });
    // empty counts free slots: a shrink leaves it negative until consumers pay the debt.
    m_empty.adjust(ctx, delta);
}

void SemaphoreStrategy::wakeAll()
{
    m_mutex.poke();
    m_empty.poke();
    m_full.poke();
}

} // namespace pcviz
