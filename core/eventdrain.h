// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "eventlog.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
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
    /// before it.
    template <typename Sink>
    std::size_t drain(Sink&& sink, std::size_t max = std::numeric_limits<std::size_t>::max())
    {
        if (m_generation != m_log.generation())
            restart();
        std::size_t total = 0;
        while (total < max) {
            const std::size_t want = std::min(m_batch.size(), max - total);
            const std::size_t n = read(m_batch.data(), want);
            for (std::size_t i = 0; i < n; ++i)
                sink(m_batch[i]);
            total += n;
            if (n < want)
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
    struct LaneCursor {
        std::uint64_t pos = 0; // next position to copy from the lane
        std::unique_ptr<KeyedEvent[]> staged; // copied, not yet handed out from next on
        std::size_t next = 0;
        std::size_t end = 0;
        std::uint64_t lastKey = 0; // of the newest event copied
        bool hasStaged() const { return next < end; }
        const KeyedEvent& front() const { return staged[next]; }
    };
    struct ParkedLane {
        std::size_t index;
        std::uint64_t epoch;
    };

    void restart();
    std::size_t read(Event* out, std::size_t max);
    /// Copies more of lane i when nothing of it is staged; notes how it limits the merge.
    void topUp(std::size_t i, std::uint64_t& bound);

    EventLog& m_log;
    bool m_lossless;
    std::uint64_t m_generation;
    std::uint64_t m_nextSeq = 0;
    std::uint64_t m_skipped = 0;
    std::vector<LaneCursor> m_lanes;
    std::vector<ParkedLane> m_parkedEmpty;
    std::vector<Event> m_batch;
};

} // namespace pcviz
