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
    // Marking the lock contended (2) makes the unlocker wake parked threads. A poke turns 2
    // into 3, which ends any wait(2), so a parked thread always gets to re-check stop.
    for (;;) {
        if (m_state.exchange(2, std::memory_order_acquire) == 0)
            return true;
        {
            // Blocked only from here on: a step counts this thread at rest, so it must have
            // nothing left to do but sleep. An unlock from now on finds 0 or 1 and no sleep
            // happens, or finds 2 and wakes it.
            const ThreadContext::Parking parking(ctx, m_id);
            if (ctx.stopping())
                return false;
            m_state.wait(2, std::memory_order_relaxed);
        }
        // Woken: while stepping, the next try waits for this thread's turn.
        ctx.pass(GateAction::Lock, m_id);
        if (ctx.stopping())
            return false;
    }
}

bool Mutex::lock(const ThreadContext& ctx)
{
    ctx.pass(GateAction::Lock, m_id);
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
    ctx.pass(GateAction::Unlock, m_id);
    unlockForWait(ctx);
}

void Mutex::unlockForWait(const ThreadContext& ctx)
{
    // Recorded while still held, so no later lock event can precede it in seq order.
    ctx.record({ .kind = EventKind::Unlock, .object = m_id }, m_clock);
    m_owner.store(0, std::memory_order_relaxed);
    if (m_state.exchange(0, std::memory_order_release) < 2)
        return;
    if (ctx.gate->isPaused()) {
        // While stepping every waiter wakes and waits at the gate: which one gets the lock is
        // the next step's choice, not the system's.
        ctx.gate->wakeBlockedIn(m_id);
        m_state.notify_all();
    } else {
        m_state.notify_one();
    }
}

void Mutex::poke()
{
    int contended = 2;
    m_state.compare_exchange_strong(contended, 3, std::memory_order_relaxed);
    m_state.notify_all();
}

} // namespace pcviz
