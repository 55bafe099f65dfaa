// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "statemodel.h"

#include <QJsonArray>
#include <QJsonObject>

#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace pcviz {

/// One broken invariant, with the event that showed it.
struct Violation {
    enum class Kind : std::uint8_t {
        Duplicate,
        Lost,
        Overflow,
        Underflow,
        Fifo,
        Layout,
        Deadlock,
        Starvation,
        // The secure run's failures, each the visible result of one fault with its switch off.
        Exhaustion, // the unbounded queue grew past its budget (the scenario's capacity)
        LostInFlight, // queued or in hand when the daemons were killed
        LostResult, // an append overwritten by a concurrent one
        Unvalidated, // a malformed item processed into the results
        RateExceeded, // an item made over the producer's rate limit
    };
    static constexpr int KindCount = int(Kind::RateExceeded) + 1;
    Kind kind;
    std::uint64_t seq = 0;
    ThreadRef thread;
    std::uint64_t item = NoItem;
    QString detail;

    static const char* kindName(Kind kind);
};

/// Checks the invariants of a bounded buffer over the event stream: exactly once, FIFO, never
/// over capacity nor under empty; deadlock (every live thread blocked with nothing that could
/// wake it); and starvation (one thread kept waiting while its peers get on with the work).
class Checker {
public:
    static constexpr std::size_t MaxKeptViolations = 100;
    /// Starvation: a thread has waited in a condition variable's or a semaphore's queue, or
    /// for the buffer outside any primitive, without being woken or granted, for at least
    /// StarvationNs of run time while the other threads of its role (producers, or consumers)
    /// put or got at least StarvationPeerOps items. The primitives' queues are FIFO and a
    /// correct strategy wakes one waiter per item, so there a waiter sees at most one peer
    /// item per thread queued ahead of it (measured: at most 15 with 16 producers) before its
    /// turn; a thousand means nobody is going to wake it. Lock waits do not count: a running
    /// thread may barge past a parked one, as with std::mutex, so a busy lock can keep one
    /// waiter for thousands of items (measured: 5700 in 70 ms) in any strategy. Nor do a
    /// lock-free ring's back-offs: it is lock-free, not starvation-free (measured: a consumer
    /// of lockfree-mpmc kept 1.2 s while its peers got 2313 items, in the stress soak).
    static constexpr std::int64_t StarvationNs = 1'000'000'000;
    static constexpr std::uint64_t StarvationPeerOps = 1000;

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
    /// When main waits in join() and no live consumer can finish a task: why, in words (the
    /// deadlock's verdict then); empty otherwise.
    QString joinHang() const;

private:
    struct ProducerTrack {
        std::uint64_t next = 0; // every serial below has been taken once
        std::unordered_set<std::uint32_t> ahead; // taken out of order
    };
    void report(Violation::Kind kind, const Event& e, const QString& detail);
    void report(Violation::Kind kind, std::uint64_t seq, ThreadRef thread, std::uint64_t item,
        const QString& detail);
    bool isStuck(const ThreadView& t) const;
    bool taken(std::uint64_t item) const;
    void checkTake(const Event& e);
    void checkStarvation(const Event& e);
    QString describeWait(const ThreadView& t) const;

    StateModel m_state;
    std::vector<ProducerTrack> m_tracks;
    std::uint64_t m_uniqueTaken = 0;
    std::uint64_t m_counts[Violation::KindCount] = {};
    std::vector<Violation> m_kept;
    // Items reported lost when overwritten and not taken since (an unguarded buffer's
    // approximate order may show a take after the overwrite): the count at the end is exact.
    std::unordered_set<std::uint64_t> m_overwritten;
    // Per thread (packed ref): the start of the blocked spell already reported as starvation.
    std::unordered_map<std::uint32_t, std::int64_t> m_starved;
    std::int64_t m_nextStarvationCheckNs = 0;
    bool m_complete = true;
    // The secure run's checks.
    void checkSecure(const Event& e);
    std::vector<bool> m_resultIndices; // indices of the results list written so far
    std::uint64_t m_resultsOverwritten = 0;
    bool m_exhausted = false;
};

} // namespace pcviz
