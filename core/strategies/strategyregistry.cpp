// SPDX-License-Identifier: GPL-3.0-or-later
#include "strategyregistry.h"

#include "ifnotwhilestrategy.h"
#include "lockfreempmcstrategy.h"
#include "lockfreespscstrategy.h"
#include "lostwakeupstrategy.h"
#include "monitorstrategy.h"
#include "pyqueuestrategy.h"
#include "semaphorestrategy.h"
#include "swappedwaitorderstrategy.h"
#include "unsynchronisedstrategy.h"

namespace pcviz {

const char* objectTypeName(ObjectType type)
{
    switch (type) {
    case ObjectType::Mutex:
        return "mutex";
    case ObjectType::Semaphore:
        return "semaphore";
    case ObjectType::CondVar:
        return "condvar";
    case ObjectType::Backoff:
        return "backoff";
    }
    return "unknown";
}

const std::vector<StrategyInfo>& StrategyRegistry::all()
{
    static const std::vector<StrategyInfo> infos = {
        { QStringLiteral("monitor"), QStringLiteral("Monitor (mutex + two conditions)"),
            QStringLiteral("One mutex with the conditions not_full and not_empty, waited on in "
                           "while loops, as in Qt's wait-conditions example."),
            false, false },
        { QStringLiteral("semaphore"), QStringLiteral("Semaphores (empty, full, mutex)"),
            QStringLiteral("Dijkstra's solution: counting semaphores empty (free slots) and full "
                           "(filled slots) around a mutex that guards the buffer."),
            false, false },
        { QStringLiteral("pyqueue"), QStringLiteral("Python queue.Queue"),
            QStringLiteral("Python's queue.Queue: a mutex shared by not_empty, not_full and "
                           "all_tasks_done; capacity 0 is unbounded; task_done() and join()."),
            true, true },
        { QStringLiteral("lockfree-spsc"),
            QStringLiteral("Lock-free ring, one producer, one consumer"),
            QStringLiteral("No locks: the producer alone moves the tail, the consumer alone the "
                           "head, published with release and read with acquire; each caches the "
                           "other's index. Full or empty, a thread spins, yields, then naps."),
            false, false, false, false, true, 1 },
        { QStringLiteral("lockfree-mpmc"),
            QStringLiteral("Lock-free ring, many producers and consumers"),
            QStringLiteral("No locks: each cell's sequence number says whose turn it is, and "
                           "threads claim positions by compare-and-swap (after Vyukov). Full or "
                           "empty, a thread spins, yields, then naps."),
            false, false, false, false, true },
        { QStringLiteral("unsynchronised"), QStringLiteral("Unsynchronised (broken: race)"),
            QStringLiteral("No locks at all: checks the count, yields, then acts on what it saw; "
                           "items are overwritten (lost) and taken twice."),
            false, false, true, true },
        { QStringLiteral("if-not-while"), QStringLiteral("Monitor with if (broken)"),
            QStringLiteral("The monitor, but each wait is an if: a woken consumer that another "
                           "beat to the item takes from an empty buffer."),
            false, false, true, false },
        { QStringLiteral("swapped-wait-order"),
            QStringLiteral("Semaphores, swapped wait order (broken: deadlock)"),
            QStringLiteral("Producers wait(mutex) before wait(empty): one that finds the buffer "
                           "full sleeps holding the mutex every consumer needs."),
            false, false, true, false },
        { QStringLiteral("lost-wakeup"), QStringLiteral("Monitor, check outside the lock (broken)"),
            QStringLiteral("Consumers test for empty without the mutex, then wait: a put and its "
                           "signal in between are missed, and they sleep beside an item."),
            false, false, true, false },
    };
    return infos;
}

const StrategyInfo* StrategyRegistry::find(const QString& name)
{
    for (const StrategyInfo& info : all()) {
        if (info.name == name)
            return &info;
    }
    return nullptr;
}

QStringList StrategyRegistry::names()
{
    QStringList result;
    for (const StrategyInfo& info : all())
        result << info.name;
    return result;
}

QStringList StrategyRegistry::correctNames()
{
    QStringList result;
    for (const StrategyInfo& info : all()) {
        if (!info.broken)
            result << info.name;
    }
    return result;
}

std::unique_ptr<Strategy> StrategyRegistry::create(const QString& name, int capacity)
{
    if (name == u"monitor")
        return std::make_unique<MonitorStrategy>(capacity);
    if (name == u"semaphore")
        return std::make_unique<SemaphoreStrategy>(capacity);
    if (name == u"pyqueue")
        return std::make_unique<PyQueueStrategy>(capacity);
    if (name == u"lockfree-spsc")
        return std::make_unique<LockFreeSpscStrategy>(capacity);
    if (name == u"lockfree-mpmc")
        return std::make_unique<LockFreeMpmcStrategy>(capacity);
    if (name == u"unsynchronised")
        return std::make_unique<UnsynchronisedStrategy>(capacity);
    if (name == u"if-not-while")
        return std::make_unique<IfNotWhileStrategy>(capacity);
    if (name == u"swapped-wait-order")
        return std::make_unique<SwappedWaitOrderStrategy>(capacity);
    if (name == u"lost-wakeup")
        return std::make_unique<LostWakeupStrategy>(capacity);
    return nullptr;
}

} // namespace pcviz
