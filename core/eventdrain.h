// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "eventlog.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

namespace pcviz {

/// Reads an EventLog from where it left off, in batches: merges its lanes by key into one
/// order that respects every hand-over between threads, and numbers the events 0, 1, 2, ...
/// in that order. A lossless drain holds writers back rather than let a lane overwrite what
/// it has not read; the headless runner, the tests and the GUI all read the stream through it.
/// One drain per log.
class EventDrain {
public:
    explicit EventDrain(EventLog& log, bool lossless = false);
    ~EventDrain();
    EventDrain(const EventDrain&) = delete;
    EventDrain& operator=(const EventDrain&) = delete;

    /// Hands every event that can be placed in the order so far, up to max, to sink; returns
    /// how many. An event waits while a running thread could still record one that goes
    /// before it. Events recorded during the call wait for the next one, so a reader whose
    /// writers keep pace with it still returns. The sink must not call back into this drain:
    /// it is handed events in place.
    template <typename Sink>
    std::size_t drain(Sink&& sink, std::size_t max = std::numeric_limits<std::size_t>::max())
    {
        if (m_generation != m_log.generation())
            restart();
        max = std::min(max, unread());
        std::size_t total = 0;
        while (total < max) {
            const std::size_t n = place(max - total);
            // Straight from where the lanes were copied to: one copy less of every event.
            for (const Run& run : m_runs) {
                for (std::size_t i = 0; i < run.count; ++i)
                    sink(std::as_const(run.first[i].event));
            }
            total += n;
            if (!m_laneRanOut)
                break;
        }
        return total;
    }

    /// Leaves all but about the newest `keep` unread events behind, counting them as skipped:
    /// for a reader that must bound its work (a frame) rather than read everything.
    void skipToNewest(std::uint64_t keep);

    /// True when every event recorded so far has been handed out.
    bool caughtUp() const;
    /// Events handed out so far: the seq the next one gets.
    std::uint64_t cursor() const { return m_nextSeq; }
    /// Events a lane overwrote before this drain read them (always 0 when lossless).
    std::uint64_t skipped() const { return m_skipped; }

private:
    /// Events recorded and not handed out yet, staged or still in their lanes (an upper bound
    /// when a lane overwrote some).
    std::size_t unread() const;

    struct LaneCursor {
        std::uint64_t pos = 0; // next position to copy from the lane
        std::unique_ptr<KeyedEvent[]> staged; // copied, not yet handed out from next on
        std::size_t next = 0;
        std::size_t end = 0;
        std::uint64_t lastKey = 0; // of the newest event copied
        bool hasStaged() const { return next < end; }
        const KeyedEvent& front() const { return staged[next]; }
    };
    /// Consecutive events of one lane's staging, next in the order.
    struct Run {
        KeyedEvent* first;
        std::size_t count;
    };
    struct ParkedLane {
        std::size_t index;
        std::uint64_t epoch;
    };

    void restart();
    /// Places up to max events next in the order, numbered, as m_runs: they stay where they
    /// were staged until the next call, which tops up the lane that ran out.
    std::size_t place(std::size_t max);
    /// Hands out staged events below bound in (key, lane) order until a lane runs out.
    std::size_t merge(std::uint64_t bound, std::size_t max);
    /// Copies more of lane i when nothing of it is staged; notes how it limits the merge.
    void topUp(std::size_t i, std::uint64_t& bound);

    EventLog& m_log;
    bool m_lossless;
    std::uint64_t m_generation;
    std::uint64_t m_nextSeq = 0;
    std::uint64_t m_skipped = 0;
    std::vector<LaneCursor> m_lanes;
    std::vector<ParkedLane> m_parkedEmpty;
    std::vector<Run> m_runs;
    bool m_laneRanOut = false; // the last place() stopped only to copy more of a lane
};

} // namespace pcviz
