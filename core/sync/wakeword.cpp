// SPDX-License-Identifier: GPL-3.0-or-later
#include "wakeword.h"

#include <climits>

#if defined(__linux__)
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace pcviz {

#if defined(__linux__)
static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t)
    && std::atomic<std::uint32_t>::is_always_lock_free);

namespace {
// Measured with pcviz-bench --only monitor: 0, 4 and 12 rounds; 12 served best overall.
constexpr int YieldsBeforeSleep = 12;

// The kernel compares and sleeps atomically: a wake-up counted after seen was read either
// changed the word before the comparison or finds this thread asleep.
long futex(std::atomic<std::uint32_t>& word, int op, std::uint32_t value)
{
    return syscall(
        SYS_futex, reinterpret_cast<std::uint32_t*>(&word), op, value, nullptr, nullptr, 0);
}
} // namespace

void WakeWord::sleepUnless(std::uint32_t seen)
{
    // A wake-up often comes within a few time slices: yielding meanwhile lets the waker (or
    // the reader) run on this core, and costs the waker no system call.
    for (int i = 0; i < YieldsBeforeSleep; ++i) {
        if (m_count.load(std::memory_order_acquire) != seen)
            return;
        sched_yield();
    }
    // Counted before the kernel compares: a waker that moves the count after the comparison
    // then sees this sleeper (both sides sequentially consistent, so one sees the other).
    m_sleepers.fetch_add(1, std::memory_order_seq_cst);
    futex(m_count, FUTEX_WAIT_PRIVATE, seen);
    m_sleepers.fetch_sub(1, std::memory_order_relaxed);
}

void WakeWord::wake(bool all)
{
    m_count.fetch_add(1, std::memory_order_seq_cst);
    if (m_sleepers.load(std::memory_order_seq_cst) > 0)
        futex(m_count, FUTEX_WAKE_PRIVATE, all ? INT_MAX : 1);
}
#else
void WakeWord::sleepUnless(std::uint32_t seen)
{
    m_count.wait(seen, std::memory_order_relaxed);
}

void WakeWord::wake(bool all)
{
    m_count.fetch_add(1, std::memory_order_release);
    if (all)
        m_count.notify_all();
    else
        m_count.notify_one();
}
#endif

} // namespace pcviz
