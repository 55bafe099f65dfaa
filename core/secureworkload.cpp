// SPDX-License-Identifier: GPL-3.0-or-later
#include "secureworkload.h"

#include <chrono>
#include <thread>

namespace pcviz {

namespace {
std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

SecureWorkload::SecureWorkload(const Scenario& run, PyQueueStrategy& queue)
    : m_options(run.secure)
    , m_raisingSerial(SecureOptions::raisingSerial(run.items))
    , m_queue(queue)
    , m_results(std::size_t(run.items) * std::size_t(run.producers))
    , m_bucket(run.secure.rateLimit, run.secure.burst)
{
}

bool SecureWorkload::ignoresPace() const
{
    return m_options.fault(Switch::Bounded) || m_options.fault(Switch::RateLimit);
}

Item SecureWorkload::makeItem(std::uint32_t producer, qint64 serial) const
{
    Item item { makeItemId(producer, std::uint32_t(serial)), serial };
    if (m_options.fault(Switch::Validation)
        && serial % SecureOptions::MalformedEvery == SecureOptions::MalformedEvery - 1)
        item.value = -serial;
    return item;
}

bool SecureWorkload::admit(const ThreadContext& ctx, const Item& item)
{
    std::int64_t wait = m_bucket.take(nowNs());
    if (wait == 0)
        return true;
    if (!m_options.on(Switch::RateLimit)) {
        // No limit enforced: the bucket only measures, and this item is over the limit.
        ctx.record({ .item = item.id, .kind = EventKind::RateExceeded });
        return true;
    }
    ctx.record({ .item = item.id, .value = wait, .kind = EventKind::RateLimited });
    const ThreadContext::Parking parking(ctx);
    std::unique_lock lock(m_mutex);
    while (wait > 0) {
        m_changed.wait_for(lock, std::chrono::nanoseconds(wait), [&] { return ctx.stopping(); });
        if (ctx.stopping())
            return false;
        wait = m_bucket.take(nowNs());
    }
    return true;
}

OpStatus SecureWorkload::put(const ThreadContext& ctx, const Item& item)
{
    bool released = false;
    if (m_options.fault(Switch::Bounded)) {
        std::lock_guard lock(m_mutex);
        released = m_released;
    }
    if (m_options.fault(Switch::Bounded) && !released) {
        // The flood goes on until the queue refuses an item: then the consumers start.
        const OpStatus status = m_queue.put(ctx, item, false, std::nullopt);
        if (status != OpStatus::Full)
            return status;
        release(ctx);
    }
    if (!m_options.on(Switch::Timeouts))
        return m_queue.put(ctx, item);
    const OpStatus status = m_queue.put(ctx, item, true, m_options.timeoutMs / 1000.0);
    if (status == OpStatus::Full)
        ctx.record({ .item = item.id, .value = item.value, .kind = EventKind::PutTimeout });
    return status;
}

void SecureWorkload::finishProducing(const ThreadContext& ctx, int consumers)
{
    release(ctx);
    if (ctx.stopping())
        return;
    if (m_options.on(Switch::PoisonPill)) {
        // Behind every item, one pill per consumer: each drains what is ahead, then leaves.
        for (int i = 0; i < consumers; ++i) {
            if (m_queue.put(ctx, { makePillId(std::uint32_t(i)), PillValue }) != OpStatus::Ok)
                return;
        }
    } else if (m_options.fault(Switch::PoisonPill)) {
        return; // stop now: main ends, and the daemons die with whatever they hold
    }
    if (m_queue.join(ctx) != OpStatus::Ok)
        return;
    ctx.record({ .count = int(std::min<std::size_t>(m_results.size(), INT32_MAX)),
        .kind = EventKind::Results });
}

void SecureWorkload::release(const ThreadContext& ctx)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_released)
            return;
        m_released = true;
    }
    // Counted as running at once, so a step waits until they are at their next gate.
    ctx.gate->wakeBlockedIn(HoldObject);
    m_changed.notify_all();
}

void SecureWorkload::holdConsumer(const ThreadContext& ctx)
{
    if (!m_options.fault(Switch::Bounded) && !m_options.fault(Switch::Timeouts))
        return;
    {
        std::lock_guard lock(m_mutex);
        if (m_released)
            return;
    }
    ctx.record({ .kind = EventKind::Stall });
    const ThreadContext::Parking parking(ctx, HoldObject);
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_released || ctx.stopping() || ctx.leaving(); });
}

SecureWorkload::Next SecureWorkload::process(
    const ThreadContext& ctx, const Item& item, bool& consumed)
{
    consumed = false;
    if (isPill(item.id)) {
        ctx.record({ .item = item.id, .kind = EventKind::PoisonPill });
        m_queue.taskDone(ctx);
        return Next::Exit;
    }
    if (m_options.on(Switch::Validation) && !SecureOptions::isValidValue(item.value)) {
        ctx.record({ .item = item.id, .value = item.value, .kind = EventKind::DeadLetter });
        return m_queue.taskDone(ctx) == OpStatus::Ok ? Next::Continue : Next::Exit;
    }
    if (m_options.fault(Switch::TaskDoneFinally) && itemSerial(item.id) == m_raisingSerial) {
        ctx.record({ .item = item.id, .value = item.value, .kind = EventKind::ItemRaised });
        // Without finally the exception ends the thread before task_done(): the task stays
        // unfinished for ever. With it, the item is on the failed list and the task is done.
        if (!m_options.on(Switch::TaskDoneFinally))
            return Next::Exit;
        return m_queue.taskDone(ctx) == OpStatus::Ok ? Next::Continue : Next::Exit;
    }
    const std::int64_t result = item.value * item.value;
    ctx.record(
        { .item = item.id, .value = item.value, .result = result, .kind = EventKind::Consume });
    consumed = true;
    append(ctx, result);
    return m_queue.taskDone(ctx) == OpStatus::Ok ? Next::Continue : Next::Exit;
}

void SecureWorkload::append(const ThreadContext& ctx, std::int64_t result)
{
    std::size_t index = 0;
    if (m_options.on(Switch::LockedResults)) {
        index = m_results.appendLocked(result);
    } else {
        index = m_results.appendRacy(result, [&] {
            if (m_options.fault(Switch::LockedResults)) {
                // Concurrent appends: the window between reading the length and writing it
                // back is where a stepped run lets another consumer in.
                ctx.pass(GateAction::Append);
                std::this_thread::yield();
            }
        });
    }
    ctx.record({ .value = result,
        .slot = int(index),
        .count = int(std::min<std::size_t>(m_results.size(), INT32_MAX)),
        .kind = EventKind::Append });
}

void SecureWorkload::wakeAll()
{
    {
        std::lock_guard lock(m_mutex);
    }
    m_changed.notify_all();
}

} // namespace pcviz
