// SPDX-License-Identifier: GPL-3.0-or-later
#include "rate.h"

namespace pcviz {

QString distributionName(Distribution d)
{
    switch (d) {
    case Distribution::Constant:
        return QStringLiteral("constant");
    case Distribution::Exponential:
        return QStringLiteral("exponential");
    case Distribution::Bursty:
        return QStringLiteral("bursty");
    }
    return {};
}

std::optional<Distribution> distributionFromName(const QString& name)
{
    for (Distribution d :
        { Distribution::Constant, Distribution::Exponential, Distribution::Bursty }) {
        if (distributionName(d) == name)
            return d;
    }
    return std::nullopt;
}

RateModel::RateModel(double perSecond, Distribution d)
    : m_perSecond(perSecond)
    , m_distribution(d)
{
}

void RateModel::set(double perSecond, Distribution d)
{
    m_perSecond.store(perSecond, std::memory_order_relaxed);
    m_distribution.store(d, std::memory_order_relaxed);
    changed();
}

void RateModel::setPerSecond(double perSecond)
{
    m_perSecond.store(perSecond, std::memory_order_relaxed);
    changed();
}

void RateModel::setDistribution(Distribution d)
{
    m_distribution.store(d, std::memory_order_relaxed);
    changed();
}

void RateModel::changed()
{
    {
        std::lock_guard lock(m_mutex);
        m_generation.fetch_add(1, std::memory_order_acq_rel);
    }
    m_wake.notify_all();
}

void RateModel::interrupt()
{
    // A new generation, not only a notify: a sleeper that is neither stopped nor retired must
    // still end its sleep and look again (a pause sends it to its gate); a bare notify let it
    // sleep on to its deadline, up to 100 s at the slowest rate, while a step waited for it.
    // Taking the lock orders the caller's flags before any sleeper's next check.
    changed();
}

RateModel::SleepEnd RateModel::sleepUntil(std::chrono::steady_clock::time_point deadline,
    std::uint64_t generation, const std::atomic<bool>& stop, const std::atomic<bool>& retire)
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (stop.load(std::memory_order_acquire) || retire.load(std::memory_order_acquire))
            return SleepEnd::Stopped;
        if (m_generation.load(std::memory_order_acquire) != generation)
            return SleepEnd::Changed;
        if (m_wake.wait_until(lock, deadline) == std::cv_status::timeout)
            return SleepEnd::Elapsed;
    }
}

} // namespace pcviz
