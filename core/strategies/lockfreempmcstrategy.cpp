// SPDX-License-Identifier: GPL-3.0-or-later
#include "lockfreempmcstrategy.h"

#include "../scenario.h"
#include "lockfreeword.h"
#include "ringbackoff.h"

#include <algorithm>

namespace pcviz {

namespace {
constexpr std::uint8_t NotFull = 0;
constexpr std::uint8_t NotEmpty = 1;
static_assert(LockFreeMpmcStrategy::Cells >= std::uint64_t(Scenario::MaxCapacity));
static_assert((LockFreeMpmcStrategy::Cells & (LockFreeMpmcStrategy::Cells - 1)) == 0);
static_assert(std::uint64_t(Scenario::MaxCapacity) <= LockFreeWord::MaxLimit);
} // namespace

LockFreeMpmcStrategy::LockFreeMpmcStrategy(int capacity)
    : m_cells(new Cell[Cells])
    , m_enqueue(LockFreeWord::make(0, capacity))
{
    for (std::uint64_t i = 0; i < Cells; ++i)
        m_cells[i].seq.store(i, std::memory_order_relaxed);
}

std::vector<ObjectInfo> LockFreeMpmcStrategy::objects() const
{
    return { { NotFull, QStringLiteral("not_full"), ObjectType::Backoff },
        { NotEmpty, QStringLiteral("not_empty"), ObjectType::Backoff } };
}

std::uint64_t LockFreeMpmcStrategy::lastKey() const
{
    return std::max({ m_putKey.load(std::memory_order_relaxed),
        m_getKey.load(std::memory_order_relaxed), m_capacityKey.load(std::memory_order_relaxed) });
}

bool LockFreeMpmcStrategy::hasRoom(std::uint64_t word) const
{
    // The cell is free, and the get `limit` positions back is done: gets are claimed in
    // order, so at most `limit` items are then in the ring. Only cells are read, which the
    // producers touch anyway, not a count that every get would have to update.
    const std::uint64_t p = LockFreeWord::position(word);
    const std::uint64_t limit = LockFreeWord::limit(word);
    return m_cells[p % Cells].seq.load(std::memory_order_acquire) == p
        && (p < limit || taken(p - limit));
}

bool LockFreeMpmcStrategy::taken(std::uint64_t position) const
{
    // A cell's sequence only grows: position + Cells once its get is done, more once reused.
    return m_cells[position % Cells].seq.load(std::memory_order_acquire) >= position + Cells;
}

bool LockFreeMpmcStrategy::mayRecordPut(std::uint64_t position) const
{
    if (m_putsDone.load(std::memory_order_acquire) != position)
        return false;
    // A put claimed under a new capacity is recorded after the change; one claimed before
    // the change is recorded before it (the change waits for it). 0 = not known yet.
    return !m_resizing.load(std::memory_order_acquire)
        || position < m_resizeAt.load(std::memory_order_acquire);
}

OpStatus LockFreeMpmcStrategy::put(const ThreadContext& ctx, const Item& item)
{
    for (;;) {
        ctx.pass(GateAction::Put);
        if (ctx.stopping())
            return OpStatus::Stopped;
        std::uint64_t word = m_enqueue.load(std::memory_order_acquire);
        for (;;) {
            const std::uint64_t p = LockFreeWord::position(word);
            if (hasRoom(word)) {
                if (m_enqueue.compare_exchange_weak(
                        word, word + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
                    return finishPut(ctx, p, item) ? OpStatus::Ok : OpStatus::Stopped;
                }
                continue;
            }
            // Another producer may have claimed p meanwhile: only a word that stayed put is full.
            const std::uint64_t fresh = m_enqueue.load(std::memory_order_acquire);
            if (fresh == word)
                break;
            word = fresh;
        }
        const auto ready = [this] { return hasRoom(m_enqueue.load(std::memory_order_acquire)); };
        if (RingBackoff::spin(ctx, ready))
            continue;
        const std::uint64_t p = LockFreeWord::position(word);
        ctx.record({ .item = item.id,
            .count = int(
                std::min<std::uint64_t>(p - std::min(p, m_getsDone.load(std::memory_order_acquire)),
                    LockFreeWord::limit(word))),
            .kind = EventKind::PutWait,
            .object = NotFull });
        RingBackoff::wait(ctx, NotFull, m_pokes, false, ready);
    }
}

bool LockFreeMpmcStrategy::finishPut(
    const ThreadContext& ctx, std::uint64_t position, const Item& item)
{
    Cell& cell = m_cells[position % Cells];
    cell.item = item;
    if (!m_recording) {
        cell.seq.store(position + 1, std::memory_order_release);
        RingBackoff::wakeAfterStep(ctx, NotEmpty);
        return true;
    }
    if (!RingBackoff::await(ctx, [&] { return mayRecordPut(position); }))
        return false; // stopping: the claimed cell is never published, nothing waits for it
    ObjectClock clock { lastKey() };
    const std::uint64_t gets = m_getsDone.load(std::memory_order_acquire);
    ctx.record({ .item = item.id,
                   .value = item.value,
                   .slot = int(position % Cells),
                   .count = int(position + 1 - gets),
                   .kind = EventKind::Put },
        clock);
    m_putKey.store(clock.load(std::memory_order_relaxed), std::memory_order_relaxed);
    m_putsDone.store(position + 1, std::memory_order_release);
    cell.seq.store(position + 1, std::memory_order_release);
    RingBackoff::wakeAfterStep(ctx, NotEmpty);
    return true;
}

OpStatus LockFreeMpmcStrategy::get(const ThreadContext& ctx, Item& out)
{
    for (;;) {
        ctx.pass(GateAction::Get);
        if (ctx.stopping())
            return OpStatus::Stopped;
        // Read before looking: once asked to leave, an empty ring stays empty for this thread
        // (the producers are gone, or the items are left for the consumers who stay).
        const bool leaving = ctx.leaving();
        std::uint64_t q = m_dequeue.load(std::memory_order_acquire);
        for (;;) {
            Cell& cell = m_cells[q % Cells];
            const std::int64_t ahead
                = std::int64_t(cell.seq.load(std::memory_order_acquire) - (q + 1));
            if (ahead == 0) {
                if (m_dequeue.compare_exchange_weak(
                        q, q + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
                    finishGet(ctx, q, out);
                    return OpStatus::Ok;
                }
                continue;
            }
            if (ahead > 0) { // another consumer took q
                q = m_dequeue.load(std::memory_order_acquire);
                continue;
            }
            break; // empty: the put of q has not been published
        }
        if (leaving)
            return OpStatus::Closed;
        const auto ready = [this] {
            const std::uint64_t next = m_dequeue.load(std::memory_order_acquire);
            return std::int64_t(
                       m_cells[next % Cells].seq.load(std::memory_order_acquire) - (next + 1))
                >= 0;
        };
        if (RingBackoff::spin(ctx, ready))
            continue;
        ctx.record({ .count = 0, .kind = EventKind::GetWait, .object = NotEmpty });
        RingBackoff::wait(ctx, NotEmpty, m_pokes, true, ready);
    }
}

void LockFreeMpmcStrategy::finishGet(const ThreadContext& ctx, std::uint64_t position, Item& out)
{
    Cell& cell = m_cells[position % Cells];
    out = cell.item;
    if (!m_recording) {
        cell.seq.store(position + Cells, std::memory_order_release);
        RingBackoff::wakeAfterStep(ctx, NotFull);
        return;
    }
    // The item is taken either way; a stop only spares the record. Once one get goes
    // unrecorded, so does every later one: a get recorded after the gap would take its item
    // while the unrecorded one's is still the oldest in the history.
    const bool inTurn = RingBackoff::await(
        ctx, [&] { return m_getsDone.load(std::memory_order_acquire) == position; });
    if (!inTurn || m_getsUnrecorded.load(std::memory_order_relaxed)) {
        m_getsUnrecorded.store(true, std::memory_order_relaxed);
    } else {
        ObjectClock clock { lastKey() };
        const std::uint64_t puts = m_putsDone.load(std::memory_order_acquire);
        ctx.record({ .item = out.id,
                       .value = out.value,
                       .slot = int(position % Cells),
                       .count = int(puts - (position + 1)),
                       .kind = EventKind::Get },
            clock);
        m_getKey.store(clock.load(std::memory_order_relaxed), std::memory_order_relaxed);
    }
    m_getsDone.store(position + 1, std::memory_order_release);
    cell.seq.store(position + Cells, std::memory_order_release);
    RingBackoff::wakeAfterStep(ctx, NotFull);
}

std::uint64_t LockFreeMpmcStrategy::setLimit(int capacity)
{
    std::uint64_t word = m_enqueue.load(std::memory_order_acquire);
    while (!m_enqueue.compare_exchange_weak(word,
        LockFreeWord::make(LockFreeWord::position(word), capacity), std::memory_order_acq_rel,
        std::memory_order_acquire)) { }
    return LockFreeWord::position(word);
}

void LockFreeMpmcStrategy::setCapacity(const ThreadContext& ctx, int capacity)
{
    if (!m_recording) {
        // No history to keep in order: the next claim simply sees the new limit.
        setLimit(capacity);
        m_pokes.fetch_add(1, std::memory_order_acq_rel);
        return;
    }
    m_resizeAt.store(0, std::memory_order_relaxed);
    m_resizing.store(true, std::memory_order_seq_cst);
    const std::uint64_t at = setLimit(capacity);
    m_resizeAt.store(at, std::memory_order_release);
    // The puts claimed under the old capacity come first in the history.
    if (RingBackoff::await(ctx, [&] { return m_putsDone.load(std::memory_order_acquire) == at; })) {
        ObjectClock clock { lastKey() };
        const std::uint64_t gets = m_getsDone.load(std::memory_order_acquire);
        ctx.record({ .value = capacity,
                       .count = int(at - std::min(at, gets)),
                       .kind = EventKind::Capacity },
            clock);
        m_capacityKey.store(clock.load(std::memory_order_relaxed), std::memory_order_relaxed);
    } else {
        // Stopping with the change unrecorded: the puts claimed under it stay unrecorded too
        // (they wait for it until they see the stop), or the history would put them under the
        // old capacity.
        m_pokes.fetch_add(1, std::memory_order_acq_rel);
        return;
    }
    m_resizing.store(false, std::memory_order_release);
    // Producers waiting for room look again now rather than after their nap.
    m_pokes.fetch_add(1, std::memory_order_acq_rel);
}

void LockFreeMpmcStrategy::wakeAll()
{
    m_pokes.fetch_add(1, std::memory_order_acq_rel);
}

} // namespace pcviz
