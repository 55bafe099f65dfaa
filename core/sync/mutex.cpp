// SPDX-License-Identifier: GPL-3.0-or-later
#include "mutex.h"

namespace pcviz {

bool Mutex::tryLock()
{
    int expected = 0;
    return m_locked.compare_exchange_strong(expected, 1, std::memory_order_seq_cst);
}

bool Mutex::park(const ThreadContext& ctx)
{
    std::unique_lock lock(m_parkMutex);
    // Announce before the last try: an unlock that follows sees m_parked and wakes us
    // (both are sequentially consistent, so one of the two sides sees the other).
    m_parked.fetch_add(1, std::memory_order_seq_cst);
    bool acquired = false;
    for (;;) {
        if (tryLock()) {
            acquired = true;
            break;
        }
        if (ctx.stopping())
            break;
        m_unlocked.wait(lock);
    }
    m_parked.fetch_sub(1, std::memory_order_relaxed);
    return acquired;
}

bool Mutex::lock(const ThreadContext& ctx)
{
    ctx.pass(GateAction::Lock);
    if (!tryLock()) {
        ctx.record({ .peer = owner(), .kind = EventKind::LockWait, .object = m_id });
        if (!park(ctx))
            return false;
    }
    m_owner.store(ctx.self.packed(), std::memory_order_relaxed);
    ctx.record({ .kind = EventKind::Lock, .object = m_id });
    return true;
}

void Mutex::unlock(const ThreadContext& ctx)
{
    ctx.pass(GateAction::Unlock);
    unlockForWait(ctx);
}

void Mutex::unlockForWait(const ThreadContext& ctx)
{
    // Recorded while still held, so no later lock event can precede it in seq order.
    ctx.record({ .kind = EventKind::Unlock, .object = m_id });
    m_owner.store(0, std::memory_order_relaxed);
    m_locked.store(0, std::memory_order_seq_cst);
    if (m_parked.load(std::memory_order_seq_cst) > 0) {
        std::lock_guard lock(m_parkMutex);
        m_unlocked.notify_one();
    }
}

void Mutex::poke()
{
    std::lock_guard lock(m_parkMutex);
    m_unlocked.notify_all();
}

} // namespace pcviz
