// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>

namespace pcviz {

/// How the gaps between a thread's items are drawn; every one keeps the mean rate.
enum class Distribution : std::uint8_t { Constant, Exponential, Bursty };
QString distributionName(Distribution d);
std::optional<Distribution> distributionFromName(const QString& name);

/// The live-adjustable pace of one side (all producers or all consumers): items per second
/// per thread, or max. Threads sleeping on it wake when it changes or the run stops.
class RateModel {
public:
    static constexpr double Max = std::numeric_limits<double>::infinity();

    explicit RateModel(double perSecond = Max, Distribution d = Distribution::Constant);

    void set(double perSecond, Distribution d);
    void setPerSecond(double perSecond);
    void setDistribution(Distribution d);
    double perSecond() const { return m_perSecond.load(std::memory_order_relaxed); }
    Distribution distribution() const { return m_distribution.load(std::memory_order_relaxed); }
    bool isMax() const { return perSecond() == Max; }

    enum class SleepEnd { Elapsed, Changed, Stopped };
    /// Sleeps until deadline unless the rate changes after generation, or stop or retire is set.
    SleepEnd sleepUntil(std::chrono::steady_clock::time_point deadline, std::uint64_t generation,
        const std::atomic<bool>& stop, const std::atomic<bool>& retire);
    std::uint64_t generation() const { return m_generation.load(std::memory_order_acquire); }
    /// Wakes every sleeper: stopped or retired, or Changed so it looks again (after a pause).
    void interrupt();

private:
    void changed();

    std::atomic<double> m_perSecond;
    std::atomic<Distribution> m_distribution;
    std::atomic<std::uint64_t> m_generation { 0 };
    std::mutex m_mutex;
    std::condition_variable m_wake;
};

} // namespace pcviz
