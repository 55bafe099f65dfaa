// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "statemodel.h"

#include <QJsonArray>
#include <QJsonObject>

#include <unordered_set>
#include <vector>

namespace pcviz {

/// One broken invariant, with the event that showed it.
struct Violation {
    enum class Kind : std::uint8_t { Duplicate, Lost, Overflow, Underflow, Fifo, Layout };
    Kind kind;
    std::uint64_t seq = 0;
    ThreadRef thread;
    std::uint64_t item = NoItem;
    QString detail;

    static const char* kindName(Kind kind);
};

/// Checks the invariants of a bounded buffer over the event stream: exactly once, FIFO, never
/// over capacity nor under empty; and deadlock (every live thread blocked with nothing that
/// could wake it).
class Checker {
public:
    static constexpr std::size_t MaxKeptViolations = 100;

    explicit Checker(RunInfo info);

    /// Checks e against the state before it, then folds it in.
    void apply(const Event& e);
    /// Counts the items lost by a run that completed: produced, never taken, not in the buffer.
    void finish();
    /// The reader missed events: the fold resynchronises, and from here on the verdicts can
    /// no longer be trusted (complete() says so).
    void missedEvents();
    bool complete() const { return m_complete; }

    const StateModel& state() const { return m_state; }
    std::uint64_t duplicated() const { return m_counts[int(Violation::Kind::Duplicate)]; }
    std::uint64_t lost() const { return m_counts[int(Violation::Kind::Lost)]; }
    std::uint64_t count(Violation::Kind kind) const { return m_counts[int(kind)]; }
    /// Every violation of every kind.
    std::uint64_t violations() const;
    const std::vector<Violation>& kept() const { return m_kept; }
    QJsonArray violationsJson() const;

    /// True when the state after the last event is a deadlock, given how many threads the
    /// engine says are alive (so a thread that has not recorded its start yet is not missed).
    bool deadlocked(int aliveThreads) const;
    /// Who waits for what, and who holds it, for the summary and the deadlock banner.
    QJsonArray waitCycle() const;

private:
    struct ProducerTrack {
        std::uint64_t next = 0; // every serial below has been taken once
        std::unordered_set<std::uint32_t> ahead; // taken out of order
    };
    void report(Violation::Kind kind, const Event& e, const QString& detail);
    bool isStuck(const ThreadView& t) const;

    StateModel m_state;
    std::vector<ProducerTrack> m_tracks;
    std::uint64_t m_uniqueTaken = 0;
    std::uint64_t m_counts[6] = {};
    std::vector<Violation> m_kept;
    bool m_complete = true;
};

} // namespace pcviz
