// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../threadcontext.h"
#include "wakeword.h"

#include <atomic>

namespace pcviz {

/// An instrumented mutex: records lock_wait (only when it must block), lock and unlock, and
/// passes the gate before locking and unlocking. A running thread may barge past parked ones,
/// as with std::mutex. (Spinning before parking was measured, 10 to 400 rounds: it changed
/// nothing with recording on and cost a quarter without.)
class Mutex {
public:
    explicit Mutex(std::uint8_t id)
        : m_id(id)
    {
    }
    Mutex(const Mutex&) = delete;
    Mutex& operator=(const Mutex&) = delete;

    /// False only when the run stops while this thread waits for the lock.
    bool lock(const ThreadContext& ctx);
    void unlock(const ThreadContext& ctx);
    /// Releases without passing a gate; for CondVar::wait, which passed its own.
    void unlockForWait(const ThreadContext& ctx);
    /// Wakes parked threads so they re-check stop.
    void poke();

    std::uint8_t id() const { return m_id; }
    ThreadRef owner() const { return ThreadRef::unpack(m_owner.load(std::memory_order_relaxed)); }

private:
    bool tryLock();
    bool park(const ThreadContext& ctx);

    // 0 free, 1 locked, 2 locked and someone may be parked (the classic futex mutex). Parked
    // threads sleep on m_wakeups, which every wake-up (an unlock that found 2, a poke) counts
    // up.
    alignas(64) std::atomic<int> m_state { 0 };
    WakeWord m_wakeups;
    std::atomic<std::uint32_t> m_owner { 0 };
    ObjectClock m_clock { 0 };
    std::uint8_t m_id;
};

/// Scoped ownership of a Mutex that knows whether it still holds it.
class MutexLocker {
public:
    MutexLocker(Mutex& mutex, const ThreadContext& ctx)
        : m_mutex(mutex)
        , m_ctx(ctx)
        , m_owns(mutex.lock(ctx))
    {
    }
    ~MutexLocker()
    {
        if (m_owns)
            m_mutex.unlock(m_ctx);
    }
    MutexLocker(const MutexLocker&) = delete;
    MutexLocker& operator=(const MutexLocker&) = delete;

    bool owns() const { return m_owns; }
    void unlock()
    {
        if (m_owns)
            m_mutex.unlock(m_ctx);
        m_owns = false;
    }
    Mutex& mutex() { return m_mutex; }
    const ThreadContext& context() const { return m_ctx; }
    // CondVar::wait gives the lock up and takes it back.
    void setOwns(bool owns) { m_owns = owns; }

private:
    Mutex& m_mutex;
    const ThreadContext& m_ctx;
    bool m_owns;
};

} // namespace pcviz
