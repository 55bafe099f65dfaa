// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "eventlog.h"
#include "gate.h"
#include "scenario.h"
#include "strategies/strategy.h"
#include "threadcontext.h"

#include <QByteArray>
#include <QtGlobal>

#include <iterator>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

namespace pcviz {

// Found by argument-dependent lookup, so a failed QCOMPARE prints names, not numbers.
inline char* toString(OpStatus status)
{
    static const char* const names[]
        = { "Ok", "Full", "Empty", "Closed", "Stopped", "InvalidTimeout", "TooManyTaskDone" };
    const auto i = std::size_t(status);
    return qstrdup(i < std::size(names) ? names[i] : "(unknown OpStatus)");
}

} // namespace pcviz

namespace pcviz::test {

/// What the reference-behaviour tests share: a log, a free-running gate and a stop flag for
/// contexts made by hand, so a strategy or primitive runs without an Engine.
struct ReferenceRig {
    /// Few events per lane: these tests look at results, not at the trace, and may start a
    /// hundred threads.
    explicit ReferenceRig(std::size_t laneCapacity = 256)
        : log(laneCapacity)
    {
    }
    ThreadContext context(ThreadRef who, const std::atomic<bool>* leave = nullptr)
    {
        return { who, &log, &gate, &stop, leave };
    }

    EventLog log;
    Gate gate;
    std::atomic<bool> stop { false };
};

inline ThreadRef producer(int i)
{
    return { Role::Producer, std::uint16_t(i) };
}
inline ThreadRef consumer(int i)
{
    return { Role::Consumer, std::uint16_t(i) };
}
inline Item item(std::uint32_t producerIndex, std::uint32_t serial)
{
    return { makeItemId(producerIndex, serial), std::int64_t(serial) };
}

/// A thread that never outlives the test: when a check fails first, its destructor stops the
/// rig and keeps calling wake (the strategy's wakeAll, a primitive's poke) until it returns.
class RigThread {
public:
    RigThread(ReferenceRig& rig, std::function<void()> wake, std::function<void()> body)
        : m_rig(rig)
        , m_wake(std::move(wake))
        , m_thread([this, body = std::move(body)] {
            body();
            m_done.store(true);
        })
    {
    }
    ~RigThread()
    {
        if (!m_thread.joinable())
            return;
        m_rig.stop.store(true);
        const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!m_done.load()) {
            if (m_wake)
                m_wake();
            if (std::chrono::steady_clock::now() > giveUp)
                qFatal("a test thread is still blocked after stop");
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        m_thread.join();
    }
    RigThread(const RigThread&) = delete;
    RigThread& operator=(const RigThread&) = delete;

    bool done() const { return m_done.load(); }
    /// Joins once the body returned; false if it does not within patience (a lost wake-up).
    bool finish(std::chrono::milliseconds patience = std::chrono::milliseconds(30000))
    {
        const auto giveUp = std::chrono::steady_clock::now() + patience;
        while (!m_done.load()) {
            if (std::chrono::steady_clock::now() > giveUp)
                return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        m_thread.join();
        return true;
    }

private:
    ReferenceRig& m_rig;
    std::function<void()> m_wake;
    std::atomic<bool> m_done { false };
    std::thread m_thread;
};

/// Waits until thread is blocked in a primitive (object, or any): the gate knows, so no sleep
/// has to guess when the thread got there.
inline bool waitUntilBlocked(const ReferenceRig& rig, ThreadRef thread,
    std::uint8_t object = NoObject,
    std::chrono::milliseconds patience = std::chrono::milliseconds(30000))
{
    const auto giveUp = std::chrono::steady_clock::now() + patience;
    for (;;) {
        for (const Gate::ThreadState& t : rig.gate.threads()) {
            if (t.thread == thread && t.state == Gate::State::Blocked
                && (object == NoObject || t.object == object))
                return true;
        }
        if (std::chrono::steady_clock::now() > giveUp)
            return false;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
}

/// Whether a strategy takes this many producers and consumers: a strategy may allow only some
/// shapes (a single-producer queue), and a reference test of another shape does not apply.
inline bool strategyTakes(const QString& strategy, int producers, int consumers, int capacity)
{
    Scenario s;
    s.strategy = strategy;
    s.producers = producers;
    s.consumers = consumers;
    s.capacity = capacity;
    return s.validate().isEmpty();
}

} // namespace pcviz::test
