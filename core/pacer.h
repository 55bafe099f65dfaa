// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rate.h"
#include "threadcontext.h"

#include <random>

namespace pcviz {

/// Spaces one thread's items according to a RateModel. The gaps come from a generator seeded
/// per thread, so a run's schedule of intentions repeats with its seed.
class Pacer {
public:
    /// stop ends the run; retire ends only this thread's wait.
    Pacer(RateModel& model, std::uint64_t seed, const std::atomic<bool>& stop,
        const std::atomic<bool>& retire);

    /// Waits for ctx's thread's next item, its lane parked; false when cut short by stop or
    /// retire. Costs nothing at rate max: no clock is read, and no call is made (inline, as it
    /// runs once per item).
    bool pace(const ThreadContext& ctx)
    {
        // While paused the steps set the pace: a thread must reach its next gate at once.
        if (m_model.isMax() || ctx.gate->isPaused())
            return !m_stop.load(std::memory_order_relaxed);
        return waitForTurn(ctx);
    }

private:
    bool waitForTurn(const ThreadContext& ctx);
    double nextGapInMeans();

    RateModel& m_model;
    const std::atomic<bool>& m_stop;
    const std::atomic<bool>& m_retire;
    std::mt19937_64 m_random;
    int m_burstLeft = 0;
};

} // namespace pcviz
