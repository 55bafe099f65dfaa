// SPDX-License-Identifier: GPL-3.0-or-later
#include "resultslist.h"

#include <algorithm>

namespace pcviz {

ResultsList::ResultsList(std::size_t capacity)
    : m_capacity(std::max<std::size_t>(1, capacity))
    , m_slots(new std::atomic<std::int64_t>[m_capacity])
{
    for (std::size_t i = 0; i < m_capacity; ++i)
        m_slots[i].store(0, std::memory_order_relaxed);
}

std::size_t ResultsList::appendLocked(std::int64_t value)
{
    std::lock_guard lock(m_lock);
    const std::size_t index = std::min(m_size.load(std::memory_order_relaxed), m_capacity - 1);
    m_slots[index].store(value, std::memory_order_relaxed);
    m_size.store(index + 1, std::memory_order_relaxed);
    return index;
}

std::size_t ResultsList::appendRacy(std::int64_t value, const std::function<void()>& between)
{
    // The length only ever comes from a length read plus one, so it never exceeds the number
    // of appends; the clamp is for a caller that appends more than it said it would.
    const std::size_t index = std::min(m_size.load(std::memory_order_relaxed), m_capacity - 1);
    if (between)
        between();
    m_slots[index].store(value, std::memory_order_relaxed);
    m_size.store(index + 1, std::memory_order_relaxed);
    return index;
}

} // namespace pcviz
