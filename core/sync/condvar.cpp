// SPDX-License-Identifier: GPL-3.0-or-later
#include "condvar.h"

namespace pcviz {

WaitResult CondVar::wait(MutexLocker& locker, const WaitOptions& options)
{
    const ThreadContext& ctx = locker.context();
    ctx.pass(GateAction::Wait, m_id);
    WaitResult result;
    {
        std::unique_lock lock = lockRecording(m_mutex, ctx);
        Waiter self(ctx);
        m_queue.pushBack(self);
        m_waiting.store(int(m_queue.size()), std::memory_order_release);
        ctx.record(
            { .count = int(m_queue.size()), .kind = EventKind::CondWait, .object = m_id }, m_clock);
        // Enqueued before the mutex is released: no signal can slip in between.
        locker.mutex().unlockForWait(ctx);
        locker.setOwns(false);
        result = m_queue.park(lock, self, options, GateAction::Wait, m_id);
        m_waiting.store(int(m_queue.size()), std::memory_order_release);
        if (result == WaitResult::Granted)
            ctx.record(
                { .count = int(m_queue.size()), .kind = EventKind::CondWake, .object = m_id },
                m_clock);
        else
            ctx.record(
                { .kind = result == WaitResult::TimedOut ? EventKind::Timeout : EventKind::Cancel,
                    .object = m_id },
                m_clock);
    }
    if (ctx.stopping())
        return WaitResult::Cancelled;
    locker.setOwns(locker.mutex().lock(ctx));
    return locker.owns() ? result : WaitResult::Cancelled;
}

void CondVar::signal(const ThreadContext& ctx)
{
    ctx.pass(GateAction::Signal, m_id);
    // Waiters enqueue while holding the monitor's mutex, which a signaller holds too: if none
    // is counted now, none can be missed. (A signal sent without the mutex can miss a waiter
    // that is about to enqueue: that is the lost wake-up it would be with any condition variable.)
    if (m_waiting.load(std::memory_order_acquire) == 0) {
        ctx.record({ .count = 0, .kind = EventKind::CondSignal, .object = m_id });
        return;
    }
    const std::unique_lock lock = lockRecording(m_mutex, ctx);
    Waiter* woken = m_queue.popFront();
    m_waiting.store(int(m_queue.size()), std::memory_order_release);
    ctx.record({ .count = int(m_queue.size()),
                   .peer = woken ? woken->ctx.self : ThreadRef {},
                   .kind = EventKind::CondSignal,
                   .object = m_id },
        m_clock);
    if (woken) {
        woken->granted = true;
        ctx.gate->wake(woken->ctx.gateSlot());
        woken->cv.notify_one();
    }
}

void CondVar::broadcast(const ThreadContext& ctx)
{
    ctx.pass(GateAction::Signal, m_id);
    const std::unique_lock lock = lockRecording(m_mutex, ctx);
    ctx.record({ .count = int(m_queue.size()), .kind = EventKind::CondBroadcast, .object = m_id },
        m_clock);
    while (Waiter* woken = m_queue.popFront()) {
        woken->granted = true;
        ctx.gate->wake(woken->ctx.gateSlot());
        woken->cv.notify_one();
    }
    m_waiting.store(0, std::memory_order_release);
}

void CondVar::poke()
{
    std::lock_guard lock(m_mutex);
    m_queue.pokeAll();
}

} // namespace pcviz
