// SPDX-License-Identifier: GPL-3.0-or-later
#include "livesession.h"

namespace pcviz {

LiveSession::LiveSession(QObject* parent)
    : QObject(parent)
{
    m_frameTimer.setInterval(16);
    m_frameTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_frameTimer, &QTimer::timeout, this, &LiveSession::frame);
    connect(&m_engine, &Engine::runStateChanged, this, &LiveSession::runStateChanged);
    rebuildState();
}

LiveSession::~LiveSession()
{
    m_engine.stop();
}

bool LiveSession::setScenario(const Scenario& scenario, QString* error)
{
    m_engine.stop();
    if (!m_engine.setScenario(scenario, error))
        return false;
    rebuildState();
    Q_EMIT stateChanged();
    return true;
}

void LiveSession::rebuildState()
{
    m_drain = std::make_unique<EventDrain>(m_engine.log());
    m_checker = std::make_unique<Checker>(RunInfo { m_engine.scenario(), m_engine.objects() });
    m_moves.clear();
}

void LiveSession::start()
{
    m_engine.start();
    rebuildState();
    m_runClock.start();
    m_frameTimer.start();
}

void LiveSession::togglePause()
{
    switch (m_engine.runState()) {
    case Engine::RunState::Running:
        m_engine.pause();
        break;
    case Engine::RunState::Paused:
        m_engine.resume();
        break;
    default:
        start();
        break;
    }
}

void LiveSession::reset()
{
    m_engine.stop();
    start();
}

void LiveSession::stop()
{
    m_engine.stop();
    frame();
    m_frameTimer.stop();
}

double LiveSession::elapsedSeconds() const
{
    return m_runClock.isValid() ? m_runClock.elapsed() / 1000.0 : 0.0;
}

void LiveSession::frame()
{
    const std::uint64_t skippedBefore = m_drain->skipped();
    // A frame folds at most this many events, so it stays well inside its 16 ms however fast
    // the threads run; beyond that, the views show occupancy rather than every item.
    constexpr std::uint64_t MaxEventsPerFrame = 20'000;
    m_drain->skipToNewest(MaxEventsPerFrame);
    m_moves.clear();
    const std::size_t n = m_drain->drain(
        [this, skippedBefore](const Event& e) {
            // Events were skipped (left behind above, or overwritten by the ring before this frame
            // read them): the fold must know, or it would draw a buffer that never was.
            if (m_drain->skipped() != skippedBefore && !m_checker->state().bufferApproximate())
                m_checker->missedEvents();
            m_checker->apply(e);
            m_moves.add(e);
        },
        MaxEventsPerFrame);
    m_moves.missedEvents = m_drain->skipped() != skippedBefore;
    if (n > 0)
        Q_EMIT stateChanged();
    if (!m_engine.isActive() && m_drain->caughtUp())
        m_frameTimer.stop();
}

} // namespace pcviz
