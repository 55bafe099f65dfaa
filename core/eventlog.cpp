// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventlog.h"

#include <bit>
#include <thread>

namespace pcviz {

// Each slot is a seqlock of relaxed atomic words: a reader that races an overwriting writer
// sees a changed stamp and discards its copy, and no access is ever a data race.
struct alignas(64) EventLog::Slot {
    static constexpr std::uint64_t Writing = ~std::uint64_t(0);
    std::atomic<std::uint64_t> stamp { 0 }; // seq + 1 once written
    std::atomic<std::uint64_t> words[6] {};
};

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
// which orders them the same way (a reader that sees new data also sees the writing stamp).
constexpr auto WordStore = std::memory_order_release;
constexpr auto WordLoad = std::memory_order_acquire;
constexpr bool UseFences = false;
#else
constexpr auto WordStore = std::memory_order_relaxed;
constexpr auto WordLoad = std::memory_order_relaxed;
constexpr bool UseFences = true;
#endif

std::uint64_t packIds(const Event& e, ThreadRef thread)
{
    return std::uint64_t(thread.packed()) | (std::uint64_t(e.peer.packed()) << 24)
        | (std::uint64_t(e.kind) << 48) | (std::uint64_t(e.object) << 56);
}
} // namespace

EventLog::EventLog(std::size_t capacity)
    : m_slots(new Slot[std::bit_ceil(std::max<std::size_t>(capacity, 2))])
    , m_mask(std::bit_ceil(std::max<std::size_t>(capacity, 2)) - 1)
{
}

EventLog::~EventLog() = default;

std::uint64_t EventLog::record(const Event& e, ThreadRef thread, std::int64_t tNs)
{
    const std::uint64_t seq = m_head.fetch_add(1, std::memory_order_relaxed);
    const bool lossless = m_lossless.load(std::memory_order_relaxed);
    if (lossless)
        waitForRoom(seq);

    Slot& slot = m_slots[seq & m_mask];
    if (lossless) {
        // The reader holds writers back, so no other writer can be in this slot.
        slot.stamp.store(Slot::Writing, std::memory_order_relaxed);
    } else {
        // A writer descheduled for a whole lap may still be in this slot: take turns, or its
        // late words would tear the newer event.
        std::uint64_t stamp = slot.stamp.load(std::memory_order_relaxed);
        while (stamp == Slot::Writing
            || !slot.stamp.compare_exchange_weak(stamp, Slot::Writing, std::memory_order_relaxed)) {
            if (stamp == Slot::Writing) {
                std::this_thread::yield();
                stamp = slot.stamp.load(std::memory_order_relaxed);
            }
        }
    }
    if constexpr (UseFences)
        std::atomic_thread_fence(std::memory_order_release);
    slot.words[0].store(std::uint64_t(tNs), WordStore);
    slot.words[1].store(e.item, WordStore);
    slot.words[2].store(std::uint64_t(e.value), WordStore);
    slot.words[3].store(std::uint64_t(e.result), WordStore);
    slot.words[4].store(
        std::uint64_t(std::uint32_t(e.slot)) | (std::uint64_t(std::uint32_t(e.count)) << 32),
        WordStore);
    slot.words[5].store(packIds(e, thread), WordStore);
    slot.stamp.store(seq + 1, std::memory_order_release);

    if (m_tap) {
        Event copy = e;
        copy.seq = seq;
        copy.tNs = tNs;
        copy.thread = thread;
        m_tap(copy);
    }
    return seq;
}

bool EventLog::load(const Slot& slot, std::uint64_t seq, Event& out) const
{
    if (slot.stamp.load(std::memory_order_acquire) != seq + 1)
        return false;
    const std::uint64_t w[6] = { slot.words[0].load(WordLoad), slot.words[1].load(WordLoad),
        slot.words[2].load(WordLoad), slot.words[3].load(WordLoad), slot.words[4].load(WordLoad),
        slot.words[5].load(WordLoad) };
    if constexpr (UseFences)
        std::atomic_thread_fence(std::memory_order_acquire);
    if (slot.stamp.load(std::memory_order_relaxed) != seq + 1)
        return false;
    out.seq = seq;
    out.tNs = std::int64_t(w[0]);
    out.item = w[1];
    out.value = std::int64_t(w[2]);
    out.result = std::int64_t(w[3]);
    out.slot = std::int32_t(std::uint32_t(w[4]));
    out.count = std::int32_t(std::uint32_t(w[4] >> 32));
    out.thread = ThreadRef::unpack(std::uint32_t(w[5] & 0xffffff));
    out.peer = ThreadRef::unpack(std::uint32_t((w[5] >> 24) & 0xffffff));
    out.kind = EventKind((w[5] >> 48) & 0xff);
    out.object = std::uint8_t(w[5] >> 56);
    return true;
}

std::size_t EventLog::read(
    std::uint64_t& cursor, Event* out, std::size_t max, std::uint64_t* skipped) const
{
    const std::uint64_t head = m_head.load(std::memory_order_acquire);
    // head counts seqs already claimed by writers that may still wait for room; only without
    // a lossless reader can it tell that the ring has lapped the cursor.
    if (!m_lossless.load(std::memory_order_acquire) && head > capacity()
        && cursor < head - capacity()) {
        if (skipped)
            *skipped += head - capacity() - cursor;
        cursor = head - capacity();
    }
    std::size_t n = 0;
    while (cursor < head && n < max) {
        const Slot& slot = m_slots[cursor & m_mask];
        if (load(slot, cursor, out[n])) {
            ++n;
            ++cursor;
            continue;
        }
        const std::uint64_t stamp = slot.stamp.load(std::memory_order_acquire);
        if (stamp != Slot::Writing && stamp > cursor + 1) {
            // Overwritten while we looked: a newer lap owns the slot.
            if (skipped)
                ++*skipped;
            ++cursor;
            continue;
        }
        break; // still being written; the writer finishes in a moment
    }
    return n;
}

bool EventLog::at(std::uint64_t seq, Event& out) const
{
    return seq < m_head.load(std::memory_order_acquire) && load(m_slots[seq & m_mask], seq, out);
}

void EventLog::setLossless(bool lossless)
{
    if (lossless)
        m_abandoned.store(false, std::memory_order_relaxed);
    m_lossless.store(lossless, std::memory_order_release);
}

void EventLog::consumed(std::uint64_t cursor)
{
    m_readerCursor.store(cursor, std::memory_order_release);
}

void EventLog::abandon()
{
    m_abandoned.store(true, std::memory_order_release);
}

void EventLog::setTap(std::function<void(const Event&)> tap)
{
    m_tap = std::move(tap);
}

void EventLog::waitForRoom(std::uint64_t seq)
{
    // Spin briefly, then yield, then sleep: a reader that writes a file needs the core more
    // than a writer that cannot proceed anyway.
    for (int round = 0; seq >= m_readerCursor.load(std::memory_order_acquire) + capacity();
         ++round) {
        if (m_abandoned.load(std::memory_order_acquire)
            || !m_lossless.load(std::memory_order_acquire))
            return;
        if (round < 64)
            continue;
        if (round < 128)
            std::this_thread::yield();
        else
            std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
}

void EventLog::reset()
{
    for (std::size_t i = 0; i <= m_mask; ++i)
        m_slots[i].stamp.store(0, std::memory_order_relaxed);
    m_head.store(0, std::memory_order_release);
    m_readerCursor.store(0, std::memory_order_release);
    m_generation.fetch_add(1, std::memory_order_acq_rel);
    m_abandoned.store(false, std::memory_order_release);
    m_clock.restart();
}

} // namespace pcviz
