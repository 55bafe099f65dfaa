// SPDX-License-Identifier: GPL-3.0-or-later
#include "lockfreespscstrategy.h"

#include "../scenario.h"
#include "lockfreeword.h"
#include "ringbackoff.h"

#include <algorithm>

namespace pcviz {

namespace {
constexpr std::uint8_t NotFull = 0;
constexpr std::uint8_t NotEmpty = 1;
static_assert(LockFreeSpscStrategy::Cells >= std::uint64_t(Scenario::MaxCapacity));
static_assert((LockFreeSpscStrategy::Cells & (LockFreeSpscStrategy::Cells - 1)) == 0);
} // namespace

LockFreeSpscStrategy::LockFreeSpscStrategy(int capacity)
    : m_cells(new Item[Cells])
    , m_limit(capacity)
    , m_enqueue(LockFreeWord::make(0, capacity))
{
}

std::vector<ObjectInfo> LockFreeSpscStrategy::objects() const
{
    return { { NotFull, QStringLiteral("not_full"), ObjectType::Backoff },
        { NotEmpty, QStringLiteral("not_empty"), ObjectType::Backoff } };
}

// The producer's next position and the limit it puts under.
std::uint64_t LockFreeSpscStrategy::producerWord() const
{
    if (!m_recording)
        return LockFreeWord::make(
            m_tail.load(std::memory_order_relaxed), m_limit.load(std::memory_order_relaxed));
    return m_enqueue.load(std::memory_order_acquire);
}

// The producer's side: the cached head is refreshed only when it says there is no room.
bool LockFreeSpscStrategy::hasRoom(std::uint64_t word)
{
    const std::uint64_t p = LockFreeWord::position(word);
    const std::uint64_t limit = LockFreeWord::limit(word);
    if (p - m_headCache < limit)
        return true;
    m_headCache = m_head.load(std::memory_order_acquire);
    // Read after the head: at least the clock of the get that made this room.
    m_getKeyCache = m_getKey.load(std::memory_order_relaxed);
    return p - m_headCache < limit;
}

// The consumer's side: the cached tail is refreshed only when it says there is no item.
bool LockFreeSpscStrategy::hasItem(std::uint64_t position)
{
    if (position < m_tailCache)
        return true;
    m_tailCache = m_tail.load(std::memory_order_acquire);
    m_putKeyCache = m_putKey.load(std::memory_order_relaxed);
    return position < m_tailCache;
}

bool LockFreeSpscStrategy::mayRecordPut(std::uint64_t position) const
{
    return !m_resizing.load(std::memory_order_acquire)
        || position < m_resizeAt.load(std::memory_order_acquire);
}

OpStatus LockFreeSpscStrategy::put(const ThreadContext& ctx, const Item& item)
{
    // Free-running, unrecorded, with room by the cached head: nothing to pass, wait for or
    // record. Small, so that it saves no registers: its stores queue behind the last put's,
    // which wait for the consumer's core to give up the lines it reads.
    if (!m_recording && !ctx.gate->isPaused() && !ctx.stopping()) {
        const std::uint64_t p = m_tail.load(std::memory_order_relaxed); // the producer's own
        if (p - m_headCache < std::uint64_t(m_limit.load(std::memory_order_relaxed))) {
            publishUnrecorded(ctx, p, item);
            return OpStatus::Ok;
        }
    }
    return putOrWait(ctx, item);
}

void LockFreeSpscStrategy::publishUnrecorded(
    const ThreadContext& ctx, std::uint64_t position, const Item& item)
{
    // Field by field: the item was just built on the caller's stack by two 8-byte stores,
    // which a 16-byte load could not take from the store buffer.
    Item& cell = m_cells[position % Cells];
    cell.id = item.id;
    cell.value = item.value;
    m_tail.store(position + 1, std::memory_order_release);
    RingBackoff::wakeAfterStep(ctx, NotEmpty);
}

OpStatus LockFreeSpscStrategy::putOrWait(const ThreadContext& ctx, const Item& item)
{
    for (;;) {
        ctx.pass(GateAction::Put);
        if (ctx.stopping())
            return OpStatus::Stopped;
        std::uint64_t word = producerWord();
        if (hasRoom(word)) {
            if (!m_recording) {
                publishUnrecorded(ctx, LockFreeWord::position(word), item);
                return OpStatus::Ok;
            }
            // Fails only when a capacity change swapped the word: look again under the new one.
            if (!m_enqueue.compare_exchange_strong(
                    word, word + 1, std::memory_order_acq_rel, std::memory_order_acquire))
                continue;
            const std::uint64_t p = LockFreeWord::position(word);
            if (!RingBackoff::await(ctx, [&] { return mayRecordPut(p); }))
                return OpStatus::Stopped;
            m_cells[p % Cells] = item;
            // The clock cached with the head that made this room: at least that get's. The
            // latest would move the consumer's line here on every put, for a clock that orders
            // nothing more (recorded, 8.1M -> 11.5M items/s in-process, 1P/1C).
            ObjectClock clock { std::max({ m_getKeyCache, capacityKey() }) };
            ctx.record({ .item = item.id,
                           .value = item.value,
                           .slot = int(p % Cells),
                           .count = int(p + 1 - m_headCache),
                           .kind = EventKind::Put },
                clock);
            m_putKey.store(clock.load(std::memory_order_relaxed), std::memory_order_relaxed);
            m_tail.store(p + 1, std::memory_order_release);
            RingBackoff::wakeAfterStep(ctx, NotEmpty);
            return OpStatus::Ok;
        }
        const auto ready = [this] { return hasRoom(producerWord()); };
        if (RingBackoff::spin(ctx, m_polling, ready))
            continue;
        const std::uint64_t p = LockFreeWord::position(word);
        ctx.record({ .item = item.id,
            .count = int(p - m_headCache),
            .kind = EventKind::PutWait,
            .object = NotFull });
        RingBackoff::wait(ctx, NotFull, m_pokes, false, ready);
    }
}

OpStatus LockFreeSpscStrategy::get(const ThreadContext& ctx, Item& out)
{
    // The consumer's twin of put's short way: free-running, unrecorded, an item by the cached
    // tail.
    if (!m_recording && !ctx.gate->isPaused() && !ctx.stopping()) {
        const std::uint64_t q = m_head.load(std::memory_order_relaxed); // ours alone
        if (q < m_tailCache) {
            out = m_cells[q % Cells];
            m_head.store(q + 1, std::memory_order_release);
            RingBackoff::wakeAfterStep(ctx, NotFull);
            return OpStatus::Ok;
        }
    }
    return getOrWait(ctx, out);
}

OpStatus LockFreeSpscStrategy::getOrWait(const ThreadContext& ctx, Item& out)
{
    for (;;) {
        ctx.pass(GateAction::Get);
        if (ctx.stopping())
            return OpStatus::Stopped;
        // Read before looking: once the producer is gone, an empty ring stays empty.
        const bool leaving = ctx.leaving();
        const std::uint64_t q = m_head.load(std::memory_order_relaxed); // ours alone
        if (hasItem(q)) {
            out = m_cells[q % Cells];
            if (m_recording) {
                // Cached with the tail that published this item: at least its put's clock.
                ObjectClock clock { std::max({ m_putKeyCache, capacityKey() }) };
                ctx.record({ .item = out.id,
                               .value = out.value,
                               .slot = int(q % Cells),
                               .count = int(m_tailCache - (q + 1)),
                               .kind = EventKind::Get },
                    clock);
                m_getKey.store(clock.load(std::memory_order_relaxed), std::memory_order_relaxed);
            }
            m_head.store(q + 1, std::memory_order_release);
            RingBackoff::wakeAfterStep(ctx, NotFull);
            return OpStatus::Ok;
        }
        if (leaving)
            return OpStatus::Closed;
        const auto ready = [this, q] { return hasItem(q); };
        if (RingBackoff::spin(ctx, m_polling, ready))
            continue;
        ctx.record({ .count = 0, .kind = EventKind::GetWait, .object = NotEmpty });
        RingBackoff::wait(ctx, NotEmpty, m_pokes, true, ready);
    }
}

void LockFreeSpscStrategy::setCapacity(const ThreadContext& ctx, int capacity)
{
    if (!m_recording) {
        // No history to order the change in: a put that read the old limit just before it may
        // still fill its cell, as one made just before the change would. After a shrink the
        // ring holds more than the new limit anyway until the consumer drains it.
        m_limit.store(capacity, std::memory_order_relaxed);
        m_pokes.fetch_add(1, std::memory_order_acq_rel);
        return;
    }
    m_resizeAt.store(0, std::memory_order_relaxed);
    m_resizing.store(true, std::memory_order_seq_cst);
    const std::uint64_t at = LockFreeWord::swapLimit(m_enqueue, capacity);
    m_resizeAt.store(at, std::memory_order_release);
    // The put claimed under the old capacity, if any, comes first in the history.
    if (RingBackoff::await(ctx, [&] { return m_tail.load(std::memory_order_acquire) == at; })) {
        ObjectClock clock { std::max({ m_putKey.load(std::memory_order_relaxed),
            m_getKey.load(std::memory_order_relaxed), capacityKey() }) };
        const std::uint64_t head = m_head.load(std::memory_order_acquire);
        ctx.record({ .value = capacity,
                       .count = int(at - std::min(at, head)),
                       .kind = EventKind::Capacity },
            clock);
        m_capacityKey.store(clock.load(std::memory_order_relaxed), std::memory_order_relaxed);
    }
    m_resizing.store(false, std::memory_order_release);
    m_pokes.fetch_add(1, std::memory_order_acq_rel);
}

void LockFreeSpscStrategy::wakeAll()
{
    m_pokes.fetch_add(1, std::memory_order_acq_rel);
}

} // namespace pcviz
