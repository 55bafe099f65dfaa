// SPDX-License-Identifier: GPL-3.0-or-later
#include "perfrecorder.h"

#include "probecost.h"

#include <QEvent>
#include <QFile>
#include <QTimer>
#include <QWidget>
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

double percentile(QVector<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto index = std::min<qsizetype>(values.size() - 1, qsizetype(p * double(values.size())));
    return values[index];
}
} // namespace

PerfRecorder::PerfRecorder(const QElapsedTimer& processClock)
    : m_processClock(processClock)
    , m_threadCpuAtStart(threadCpuSeconds())
{
    m_clock.start();
}

double PerfRecorder::peakRssMegabytes()
{
#if defined(Q_OS_LINUX)
    rusage usage {};
    if (getrusage(RUSAGE_SELF, &usage) == 0)
        return double(usage.ru_maxrss) / 1024.0; // kilobytes on Linux
#endif
    return 0;
}

double PerfRecorder::rssMegabytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return 0;
    for (QByteArray line = status.readLine(); !line.isEmpty(); line = status.readLine()) {
        if (line.startsWith("VmRSS:")) // "VmRSS:     123456 kB"
            return line.mid(6).trimmed().split(' ').constFirst().toDouble() / 1024.0;
    }
    return 0;
}

void PerfRecorder::watchFirstPaint(QWidget* window)
{
    m_window = window;
    window->installEventFilter(this);
}

bool PerfRecorder::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_window && event->type() == QEvent::Paint && m_startupMs < 0) {
        m_window->removeEventFilter(this);
        // The window paints first and its children after it, in the same pass; once that pass
        // has returned to the event loop the frame is on screen.
        QTimer::singleShot(
            0, this, [this] { m_startupMs = double(m_processClock.nsecsElapsed()) / 1e6; });
    }
    return QObject::eventFilter(watched, event);
}

void PerfRecorder::frame()
{
    const qint64 now = m_clock.nsecsElapsed();
    if (m_lastNs >= 0)
        m_intervalsMs.push_back(double(now - m_lastNs) / 1e6);
    m_lastNs = now;
}

QJsonObject PerfRecorder::report(
    double engineItemsPerSecond, double engineEventsPerSecond, double elapsedSeconds) const
{
    const double nsPerEvent = ProbeCost::nsPerEvent();
    // The kernel updates the high-water mark lazily: it can trail a fresh reading of now.
    const double rss = rssMegabytes();
    const double peakRss = std::max(peakRssMegabytes(), rss);
    return {
        { QStringLiteral("frames"), qint64(m_intervalsMs.size() + (m_lastNs >= 0 ? 1 : 0)) },
        { QStringLiteral("frame_interval_ms_median"), percentile(m_intervalsMs, 0.5) },
        { QStringLiteral("frame_interval_ms_p95"), percentile(m_intervalsMs, 0.95) },
        { QStringLiteral("frame_interval_ms_max"), percentile(m_intervalsMs, 1.0) },
        { QStringLiteral("engine_items_per_s"), engineItemsPerSecond },
        { QStringLiteral("gui_thread_cpu_s"), threadCpuSeconds() - m_threadCpuAtStart },
        { QStringLiteral("elapsed_s"), elapsedSeconds },
        { QStringLiteral("peak_rss_mb"), peakRss },
        { QStringLiteral("rss_mb"), rss },
        { QStringLiteral("startup_ms"), m_startupMs },
        // The probe: what recording every transition costs the threads, in cores.
        { QStringLiteral("probe_events_per_s"), engineEventsPerSecond },
        { QStringLiteral("probe_ns_per_event"), nsPerEvent },
        { QStringLiteral("probe_cores"), engineEventsPerSecond * nsPerEvent / 1e9 },
    };
}

} // namespace pcviz
