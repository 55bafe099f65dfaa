// SPDX-License-Identifier: GPL-3.0-or-later
#include "probecostlabel.h"

#include "engine.h"
#include "probecost.h"

namespace pcviz {

namespace {
QString rate(double perSecond)
{
    if (perSecond >= 1e6)
        return QString::number(perSecond / 1e6, 'f', 1) + u'M';
    if (perSecond >= 1e3)
        return QString::number(perSecond / 1e3, 'f', perSecond < 1e4 ? 1 : 0) + u'k';
    return QString::number(perSecond, 'f', 0);
}
} // namespace

ProbeCostLabel::ProbeCostLabel(const Engine& engine, QWidget* parent)
    : QLabel(parent)
    , m_engine(engine)
    // Calibrated now, before the window starts a run, while the cores are quiet.
    , m_nsPerEvent(ProbeCost::nsPerEvent())
{
    setObjectName(QStringLiteral("probeCost"));
    setAccessibleName(tr("Probe cost"));
    setToolTip(tr("<p>Watching the threads is not free. Every transition a producer or consumer "
                  "makes is recorded as an event, and recording one costs the thread about "
                  "%1 ns (measured when pcviz started). Events per second times that cost is "
                  "the share of a processor core the threads spend being observed instead of "
                  "producing and consuming.</p>"
                  "<p>Compare runs with <tt>pcviz --headless --record off</tt> to see the "
                  "probe effect.</p>")
                   .arg(m_nsPerEvent, 0, 'f', 1));
    setText(describe(0, m_nsPerEvent));
    m_clock.start();
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &ProbeCostLabel::refresh);
    m_timer.start();
}

QString ProbeCostLabel::describe(double eventsPerSecond, double nsPerEvent)
{
    const double percent = eventsPerSecond * nsPerEvent / 1e7;
    // Slow runs cost next to nothing; "0.0%" would read as free.
    const QString share
        = percent < 0.1 ? tr("< 0.1%") : tr("≈ %1%").arg(percent, 0, 'f', percent < 10 ? 1 : 0);
    return tr("probe %1 ev/s × %2 ns %3 of a core")
        .arg(rate(eventsPerSecond))
        .arg(nsPerEvent, 0, 'f', nsPerEvent < 10 ? 1 : 0)
        .arg(share);
}

void ProbeCostLabel::refresh()
{
    const std::uint64_t recorded = m_engine.log().recorded();
    const double seconds = double(m_clock.restart()) / 1e3;
    // A new run starts counting again from zero.
    const std::uint64_t delta = recorded >= m_lastRecorded ? recorded - m_lastRecorded : recorded;
    m_lastRecorded = recorded;
    m_eventsPerSecond = seconds > 0 ? double(delta) / seconds : 0;
    setText(describe(m_eventsPerSecond, m_nsPerEvent));
}

} // namespace pcviz
