// SPDX-License-Identifier: GPL-3.0-or-later
#include "waitqueue.h"

namespace pcviz {

void WaitQueue::pushBack(Waiter& w)
{
    w.prev = m_tail;
    w.next = nullptr;
    if (m_tail)
        m_tail->next = &w;
    else
        m_head = &w;
    m_tail = &w;
    ++m_size;
}

Waiter* WaitQueue::popFront()
{
    Waiter* w = m_head;
    if (w)
        remove(*w);
    return w;
}

void WaitQueue::remove(Waiter& w)
{
    (w.prev ? w.prev->next : m_head) = w.next;
    (w.next ? w.next->prev : m_tail) = w.prev;
    w.prev = w.next = nullptr;
    --m_size;
}

std::unique_lock<std::mutex> lockRecording(std::mutex& mutex, const ThreadContext& ctx)
{
    std::unique_lock lock(mutex, std::try_to_lock);
    if (!lock.owns_lock()) {
        const ThreadContext::Parking parking(ctx);
        lock.lock();
    }
    return lock;
}

WaitResult WaitQueue::park(std::unique_lock<std::mutex>& lock, Waiter& w,
    const WaitOptions& options, GateAction resume, std::uint8_t object)
{
    const WaitResult result = [&] {
        const ThreadContext::Parking parking(w.ctx, object);
        for (;;) {
            // A grant that raced a stop still counts: the permit or signal must not vanish.
            if (w.granted)
                return WaitResult::Granted;
            if (w.ctx.stopping() || (options.leaveable && w.ctx.leaving())) {
                remove(w);
                return WaitResult::Cancelled;
            }
            if (options.deadline) {
                if (w.cv.wait_until(lock, *options.deadline) == std::cv_status::timeout
                    && !w.granted) {
                    remove(w);
                    return WaitResult::TimedOut;
                }
            } else {
                w.cv.wait(lock);
            }
        }
    }();
    if (w.ctx.gate->isPaused()) {
        // w is out of the queue by now, so the lock may go while this thread waits its turn.
        lock.unlock();
        w.ctx.pass(resume, object);
        lock.lock();
    }
    return result;
}

void WaitQueue::pokeAll()
{
    for (Waiter* w = m_head; w; w = w->next)
        w->cv.notify_one();
}

} // namespace pcviz
