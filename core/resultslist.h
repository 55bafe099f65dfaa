// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

namespace pcviz {

/// The program's final_results: a list consumers append to, either under a lock or racily.
/// The racy append is a lost update made of relaxed atomics (read the length, write the slot,
/// store length + 1), so two appends at once lose a result without any data race.
class ResultsList {
public:
    /// capacity: the most appends a run can make (one per item).
    explicit ResultsList(std::size_t capacity);

    /// Appends under the list's lock; returns the index written.
    std::size_t appendLocked(std::int64_t value);
    /// Reads the length, calls between() (a gate or a yield widens the window), then writes at
    /// that index and stores the length it read plus one; returns the index written.
    std::size_t appendRacy(std::int64_t value, const std::function<void()>& between);
    std::size_t size() const { return m_size.load(std::memory_order_relaxed); }
    std::int64_t at(std::size_t index) const
    {
        return m_slots[index].load(std::memory_order_relaxed);
    }

private:
    std::size_t m_capacity;
    std::unique_ptr<std::atomic<std::int64_t>[]> m_slots;
    std::atomic<std::size_t> m_size { 0 };
    std::mutex m_lock;
};

} // namespace pcviz
