// SPDX-License-Identifier: GPL-3.0-or-later
#include "checker.h"

#include <QStringList>

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
    case Kind::Deadlock:
        return "deadlock";
    case Kind::Starvation:
        return "starvation";
    case Kind::Exhaustion:
        return "exhaustion";
    case Kind::LostInFlight:
        return "lost_in_flight";
    case Kind::LostResult:
        return "lost_result";
    case Kind::Unvalidated:
        return "unvalidated";
    case Kind::RateExceeded:
        return "rate_exceeded";
    }
    return "unknown";
}

Checker::Checker(RunInfo info)
    : m_state(std::move(info))
{
}

void Checker::report(Violation::Kind kind, const Event& e, const QString& detail)
{
    report(kind, e.seq, e.thread, e.item, detail);
}

void Checker::report(Violation::Kind kind, std::uint64_t seq, ThreadRef thread, std::uint64_t item,
    const QString& detail)
{
    ++m_counts[int(kind)];
    if (m_kept.size() < MaxKeptViolations)
        m_kept.push_back({ kind, seq, thread, item, detail });
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
        else if (buffer.bounded() && e.count > buffer.capacity()) // an unguarded count
            report(Violation::Kind::Overflow, e,
                QStringLiteral("put %1 made the count %2 of %3")
                    .arg(m_state.itemLabel(e.item))
                    .arg(e.count)
                    .arg(buffer.capacity()));
    } else if (e.kind == EventKind::Get) {
        if (buffer.empty() || e.count < 0 || e.item == NoItem) {
            report(Violation::Kind::Underflow, e,
                e.item == NoItem
                    ? QStringLiteral("got from an empty buffer: slot %1 held no item").arg(e.slot)
                    : QStringLiteral("got %1 from an empty buffer (count %2 after)")
                          .arg(m_state.itemLabel(e.item))
                          .arg(e.count));
        } else if (!m_state.unguarded() && buffer.fromOldest(0) != e.item) {
            // Without a lock there is no order to keep: its losses and duplicates say enough.
            report(Violation::Kind::Fifo, e,
                QStringLiteral("got %1 while %2 was older")
                    .arg(m_state.itemLabel(e.item), m_state.itemLabel(buffer.fromOldest(0))));
        }
        checkTake(e);
    } else if (e.kind == EventKind::Deadlock && !joinHang().isEmpty()) {
        report(Violation::Kind::Deadlock, e, joinHang());
    } else if (e.kind == EventKind::Deadlock) {
        QStringList waits;
        for (const ThreadView& t : m_state.threads()) {
            if (t.ref.role != Role::Control && t.alive() && t.blocked != Blocked::None)
                waits << describeWait(t);
        }
        report(Violation::Kind::Deadlock, e,
            QStringLiteral("every live thread waits for another: %1")
                .arg(waits.join(QStringLiteral("; "))));
    }
    const std::uint64_t mismatchesBefore = m_state.layoutMismatches();
    m_state.apply(e);
    if (m_state.layoutMismatches() != mismatchesBefore)
        report(Violation::Kind::Layout, e,
            QStringLiteral("%1 of %2 at slot %3 with count %4 does not match the buffer's history")
                .arg(QString::fromLatin1(kindName(e.kind)), m_state.itemLabel(e.item))
                .arg(e.slot)
                .arg(e.count));
    if (e.kind == EventKind::Put && m_state.overwritten() != NoItem) {
        const std::uint64_t victim = m_state.overwritten();
        if (!taken(victim) && m_overwritten.insert(victim).second)
            report(Violation::Kind::Lost, e.seq, e.thread, victim,
                QStringLiteral("%1 overwrote %2 in slot %3 before anyone took it")
                    .arg(m_state.itemLabel(e.item), m_state.itemLabel(victim))
                    .arg(e.slot));
    }
    if ((e.kind == EventKind::Put || e.kind == EventKind::Get) && e.tNs >= m_nextStarvationCheckNs)
        checkStarvation(e);
    if (m_state.info().scenario.secure.enabled)
        checkSecure(e);
}

