// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>

namespace pcviz {

/// A count of wake-ups that threads sleep on until it moves: on Linux a few yields, then the
/// kernel's futex, and a waker makes a system call only when someone sleeps; elsewhere the
/// standard's atomic wait. libstdc++'s atomic wait keeps its sleepers in a table shared by the
/// whole process and spins before it yields: with it the monitor moved half as many items
/// (pcviz-bench --only monitor, recording on: 1.71M against 2.63M items/s at 1P/1C, 1.73M
/// against 3.66M at 2P/2C).
class WakeWord {
public:
    /// Read before the check that decides to sleep; pass it to sleepUnless. A thread that
    /// reads a wake-up's count also sees what its waker stored before it (a stop flag).
    std::uint32_t load() const { return m_count.load(std::memory_order_acquire); }
    /// Sleeps unless a wake-up was counted since seen was read. May return spuriously.
    void sleepUnless(std::uint32_t seen);
    /// Counts a wake-up, then wakes one sleeper.
    void wakeOne() { wake(false); }
    /// Counts a wake-up, then wakes every sleeper.
    void wakeAll() { wake(true); }

private:
    void wake(bool all);

    std::atomic<std::uint32_t> m_count { 0 };
    std::atomic<std::uint32_t> m_sleepers { 0 }; // threads in the kernel's wait, or about to be
};

} // namespace pcviz
