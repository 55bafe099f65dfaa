// SPDX-License-Identifier: GPL-3.0-or-later
#include "codetracker.h"

#include "strategies/strategyregistry.h"

#include <algorithm>

namespace pcviz {

namespace {
/// What a blocked thread was doing when it blocked, from the object it is blocked in. The gate's
/// next action says nothing here: a thread that blocked while the threads ran freely passed
/// its gates without stopping, and the gate wrote down none of them.
GateAction blockedAction(const ObjectInfo* object, GateAction next)
{
    if (!object)
        return next;
    switch (object->type) {
    case ObjectType::Mutex:
        return GateAction::Lock;
    case ObjectType::Semaphore:
        return GateAction::Acquire;
    case ObjectType::CondVar:
    case ObjectType::Backoff:
        return GateAction::Wait;
    }
    return next;
}

/// Whether the thread holds an item it has not finished with: a producer from produce to put,
/// a consumer from get to consume, or to task_done() where the strategy counts tasks. That is
/// what tells apart a gate on two lines when no earlier line is known, right after a pause.
std::optional<bool> holds(const StateModel& state, ThreadRef thread)
{
    const ThreadView* view = state.thread(thread);
    if (!view)
        return std::nullopt;
    if (view->item != NoItem)
        return true;
    if (thread.role != Role::Consumer)
        return false;
    const StrategyInfo* info = StrategyRegistry::find(state.info().scenario.strategy);
    return info && info->hasTasks && view->done > view->tasksDone;
}
} // namespace

CodeTracker::CodeTracker(const CodeListing* listing)
    : m_listing(listing)
{
}

const std::vector<CodeTracker::Marker>& CodeTracker::update(
    const std::vector<Gate::ThreadState>& threads, const StateModel& state)
{
    m_markers.clear();
    for (const Gate::ThreadState& t : threads) {
        const std::uint32_t key = t.thread.packed();
        if (t.state == Gate::State::Exited) {
            m_lastLine.remove(key);
            continue;
        }
        // A running thread is between two gates: where it was still says where it goes next.
        if (t.state == Gate::State::Running)
            continue;
        Marker m;
        m.thread = t.thread;
        m.blocked = t.state == Gate::State::Blocked;
        m.action = m.blocked ? blockedAction(state.info().object(t.object), t.next) : t.next;
        m.object = t.object == NoObject ? QString() : state.info().objectName(t.object);
        if (m_listing) {
            const std::optional<bool> holding = holds(state, t.thread);
            const auto last = m_lastLine.constFind(key);
            const std::optional<int> from
                = last == m_lastLine.cend() ? std::nullopt : std::optional(*last);
            if (const auto match
                = m_listing->find(t.thread.role, m.action, m.object, holding, from)) {
                m.line = match->line;
                m.gate = match->gate;
                m_lastLine.insert(key, match->line);
            }
        }
        m_markers.push_back(m);
    }
    std::stable_sort(m_markers.begin(), m_markers.end(), [](const Marker& a, const Marker& b) {
        const auto rank = [](Role r) { return r == Role::Producer ? 0 : r == Role::Main ? 1 : 2; };
        return rank(a.thread.role) != rank(b.thread.role)
            ? rank(a.thread.role) < rank(b.thread.role)
            : a.thread.index < b.thread.index;
    });
    return m_markers;
}

void CodeTracker::forget()
{
    m_lastLine.clear();
    m_markers.clear();
}

const CodeTracker::Marker* CodeTracker::marker(ThreadRef thread) const
{
    const auto it = std::find_if(m_markers.begin(), m_markers.end(),
        [thread](const Marker& m) { return m.thread == thread; });
    return it == m_markers.end() ? nullptr : &*it;
}

} // namespace pcviz
