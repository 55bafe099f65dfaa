// SPDX-License-Identifier: GPL-3.0-or-later
#include "pacer.h"

#include <cmath>

namespace pcviz {

namespace {
// A burst is this many items close together, then one long gap that restores the mean.
constexpr int BurstLength = 5;
constexpr double GapInBurst = 0.05;
} // namespace

Pacer::Pacer(RateModel& model, std::uint64_t seed, const std::atomic<bool>& stop,
    const std::atomic<bool>& retire)
    : m_model(model)
    , m_stop(stop)
    , m_retire(retire)
    , m_random(seed)
{
}

double Pacer::nextGapInMeans()
{
    switch (m_model.distribution()) {
    case Distribution::Constant:
        return 1.0;
    case Distribution::Exponential:
        return -std::log1p(-std::generate_canonical<double, 53>(m_random));
    case Distribution::Bursty:
        if (m_burstLeft > 0) {
            --m_burstLeft;
            return GapInBurst;
        }
        m_burstLeft = BurstLength - 1;
        return BurstLength - (BurstLength - 1) * GapInBurst;
    }
    return 1.0;
}

bool Pacer::waitForTurn(const ThreadContext& ctx)
{
    const double gap = nextGapInMeans();
    const ThreadContext::Parking parking(ctx);
    const auto start = std::chrono::steady_clock::now();
    for (;;) {
        const std::uint64_t generation = m_model.generation();
        const double rate = m_model.perSecond();
        if (rate == RateModel::Max || ctx.gate->isPaused())
            return true;
        const auto deadline = start
            + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                std::chrono::duration<double>(gap / rate));
        switch (m_model.sleepUntil(deadline, generation, m_stop, m_retire)) {
        case RateModel::SleepEnd::Elapsed:
            return true;
        case RateModel::SleepEnd::Stopped:
            return false;
        case RateModel::SleepEnd::Changed:
            break; // the same gap, measured again at the new rate
        }
    }
}

} // namespace pcviz
