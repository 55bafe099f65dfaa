// SPDX-License-Identifier: GPL-3.0-or-later
#include "swappedwaitorderstrategy.h"

namespace pcviz {

SwappedWaitOrderStrategy::SwappedWaitOrderStrategy(int capacity)
    : m_empty(0, capacity)
    , m_initialCapacity(capacity)
    , m_ring(capacity)
{
}

std::vector<ObjectInfo> SwappedWaitOrderStrategy::objects() const
{
    return { { 0, QStringLiteral("empty"), ObjectType::Semaphore, m_initialCapacity },
        { 1, QStringLiteral("full"), ObjectType::Semaphore, 0 },
        { 2, QStringLiteral("mutex"), ObjectType::Mutex } };
}

OpStatus SwappedWaitOrderStrategy::put(const ThreadContext& ctx, const Item& item)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return OpStatus::Stopped;
    // The flaw: waiting for a free slot while holding the mutex that consumers need to free one.
    if (m_empty.acquire(ctx) != WaitResult::Granted)
        return OpStatus::Stopped;
    // Only a live capacity shrink leaves the ring full here (the permit predates it): hand the
    // permit back and queue for another, still holding the mutex, as this strategy would.
    while (m_ring.full()) {
        if (ctx.stopping())
            return OpStatus::Stopped;
        m_empty.release(ctx);
        if (m_empty.acquire(ctx) != WaitResult::Granted)
            return OpStatus::Stopped;
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

OpStatus SwappedWaitOrderStrategy::get(const ThreadContext& ctx, Item& out)
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

void SwappedWaitOrderStrategy::setCapacity(const ThreadContext& ctx, int capacity)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return;
    const int delta = capacity - m_ring.capacity();
    m_ring.setCapacity(capacity);
    ctx.record({ .value = capacity, .count = m_ring.count(), .kind = EventKind::Capacity });
    m_empty.adjust(ctx, delta);
}

void SwappedWaitOrderStrategy::wakeAll()
{
    m_mutex.poke();
    m_empty.poke();
    m_full.poke();
}

} // namespace pcviz
