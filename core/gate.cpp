// SPDX-License-Identifier: GPL-3.0-or-later
#include "gate.h"

#include <algorithm>
#include <array>

namespace pcviz {

namespace {
// How often a waiting step looks again: blocking and waking do not take the gate's lock, so
// they cannot always notify.
constexpr auto Recheck = std::chrono::microseconds(200);
} // namespace

const char* gateActionName(GateAction action)
{
    static constexpr std::array<const char*, 12> names = { "lock", "unlock", "wait", "signal",
        "acquire", "release", "put", "get", "task_done", "join", "start", "append" };
    return names[static_cast<std::size_t>(action)];
}

Gate::Slot* Gate::slotFor(ThreadRef thread)
{
    std::lock_guard lock(m_mutex);
    for (Slot& slot : m_slots) {
        if (slot.thread == thread && slot.state.load() != State::Exited)
            return &slot;
    }
    Slot& slot = m_slots.emplace_back();
    slot.thread = thread;
    return &slot;
}

void Gate::exited(Slot* slot)
{
    {
        std::lock_guard lock(m_mutex);
        slot->state.store(State::Exited);
    }
    m_changed.notify_all();
}

void Gate::pause()
{
    std::lock_guard lock(m_mutex);
    if (!m_released)
        m_holding.store(true, std::memory_order_release);
}

void Gate::resume()
{
    {
        std::lock_guard lock(m_mutex);
        m_holding.store(false, std::memory_order_release);
        m_permits.clear();
    }
    m_changed.notify_all();
}

bool Gate::permit(ThreadRef thread)
{
    {
        std::lock_guard lock(m_mutex);
        // Released, a parked thread leaves without taking its permit: one left behind would
        // keep every later step waiting for it.
        if (m_released)
            return false;
        const bool isParked = std::any_of(m_slots.begin(), m_slots.end(), [thread](const Slot& s) {
            return s.thread == thread && s.state.load() == State::Parked;
        });
        if (!isParked)
            return false;
        m_permits.push_back(thread);
    }
    m_changed.notify_all();
    return true;
}

Gate::StepResult Gate::step(ThreadRef thread, std::chrono::milliseconds timeout)
{
    if (!permit(thread))
        return StepResult::NotParked;
    return waitQuiescent(timeout) ? StepResult::Done : StepResult::TimedOut;
}

bool Gate::quiescentLocked() const
{
    // Released, parked threads leave without taking their permits.
    return (m_released || m_permits.empty())
        && std::none_of(m_slots.begin(), m_slots.end(),
            [](const Slot& s) { return s.state.load() == State::Running; });
}

bool Gate::waitQuiescent(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(m_mutex);
    while (!quiescentLocked()) {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        m_changed.wait_for(lock, Recheck);
    }
    return true;
}

void Gate::release()
{
    {
        std::lock_guard lock(m_mutex);
        m_released = true;
        m_holding.store(false, std::memory_order_release);
        // A permit not yet taken never will be: parked threads leave without one. Kept, it
        // would make every later wait for quiescence run to its timeout.
        m_permits.clear();
    }
    m_changed.notify_all();
}

void Gate::reset()
{
    std::lock_guard lock(m_mutex);
    m_released = false;
    m_holding.store(false, std::memory_order_release);
    m_slots.clear();
    m_permits.clear();
    m_stepClock.store(0, std::memory_order_release);
}

std::vector<Gate::Parked> Gate::parked() const
{
    std::lock_guard lock(m_mutex);
    std::vector<Parked> out;
    for (const Slot& s : m_slots) {
        if (s.state.load() == State::Parked)
            out.push_back({ s.thread, s.next.load(), s.object.load() });
    }
    return out;
}

std::vector<Gate::ThreadState> Gate::threads() const
{
    std::lock_guard lock(m_mutex);
    std::vector<ThreadState> out;
    for (const Slot& s : m_slots)
        out.push_back({ s.thread, s.state.load(), s.next.load(), s.object.load(),
            s.blocks.load(std::memory_order_relaxed) });
    return out;
}

void Gate::park(Slot* slot, GateAction next, std::uint8_t object)
{
    std::unique_lock lock(m_mutex);
    slot->next.store(next);
    slot->object.store(object);
    slot->state.store(State::Parked);
    m_changed.notify_all(); // a step may be waiting for this thread to arrive
    m_changed.wait(lock, [&] {
        if (m_released || !m_holding.load(std::memory_order_relaxed))
            return true;
        auto permit = std::find(m_permits.begin(), m_permits.end(), slot->thread);
        if (permit == m_permits.end())
            return false;
        m_permits.erase(permit);
        return true;
    });
    slot->state.store(State::Running);
}

void Gate::blockBegin(Slot* slot, std::uint8_t object)
{
    slot->object.store(object);
    slot->blocks.store(slot->blocks.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    slot->state.store(State::Blocked);
    if (isPaused())
        m_changed.notify_all();
}

void Gate::blockEnd(Slot* slot)
{
    wake(slot); // the thread itself, after a timeout or a stop; a no-op if its waker came first
}

void Gate::wake(Slot* slot)
{
    State blocked = State::Blocked;
    slot->state.compare_exchange_strong(blocked, State::Running);
}

void Gate::wakeBlockedIn(std::uint8_t object)
{
    std::lock_guard lock(m_mutex);
    for (Slot& s : m_slots) {
        State blocked = State::Blocked;
        if (s.object.load() == object)
            s.state.compare_exchange_strong(blocked, State::Running);
    }
}

void Gate::raiseStepClock(std::uint64_t key)
{
    std::uint64_t current = m_stepClock.load(std::memory_order_relaxed);
    while (current < key
        && !m_stepClock.compare_exchange_weak(current, key, std::memory_order_acq_rel)) { }
}

} // namespace pcviz
