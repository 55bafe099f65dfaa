// SPDX-License-Identifier: GPL-3.0-or-later
#include "semaphore.h"

#include <algorithm>

namespace pcviz {

WaitResult Semaphore::acquire(const ThreadContext& ctx, const WaitOptions& options)
{
    ctx.pass(GateAction::Acquire, m_id);
    std::unique_lock lock = lockRecording(m_mutex, ctx);
    if (m_value > 0 && m_queue.empty()) {
        --m_value;
        ctx.record(
            { .count = int(m_value), .kind = EventKind::SemAcquire, .object = m_id }, m_clock);
        return WaitResult::Granted;
    }
    Waiter self(ctx);
    m_queue.pushBack(self);
    ctx.record({ .count = int(m_value), .kind = EventKind::SemWait, .object = m_id }, m_clock);
    const WaitResult result = m_queue.park(lock, self, options, GateAction::Acquire, m_id);
    if (result == WaitResult::Granted)
        ctx.record(
            { .count = int(m_value), .kind = EventKind::SemAcquire, .object = m_id }, m_clock);
    else
        ctx.record(
            { .kind = result == WaitResult::TimedOut ? EventKind::Timeout : EventKind::Cancel,
                .object = m_id },
            m_clock);
    return result;
}

void Semaphore::release(const ThreadContext& ctx)
{
    ctx.pass(GateAction::Release, m_id);
    const std::unique_lock lock = lockRecording(m_mutex, ctx);
    ++m_value;
    Waiter* first = m_queue.front();
    const bool handsOver = m_value > 0 && first;
    ctx.record({ .value = 1,
                   .count = int(handsOver ? m_value - 1 : m_value),
                   .peer = handsOver ? first->ctx.self : ThreadRef {},
                   .kind = EventKind::SemRelease,
                   .object = m_id },
        m_clock);
    grantWaiters();
}

void Semaphore::adjust(const ThreadContext& ctx, std::int64_t delta)
{
    const std::unique_lock lock = lockRecording(m_mutex, ctx);
    m_value += delta;
    const std::int64_t granted = std::clamp<std::int64_t>(m_value, 0, std::int64_t(m_queue.size()));
    ctx.record({ .value = delta,
                   .count = int(m_value - granted),
                   .kind = EventKind::SemRelease,
                   .object = m_id },
        m_clock);
    Waiter* w = m_queue.front();
    for (std::int64_t i = 0; i < granted; ++i, w = w->next)
        ctx.record({ .peer = w->ctx.self, .kind = EventKind::Wake, .object = m_id }, m_clock);
    grantWaiters();
}

void Semaphore::grantWaiters()
{
    // The permit passes straight to the waiter: the value it would have raised stays down.
    while (m_value > 0 && !m_queue.empty()) {
        Waiter* w = m_queue.popFront();
        --m_value;
        w->granted = true;
        w->ctx.gate->wake(w->ctx.gateSlot());
        w->cv.notify_one();
    }
}

void Semaphore::poke()
{
    std::lock_guard lock(m_mutex);
    m_queue.pokeAll();
}

std::int64_t Semaphore::value() const
{
    std::lock_guard lock(m_mutex);
    return m_value;
}

} // namespace pcviz
