// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../threadcontext.h"

#include <atomic>
#include <cstdint>
#include <thread>

namespace pcviz {

/// How a thread of a lock-free ring waits for room, for an item or for a lock: it spins a
/// little, then yields, then naps for short spells, so a free run stays fast and a stop, a
/// leave or a poke is seen within a fraction of a millisecond. While it naps its lane is
/// parked, and the gate counts it as blocked in the ring's back-off object, so a step can
/// tell it is at rest; a step's wake (Gate::wakeBlockedIn) sends it back to its gate.
class RingBackoff {
public:
    /// How often a free-running thread looks while it spins on a full or an empty ring.
    enum class Polling {
        /// After every pause, SpinRounds times: it moves the moment the other side does, and
        /// soon gives its core up. A recorded ring polls so, as its reader needs a core (a
        /// checked headless run, the window), and so does every ring in the window.
        Eager,
        /// SparseLooks times, SparseGap pauses apart: an unrecorded ring outside the window
        /// (Engine::setSparsePollingAllowed). It does little per item but pass cache lines
        /// between the cores, and a thread that looks after every pause pulls the line back
        /// after every single item; looking seldom lets the other side fill or drain a run of
        /// cells first.
        Sparse,
    };

    /// Eager: looks this many times, a pause apart, before a wait is announced.
    static constexpr int SpinRounds = 64;
    /// Sparse: pauses after each look (about 5.8 us where a pause takes 11 ns). Headless
    /// lockfree-spsc --record off, 5 runs each alternating: 64 pauses 31M items/s, 128 40M,
    /// 256 59M, 512 102M, 1024 73M; lockfree-mpmc 2P/2C and 8P/8C as fast at 512 as at 256.
    static constexpr int SparseGap = 512;
    /// ... and looks, so about 47 us in all before the thread yields.
    static constexpr int SparseLooks = 8;
    /// Then yields this many times before it naps.
    static constexpr int YieldRounds = 16;
    /// await() yields this many times before it naps: its holder is seldom blocked.
    static constexpr int AwaitYieldRounds = 1024;

    /// A short spin while free-running: true when ready() came true meanwhile.
    template <typename Ready>
    static bool spin(const ThreadContext& ctx, Polling polling, Ready ready)
    {
        if (ctx.gate->isPaused())
            return false;
        const int looks = polling == Polling::Eager ? SpinRounds : SparseLooks;
        const int gap = polling == Polling::Eager ? 1 : SparseGap;
        for (int i = 0; i < looks; ++i) {
            if (ready())
                return true;
            for (int j = 0; j < gap; ++j)
                relax();
        }
        return false;
    }

    /// Waits, blocked in object, until ready(), stop, leave (when leaveable), a poke (pokes
    /// changed) or, while paused, a waker's Gate::wakeBlockedIn.
    template <typename Ready>
    static void wait(const ThreadContext& ctx, std::uint8_t object,
        const std::atomic<std::uint64_t>& pokes, bool leaveable, Ready ready)
    {
        const std::uint64_t poked = pokes.load(std::memory_order_acquire);
        const ThreadContext::Parking parking(ctx, object);
        // Pairs with the waker's fence (wakeAfterStep): either the waker sees this thread
        // blocked and wakes it, or this thread sees what the waker did.
        std::atomic_thread_fence(std::memory_order_seq_cst);
        Gate::Slot* slot = ctx.gateSlot();
        for (int round = 0;; ++round) {
            if (ready() || ctx.stopping() || (leaveable && ctx.leaving())
                || pokes.load(std::memory_order_acquire) != poked)
                return;
            if (ctx.gate->isPaused() && slot->state.load() != Gate::State::Blocked) {
                // Woken by a step: what the waker did is visible now. One more look lets a
                // ring refresh its cached index here, at the same point in every replay.
                ready();
                return;
            }
            nap(round);
        }
    }

    /// Waits for a holder that is sure to finish soon (a RingLock, a capacity change's record);
    /// false on stop.
    template <typename Ready> static bool await(const ThreadContext& ctx, Ready ready)
    {
        for (int i = 0; i < SpinRounds; ++i) {
            if (ready())
                return true;
            relax();
        }
        // Parked: the holder may be waiting for a reader that waits for this lane.
        const ThreadContext::Parking parking(ctx);
        for (int round = 0; !ready(); ++round) {
            if (ctx.stopping())
                return false;
            // Yield long before napping: with more threads than cores the holder is mostly
            // just preempted, and a nap here would keep this thread from its turn long after.
            if (round < AwaitYieldRounds)
                std::this_thread::yield();
            else
                nap(round - AwaitYieldRounds);
        }
        return true;
    }

    /// After an operation that may let a blocked thread go: while paused, wakes the threads
    /// blocked in object so a step ends only once they are back at their gates. Free-running
    /// it costs one load, inline.
    static void wakeAfterStep(const ThreadContext& ctx, std::uint8_t object)
    {
        if (ctx.gate->isPaused())
            wakeBlocked(ctx, object);
    }

    /// wakeAfterStep's paused half.
    static void wakeBlocked(const ThreadContext& ctx, std::uint8_t object);
    static void relax();
    /// Yields for the first rounds, then sleeps a little longer each round, up to MaxNap.
    static void nap(int round);
};

} // namespace pcviz