void Checker::checkSecure(const Event& e)
{
    switch (e.kind) {
    case EventKind::Put: {
        // Judged after the fold: the count is the queue's length with this item in it.
        const int budget = m_state.info().scenario.capacity;
        if (!m_exhausted && !m_state.buffer().bounded() && m_state.count() > budget) {
            m_exhausted = true;
            report(Violation::Kind::Exhaustion, e,
                QStringLiteral("the unbounded queue grew past its budget of %1 items: nothing "
                               "stops a producer that outruns its consumers")
                    .arg(budget));
        }
        break;
    }
    case EventKind::Consume:
        if (!SecureOptions::isValidValue(e.value))
            report(Violation::Kind::Unvalidated, e,
                QStringLiteral("malformed %1 (value %2) was processed into the results")
                    .arg(m_state.itemLabel(e.item))
                    .arg(e.value));
        break;
    case EventKind::Append: {
        if (e.slot < 0)
            break;
        const std::size_t index = std::size_t(e.slot);
        if (index >= m_resultIndices.size())
            m_resultIndices.resize(index + 1, false);
        if (m_resultIndices[index]) {
            ++m_resultsOverwritten;
            report(Violation::Kind::LostResult, e,
                QStringLiteral("%1 appended at index %2, over a result appended there before: "
                               "that result is lost")
                    .arg(e.thread.name())
                    .arg(index));
        }
        m_resultIndices[index] = true;
        break;
    }
    case EventKind::Results: {
        // Appends past the final length are lost too, though no later append overwrote them.
        const std::uint64_t appends = m_state.secure().appends;
        const std::uint64_t length = std::uint64_t(std::max(0, e.count));
        if (appends > length + m_resultsOverwritten) {
            const std::uint64_t more = appends - length - m_resultsOverwritten;
            m_counts[int(Violation::Kind::LostResult)] += more;
            if (m_kept.size() < MaxKeptViolations)
                m_kept.push_back({ Violation::Kind::LostResult, e.seq, e.thread, NoItem,
                    QStringLiteral("%1 results appended but the list holds %2")
                        .arg(appends)
                        .arg(length) });
        }
        break;
    }
    case EventKind::RateExceeded:
        report(Violation::Kind::RateExceeded, e,
            QStringLiteral("%1 made %2 over its limit of %3 items/s")
                .arg(e.thread.name(), m_state.itemLabel(e.item))
                .arg(m_state.info().scenario.secure.rateLimit));
        break;
    default:
        break;
    }
}

QString Checker::joinHang() const
{
    const ThreadView* main = m_state.thread({ Role::Main, 0 });
    if (!main || !main->alive() || main->task != Task::Joining || m_state.unfinishedTasks() <= 0)
        return {};
    // A consumer with an item in hand will still call task_done(); a waiting one can take
    // only what is queued.
    bool queued = m_state.buffer().count() > 0;
    for (const ThreadView& t : m_state.threads()) {
        if (t.ref.role == Role::Consumer && t.alive() && (t.item != NoItem || queued))
            return {};
    }
    return QStringLiteral("join can never return: %1 unfinished tasks, no live consumer will "
                          "call task_done")
        .arg(m_state.unfinishedTasks());
}

bool Checker::taken(std::uint64_t item) const
{
    const std::uint32_t producer = itemProducer(item);
    if (producer >= m_tracks.size())
        return false;
    const ProducerTrack& track = m_tracks[producer];
    const std::uint32_t serial = itemSerial(item);
    return serial < track.next || track.ahead.count(serial);
}

void Checker::checkTake(const Event& e)
{
    if (e.item == NoItem || isPill(e.item))
        return; // nothing was taken (an underflow, reported as such), or a pill
    const std::uint32_t producer = itemProducer(e.item);
    if (producer >= m_tracks.size())
        m_tracks.resize(std::size_t(producer) + 1);
    ProducerTrack& track = m_tracks[producer];
    const std::uint32_t serial = itemSerial(e.item);
    if (serial < track.next || track.ahead.count(serial)) {
        report(Violation::Kind::Duplicate, e,
            QStringLiteral("%1 was taken before").arg(m_state.itemLabel(e.item)));
        return;
    }
    ++m_uniqueTaken;
    if (serial == track.next) {
        ++track.next;
        while (track.ahead.erase(std::uint32_t(track.next)))
            ++track.next;
    } else {
        track.ahead.insert(serial);
    }
    // Reported lost when overwritten, yet taken after all: the events of an unguarded buffer
    // came in an order that is only approximately the real one.
    if (m_overwritten.erase(e.item))
        --m_counts[int(Violation::Kind::Lost)];
}

QString Checker::describeWait(const ThreadView& t) const
{
    const ObjectView* o = t.object == NoObject ? nullptr : m_state.object(t.object);
    QString what;
    if (o && o->info.type == ObjectType::Mutex && !o->owner.isNone())
        what = QStringLiteral("%1 held by %2").arg(o->info.name, o->owner.name());
    else if (o && o->info.type == ObjectType::Semaphore)
        what = QStringLiteral("%1 (value %2)").arg(o->info.name).arg(o->value);
    else if (o)
        what = o->info.name;
    else if (t.blocked == Blocked::BufferFull)
        what = QStringLiteral("room in the buffer");
    else if (t.blocked == Blocked::BufferEmpty)
        what = QStringLiteral("an item");
    else if (t.blocked == Blocked::Stalled)
        what = QStringLiteral("the producer to finish (a stalled consumer)");
    else
        what = QStringLiteral("the end of join()");
    return QStringLiteral("%1 waits for %2").arg(t.ref.name(), what);
}

