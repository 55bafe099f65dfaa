// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"
#include "runinfo.h"
#include "slotring.h"

#include <cstdint>
#include <vector>

namespace pcviz {

/// What a thread is working on, as its last events say.
enum class Task : std::uint8_t {
    NotStarted,
    Producing,
    Putting,
    Getting,
    Consuming,
    Joining,
    Running,
    Exited
};
/// What a thread is blocked on, if anything.
enum class Blocked : std::uint8_t {
    None,
    BufferFull,
    BufferEmpty,
    Lock,
    Semaphore,
    Condition,
    Join,
    Stalled // a secure run's consumer held by a fault until production ends
};

/// One thread as the fold sees it.
struct ThreadView {
    ThreadRef ref;
    Task task = Task::NotStarted;
    Blocked blocked = Blocked::None;
    std::uint8_t object = NoObject; // what it waits on
    std::uint64_t item = NoItem; // the item in hand
    std::int64_t sinceNs = 0; // when task or blocked last changed
    std::int64_t blockedNs = 0; // when it last went from running to blocked
    std::uint64_t peerOpsAtBlock = 0; // its role's puts (producers) or gets (consumers) then
    std::uint64_t done = 0; // items produced or consumed
    std::uint64_t tasksDone = 0; // task_done() calls: a consumer owes one per item until then

    bool alive() const { return task != Task::NotStarted && task != Task::Exited; }
};

/// One synchronisation object as the fold sees it: owner, value and FIFO of waiters.
struct ObjectView {
    ObjectInfo info;
    ThreadRef owner; // mutex
    std::int64_t value = 0; // semaphore
    std::vector<ThreadRef> waiting; // in arrival order
    std::vector<ThreadRef> woken; // signalled or granted, not yet running
};

/// fold(events) -> state: the buffer's slots, every thread and every object. The live view,
/// stepping, replay and the checker all read the run through this one fold.
class StateModel {
public:
    explicit StateModel(RunInfo info);

    void apply(const Event& e);
    /// Tells the fold that events were missed (a reader that fell behind the ring). Queues of
    /// waiters are cleared, and until the buffer is next empty only its count is known: then
    /// the slots are exact again.
    void missedEvents();
    /// True while the buffer's contents are unknown after missed events; count() still holds.
    bool bufferApproximate() const { return m_approximate; }
    /// Production is over (a closed event): consumers waiting for an item give up instead.
    bool closed() const { return m_closed; }
    int count() const { return m_approximate ? m_approximateCount : m_buffer.count(); }

    const RunInfo& info() const { return m_info; }
    const SlotRing<std::uint64_t>& buffer() const { return m_buffer; }
    const std::vector<ThreadView>& threads() const { return m_threads; }
    const ThreadView* thread(ThreadRef ref) const;
    const std::vector<ObjectView>& objects() const { return m_objects; }
    const ObjectView* object(std::uint8_t id) const;

    std::uint64_t produced() const { return m_produced; }
    std::uint64_t consumed() const { return m_consumed; }
    std::uint64_t puts() const { return m_puts; }
    std::uint64_t gets() const { return m_gets; }
    std::int64_t unfinishedTasks() const
    {
        return std::int64_t(m_puts) - std::int64_t(m_taskDones);
    }
    int capacity() const { return m_buffer.capacity(); }
    int maxCount() const { return m_maxCount; }
    std::uint64_t applied() const { return m_applied; }
    std::int64_t lastNs() const { return m_lastNs; }
    /// Put and get events whose slot or count the fold could not reproduce.
    std::uint64_t layoutMismatches() const { return m_mismatches; }
    /// The item the last event's put overwrote before anyone took it, or NoItem.
    std::uint64_t overwritten() const { return m_overwritten; }
    /// The strategy touches the buffer without a lock: the fold takes each put and get at the
    /// slot and count its event reports, as no replay could reproduce them.
    bool unguarded() const { return m_unguarded; }
    /// Puts for producers (and main), gets for consumers: what a thread's peers have done.
    std::uint64_t opsOfRole(Role role) const
    {
        return role == Role::Consumer ? m_gets : role == Role::Control ? 0 : m_puts;
    }

    /// The secure run's outcomes, counted from its events.
    struct SecureCounts {
        std::uint64_t putTimeouts = 0; // items the producer gave up on
        std::uint64_t raised = 0; // items whose processing raised (the failed list, with finally)
        std::uint64_t deadLetters = 0;
        std::uint64_t pillsPut = 0;
        std::uint64_t pillsTaken = 0;
        std::uint64_t appends = 0;
        std::int64_t resultsLength = -1; // as main read it after join(); -1 before
        std::uint64_t rateExceeded = 0; // items over the rate limit
        std::uint64_t throttled = 0; // waits for a token
        std::uint64_t stalls = 0;
        bool joinReturned = false;
    };
    const SecureCounts& secure() const { return m_secure; }
    /// Items queued, not pills, whose consumer never finished them (consumed, raised or dead
    /// letter): in the queue or in a consumer's hand.
    std::uint64_t unfinishedItems() const
    {
        const std::uint64_t items = m_puts - m_secure.pillsPut;
        const std::uint64_t finished = m_consumed + m_secure.raised + m_secure.deadLetters;
        return items > finished ? items - finished : 0;
    }

    /// Text for an item: "P1.17", or "main.17" when main produces.
    QString itemLabel(std::uint64_t item) const
    {
        return itemLabel(item, m_info.scenario.mainProduces);
    }
    /// The same, for a run whose items main made (mainProduces) or its producers did.
    static QString itemLabel(std::uint64_t item, bool mainProduces);

private:
    /// Inline for the common case, a thread seen before: the fold asks on every event.
    ThreadView& threadFor(ThreadRef ref)
    {
        const std::vector<int>& index = m_threadIndex[std::size_t(ref.role)];
        if (ref.index < index.size() && index[ref.index] >= 0) [[likely]]
            return m_threads[std::size_t(index[ref.index])];
        return addThread(ref);
    }
    ThreadView& addThread(ThreadRef ref);
    ObjectView* objectFor(std::uint8_t id);
    void setBlocked(ThreadView& t, Blocked blocked, std::uint8_t object, std::int64_t ns);
    static void erase(std::vector<ThreadRef>& list, ThreadRef ref);

    RunInfo m_info;
    SlotRing<std::uint64_t> m_buffer;
    std::vector<ThreadView> m_threads;
    // Index into m_threads per role and thread index (-1: not seen): the fold looks a thread up
    // on every event, so this is a plain array rather than a hash.
    std::vector<int> m_threadIndex[5];
    std::vector<ObjectView> m_objects;
    int m_objectIndex[256];
    std::uint64_t m_produced = 0;
    std::uint64_t m_consumed = 0;
    std::uint64_t m_puts = 0;
    std::uint64_t m_gets = 0;
    std::uint64_t m_taskDones = 0;
    std::uint64_t m_applied = 0;
    std::uint64_t m_mismatches = 0;
    std::uint64_t m_overwritten = NoItem;
    std::int64_t m_lastNs = 0;
    int m_maxCount = 0;
    bool m_approximate = false;
    bool m_closed = false;
    int m_approximateCount = 0;
    bool m_unguarded = false;
    bool m_lockFree = false; // slots and counts are the fold's own (StrategyInfo::lockFree)
    SecureCounts m_secure;
};

} // namespace pcviz
