// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventhistory.h"

#include <algorithm>

namespace pcviz {

EventHistory::EventHistory(RunInfo info, std::size_t maxEvents)
    : m_maxEvents(std::max(maxEvents, 2 * CheckpointEvery))
{
    m_checkpoints.push_back({ 0, StateModel(std::move(info)) });
}

void EventHistory::append(const Event& e, const StateModel& after, bool gapBefore)
{
    m_events.push_back(e);
    m_gapBefore.push_back(gapBefore);
    if (end() % CheckpointEvery == 0)
        m_checkpoints.push_back({ end(), after });
    if (m_events.size() >= m_maxEvents + CheckpointEvery)
        dropOldestChunk();
}

void EventHistory::dropOldestChunk()
{
    // Whole chunks go, so a checkpoint always stands at the oldest retained event.
    m_events.erase(m_events.begin(), m_events.begin() + CheckpointEvery);
    m_gapBefore.erase(m_gapBefore.begin(), m_gapBefore.begin() + CheckpointEvery);
    m_base += CheckpointEvery;
    while (m_checkpoints.size() > 1 && m_checkpoints.front().applied < m_base)
        m_checkpoints.pop_front();
}

StateModel EventHistory::stateAfter(std::uint64_t seq) const
{
    const std::uint64_t applied = std::clamp(seq + 1, m_base, end());
    // The newest checkpoint at or before `applied`: they stand at every multiple of the chunk.
    const std::size_t index
        = std::size_t((applied - m_checkpoints.front().applied) / CheckpointEvery);
    const Checkpoint& from = m_checkpoints[std::min(index, m_checkpoints.size() - 1)];
    StateModel state = from.state;
    for (std::uint64_t s = from.applied; s < applied; ++s) {
        const std::size_t i = std::size_t(s - m_base);
        if (m_gapBefore[i])
            state.missedEvents();
        state.apply(m_events[i]);
    }
    return state;
}

} // namespace pcviz
