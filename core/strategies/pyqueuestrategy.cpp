// SPDX-License-Identifier: GPL-3.0-or-later
#include "pyqueuestrategy.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace pcviz {

namespace {
// Longer timeouts wait as if for ever; the cap keeps the deadline inside the clock's range.
constexpr double LongestTimeoutSeconds = 1e9;

Deadline deadlineAfter(double seconds)
{
    seconds = std::min(seconds, LongestTimeoutSeconds);
    // Rounded up so a timed wait never ends before the time asked for.
    return std::chrono::steady_clock::now()
        + std::chrono::ceil<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(seconds));
}

bool isNegative(std::optional<double> timeout)
{
    return timeout && !(*timeout >= 0.0);
}
} // namespace

PyQueueStrategy::PyQueueStrategy(int maxsize)
    : m_ring(maxsize > 0 ? maxsize : 0)
{
}

std::vector<ObjectInfo> PyQueueStrategy::objects() const
{
    return { { 0, QStringLiteral("mutex"), ObjectType::Mutex },
        { 1, QStringLiteral("not_empty"), ObjectType::CondVar },
        { 2, QStringLiteral("not_full"), ObjectType::CondVar },
        { 3, QStringLiteral("all_tasks_done"), ObjectType::CondVar } };
}

OpStatus PyQueueStrategy::put(const ThreadContext& ctx, const Item& item)
{
    return put(ctx, item, true, std::nullopt);
}

OpStatus PyQueueStrategy::get(const ThreadContext& ctx, Item& out)
{
    return get(ctx, out, true, std::nullopt);
}

OpStatus PyQueueStrategy::put(
    const ThreadContext& ctx, const Item& item, bool block, std::optional<double> timeoutSeconds)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return OpStatus::Stopped;
    if (m_ring.bounded()) {
        if (!block) {
            if (m_ring.full())
                return OpStatus::Full;
        } else if (!timeoutSeconds) {
            while (m_ring.full()) {
                ctx.record(
                    { .item = item.id, .count = m_ring.count(), .kind = EventKind::PutWait });
                if (m_notFull.wait(lock) == WaitResult::Cancelled)
                    return OpStatus::Stopped;
            }
        } else if (isNegative(timeoutSeconds)) {
            return OpStatus::InvalidTimeout;
        } else {
            const Deadline end = deadlineAfter(*timeoutSeconds);
            while (m_ring.full()) {
                if (std::chrono::steady_clock::now() >= end)
                    return OpStatus::Full;
                ctx.record(
                    { .item = item.id, .count = m_ring.count(), .kind = EventKind::PutWait });
                if (m_notFull.wait(lock, { .deadline = end }) == WaitResult::Cancelled)
                    return OpStatus::Stopped;
            }
        }
    }
    ctx.pass(GateAction::Put);
    const int slot = m_ring.put(item);
    ++m_unfinished;
    ctx.record({ .item = item.id,
        .value = item.value,
        .slot = slot,
        .count = m_ring.count(),
        .kind = EventKind::Put });
    m_notEmpty.signal(ctx);
    return OpStatus::Ok;
}

OpStatus PyQueueStrategy::get(
    const ThreadContext& ctx, Item& out, bool block, std::optional<double> timeoutSeconds)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return OpStatus::Stopped;
    if (!block) {
        if (m_ring.empty())
            return OpStatus::Empty;
    } else if (!timeoutSeconds) {
        while (m_ring.empty()) {
            if (ctx.leaving())
                return OpStatus::Closed;
            ctx.record({ .count = 0, .kind = EventKind::GetWait });
            m_notEmpty.wait(lock, { .leaveable = true });
            if (!lock.owns())
                return OpStatus::Stopped;
        }
    } else if (isNegative(timeoutSeconds)) {
        return OpStatus::InvalidTimeout;
    } else {
        const Deadline end = deadlineAfter(*timeoutSeconds);
        while (m_ring.empty()) {
            if (ctx.leaving())
                return OpStatus::Closed;
            if (std::chrono::steady_clock::now() >= end)
                return OpStatus::Empty;
            ctx.record({ .count = 0, .kind = EventKind::GetWait });
            m_notEmpty.wait(lock, { .deadline = end, .leaveable = true });
            if (!lock.owns())
                return OpStatus::Stopped;
        }
    }
    ctx.pass(GateAction::Get);
    int slot = 0;
    out = m_ring.get(&slot);
    ctx.record({ .item = out.id,
        .value = out.value,
        .slot = slot,
        .count = m_ring.count(),
        .kind = EventKind::Get });
    m_notFull.signal(ctx);
    return OpStatus::Ok;
}

OpStatus PyQueueStrategy::taskDone(const ThreadContext& ctx)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return OpStatus::Stopped;
    ctx.pass(GateAction::TaskDone);
    const std::int64_t unfinished = m_unfinished - 1;
    if (unfinished < 0)
        return OpStatus::TooManyTaskDone;
    m_unfinished = unfinished;
    ctx.record({ .count = int(std::min<std::int64_t>(unfinished, INT32_MAX)),
        .kind = EventKind::TaskDone });
    if (unfinished == 0)
        m_allTasksDone.broadcast(ctx);
    return OpStatus::Ok;
}

OpStatus PyQueueStrategy::join(const ThreadContext& ctx)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return OpStatus::Stopped;
    ctx.pass(GateAction::Join);
    while (m_unfinished > 0) {
        ctx.record({ .count = int(std::min<std::int64_t>(m_unfinished, INT32_MAX)),
            .kind = EventKind::JoinWait });
        if (m_allTasksDone.wait(lock) == WaitResult::Cancelled)
            return OpStatus::Stopped;
    }
    ctx.record({ .count = 0, .kind = EventKind::JoinDone });
    return OpStatus::Ok;
}

int PyQueueStrategy::qsize(const ThreadContext& ctx)
{
    MutexLocker lock(m_mutex, ctx);
    return lock.owns() ? m_ring.count() : 0;
}

std::int64_t PyQueueStrategy::unfinishedTasks(const ThreadContext& ctx)
{
    MutexLocker lock(m_mutex, ctx);
    return lock.owns() ? m_unfinished : 0;
}

void PyQueueStrategy::setCapacity(const ThreadContext& ctx, int capacity)
{
    MutexLocker lock(m_mutex, ctx);
    if (!lock.owns())
        return;
    m_ring.setCapacity(capacity > 0 ? capacity : 0);
    ctx.record({ .value = capacity, .count = m_ring.count(), .kind = EventKind::Capacity });
    m_notFull.broadcast(ctx);
}

void PyQueueStrategy::wakeAll()
{
    m_mutex.poke();
    m_notEmpty.poke();
    m_notFull.poke();
    m_allTasksDone.poke();
}

} // namespace pcviz
