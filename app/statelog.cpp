// SPDX-License-Identifier: GPL-3.0-or-later
#include "statelog.h"

#include "engine.h"

#include <QMetaEnum>

#include <cstdio>

namespace pcviz {

StateLog::StateLog(const Engine& engine)
    : m_engine(engine)
    , m_enabled(qEnvironmentVariableIntValue("PCVIZ_STATE_LOG") == 1)
{
}

void StateLog::poll()
{
    if (!m_enabled)
        return;
    int blocked = 0;
    int parked = 0;
    for (const Gate::ThreadState& t : m_engine.gate().threads()) {
        blocked += t.state == Gate::State::Blocked ? 1 : 0;
        parked += t.state == Gate::State::Parked ? 1 : 0;
    }
    const QByteArray run
        = QByteArray(QMetaEnum::fromType<Engine::RunState>().valueToKey(int(m_engine.runState())))
              .toLower();
    const QByteArray line = "pcviz-state: run=" + run + " threads="
        + QByteArray::number(m_engine.threadsAlive()) + " blocked=" + QByteArray::number(blocked)
        + " parked=" + QByteArray::number(parked) + '\n';
    if (line == m_last)
        return;
    m_last = line;
    std::fputs(line.constData(), stderr);
    std::fflush(stderr);
}

} // namespace pcviz
