// SPDX-License-Identifier: GPL-3.0-or-later
#include "gate.h"

#include <algorithm>
#include <array>

namespace pcviz {

const char* gateActionName(GateAction action)
{
    static constexpr std::array<const char*, 10> names = { "lock", "unlock", "wait", "signal",
        "acquire", "release", "put", "get", "task_done", "join" };
    return names[static_cast<std::size_t>(action)];
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
        const bool isParked = std::any_of(m_parked.begin(), m_parked.end(),
            [thread](const Parked& p) { return p.thread == thread; });
        if (!isParked)
            return false;
        m_permits.push_back(thread);
    }
    m_changed.notify_all();
    return true;
}

void Gate::release()
{
    {
        std::lock_guard lock(m_mutex);
        m_released = true;
        m_holding.store(false, std::memory_order_release);
    }
    m_changed.notify_all();
}

void Gate::reset()
{
    std::lock_guard lock(m_mutex);
    m_released = false;
    m_holding.store(false, std::memory_order_release);
    m_parked.clear();
    m_permits.clear();
}

std::vector<Gate::Parked> Gate::parked() const
{
    std::lock_guard lock(m_mutex);
    return m_parked;
}

void Gate::park(ThreadRef self, GateAction next)
{
    std::unique_lock lock(m_mutex);
    m_parked.push_back({ self, next });
    m_changed.wait(lock, [&] {
        if (m_released || !m_holding.load(std::memory_order_relaxed))
            return true;
        auto permit = std::find(m_permits.begin(), m_permits.end(), self);
        if (permit == m_permits.end())
            return false;
        m_permits.erase(permit);
        return true;
    });
    m_parked.erase(std::find_if(
        m_parked.begin(), m_parked.end(), [self](const Parked& p) { return p.thread == self; }));
}

} // namespace pcviz
