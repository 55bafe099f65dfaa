// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <vector>

namespace pcviz {

/// The layout of a bounded buffer: which physical slot each put and get uses. The strategies
/// and the state model share it, so a fold of the events lays items out exactly as the run did.
/// Capacity 0 means unbounded: the ring doubles when full. A capacity below the count takes
/// effect once enough items have left; until then puts must wait (full() says so).
/// A slot that holds no item holds the vacant value. Misuse is defined rather than undefined,
/// because the broken strategies misuse it on purpose and the fold must follow them: a put with
/// no free slot overwrites the oldest item, a get from an empty ring takes the vacant value.
template <typename T> class SlotRing {
public:
    static constexpr int UnboundedStart = 16;

    explicit SlotRing(int capacity = 1, T vacant = T {})
        : m_vacant(vacant)
    {
        m_capacity = capacity;
        m_items.resize(std::size_t(capacity > 0 ? capacity : UnboundedStart), m_vacant);
    }

    int capacity() const { return m_capacity; }
    int count() const { return m_count; }
    int slots() const { return int(m_items.size()); }
    int in() const { return m_in; }
    int out() const { return m_out; }
    bool empty() const { return m_count == 0; }
    bool full() const { return m_capacity > 0 && m_count >= m_capacity; }
    bool bounded() const { return m_capacity > 0; }
    const T& vacant() const { return m_vacant; }

    /// Stores value in the next slot and returns the slot. A full ring that still has a free
    /// slot (after a capacity shrink) takes the value over capacity; one with no free slot
    /// overwrites its oldest value, which goes to *overwritten (the vacant value otherwise).
    int put(const T& value, T* overwritten = nullptr)
    {
        if (overwritten)
            *overwritten = m_vacant;
        if (bounded() && m_count >= slots()) {
            const int slot = m_in; // == m_out: the oldest
            if (overwritten)
                *overwritten = m_items[std::size_t(slot)];
            m_items[std::size_t(slot)] = value;
            m_in = m_out = (slot + 1) % slots();
            return slot;
        }
        if (!full()) {
            const int target
                = m_capacity > 0 ? m_capacity : (m_count == slots() ? slots() * 2 : slots());
            if (target != slots())
                relayout(target);
        }
        const int slot = m_in;
        m_items[std::size_t(slot)] = value;
        m_in = (m_in + 1) % slots();
        ++m_count;
        return slot;
    }

    /// Takes the oldest value and leaves its slot vacant. An empty ring moves nothing and gives
    /// the vacant value.
    T get(int* slot = nullptr)
    {
        if (slot)
            *slot = m_out;
        if (m_count == 0)
            return m_vacant;
        T value = m_items[std::size_t(m_out)];
        m_items[std::size_t(m_out)] = m_vacant;
        m_out = (m_out + 1) % slots();
        --m_count;
        return value;
    }

    /// For a buffer whose operations are not atomic, where the event is the only account of
    /// what happened: value went into slot and count items are there now. Returns what the
    /// slot held before (the vacant value if nothing).
    T putAt(int slot, const T& value, int count)
    {
        if (slot < 0 || slot >= slots())
            return m_vacant;
        T before = m_items[std::size_t(slot)];
        m_items[std::size_t(slot)] = value;
        m_in = (slot + 1) % slots();
        setCountBefore(m_in, count);
        return before;
    }

    /// The same for a get from slot that left count items; returns what the slot held.
    T getAt(int slot, int count)
    {
        if (slot < 0 || slot >= slots())
            return m_vacant;
        T before = m_items[std::size_t(slot)];
        m_items[std::size_t(slot)] = m_vacant;
        m_out = (slot + 1) % slots();
        m_count = std::clamp(count, 0, slots());
        m_in = (m_out + m_count) % slots();
        return before;
    }

    const T& at(int slot) const { return m_items[std::size_t(slot)]; }
    /// The i-th oldest value.
    const T& fromOldest(int i) const { return m_items[std::size_t((m_out + i) % slots())]; }

    /// Empties the ring with the next put and get both at slot position (the layout after a
    /// get from slot position - 1 that left the ring empty).
    void clearAt(int position)
    {
        std::fill(m_items.begin(), m_items.end(), m_vacant);
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
        std::vector<T> items(std::size_t(std::max(size, 1)), m_vacant);
        for (int i = 0; i < m_count; ++i)
            items[std::size_t(i)] = fromOldest(i);
        m_items.swap(items);
        m_out = 0;
        m_in = m_count % slots();
    }

    // The count items before end are the ones in the ring.
    void setCountBefore(int end, int count)
    {
        m_count = std::clamp(count, 0, slots());
        m_out = ((end - m_count) % slots() + slots()) % slots();
    }

    std::vector<T> m_items;
    T m_vacant;
    int m_capacity = 1;
    int m_count = 0;
    int m_in = 0;
    int m_out = 0;
};

} // namespace pcviz
