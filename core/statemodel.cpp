// SPDX-License-Identifier: GPL-3.0-or-later
#include "statemodel.h"

#include "strategies/strategyregistry.h"

#include <algorithm>

namespace pcviz {

StateModel::StateModel(RunInfo info)
    : m_info(std::move(info))
    , m_buffer(m_info.scenario.runCapacity(), NoItem)
{
    const StrategyInfo* strategy = StrategyRegistry::find(m_info.scenario.strategy);
    m_unguarded = strategy && strategy->unguarded;
    m_lockFree = strategy && strategy->lockFree;
    std::fill(std::begin(m_objectIndex), std::end(m_objectIndex), -1);
    for (const ObjectInfo& o : m_info.objects) {
        ObjectView view;
        view.info = o;
        view.value = o.initial;
        m_objectIndex[o.id] = int(m_objects.size());
        m_objects.push_back(view);
    }
}

const ThreadView* StateModel::thread(ThreadRef ref) const
{
    const std::vector<int>& index = m_threadIndex[std::size_t(ref.role)];
    if (ref.index >= index.size() || index[ref.index] < 0)
        return nullptr;
    return &m_threads[std::size_t(index[ref.index])];
}

const ObjectView* StateModel::object(std::uint8_t id) const
{
    const int i = m_objectIndex[id];
    return i < 0 ? nullptr : &m_objects[std::size_t(i)];
}

ObjectView* StateModel::objectFor(std::uint8_t id)
{
    return const_cast<ObjectView*>(object(id));
}

ThreadView& StateModel::addThread(ThreadRef ref)
{
    std::vector<int>& index = m_threadIndex[std::size_t(ref.role)];
    if (ref.index >= index.size())
        index.resize(std::size_t(ref.index) + 1, -1);
    index[ref.index] = int(m_threads.size());
    ThreadView view;
    view.ref = ref;
    m_threads.push_back(view);
    return m_threads.back();
}

QString StateModel::itemLabel(std::uint64_t item, bool mainProduces)
{
    if (item == NoItem)
        return {};
    if (isPill(item))
        return QStringLiteral("pill.%1").arg(itemSerial(item));
    const QString producer = mainProduces
        ? QStringLiteral("main")
        : ThreadRef { Role::Producer, std::uint16_t(itemProducer(item)) }.name();
    return QStringLiteral("%1.%2").arg(producer).arg(itemSerial(item));
}

void StateModel::erase(std::vector<ThreadRef>& list, ThreadRef ref)
{
    const auto it = std::find(list.begin(), list.end(), ref);
    if (it != list.end())
        list.erase(it);
}

void StateModel::setBlocked(ThreadView& t, Blocked blocked, std::uint8_t object, std::int64_t ns)
{
    if (t.blocked != blocked || t.object != object)
        t.sinceNs = ns;
    if (t.blocked == Blocked::None && blocked != Blocked::None) {
        t.blockedNs = ns;
        t.peerOpsAtBlock = opsOfRole(t.ref.role);
    }
    t.blocked = blocked;
    t.object = object;
}

void StateModel::missedEvents()
{
    m_approximate = true;
    m_approximateCount = m_buffer.count();
    for (ObjectView& o : m_objects) {
        o.waiting.clear();
        o.woken.clear();
    }
}

void StateModel::apply(const Event& e)
{
    ++m_applied;
    m_lastNs = e.tNs;
    m_overwritten = NoItem;
    ThreadView& t = threadFor(e.thread);
    ObjectView* o = e.object == NoObject ? nullptr : objectFor(e.object);
    const auto setTask = [&](Task task) {
        if (t.task != task)
            t.sinceNs = e.tNs;
        t.task = task;
    };

    // A held consumer moves again with its next event of any kind.
    if (t.blocked == Blocked::Stalled && e.kind != EventKind::Stall)
        setBlocked(t, Blocked::None, NoObject, e.tNs);

    switch (e.kind) {
    case EventKind::ThreadStart:
        setTask(e.thread.role == Role::Consumer  ? Task::Getting
                : e.thread.role == Role::Control ? Task::Running
                                                 : Task::Producing);
        break;
    case EventKind::ThreadExit:
        setTask(Task::Exited);
        setBlocked(t, Blocked::None, NoObject, e.tNs);
        break;
    case EventKind::Produce:
        ++m_produced;
        t.item = e.item;
        setTask(Task::Putting);
        break;
    case EventKind::Put: {
        if (m_approximate) {
            m_approximateCount = e.count;
        } else if (m_unguarded) {
            const std::uint64_t before = m_buffer.putAt(e.slot, e.item, e.count);
            if (before != e.item)
                m_overwritten = before;
        } else {
            const int slot = m_buffer.put(e.item, &m_overwritten);
            if (!m_lockFree && (slot != e.slot || m_buffer.count() != e.count))
                ++m_mismatches;
        }
        ++m_puts;
        if (isPill(e.item))
            ++m_secure.pillsPut;
        ++t.done;
        // An unguarded count may run past the capacity: that is worth seeing, not clamping.
        m_maxCount = std::max(m_maxCount, m_unguarded && !m_approximate ? int(e.count) : count());
        t.item = NoItem;
        setBlocked(t, Blocked::None, NoObject, e.tNs);
        setTask(Task::Producing);
        break;
    }
    case EventKind::Get: {
        if (m_approximate) {
            m_approximateCount = e.count;
            if (e.count == 0) {
                // Empty again: the layout is known exactly from here on.
                m_buffer.clearAt(e.slot + 1);
                m_approximate = false;
            }
        } else if (m_unguarded) {
            m_buffer.getAt(e.slot, e.count);
        } else {
            // A get from an empty ring (a broken strategy's) moves nothing, as the strategy's
            // own ring did not.
            int slot = 0;
            m_buffer.get(&slot);
            if (!m_lockFree && (slot != e.slot || m_buffer.count() != e.count))
                ++m_mismatches;
        }
        ++m_gets;
        t.item = e.item;
        setBlocked(t, Blocked::None, NoObject, e.tNs);
        setTask(Task::Consuming);
        break;
    }
    case EventKind::Consume:
        ++m_consumed;
        ++t.done;
        t.item = NoItem;
        setTask(Task::Getting);
        break;
    // A lock-free ring names where it backs off; the others wait in a primitive next.
    case EventKind::PutWait:
        setBlocked(t, Blocked::BufferFull, e.object, e.tNs);
        break;
    case EventKind::GetWait:
        setBlocked(t, Blocked::BufferEmpty, e.object, e.tNs);
        break;
    case EventKind::LockWait:
        if (o)
            o->waiting.push_back(e.thread);
        setBlocked(t, Blocked::Lock, e.object, e.tNs);
        break;
    case EventKind::Lock:
        if (o) {
            o->owner = e.thread;
            erase(o->waiting, e.thread);
        }
        if (t.blocked == Blocked::Lock)
            setBlocked(t, Blocked::None, NoObject, e.tNs);
        break;
    case EventKind::Unlock:
        if (o)
            o->owner = {};
        break;
    case EventKind::SemWait:
        if (o) {
            o->value = e.count;
            o->waiting.push_back(e.thread);
        }
        setBlocked(t, Blocked::Semaphore, e.object, e.tNs);
        break;
    case EventKind::SemAcquire:
        if (o) {
            o->value = e.count;
            erase(o->waiting, e.thread);
            erase(o->woken, e.thread);
        }
        setBlocked(t, Blocked::None, NoObject, e.tNs);
        break;
    case EventKind::SemRelease:
        if (o)
            o->value = e.count;
        [[fallthrough]];
    case EventKind::Wake:
        // A permit handed straight to a waiter: it runs again once scheduled.
        if (o && !e.peer.isNone()) {
            erase(o->waiting, e.peer);
            o->woken.push_back(e.peer);
        }
        break;
    case EventKind::CondWait:
        if (o)
            o->waiting.push_back(e.thread);
        // A wait for room or for an item keeps saying so; other waits name the condition.
        if (t.blocked == Blocked::BufferFull || t.blocked == Blocked::BufferEmpty)
            t.object = e.object;
        else
            setBlocked(t, Blocked::Condition, e.object, e.tNs);
        break;
    case EventKind::CondSignal:
        if (o && !e.peer.isNone()) {
            erase(o->waiting, e.peer);
            o->woken.push_back(e.peer);
        }
        break;
    case EventKind::CondBroadcast:
        if (o) {
            o->woken.insert(o->woken.end(), o->waiting.begin(), o->waiting.end());
            o->waiting.clear();
        }
        break;
    case EventKind::CondWake:
        if (o)
            erase(o->woken, e.thread);
        setBlocked(t, Blocked::None, NoObject, e.tNs);
        break;
    case EventKind::Timeout:
    case EventKind::Cancel:
        if (o) {
            erase(o->waiting, e.thread);
            erase(o->woken, e.thread);
        }
        setBlocked(t, Blocked::None, NoObject, e.tNs);
        break;
    case EventKind::TaskDone:
        ++m_taskDones;
        ++t.tasksDone;
        break;
    case EventKind::JoinWait:
        setTask(Task::Joining);
        setBlocked(t, Blocked::Join, NoObject, e.tNs);
        break;
    case EventKind::JoinDone:
        m_secure.joinReturned = true;
        setTask(Task::Running);
        setBlocked(t, Blocked::None, NoObject, e.tNs);
        break;
    case EventKind::Capacity:
        m_buffer.setCapacity(int(e.value));
        break;
    case EventKind::Violation:
    case EventKind::Deadlock:
        break;
    case EventKind::PutTimeout:
        ++m_secure.putTimeouts;
        t.item = NoItem;
        setBlocked(t, Blocked::None, NoObject, e.tNs);
        setTask(Task::Producing);
        break;
    case EventKind::Stall:
        ++m_secure.stalls;
        setBlocked(t, Blocked::Stalled, NoObject, e.tNs);
        break;
    case EventKind::RateLimited:
        ++m_secure.throttled;
        break;
    case EventKind::RateExceeded:
        ++m_secure.rateExceeded;
        break;
    case EventKind::DeadLetter:
    case EventKind::ItemRaised:
    case EventKind::PoisonPill:
        ++(e.kind == EventKind::DeadLetter        ? m_secure.deadLetters
                : e.kind == EventKind::ItemRaised ? m_secure.raised
                                                  : m_secure.pillsTaken);
        t.item = NoItem;
        setTask(Task::Getting);
        break;
    case EventKind::Append:
        ++m_secure.appends;
        break;
    case EventKind::Results:
        m_secure.resultsLength = e.count;
        break;
    case EventKind::Closed:
        m_closed = true;
        break;
    }
}

} // namespace pcviz
