// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../threadcontext.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace pcviz {

/// One item in flight: its run-unique id and the value the producer made.
struct Item {
    std::uint64_t id = NoItem;
    std::int64_t value = 0;
};

/// How a buffer operation ended. The Python-like failures mirror queue.Full, queue.Empty and
/// the ValueErrors of CPython's queue module.
enum class OpStatus : std::uint8_t {
    Ok,
    Full,
    Empty,
    Closed, // the consumer was asked to leave and nothing was left for it
    Stopped, // the run stopped while the thread waited
    InvalidTimeout,
    TooManyTaskDone,
};

/// Backoff: a lock-free ring's place to wait for room or an item, by spinning, yielding and
/// napping; it has no queue and wakes nobody, a waiter looks again by itself.
enum class ObjectType : std::uint8_t { Mutex, Semaphore, CondVar, Backoff };
const char* objectTypeName(ObjectType type);

/// A synchronisation primitive a strategy uses, as the views and the trace header name it.
struct ObjectInfo {
    std::uint8_t id;
    QString name;
    ObjectType type;
    std::int64_t initial = 0; // a semaphore's starting value
};

/// A bounded-buffer implementation that producer and consumer threads share. Buffer-changing
/// events (put, get) are recorded inside the strategy's critical section, so their seq order
/// is a valid order of the buffer's history; a lock-free ring, which has none, orders them by
/// the logical clocks it carries through the ring instead (StrategyInfo::lockFree).
class Strategy {
public:
    virtual ~Strategy() = default;

    virtual std::vector<ObjectInfo> objects() const = 0;
    virtual OpStatus put(const ThreadContext& ctx, const Item& item) = 0;
    /// Waits for an item; gives up with Closed when the thread is asked to leave instead.
    virtual OpStatus get(const ThreadContext& ctx, Item& out) = 0;
    /// Changes the capacity while threads run; a shrink below the count drops nothing.
    virtual void setCapacity(const ThreadContext& ctx, int capacity) = 0;
    /// Wakes every waiting thread so it re-checks stop and leave.
    virtual void wakeAll() = 0;
    /// Before the run starts: false when nothing is recorded (--record off), so a strategy
    /// may skip work that only keeps the recorded history in order.
    virtual void setRecording(bool) { }
    /// Before the run starts, lock-free rings only: true lets a thread that finds the ring full
    /// or empty keep its core a few tens of microseconds and look at the ring seldom meanwhile
    /// (RingBackoff::Polling::Sparse).
    virtual void setSparsePolling(bool) { }

    /// Python's task_done() and join(); only strategies that count unfinished tasks have them.
    virtual bool hasTasks() const { return false; }
    virtual OpStatus taskDone(const ThreadContext&) { return OpStatus::Ok; }
    virtual OpStatus join(const ThreadContext&) { return OpStatus::Ok; }
};

} // namespace pcviz
