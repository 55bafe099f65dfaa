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

OpStatus LockFreeMpmcStrategy::put(const ThreadContext& ctx, const Item& item)
{
    for (;;) {
        ctx.pass(GateAction::Put);
        if (ctx.stopping())
            return OpStatus::Stopped;
        const OpStatus tried = m_recording ? tryPutRecorded(ctx, item) : tryPut(item);
        if (tried == OpStatus::Ok)
            RingBackoff::wakeAfterStep(ctx, NotEmpty);
        if (tried != OpStatus::Full)
            return tried;
        const auto ready = [this] { return hasRoom(m_enqueue.load(std::memory_order_acquire)); };
        if (RingBackoff::spin(ctx, m_polling, ready))
            continue;
        const std::uint64_t word = m_enqueue.load(std::memory_order_acquire);
        const std::uint64_t p = LockFreeWord::position(word);
        ctx.record({ .item = item.id,
            .count = int(
                std::min<std::uint64_t>(p - std::min(p, m_dequeue.load(std::memory_order_acquire)),
                    LockFreeWord::limit(word))),
            .kind = EventKind::PutWait,
            .object = NotFull });
        RingBackoff::wait(ctx, NotFull, m_pokes, false, ready);
    }
}

OpStatus LockFreeMpmcStrategy::tryPut(const Item& item)
{
    std::uint64_t word = m_enqueue.load(std::memory_order_acquire);
    for (;;) {
        if (hasRoom(word)) {
            if (m_enqueue.compare_exchange_weak(
                    word, word + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
                const std::uint64_t p = LockFreeWord::position(word);
                Cell& cell = m_cells[p % Cells];
                cell.item = item; // p is ours alone
                cell.seq.store(p + 1, std::memory_order_release);
                return OpStatus::Ok;
            }
            continue;
        }
        // Another producer may have claimed p meanwhile: only a word that stayed put is full.
        const std::uint64_t fresh = m_enqueue.load(std::memory_order_acquire);
        if (fresh == word)
            return OpStatus::Full;
        word = fresh;
    }
}

OpStatus LockFreeMpmcStrategy::tryPutRecorded(const ThreadContext& ctx, const Item& item)
{
    if (!RingBackoff::await(ctx, [this] { return m_putLock.tryLock(); }))
        return OpStatus::Stopped;
    const std::uint64_t word = m_enqueue.load(std::memory_order_relaxed);
    if (!hasRoom(word)) {
        m_putLock.unlock();
        return OpStatus::Full;
    }
    const std::uint64_t p = LockFreeWord::position(word);
    Cell& cell = m_cells[p % Cells];
    cell.item = item;
    // After hasRoom's look at the cells: at least the clock of the get that made this room.
    ObjectClock clock { lastKey() };
    ctx.record({ .item = item.id,
                   .value = item.value,
                   .slot = int(p % Cells),
                   .count = int(p + 1 - m_dequeue.load(std::memory_order_acquire)),
                   .kind = EventKind::Put },
        clock);
    m_putKey.store(clock.load(std::memory_order_relaxed), std::memory_order_relaxed);
    // Before the cell: a get that finds the item also finds this put counted.
    m_enqueue.store(word + 1, std::memory_order_release);
    cell.seq.store(p + 1, std::memory_order_release);
    m_putLock.unlock();
    return OpStatus::Ok;
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
        const OpStatus tried = m_recording ? tryGetRecorded(ctx, out) : tryGet(out);
        if (tried == OpStatus::Ok)
            RingBackoff::wakeAfterStep(ctx, NotFull);
        if (tried != OpStatus::Empty)
            return tried;
        if (leaving)
            return OpStatus::Closed;
        const auto ready = [this] {
            const std::uint64_t next = m_dequeue.load(std::memory_order_acquire);
            return std::int64_t(
                       m_cells[next % Cells].seq.load(std::memory_order_acquire) - (next + 1))
                >= 0;
        };
        if (RingBackoff::spin(ctx, m_polling, ready))
            continue;
        ctx.record({ .count = 0, .kind = EventKind::GetWait, .object = NotEmpty });
        RingBackoff::wait(ctx, NotEmpty, m_pokes, true, ready);
    }
}

OpStatus LockFreeMpmcStrategy::tryGet(Item& out)
{
    std::uint64_t q = m_dequeue.load(std::memory_order_acquire);
    for (;;) {
        Cell& cell = m_cells[q % Cells];
        const std::int64_t ahead = std::int64_t(cell.seq.load(std::memory_order_acquire) - (q + 1));
        if (ahead == 0) {
            if (m_dequeue.compare_exchange_weak(
                    q, q + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
                out = cell.item;
                cell.seq.store(q + Cells, std::memory_order_release);
                return OpStatus::Ok;
            }
            continue;
        }
        if (ahead > 0) { // another consumer took q
            q = m_dequeue.load(std::memory_order_acquire);
            continue;
        }
        return OpStatus::Empty; // the put of q has not been published
    }
}

OpStatus LockFreeMpmcStrategy::tryGetRecorded(const ThreadContext& ctx, Item& out)
{
    if (!RingBackoff::await(ctx, [this] { return m_getLock.tryLock(); }))
        return OpStatus::Stopped;
    const std::uint64_t q = m_dequeue.load(std::memory_order_relaxed);
    Cell& cell = m_cells[q % Cells];
    if (cell.seq.load(std::memory_order_acquire) != q + 1) {
        m_getLock.unlock();
        return OpStatus::Empty;
    }
    out = cell.item;
    // After the cell's sequence: at least the clock of the put of this item.
    ObjectClock clock { lastKey() };
    ctx.record({ .item = out.id,
                   .value = out.value,
                   .slot = int(q % Cells),
                   .count = int(
                       LockFreeWord::position(m_enqueue.load(std::memory_order_acquire)) - (q + 1)),
                   .kind = EventKind::Get },
        clock);
    m_getKey.store(clock.load(std::memory_order_relaxed), std::memory_order_relaxed);
    // Before the cell: a put that finds the room also finds this get counted.
    m_dequeue.store(q + 1, std::memory_order_release);
    cell.seq.store(q + Cells, std::memory_order_release);
    m_getLock.unlock();
    return OpStatus::Ok;
}

void LockFreeMpmcStrategy::setCapacity(const ThreadContext& ctx, int capacity)
{
    if (!m_recording) {
        // No history to keep in order: the next claim simply sees the new limit.
        LockFreeWord::swapLimit(m_enqueue, capacity);
    } else if (RingBackoff::await(ctx, [this] { return m_putLock.tryLock(); })) {
        // Between two puts: the puts before it are recorded before it, the later ones after.
        // A stop while waiting for the lock leaves the capacity as it was.
        const std::uint64_t at = LockFreeWord::position(m_enqueue.load(std::memory_order_relaxed));
        ObjectClock clock { lastKey() };
        ctx.record({ .value = capacity,
                       .count = int(at - std::min(at, m_dequeue.load(std::memory_order_acquire))),
                       .kind = EventKind::Capacity },
            clock);
        m_capacityKey.store(clock.load(std::memory_order_relaxed), std::memory_order_relaxed);
        m_enqueue.store(LockFreeWord::make(at, capacity), std::memory_order_release);
        m_putLock.unlock();
    }
    // Producers waiting for room look again now rather than after their nap.
    m_pokes.fetch_add(1, std::memory_order_acq_rel);
}

void LockFreeMpmcStrategy::wakeAll()
{
    m_pokes.fetch_add(1, std::memory_order_acq_rel);
}

} // namespace pcviz
