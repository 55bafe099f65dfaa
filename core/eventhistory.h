// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"
#include "statemodel.h"

#include <cstddef>
#include <deque>
#include <vector>

namespace pcviz {

/// The run's newest events with a checkpoint of the fold every few thousand of them, for going
/// back in time: the state after any retained event is a checkpoint plus a short fold, never a
/// re-run of the threads.
class EventHistory {
public:
    static constexpr std::size_t CheckpointEvery = 4096;

    explicit EventHistory(RunInfo info, std::size_t maxEvents = std::size_t(1) << 20);

    /// Appends the next event in seq order; after is the fold with e applied (the caller's own,
    /// so the history folds nothing on the live path). gapBefore: events were missed just
    /// before e, as the fold was told.
    void append(const Event& e, const StateModel& after, bool gapBefore = false);

    /// The seq of the oldest and one past the newest retained event.
    std::uint64_t begin() const { return m_base; }
    std::uint64_t end() const { return m_base + m_events.size(); }
    bool empty() const { return m_events.empty(); }
    /// The event with this seq; it must be retained.
    const Event& at(std::uint64_t seq) const { return m_events[std::size_t(seq - m_base)]; }

    /// The fold as it was right after the event with this seq (retained), rebuilt from the
    /// nearest checkpoint at or before it.
    StateModel stateAfter(std::uint64_t seq) const;

private:
    struct Checkpoint {
        std::uint64_t applied; // the state after this many events
        StateModel state;
    };
    void dropOldestChunk();

    std::size_t m_maxEvents;
    std::uint64_t m_base = 0;
    std::deque<Event> m_events;
    std::deque<bool> m_gapBefore;
    std::deque<Checkpoint> m_checkpoints; // one at every multiple of CheckpointEvery from m_base
};

} // namespace pcviz