void Checker::checkStarvation(const Event& e)
{
    // Judged every 10 ms of run time at most: a sweep over the threads per item would cost
    // more than the rest of the check.
    constexpr std::int64_t CheckIntervalNs = 10'000'000;
    m_nextStarvationCheckNs = e.tNs + CheckIntervalNs;
    const std::int64_t now = m_state.lastNs();
    for (const ThreadView& t : m_state.threads()) {
        if (t.ref.role == Role::Control || !t.alive() || t.blocked == Blocked::None
            || t.blocked == Blocked::Lock || t.blocked == Blocked::Join
            || t.blocked == Blocked::Stalled)
            continue;
        const std::int64_t waited = now - t.blockedNs;
        const std::uint64_t peerOps = m_state.opsOfRole(t.ref.role) - t.peerOpsAtBlock;
        if (waited < StarvationNs || peerOps < StarvationPeerOps)
            continue;
        // Woken or granted, it is on its way: what keeps it is the scheduler, not its peers.
        const ObjectView* o = t.object == NoObject ? nullptr : m_state.object(t.object);
        if (o && std::find(o->woken.begin(), o->woken.end(), t.ref) != o->woken.end())
            continue;
        // A lock-free ring promises progress to someone, not to each: a thread backing off
        // may lose every race to its peers for as long as they keep winning, as at a busy lock.
        if (o && o->info.type == ObjectType::Backoff)
            continue;
        const auto [it, first] = m_starved.try_emplace(t.ref.packed(), t.blockedNs);
        if (!first) {
            if (it->second == t.blockedNs)
                continue; // this spell was reported
            it->second = t.blockedNs;
        }
        const bool consumer = t.ref.role == Role::Consumer;
        report(Violation::Kind::Starvation, e.seq, t.ref, t.item,
            QStringLiteral("%1 for %2 s while the other %3 %4 %5 items")
                .arg(describeWait(t))
                .arg(double(waited) / 1e9, 0, 'f', 1)
                .arg(consumer ? QStringLiteral("consumers") : QStringLiteral("producers"),
                    consumer ? QStringLiteral("got") : QStringLiteral("put"))
                .arg(peerOps));
    }
}

void Checker::missedEvents()
{
    m_complete = false;
    m_state.missedEvents();
}

void Checker::finish()
{
    // Items a put gave up on were never queued: the producer reported them, nothing lost them.
    const std::uint64_t produced = m_state.produced() - m_state.secure().putTimeouts;
    std::uint64_t queued = 0;
    for (int i = 0; i < m_state.buffer().count(); ++i)
        queued += isPill(m_state.buffer().fromOldest(i)) ? 0 : 1;
    const std::uint64_t accounted = m_uniqueTaken + queued;
    if (m_state.info().scenario.secure.enabled && m_state.unfinishedItems() > 0) {
        const std::uint64_t inFlight = m_state.unfinishedItems();
        m_counts[int(Violation::Kind::LostInFlight)] += inFlight;
        if (m_kept.size() < MaxKeptViolations)
            m_kept.push_back({ Violation::Kind::LostInFlight, m_state.applied(), {}, NoItem,
                QStringLiteral("%1 items were still queued or in a consumer's hand when the "
                               "program ended and its daemon threads were killed")
                    .arg(inFlight) });
    }
    // Those overwritten were reported as it happened; only the rest are news.
    const std::uint64_t reported = m_overwritten.size();
    if (produced > accounted + reported) {
        const std::uint64_t missing = produced - accounted - reported;
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
    // A held consumer waits for the producer to finish: stuck while the producer is.
    if (t.blocked == Blocked::Stalled)
        return true;
    // A put with a timeout ends by itself.
    if (t.task == Task::Putting
        && m_state.info().scenario.secure.on(SecureOptions::Switch::Timeouts))
        return false;
    const ObjectView* o = t.object == NoObject ? nullptr : m_state.object(t.object);
    if (!o)
        return false; // between a decision to wait and the wait itself
    // Once production is over the engine tells every consumer to leave, and a wait for an item
    // gives up: a loaded machine may keep the consumer off the CPU a while, but it will go.
    if (m_state.closed() && t.task == Task::Getting && o->info.type != ObjectType::Mutex)
        return false;
    const bool woken = std::find(o->woken.begin(), o->woken.end(), t.ref) != o->woken.end();
    if (woken)
        return false;
    switch (o->info.type) {
    case ObjectType::Mutex:
        // A free mutex will be taken; a held one waits for its owner. The engine's control
        // thread holds a lock only while it applies a live change, waiting for no worker
        // meanwhile: it lets go, however long a loaded machine keeps it off the CPU.
        return !o->owner.isNone() && o->owner.role != Role::Control;
    case ObjectType::Semaphore:
        return o->value <= 0;
    case ObjectType::CondVar:
        return std::find(o->waiting.begin(), o->waiting.end(), t.ref) != o->waiting.end();
    case ObjectType::Backoff:
        return false; // its waiters look again by themselves
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
