// SPDX-License-Identifier: GPL-3.0-or-later
#include "mutex.h"

namespace pcviz {

bool Mutex::tryLock()
{
    int expected = 0;
    return m_state.compare_exchange_strong(
        expected, 1, std::memory_order_acquire, std::memory_order_relaxed);
}

bool Mutex::park(const ThreadContext& ctx)
{
    // Marking the lock contended (2) makes the unlocker wake one parked thread. A poke turns 2
    // into 3, which ends any wait(2), so a parked thread always gets to re-check stop.
    int state = m_state.exchange(2, std::memory_order_acquire);
    const ThreadContext::Parking parking(ctx);
    while (state != 0) {
        if (ctx.stopping())
            return false;
        m_state.wait(2, std::memory_order_relaxed);
        state = m_state.exchange(2, std::memory_order_acquire);
    }
    return true;
}

bool Mutex::lock(const ThreadContext& ctx)
{
    ctx.pass(GateAction::Lock);
    if (!tryLock()) {
        ctx.recordWaitingFor(
            { .peer = owner(), .kind = EventKind::LockWait, .object = m_id }, m_clock);
        if (!park(ctx))
            return false;
    }
    m_owner.store(ctx.self.packed(), std::memory_order_relaxed);
    ctx.record({ .kind = EventKind::Lock, .object = m_id }, m_clock);
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
    ctx.record({ .kind = EventKind::Unlock, .object = m_id }, m_clock);
    m_owner.store(0, std::memory_order_relaxed);
    if (m_state.exchange(0, std::memory_order_release) >= 2)
        m_state.notify_one();
}

void Mutex::poke()
{
    int contended = 2;
    m_state.compare_exchange_strong(contended, 3, std::memory_order_relaxed);
    m_state.notify_all();
}

} // namespace pcviz
