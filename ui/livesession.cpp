// SPDX-License-Identifier: GPL-3.0-or-later
#include "livesession.h"

#include <QJsonArray>
#include <QJsonObject>

namespace pcviz {

LiveSession::LiveSession(QObject* parent)
    : QObject(parent)
{
    m_engine.setWorkerNiceness(WorkerNiceness);
    // Spinning workers would keep the window from its frames at 16P/16C even at nice 15.
    m_engine.setSparsePollingAllowed(false);
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
    // Everything the window shows is folded from events: a run without them (a headless
    // measurement of the probe's cost) would show nothing, so the window always records.
    Scenario recorded = scenario;
    recorded.record = true;
    if (!m_engine.setScenario(recorded, error))
        return false;
    rebuildState();
    return true;
}

void LiveSession::rebuildState()
{
    m_drain = std::make_unique<EventDrain>(m_engine.log());
    const RunInfo info { m_engine.scenario(), m_engine.objects() };
    m_checker = std::make_unique<Checker>(info);
    m_history = std::make_unique<EventHistory>(info);
    ++m_runNumber;
    m_moves.clear();
    // At once, not at the next frame with events (a run may start with none): the views must
    // let go of the history just replaced before they paint again.
    Q_EMIT stateChanged();
}

void LiveSession::start()
{
    if (!m_engine.scenario().schedule.isEmpty()) {
        startStepped();
        return;
    }
    setStepPolicy(m_stepPolicy.kind()); // the same choices again for the same seed
    m_recordingSchedule = false;
    m_schedule.clear();
    m_engine.start();
    rebuildState();
    m_runClock.start();
    m_frameTimer.start();
}

void LiveSession::startStepped()
{
    m_engine.stop();
    setStepPolicy(m_stepPolicy.kind());
    m_recordingSchedule = true;
    m_schedule.clear();
    m_scenarioSchedule = m_engine.scenario().schedule;
    m_scheduleToFollow = m_scenarioSchedule.size();
    m_engine.start(Engine::StartMode::Stepping);
    rebuildState();
    m_runClock.start();
    m_frameTimer.start();
}

QString LiveSession::step(std::optional<ThreadRef> thread)
{
    if (m_engine.runState() == Engine::RunState::Running)
        m_engine.pause();
    else if (!m_engine.isActive())
        return tr("The run has ended: press Reset to start again.");
    m_engine.waitUntilSettled();
    if (!thread && m_scheduleToFollow > 0) {
        thread = ThreadRef::fromName(
            m_scenarioSchedule[m_scenarioSchedule.size() - m_scheduleToFollow]);
        --m_scheduleToFollow;
    }
    if (!thread) {
        std::vector<ThreadRef> parked;
        for (const Gate::Parked& p : m_engine.gate().parked())
            parked.push_back(p.thread);
        thread = m_stepPolicy.next(parked);
        if (!thread)
            return tr("No thread can move: every one is blocked or has exited.");
    }
    QString problem;
    switch (m_engine.step(*thread)) {
    case Gate::StepResult::Done:
        if (m_recordingSchedule)
            m_schedule.append(thread->name());
        break;
    case Gate::StepResult::NotParked:
        problem = tr("%1 cannot move: %2")
                      .arg(thread->name(),
                          nextActions().value(thread->packed(), tr("it is not at a gate")));
        break;
    case Gate::StepResult::TimedOut:
        problem = tr("%1 did not come to rest after its step.").arg(thread->name());
        break;
    }
    frame(); // show the step at once, not at the next tick
    return problem;
}

QString LiveSession::runUntil(Until until, int maxSteps)
{
    const auto blocked = [this] {
        int n = 0;
        for (const Gate::ThreadState& t : m_engine.gate().threads())
            n += t.state == Gate::State::Blocked ? 1 : 0;
        return n;
    };
    const auto reached = [&](int blockedAtStart) {
        const StateModel& s = state();
        switch (until) {
        case Until::NextBlock:
            return blocked() > blockedAtStart;
        case Until::BufferFull:
            return s.capacity() > 0 && s.count() >= s.capacity();
        case Until::BufferEmpty:
            return s.count() == 0;
        }
        return true;
    };
    QString problem = step(); // at least one step, so "until empty" from empty still moves
    const int blockedAtStart = blocked();
    for (int i = 1; problem.isEmpty() && i < maxSteps; ++i) {
        if (reached(blockedAtStart))
            return {};
        problem = step();
    }
    if (problem.isEmpty() && !reached(blockedAtStart))
        problem = tr("Not reached within %1 steps.").arg(maxSteps);
    return problem;
}

QString LiveSession::runUntilMoves(ThreadRef thread, int maxSteps)
{
    // As step() says: an ended run has no gate to wait at (waiting could take StepTimeout).
    if (!m_engine.isActive())
        return tr("The run has ended: press Reset to start again.");
    for (int i = 0; i < maxSteps; ++i) {
        if (m_engine.runState() == Engine::RunState::Running)
            m_engine.pause();
        m_engine.waitUntilSettled();
        std::vector<ThreadRef> others;
        bool canMove = false;
        for (const Gate::Parked& p : m_engine.gate().parked()) {
            canMove = canMove || p.thread == thread;
            if (p.thread != thread)
                others.push_back(p.thread);
        }
        if (canMove)
            return step(thread);
        const std::optional<ThreadRef> other = m_stepPolicy.next(others);
        if (!other)
            return tr("%1 cannot move, and no other thread can.").arg(thread.name());
        if (const QString problem = step(other); !problem.isEmpty())
            return problem;
    }
    return tr("%1 did not get to move within %2 steps.").arg(thread.name()).arg(maxSteps);
}

QString LiveSession::deadlockText() const
{
    if (m_engine.runState() != Engine::RunState::Paused || !m_engine.gate().parked().empty()
        || !m_checker->deadlocked(m_engine.threadsAlive()))
        return {};
    if (const QString hang = m_checker->joinHang(); !hang.isEmpty())
        return tr("Deadlock: %1.").arg(hang);
    QStringList parts;
    for (const QJsonValue& v : m_checker->waitCycle()) {
        const QJsonObject o = v.toObject();
        QString part = tr("%1 waits for %2")
                           .arg(o.value(QStringLiteral("thread")).toString(),
                               o.value(QStringLiteral("waits_for")).toString());
        if (o.contains(QStringLiteral("held_by")))
            part += tr(" (held by %1)").arg(o.value(QStringLiteral("held_by")).toString());
        if (o.contains(QStringLiteral("value")))
            part += tr(" (value %1)").arg(o.value(QStringLiteral("value")).toInteger());
        parts.append(part);
    }
    return tr("Deadlock: every live thread is blocked and none can wake another. %1.")
        .arg(parts.join(QStringLiteral("; ")));
}

void LiveSession::setStepPolicy(StepPolicy::Kind kind)
{
    m_stepPolicy = StepPolicy(kind, std::uint64_t(m_engine.scenario().seed));
}

QHash<std::uint32_t, QString> LiveSession::nextActions() const
{
    QHash<std::uint32_t, QString> out;
    if (m_engine.runState() != Engine::RunState::Paused)
        return out;
    const RunInfo& info = m_checker->state().info();
    for (const Gate::ThreadState& t : m_engine.gate().threads()) {
        switch (t.state) {
        case Gate::State::Parked:
            out.insert(t.thread.packed(),
                t.object == NoObject
                    ? tr("next: %1").arg(QLatin1String(gateActionName(t.next)))
                    : tr("next: %1 %2")
                          .arg(QLatin1String(gateActionName(t.next)), info.objectName(t.object)));
            break;
        case Gate::State::Blocked:
            out.insert(t.thread.packed(), tr("it is blocked in %1").arg(info.objectName(t.object)));
            break;
        case Gate::State::Exited:
            out.insert(t.thread.packed(), tr("it has exited"));
            break;
        case Gate::State::Running:
            break;
        }
    }
    return out;
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

std::uint64_t LiveSession::produced() const
{
    return skippedEvents() > 0 ? m_engine.produced() : state().produced();
}

std::uint64_t LiveSession::consumed() const
{
    return skippedEvents() > 0 ? m_engine.consumed() : state().consumed();
}

std::uint64_t LiveSession::roughlyInBuffer() const
{
    // Each counter is exact, but they are read one after the other: a consumer may have
    // counted an item its producer has not counted yet.
    const std::uint64_t made = produced();
    const std::uint64_t taken = consumed();
    return made > taken ? made - taken : 0;
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
            const bool gap
                = m_drain->skipped() != skippedBefore && !m_checker->state().bufferApproximate();
            if (gap)
                m_checker->missedEvents();
            m_checker->apply(e);
            m_history->append(e, m_checker->state(), gap);
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
