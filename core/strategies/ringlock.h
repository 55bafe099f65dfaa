// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>

namespace pcviz {

/// A test-and-test-and-set flag that a recorded lock-free ring holds while it claims a
/// position, records the event and publishes the cell, so its history has the puts (or the
/// gets) in ring order. Whoever runs may take it. A turn per position, the alternative, is a
/// ticket lock: with more threads than cores the next position's owner is usually not running
/// (it yielded while it waited), and every later position waits for it.
class RingLock {
public:
    bool tryLock()
    {
        return !m_held.load(std::memory_order_relaxed)
            && !m_held.exchange(true, std::memory_order_acquire);
    }
    void unlock() { m_held.store(false, std::memory_order_release); }

private:
    std::atomic<bool> m_held { false };
};

} // namespace pcviz
