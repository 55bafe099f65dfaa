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
    // Marking the lock contended (2) makes the unlocker wake parked threads. They sleep on the
    // wake-up count, not on the state: the state may be 2 again by the time a woken thread
    // looks (another contender marked it), and a sleep on the state would then miss its
    // wake-up, while stepping with the gate already counting the thread as running.
    for (;;) {
        // Read before the exchange, which releases it: every wake-up after it changes it.
        const std::uint32_t seen = m_wakeups.load();
        if (m_state.exchange(2, std::memory_order_acq_rel) == 0)
            return true;
        {
            // Blocked only from here on: a step counts this thread at rest, so it must have
            // nothing left to do but sleep. An unlock from now on finds 0 or 1 and no sleep
            // happens, or finds 2 and counts a wake-up.
            const ThreadContext::Parking parking(ctx, m_id);
            if (ctx.stopping())
                return false;
            m_wakeups.sleepUnless(seen);
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
    // Acquire too: a contender's read of the wake-up count then happens before the count below.
    if (m_state.exchange(0, std::memory_order_acq_rel) < 2)
        return;
    if (ctx.gate->isPaused()) {
        // While stepping every waiter wakes and waits at the gate: which one gets the lock is
        // the next step's choice, not the system's.
        ctx.gate->wakeBlockedIn(m_id);
        m_wakeups.wakeAll();
    } else {
        m_wakeups.wakeOne();
    }
}

void Mutex::poke()
{
    m_wakeups.wakeAll();
}

} // namespace pcviz
