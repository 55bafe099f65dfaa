// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "resultslist.h"
#include "scenario.h"
#include "strategies/pyqueuestrategy.h"
#include "tokenbucket.h"

#include <condition_variable>
#include <mutex>

namespace pcviz {

/// The secure program's per-item logic, one small piece per switch and its fault: the engine's
/// threads call it around their puts and gets when the scenario is a secure run.
class SecureWorkload {
public:
    /// What a held consumer counts as blocked in at the gate: no object of the strategy's.
    static constexpr std::uint8_t HoldObject = 0xfe;
    /// The value a poison pill carries.
    static constexpr std::int64_t PillValue = -1;

    SecureWorkload(const Scenario& run, PyQueueStrategy& queue);

    // The producer (main).
    /// Under the flood or burst fault the producer ignores its pace.
    bool ignoresPace() const;
    /// The item with this serial; under the malformed-items fault every tenth is negative.
    Item makeItem(std::uint32_t producer, qint64 serial) const;
    /// The rate limit: waits for a token when it is switched on, else only notes an item the
    /// limit had no token for. False when the run stopped meanwhile.
    bool admit(const ThreadContext& ctx, const Item& item);
    /// q.put(item), or q.put(item, timeout=...) with timeouts: Full when the time ran out,
    /// recorded as put_timeout. Under the flood fault a full queue sets the consumers going.
    OpStatus put(const ThreadContext& ctx, const Item& item);
    /// After the last put: held consumers go, pills follow the items, and main joins the queue
    /// and reads the results, unless it stops now with no pills to send (daemons die then).
    void finishProducing(const ThreadContext& ctx, int consumers);

    // The consumers.
    /// Under the flood or stalled-consumer fault a consumer waits here, at its start, until
    /// production ends (the flood also ends when the queue is full).
    void holdConsumer(const ThreadContext& ctx);
    enum class Next { Continue, Exit };
    /// Processes one item got from the queue: pill, validation, raise, result, append,
    /// task_done. consumed tells whether a result was made.
    Next process(const ThreadContext& ctx, const Item& item, bool& consumed);

    /// Every wait here gives up at once if the run stops.
    void wakeAll();
    const ResultsList& results() const { return m_results; }

private:
    using Switch = SecureOptions::Switch;
    void release(const ThreadContext& ctx);
    void append(const ThreadContext& ctx, std::int64_t result);

    const SecureOptions m_options;
    const qint64 m_raisingSerial;
    PyQueueStrategy& m_queue;
    ResultsList m_results;
    TokenBucket m_bucket; // the producer's alone
    std::mutex m_mutex; // guards m_released; the waits below use it
    std::condition_variable m_changed;
    bool m_released = false;
};

} // namespace pcviz
