// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <cassert>
#include <vector>

namespace pcviz {

/// The layout of a bounded buffer: which physical slot each put and get uses. The strategies
/// and the state model share it, so a fold of the events lays items out exactly as the run did.
/// Capacity 0 means unbounded: the ring doubles when full. A capacity below the count takes
/// effect once enough items have left; until then puts must wait (full() says so).
template <typename T> class SlotRing {
public:
    static constexpr int UnboundedStart = 16;

    explicit SlotRing(int capacity = 1)
    {
        m_capacity = capacity;
        m_items.resize(std::size_t(capacity > 0 ? capacity : UnboundedStart));
    }

    int capacity() const { return m_capacity; }
    int count() const { return m_count; }
    int slots() const { return int(m_items.size()); }
    int in() const { return m_in; }
    int out() const { return m_out; }
    bool empty() const { return m_count == 0; }
    bool full() const { return m_capacity > 0 && m_count >= m_capacity; }
    bool bounded() const { return m_capacity > 0; }

    /// Stores value in the next slot and returns the slot. Precondition: !full().
    int put(const T& value)
    {
        assert(!full());
        const int target
            = m_capacity > 0 ? m_capacity : (m_count == slots() ? slots() * 2 : slots());
        if (target != slots())
            relayout(target);
        const int slot = m_in;
        m_items[std::size_t(slot)] = value;
        m_in = (m_in + 1) % slots();
        ++m_count;
        return slot;
    }

    /// Takes the oldest value. Precondition: !empty().
    T get(int* slot = nullptr)
    {
        assert(!empty());
        if (slot)
            *slot = m_out;
        T value = m_items[std::size_t(m_out)];
        m_out = (m_out + 1) % slots();
        --m_count;
        return value;
    }

    const T& at(int slot) const { return m_items[std::size_t(slot)]; }
    /// The i-th oldest value.
    const T& fromOldest(int i) const { return m_items[std::size_t((m_out + i) % slots())]; }

    /// Empties the ring with the next put and get both at slot position (the layout after a
    /// get from slot position - 1 that left the ring empty).
    void clearAt(int position)
    {
        m_count = 0;
        m_in = m_out = position % slots();
    }

    void setCapacity(int capacity)
    {
        m_capacity = capacity;
        if (capacity > 0 && m_count <= capacity)
            relayout(capacity);
    }

private:
    // Moves the items, oldest first, to slots 0..count-1 of a ring of the given size.
    void relayout(int size)
    {
        std::vector<T> items(std::size_t(std::max(size, 1)));
        for (int i = 0; i < m_count; ++i)
            items[std::size_t(i)] = fromOldest(i);
        m_items.swap(items);
        m_out = 0;
        m_in = m_count % slots();
    }

    std::vector<T> m_items;
    int m_capacity = 1;
    int m_count = 0;
    int m_in = 0;
    int m_out = 0;
};

} // namespace pcviz
