// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <concurrentqueue/blockingconcurrentqueue.h>

#include <cstdint>

namespace pcviz::bench {

/// moodycamel's BlockingConcurrentQueue with a semaphore of free slots in front: the queue
/// itself grows without bound, and a peer that never makes a producer wait would not be
/// measured on the same task as a bounded buffer.
class BoundedConcurrentQueue {
public:
    explicit BoundedConcurrentQueue(std::size_t capacity)
        : m_queue(capacity)
        , m_free(static_cast<moodycamel::LightweightSemaphore::ssize_t>(capacity))
    {
    }

    using Queue = moodycamel::BlockingConcurrentQueue<std::int64_t>;
    Queue& queue() { return m_queue; }

    void put(moodycamel::ProducerToken& token, std::int64_t value)
    {
        while (!m_free.wait()) { }
        m_queue.enqueue(token, value);
    }

    std::int64_t get(moodycamel::ConsumerToken& token)
    {
        std::int64_t value = 0;
        m_queue.wait_dequeue(token, value);
        m_free.signal();
        return value;
    }

private:
    Queue m_queue;
    moodycamel::LightweightSemaphore m_free;
};

} // namespace pcviz::bench
