// SPDX-License-Identifier: GPL-3.0-or-later
#include "perfrecorder.h"

#include <QtGlobal>

#include <algorithm>
#include <ctime>

#if defined(Q_OS_UNIX)
#include <sys/resource.h>
#endif

namespace pcviz {

namespace {
// CPU seconds of the calling thread where the platform tells, else of the process.
double threadCpuSeconds()
{
#if defined(Q_OS_LINUX)
    timespec ts {};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
        return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
#endif
    return double(std::clock()) / CLOCKS_PER_SEC;
}

double peakRssMegabytes()
{
#if defined(Q_OS_LINUX)
    rusage usage {};
    if (getrusage(RUSAGE_SELF, &usage) == 0)
        return double(usage.ru_maxrss) / 1024.0; // kilobytes on Linux
#endif
    return 0;
}

double percentile(QVector<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto index = std::min<qsizetype>(values.size() - 1, qsizetype(p * double(values.size())));
    return values[index];
}
} // namespace

PerfRecorder::PerfRecorder()
    : m_threadCpuAtStart(threadCpuSeconds())
{
    m_clock.start();
}

void PerfRecorder::frame()
{
    const qint64 now = m_clock.nsecsElapsed();
    if (m_lastNs >= 0)
        m_intervalsMs.push_back(double(now - m_lastNs) / 1e6);
    m_lastNs = now;
}

QJsonObject PerfRecorder::report(double engineItemsPerSecond, double elapsedSeconds) const
{
    return {
        { QStringLiteral("frames"), qint64(m_intervalsMs.size() + (m_lastNs >= 0 ? 1 : 0)) },
        { QStringLiteral("frame_interval_ms_median"), percentile(m_intervalsMs, 0.5) },
        { QStringLiteral("frame_interval_ms_p95"), percentile(m_intervalsMs, 0.95) },
        { QStringLiteral("frame_interval_ms_max"), percentile(m_intervalsMs, 1.0) },
        { QStringLiteral("engine_items_per_s"), engineItemsPerSecond },
        { QStringLiteral("gui_thread_cpu_s"), threadCpuSeconds() - m_threadCpuAtStart },
        { QStringLiteral("elapsed_s"), elapsedSeconds },
        { QStringLiteral("peak_rss_mb"), peakRssMegabytes() },
    };
}

} // namespace pcviz
