// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "eventlog.h"

#include <cstdint>
#include <vector>

namespace pcviz {

/// Reads an EventLog from where it left off, in batches. A lossless drain holds writers back
/// rather than let the ring overwrite what it has not read; the headless runner, the tests and
/// the GUI all read the stream through it.
class EventDrain {
public:
    explicit EventDrain(EventLog& log, bool lossless = false);
    ~EventDrain();
    EventDrain(const EventDrain&) = delete;
    EventDrain& operator=(const EventDrain&) = delete;

    /// Hands every event recorded since the last call to sink, in seq order; returns how many.
    template <typename Sink> std::size_t drain(Sink&& sink)
    {
        if (m_generation != m_log.generation()) {
            // The log was reset for a new run: read it from the beginning.
            m_generation = m_log.generation();
            m_cursor = 0;
            m_skipped = 0;
            if (m_lossless)
                m_log.consumed(0);
        }
        std::size_t total = 0;
        for (;;) {
            const std::size_t n = m_log.read(m_cursor, m_batch.data(), m_batch.size(), &m_skipped);
            for (std::size_t i = 0; i < n; ++i)
                sink(m_batch[i]);
            total += n;
            if (m_lossless)
                m_log.consumed(m_cursor);
            if (n < m_batch.size())
                return total;
        }
    }

    /// Leaves all but the newest `keep` unread events behind, counting them as skipped: for a
    /// reader that must bound its work (a frame) rather than read everything.
    void skipToNewest(std::uint64_t keep)
    {
        const std::uint64_t head = m_log.recorded();
        if (head > m_cursor + keep) {
            m_skipped += head - keep - m_cursor;
            m_cursor = head - keep;
        }
    }

    /// True when every event recorded so far has been handed out.
    bool caughtUp() const { return m_cursor == m_log.recorded(); }
    std::uint64_t cursor() const { return m_cursor; }
    /// Events the ring overwrote before this drain read them (always 0 when lossless).
    std::uint64_t skipped() const { return m_skipped; }

private:
    EventLog& m_log;
    bool m_lossless;
    std::uint64_t m_cursor = 0;
    std::uint64_t m_skipped = 0;
    std::uint64_t m_generation;
    std::vector<Event> m_batch;
};

} // namespace pcviz
