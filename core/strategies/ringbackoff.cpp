// SPDX-License-Identifier: GPL-3.0-or-later
#include "ringbackoff.h"

#include <algorithm>
#include <chrono>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace pcviz {

namespace {
// Short enough that a stop or a poke is seen well within a millisecond, long enough that an
// idle waiter costs next to nothing.
constexpr auto MaxNap = std::chrono::microseconds(200);
} // namespace

void RingBackoff::relax()
{
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#else
    std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
}

void RingBackoff::nap(int round)
{
    if (round < YieldRounds) {
        std::this_thread::yield();
        return;
    }
    const int doubling = std::min(round - YieldRounds, 8);
    std::this_thread::sleep_for(std::min(MaxNap,
        std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::microseconds(1) * (1 << doubling))));
}

void RingBackoff::wakeBlocked(const ThreadContext& ctx, std::uint8_t object)
{
    std::atomic_thread_fence(std::memory_order_seq_cst);
    ctx.gate->wakeBlockedIn(object);
}

} // namespace pcviz
