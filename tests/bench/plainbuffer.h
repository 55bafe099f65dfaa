// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

namespace pcviz::bench {

/// The baseline: a textbook bounded buffer of std::mutex and two std::condition_variables,
/// with no recording at all.
class PlainBuffer {
public:
    explicit PlainBuffer(std::size_t capacity)
        : m_slots(capacity)
    {
    }

    void put(std::int64_t value)
    {
        std::unique_lock lock(m_mutex);
        m_notFull.wait(lock, [this] { return m_count < m_slots.size(); });
        m_slots[m_in] = value;
        m_in = (m_in + 1) % m_slots.size();
        ++m_count;
        lock.unlock();
        m_notEmpty.notify_one();
    }

    std::int64_t get()
    {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [this] { return m_count > 0; });
        const std::int64_t value = m_slots[m_out];
        m_out = (m_out + 1) % m_slots.size();
        --m_count;
        lock.unlock();
        m_notFull.notify_one();
        return value;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_notFull;
    std::condition_variable m_notEmpty;
    std::vector<std::int64_t> m_slots;
    std::size_t m_in = 0;
    std::size_t m_out = 0;
    std::size_t m_count = 0;
};

} // namespace pcviz::bench
