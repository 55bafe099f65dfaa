// SPDX-License-Identifier: GPL-3.0-or-later
#include "clock.h"

#include <chrono>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <x86intrin.h>
#define PCVIZ_HAVE_TSC 1
#endif

namespace pcviz {

namespace {
using Steady = std::chrono::steady_clock;

std::int64_t steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Steady::now().time_since_epoch())
        .count();
}

struct Calibration {
    bool tsc = false;
    double nsPerTick = 1.0;
};

#ifdef PCVIZ_HAVE_TSC
bool hasInvariantTsc()
{
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(0x80000000u, &eax, &ebx, &ecx, &edx) || eax < 0x80000007u)
        return false;
    __get_cpuid(0x80000007u, &eax, &ebx, &ecx, &edx);
    return (edx & (1u << 8)) != 0;
}
#endif

// Measured once per process: 20 ms against the steady clock gives the tick rate to well
// under 0.1 %, which is far finer than anything the views or the trace resolve.
const Calibration& calibration()
{
    static const Calibration c = [] {
        Calibration result;
#ifdef PCVIZ_HAVE_TSC
        if (hasInvariantTsc()) {
            const std::int64_t ns0 = steadyNs();
            const std::uint64_t t0 = __rdtsc();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            const std::int64_t ns1 = steadyNs();
            const std::uint64_t t1 = __rdtsc();
            if (t1 > t0 && ns1 > ns0) {
                result.tsc = true;
                result.nsPerTick = double(ns1 - ns0) / double(t1 - t0);
            }
        }
#endif
        return result;
    }();
    return c;
}

std::uint64_t ticks()
{
#ifdef PCVIZ_HAVE_TSC
    if (calibration().tsc)
        return __rdtsc();
#endif
    return std::uint64_t(steadyNs());
}
} // namespace

Clock::Clock()
{
    restart();
}

void Clock::restart()
{
    m_startTicks = ticks();
}

std::int64_t Clock::nowNs() const
{
    const std::uint64_t now = ticks();
    if (now <= m_startTicks)
        return 0;
    return std::int64_t(double(now - m_startTicks) * calibration().nsPerTick);
}

bool Clock::usesTsc()
{
    return calibration().tsc;
}

} // namespace pcviz
