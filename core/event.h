// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

#include <cstdint>
#include <optional>

namespace pcviz {

/// What happened in one recorded transition; names match the trace format.
enum class EventKind : std::uint8_t {
    ThreadStart,
    ThreadExit,
    Produce,
    Put,
    Get,
    Consume,
    PutWait,
    GetWait,
    Wake,
    LockWait,
    Lock,
    Unlock,
    SemWait,
    SemAcquire,
    SemRelease,
    CondWait,
    CondSignal,
    CondBroadcast,
    CondWake,
    TaskDone,
    JoinWait,
    JoinDone,
    Violation,
    Deadlock,
    Capacity,
    Timeout,
    Cancel, // a wait given up because the run stopped or the thread was asked to leave
    // The secure producer-consumer's outcomes (SecureOptions): one kind per thing students
    // count.
    PutTimeout, // a put gave up after its timeout; the item was not queued
    Stall, // a consumer stops taking until the producer has finished (or the queue is full)
    RateLimited, // the producer waited for a token of its rate limit
    RateExceeded, // the producer made an item the rate limit had no token for
    DeadLetter, // a malformed item set aside instead of processed
    ItemRaised, // processing the item raised an exception
    PoisonPill, // a consumer took a poison pill and leaves
    Append, // a result appended to the shared results list (slot: the index written)
    Results, // main read the results list after join(): count is its length
    Closed, // production is over: the consumers take what is left, then give up waiting
};
inline constexpr int EventKindCount = static_cast<int>(EventKind::Closed) + 1;

const char* kindName(EventKind kind);
std::optional<EventKind> kindFromName(QStringView name);

/// Control is the engine's own thread that applies live changes (capacity) and verdicts.
enum class Role : std::uint8_t { None, Producer, Consumer, Main, Control };

/// Names one thread of a run: P0.., C0.., main or control.
struct ThreadRef {
    Role role = Role::None;
    std::uint16_t index = 0;

    QString name() const;
    static std::optional<ThreadRef> fromName(QStringView name);
    bool isNone() const { return role == Role::None; }
    std::uint32_t packed() const { return (std::uint32_t(role) << 16) | index; }
    static ThreadRef unpack(std::uint32_t bits)
    {
        return { Role((bits >> 16) & 0xff), std::uint16_t(bits & 0xffff) };
    }
    friend bool operator==(ThreadRef a, ThreadRef b) = default;
};

inline constexpr std::uint8_t NoObject = 0xff;
inline constexpr std::int32_t NoSlot = -1;
inline constexpr std::uint64_t NoItem = ~std::uint64_t(0);

/// Items are named by their producer and that producer's serial number, so ids stay unique
/// however many producers come and go.
inline constexpr std::uint64_t makeItemId(std::uint32_t producer, std::uint32_t serial)
{
    return (std::uint64_t(producer) << 32) | serial;
}
inline constexpr std::uint32_t itemProducer(std::uint64_t item)
{
    return std::uint32_t(item >> 32);
}
inline constexpr std::uint32_t itemSerial(std::uint64_t item)
{
    return std::uint32_t(item);
}
/// Poison pills are queued like items but made by no producer: their ids use a producer
/// number no thread has (NoItem stays distinct: there are never 2^32 - 1 pills).
inline constexpr std::uint32_t PillProducer = 0xffffffffu;
inline constexpr std::uint64_t makePillId(std::uint32_t serial)
{
    return makeItemId(PillProducer, serial);
}
inline constexpr bool isPill(std::uint64_t item)
{
    return item != NoItem && itemProducer(item) == PillProducer;
}

/// One recorded transition: a small copyable value that may cross threads.
struct Event {
    std::uint64_t seq = 0;
    std::int64_t tNs = 0;
    std::uint64_t item = NoItem;
    std::int64_t value = 0;
    std::int64_t result = 0;
    std::int32_t slot = NoSlot;
    std::int32_t count = -1;
    ThreadRef thread;
    ThreadRef peer; // the thread a signal or release woke, the owner a waiter waits for
    EventKind kind = EventKind::ThreadStart;
    std::uint8_t object = NoObject;
};

} // namespace pcviz
