// SPDX-License-Identifier: GPL-3.0-or-later
#include "threadactivity.h"

#include <QCoreApplication>

namespace pcviz {

namespace {
QString tr(const char* text)
{
    return QCoreApplication::translate("ThreadActivity", text);
}
} // namespace

QString ThreadActivity::name(Kind kind)
{
    switch (kind) {
    case NotStarted:
        return tr("not started");
    case Producing:
        return tr("producing");
    case Putting:
        return tr("putting");
    case Getting:
        return tr("getting");
    case Consuming:
        return tr("consuming");
    case WaitingForMutex:
        return tr("waiting for the mutex");
    case WaitingBufferFull:
        return tr("waiting: buffer full");
    case WaitingBufferEmpty:
        return tr("waiting: buffer empty");
    case WaitingOnCondition:
        return tr("waiting on a condition");
    case WaitingOnSemaphore:
        return tr("waiting on a semaphore");
    case Joining:
        return tr("joined, waiting for tasks");
    case Running:
        return tr("running");
    case Exited:
        return tr("exited");
    case KindCount:
        break;
    }
    return {};
}

QColor ThreadActivity::colour(Kind kind)
{
    // Working states are greens and blues, blocked ones warm, so blocked periods stand out.
    switch (kind) {
    case NotStarted:
    case Exited:
        return QColor(0xbd, 0xbd, 0xbd);
    case Producing:
        return QColor(0x66, 0xbb, 0x6a);
    case Putting:
    case Getting:
        return QColor(0x42, 0xa5, 0xf5);
    case Consuming:
        return QColor(0x26, 0xa6, 0x9a);
    case Running:
        return QColor(0x90, 0xca, 0xf9);
    case WaitingForMutex:
        return QColor(0xff, 0xa7, 0x26);
    case WaitingBufferFull:
        return QColor(0xe5, 0x39, 0x35);
    case WaitingBufferEmpty:
        return QColor(0xab, 0x47, 0xbc);
    case WaitingOnCondition:
    case WaitingOnSemaphore:
        return QColor(0xff, 0x70, 0x43);
    case Joining:
        return QColor(0x8d, 0x6e, 0x63);
    case KindCount:
        break;
    }
    return Qt::gray;
}

ThreadActivity ThreadActivity::of(const ThreadView& thread, const StateModel& state)
{
    const ObjectView* object = thread.object == NoObject ? nullptr : state.object(thread.object);
    const QString objectName = object ? object->info.name : QString();
    // Python does not wait for daemon threads: once main has returned the program is over, and
    // its consumers are left inside get() (waiting there, or for its lock) for good.
    const ThreadView* main = state.thread({ Role::Main, 0 });
    const bool leftBehind = thread.ref.role == Role::Consumer
        && state.info().scenario.daemonConsumers && thread.alive() && main
        && main->task == Task::Exited;
    const auto make = [&](Kind kind) {
        ThreadActivity a { kind, name(kind) };
        if (!objectName.isEmpty() && a.isBlocked())
            a.words += QStringLiteral(" (%1)").arg(objectName);
        if (leftBehind)
            a.words = tr("daemon, left in get(): the program has ended");
        return a;
    };
    switch (thread.blocked) {
    case Blocked::Lock:
        return make(WaitingForMutex);
    case Blocked::BufferFull:
        return make(WaitingBufferFull);
    case Blocked::BufferEmpty:
        return make(WaitingBufferEmpty);
    case Blocked::Join:
        return make(Joining);
    case Blocked::Condition:
        // all_tasks_done is what join() waits on.
        return make(objectName == u"all_tasks_done" ? Joining : WaitingOnCondition);
    case Blocked::Semaphore:
        // Waiting on "empty" means no free slot; on "full", no item.
        if (objectName == u"empty")
            return make(WaitingBufferFull);
        if (objectName == u"full")
            return make(WaitingBufferEmpty);
        return make(WaitingOnSemaphore);
    case Blocked::Stalled: {
        // The secure run's injected fault: no primitive, a consumer told to wait.
        ThreadActivity a = make(WaitingOnCondition);
        a.words = tr("stalled until production ends");
        return a;
    }
    case Blocked::None:
        break;
    }
    switch (thread.task) {
    case Task::NotStarted:
        return make(NotStarted);
    case Task::Producing:
        return make(Producing);
    case Task::Putting:
        return make(Putting);
    case Task::Getting:
        return make(Getting);
    case Task::Consuming:
        return make(Consuming);
    case Task::Joining:
        return make(Joining);
    case Task::Running:
        return make(Running);
    case Task::Exited:
        return make(Exited);
    }
    return make(Running);
}

} // namespace pcviz
