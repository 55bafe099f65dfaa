// SPDX-License-Identifier: GPL-3.0-or-later
#include "checker.h"

#include <algorithm>
#include <numeric>

namespace pcviz {

const char* Violation::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Duplicate:
        return "duplicate";
    case Kind::Lost:
        return "lost";
    case Kind::Overflow:
        return "overflow";
    case Kind::Underflow:
        return "underflow";
    case Kind::Fifo:
        return "fifo";
    case Kind::Layout:
        return "layout";
    }
    return "unknown";
}

Checker::Checker(RunInfo info)
    : m_state(std::move(info))
{
}

void Checker::report(Violation::Kind kind, const Event& e, const QString& detail)
{
    ++m_counts[int(kind)];
    if (m_kept.size() < MaxKeptViolations)
        m_kept.push_back({ kind, e.seq, e.thread, e.item, detail });
}

void Checker::apply(const Event& e)
{
    if (!m_complete) {
        // Without every event, exactly-once and FIFO cannot be judged: fold only.
        m_state.apply(e);
        return;
    }
    const SlotRing<std::uint64_t>& buffer = m_state.buffer();
    if (e.kind == EventKind::Put) {
        if (buffer.full())
            report(Violation::Kind::Overflow, e,
                QStringLiteral("put %1 into a full buffer (%2 of %3)")
                    .arg(m_state.itemLabel(e.item))
                    .arg(buffer.count())
                    .arg(buffer.capacity()));
    } else if (e.kind == EventKind::Get) {
        if (buffer.empty()) {
            report(Violation::Kind::Underflow, e,
                QStringLiteral("got %1 from an empty buffer").arg(m_state.itemLabel(e.item)));
        } else if (buffer.fromOldest(0) != e.item) {
            report(Violation::Kind::Fifo, e,
                QStringLiteral("got %1 while %2 was older")
                    .arg(m_state.itemLabel(e.item), m_state.itemLabel(buffer.fromOldest(0))));
        }
        const std::uint32_t producer = itemProducer(e.item);
        if (producer >= m_tracks.size())
            m_tracks.resize(std::size_t(producer) + 1);
        ProducerTrack& track = m_tracks[producer];
        const std::uint32_t serial = itemSerial(e.item);
        if (serial < track.next || track.ahead.count(serial)) {
            report(Violation::Kind::Duplicate, e,
                QStringLiteral("%1 was taken before").arg(m_state.itemLabel(e.item)));
        } else {
            ++m_uniqueTaken;
            if (serial == track.next) {
                ++track.next;
                while (track.ahead.erase(std::uint32_t(track.next)))
                    ++track.next;
            } else {
                track.ahead.insert(serial);
            }
        }
    }
    const std::uint64_t mismatchesBefore = m_state.layoutMismatches();
    m_state.apply(e);
    if (m_state.layoutMismatches() != mismatchesBefore)
        report(Violation::Kind::Layout, e,
            QStringLiteral("%1 of %2 at slot %3 with count %4 does not match the buffer's history")
                .arg(QString::fromLatin1(kindName(e.kind)), m_state.itemLabel(e.item))
                .arg(e.slot)
                .arg(e.count));
}

void Checker::missedEvents()
{
    m_complete = false;
    m_state.missedEvents();
}

void Checker::finish()
{
    const std::uint64_t produced = m_state.produced();
    const std::uint64_t accounted = m_uniqueTaken + std::uint64_t(m_state.buffer().count());
    if (produced > accounted) {
        const std::uint64_t missing = produced - accounted;
        m_counts[int(Violation::Kind::Lost)] += missing;
        if (m_kept.size() < MaxKeptViolations)
            m_kept.push_back({ Violation::Kind::Lost, m_state.applied(), {}, NoItem,
                QStringLiteral("%1 produced items were never taken and are not in the buffer")
                    .arg(missing) });
    }
}

std::uint64_t Checker::violations() const
{
    return std::accumulate(std::begin(m_counts), std::end(m_counts), std::uint64_t(0));
}

QJsonArray Checker::violationsJson() const
{
    QJsonArray list;
    for (const Violation& v : m_kept) {
        QJsonObject o { { QStringLiteral("kind"),
                            QString::fromLatin1(Violation::kindName(v.kind)) },
            { QStringLiteral("seq"), qint64(v.seq) }, { QStringLiteral("detail"), v.detail } };
        if (!v.thread.isNone())
            o.insert(QStringLiteral("thread"), v.thread.name());
        if (v.item != NoItem)
            o.insert(QStringLiteral("item"), m_state.itemLabel(v.item));
        list.append(o);
    }
    return list;
}

bool Checker::isStuck(const ThreadView& t) const
{
    const ObjectView* o = t.object == NoObject ? nullptr : m_state.object(t.object);
    if (!o)
        return false; // between a decision to wait and the wait itself
    const bool woken = std::find(o->woken.begin(), o->woken.end(), t.ref) != o->woken.end();
    if (woken)
        return false;
    switch (o->info.type) {
    case ObjectType::Mutex:
        // A free mutex will be taken; a held one waits for its owner.
        return !o->owner.isNone();
    case ObjectType::Semaphore:
        return o->value <= 0;
    case ObjectType::CondVar:
        return std::find(o->waiting.begin(), o->waiting.end(), t.ref) != o->waiting.end();
    }
    return false;
}

bool Checker::deadlocked(int aliveThreads) const
{
    int alive = 0;
    for (const ThreadView& t : m_state.threads()) {
        if (t.ref.role == Role::Control || !t.alive())
            continue;
        // Once main has returned from join() the program is over; its daemons block forever
        // by design.
        if (t.ref.role == Role::Main && t.task == Task::Running)
            return false;
        if (!isStuck(t))
            return false;
        ++alive;
    }
    return alive > 0 && alive == aliveThreads;
}

QJsonArray Checker::waitCycle() const
{
    QJsonArray list;
    for (const ThreadView& t : m_state.threads()) {
        if (t.ref.role == Role::Control || !t.alive() || t.object == NoObject)
            continue;
        const ObjectView* o = m_state.object(t.object);
        QJsonObject entry { { QStringLiteral("thread"), t.ref.name() },
            { QStringLiteral("waits_for"), o ? o->info.name : QString() } };
        if (o && o->info.type == ObjectType::Mutex && !o->owner.isNone())
            entry.insert(QStringLiteral("held_by"), o->owner.name());
        if (o && o->info.type == ObjectType::Semaphore)
            entry.insert(QStringLiteral("value"), qint64(o->value));
        list.append(entry);
    }
    return list;
}

} // namespace pcviz
