// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventlog.h"

#include <algorithm>

#include <QtGlobal>

namespace pcviz {

EventLog::EventLog(std::size_t laneCapacity)
    : m_laneCapacity(laneCapacity)
{
    m_shared = openLane();
}

EventLog::~EventLog() = default;

EventLane* EventLog::openLane()
{
    std::lock_guard lock(m_lanesMutex);
    const std::size_t index = m_laneCount.load(std::memory_order_relaxed);
    // A closed lane is taken again only once a reader has read all of it: a reader that skips
    // to each lane's newest events would otherwise skip every event of the thread that wrote
    // it first, and never learn that thread ran. Without a reader, lanes are reused only when
    // no new one is left.
    auto reusable = std::find_if(
        m_closed.begin(), m_closed.end(), [](const EventLane* l) { return l->fullyRead(); });
    if (reusable == m_closed.end() && index == MaxLanes && !m_closed.empty())
        reusable = m_closed.begin();
    if (reusable != m_closed.end()) {
        EventLane* lane = *reusable;
        m_closed.erase(reusable);
        return lane;
    }
    if (index == MaxLanes)
        qFatal("pcviz: more than %zu threads record events at once", MaxLanes);
    m_lanes[index] = std::make_unique<EventLane>(*this, m_laneCapacity);
    // Sequentially consistent, as the frontier: a reader that has not seen this lane yet
    // raised the frontier before it looked, and the lane's first unpark sees that.
    m_laneCount.store(index + 1, std::memory_order_seq_cst);
    return m_lanes[index].get();
}

void EventLog::closeLane(EventLane* lane)
{
    lane->park();
    std::lock_guard lock(m_lanesMutex);
    m_closed.push_back(lane);
}

void EventLog::record(const Event& e)
{
    std::lock_guard lock(m_sharedMutex);
    m_shared->unpark();
    const std::uint64_t key = m_shared->nextKey(0);
    const std::int64_t tNs = nowNs();
    m_shared->write(e, e.thread, tNs, key);
    m_shared->park();
    if (m_tap) {
        Event copy = e;
        copy.seq = key;
        copy.tNs = tNs;
        m_tap(copy);
    }
}

std::uint64_t EventLog::recorded() const
{
    std::uint64_t total = 0;
    for (std::size_t i = 0, n = laneCount(); i < n; ++i)
        total += m_lanes[i]->head();
    return total;
}

void EventLog::setLossless(bool lossless)
{
    if (lossless)
        m_abandoned.store(false, std::memory_order_relaxed);
    m_lossless.store(lossless, std::memory_order_release);
}

void EventLog::abandon()
{
    m_abandoned.store(true, std::memory_order_release);
}

void EventLog::setTap(std::function<void(const Event&)> tap)
{
    m_tap = std::move(tap);
}

void EventLog::raiseFrontier(std::uint64_t key)
{
    std::uint64_t current = m_frontier.load(std::memory_order_relaxed);
    while (current < key
        && !m_frontier.compare_exchange_weak(current, key, std::memory_order_seq_cst)) { }
}

void EventLog::reset()
{
    for (std::size_t i = 0, n = laneCount(); i < n; ++i)
        m_lanes[i]->reset();
    m_frontier.store(0, std::memory_order_relaxed);
    m_abandoned.store(false, std::memory_order_release);
    m_generation.fetch_add(1, std::memory_order_acq_rel);
    m_clock.restart();
}

} // namespace pcviz
