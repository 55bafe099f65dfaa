// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventlane.h"

#include "eventlog.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <thread>

namespace pcviz {

namespace {
#if defined(__SANITIZE_THREAD__)
#define PCVIZ_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PCVIZ_TSAN 1
#endif
#endif

#ifdef PCVIZ_TSAN
// ThreadSanitizer does not model fences: there the words carry release/acquire themselves,
// which orders them the same way.
constexpr auto WordStore = std::memory_order_release;
constexpr auto WordLoad = std::memory_order_acquire;
constexpr bool UseFences = false;
#else
constexpr auto WordStore = std::memory_order_relaxed;
constexpr auto WordLoad = std::memory_order_relaxed;
constexpr bool UseFences = true;
#endif

constexpr int Words = 7;

std::uint64_t packIds(const Event& e, const ThreadRef& thread)
{
    return std::uint64_t(thread.packed()) | (std::uint64_t(e.peer.packed()) << 24)
        | (std::uint64_t(e.kind) << 48) | (std::uint64_t(e.object) << 56);
}
} // namespace

// Relaxed atomic words: a reader racing the writer that overwrites a slot gets a torn copy,
// which it detects by the head and discards; no access is ever a data race.
struct EventLane::Slot {
    std::atomic<std::uint64_t> words[Words] {};
};

EventLane::EventLane(const EventLog& log, std::size_t capacity)
    : m_log(log)
    , m_slots(new Slot[std::bit_ceil(std::max<std::size_t>(capacity, 2))])
    , m_mask(std::bit_ceil(std::max<std::size_t>(capacity, 2)) - 1)
{
}

EventLane::~EventLane() = default;

void EventLane::write(const Event& e, const ThreadRef& thread, std::int64_t tNs, std::uint64_t key)
{
    if (m_pos >= m_roomUntil && m_log.isLossless())
        waitForRoom();
    Slot& slot = m_slots[m_pos & m_mask];
    // Orders the previous head store before the words below: a reader that sees any of them
    // then sees a head that tells it the slot may be torn.
    if constexpr (UseFences)
        std::atomic_thread_fence(std::memory_order_release);
    slot.words[0].store(key, WordStore);
    slot.words[1].store(std::uint64_t(tNs), WordStore);
    slot.words[2].store(e.item, WordStore);
    slot.words[3].store(std::uint64_t(e.value), WordStore);
    slot.words[4].store(std::uint64_t(e.result), WordStore);
    slot.words[5].store(
        std::uint64_t(std::uint32_t(e.slot)) | (std::uint64_t(std::uint32_t(e.count)) << 32),
        WordStore);
    slot.words[6].store(packIds(e, thread), WordStore);
    ++m_pos;
    m_head.store(m_pos, std::memory_order_release);
}

void EventLane::waitForRoom()
{
    // Spin briefly, then yield, then sleep: a reader that writes a file needs the core more
    // than a writer that cannot proceed anyway. No park(): this lane holds unread events, so
    // the reader never waits for it.
    for (int round = 0;; ++round) {
        m_roomUntil = m_readerPos.load(std::memory_order_acquire) + m_mask + 1;
        if (m_pos < m_roomUntil || m_log.isAbandoned() || !m_log.isLossless())
            return;
        if (round < 64)
            continue;
        if (round < 128)
            std::this_thread::yield();
        else
            std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
}

void EventLane::parkNow()
{
    m_parked = true;
    m_epoch.store(++m_epochCount, std::memory_order_release);
}

void EventLane::unparkNow()
{
    m_parked = false;
    // Dekker-style with EventDrain: it raises the frontier, then re-reads the epoch. Either it
    // sees this lane running again and waits for its events, or this load sees its frontier.
    m_epoch.store(++m_epochCount, std::memory_order_seq_cst);
    m_key = std::max(m_key, m_log.frontier());
}

std::size_t EventLane::read(
    std::uint64_t& pos, KeyedEvent* out, std::size_t max, std::uint64_t& skipped) const
{
    const std::uint64_t capacity = m_mask + 1;
    const std::uint64_t head = m_head.load(std::memory_order_acquire);
    if (head > pos + capacity) {
        skipped += head - capacity - pos;
        pos = head - capacity;
    }
    std::size_t n = std::size_t(std::min<std::uint64_t>(head - pos, max));
    for (std::size_t i = 0; i < n; ++i) {
        const Slot& slot = m_slots[(pos + i) & m_mask];
        // Spelled out: the compiler does not unroll a loop of atomic loads, and this copy runs
        // for every event a reader sees.
        const std::uint64_t w[Words] = { slot.words[0].load(WordLoad), slot.words[1].load(WordLoad),
            slot.words[2].load(WordLoad), slot.words[3].load(WordLoad),
            slot.words[4].load(WordLoad), slot.words[5].load(WordLoad),
            slot.words[6].load(WordLoad) };
        Event& e = out[i].event;
        out[i].key = w[0];
        e.tNs = std::int64_t(w[1]);
        e.item = w[2];
        e.value = std::int64_t(w[3]);
        e.result = std::int64_t(w[4]);
        e.slot = std::int32_t(std::uint32_t(w[5]));
        e.count = std::int32_t(std::uint32_t(w[5] >> 32));
        e.thread = ThreadRef::unpack(std::uint32_t(w[6] & 0xffffff));
        e.peer = ThreadRef::unpack(std::uint32_t((w[6] >> 24) & 0xffffff));
        e.kind = EventKind((w[6] >> 48) & 0xff);
        e.object = std::uint8_t(w[6] >> 56);
    }
    if (!m_log.isLossless()) {
        // The writer may by now be writing position `after`, over position after - capacity:
        // copies from before that are possibly torn.
        if constexpr (UseFences)
            std::atomic_thread_fence(std::memory_order_acquire);
        const std::uint64_t after = m_head.load(std::memory_order_relaxed);
        const std::uint64_t firstIntact = after + 1 > capacity ? after + 1 - capacity : 0;
        if (pos < firstIntact) {
            const std::size_t torn = std::size_t(std::min<std::uint64_t>(firstIntact - pos, n));
            std::copy(out + torn, out + n, out);
            n -= torn;
            skipped += torn;
            pos += torn;
        }
    }
    pos += n;
    return n;
}

void EventLane::reset()
{
    m_pos = 0;
    m_key = 0;
    m_roomUntil = 0;
    m_head.store(0, std::memory_order_relaxed);
    m_readerPos.store(0, std::memory_order_relaxed);
}

} // namespace pcviz
