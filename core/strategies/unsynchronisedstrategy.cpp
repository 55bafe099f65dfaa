// SPDX-License-Identifier: GPL-3.0-or-later
#include "unsynchronisedstrategy.h"

#include "../scenario.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace pcviz {

namespace {
constexpr auto Relaxed = std::memory_order_relaxed;

// The gap between check and act that lets another thread act on the same stale view. Parked:
// a yield may lose the core for a while, and a reader must not wait for this lane meanwhile.
void yieldBetweenCheckAndAct(const ThreadContext& ctx)
{
    const ThreadContext::Parking parking(ctx);
    std::this_thread::yield();
}

// Polls rather than blocks, as code without a lock has nothing to block on: yields first, then
// sleeps for up to a millisecond, so a stop or leave is seen within about that long.
void backOff(const ThreadContext& ctx, int& round)
{
    const ThreadContext::Parking parking(ctx);
    if (round < 8) {
        std::this_thread::yield();
        ++round;
    } else {
        std::this_thread::sleep_for(std::chrono::microseconds(std::min(1000, 20 << (round - 8))));
        round = std::min(round + 1, 14); // 20 << 6 is past the millisecond already
    }
}
} // namespace

UnsynchronisedStrategy::UnsynchronisedStrategy(int capacity)
    : m_slots(new Slot[std::size_t(Scenario::MaxCapacity)])
    , m_capacity(std::clamp(capacity, 1, Scenario::MaxCapacity))
{
}

OpStatus UnsynchronisedStrategy::put(const ThreadContext& ctx, const Item& item)
{
    int round = 0;
    for (;;) {
        const int count = m_count.load(Relaxed);
        if (count < m_capacity.load(Relaxed))
            break;
        if (ctx.stopping())
            return OpStatus::Stopped;
        if (round == 0)
            ctx.record({ .item = item.id, .count = count, .kind = EventKind::PutWait }, m_clock);
        backOff(ctx, round);
        ctx.pass(GateAction::Put); // while stepping, each look again is a step
    }
    // The count said there was room; by the time this thread acts there may be none.
    yieldBetweenCheckAndAct(ctx);
    ctx.pass(GateAction::Put);
    const int capacity = m_capacity.load(Relaxed);
    const int slot = m_in.load(Relaxed) % capacity;
    m_slots[std::size_t(slot)].value.store(item.value, Relaxed);
    m_slots[std::size_t(slot)].id.store(item.id, Relaxed);
    m_in.store((slot + 1) % capacity, Relaxed);
    // count++ as the compiler makes it without a lock: a load and a store, not one step.
    const int count = m_count.load(Relaxed) + 1;
    m_count.store(count, Relaxed);
    ctx.record({ .item = item.id,
                   .value = item.value,
                   .slot = slot,
                   .count = count,
                   .kind = EventKind::Put },
        m_clock);
    return OpStatus::Ok;
}

OpStatus UnsynchronisedStrategy::get(const ThreadContext& ctx, Item& out)
{
    int round = 0;
    for (;;) {
        const int count = m_count.load(Relaxed);
        if (count > 0)
            break;
        if (ctx.stopping())
            return OpStatus::Stopped;
        if (ctx.leaving())
            return OpStatus::Closed;
        if (round == 0)
            ctx.record({ .count = count, .kind = EventKind::GetWait }, m_clock);
        backOff(ctx, round);
        ctx.pass(GateAction::Get); // while stepping, each look again is a step
    }
    // The count said there was an item; another consumer may take it first.
    yieldBetweenCheckAndAct(ctx);
    ctx.pass(GateAction::Get);
    const int capacity = m_capacity.load(Relaxed);
    const int slot = m_out.load(Relaxed) % capacity;
    // Two relaxed loads: racing a put into this slot, they may pair one item's id with
    // another's value, which is what a torn read of an unlocked buffer is.
    out.id = m_slots[std::size_t(slot)].id.load(Relaxed);
    out.value = m_slots[std::size_t(slot)].value.load(Relaxed);
    m_out.store((slot + 1) % capacity, Relaxed);
    const int count = m_count.load(Relaxed) - 1;
    m_count.store(count, Relaxed);
    ctx.record({ .item = out.id,
                   .value = out.value,
                   .slot = slot,
                   .count = count,
                   .kind = EventKind::Get },
        m_clock);
    return OpStatus::Ok;
}

void UnsynchronisedStrategy::setCapacity(const ThreadContext& ctx, int capacity)
{
    // Nothing is moved: items beyond the new capacity stay where no index reaches them.
    m_capacity.store(std::clamp(capacity, 1, Scenario::MaxCapacity), Relaxed);
    ctx.record({ .value = capacity, .count = m_count.load(Relaxed), .kind = EventKind::Capacity },
        m_clock);
}

} // namespace pcviz
