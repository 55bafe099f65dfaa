// SPDX-License-Identifier: GPL-3.0-or-later
#include "tracewriter.h"

#include <QJsonDocument>

#include <algorithm>
#include <charconv>

namespace pcviz {

namespace {
constexpr qsizetype FlushBytes = 1 << 20;

void appendNumber(QByteArray& out, std::int64_t v)
{
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    out.append(buf, end - buf);
}

void appendUnsigned(QByteArray& out, std::uint64_t v)
{
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    out.append(buf, end - buf);
}

bool hasValue(EventKind k)
{
    return k == EventKind::Produce || k == EventKind::Put || k == EventKind::Get
        || k == EventKind::Consume || k == EventKind::Capacity || k == EventKind::PutTimeout
        || k == EventKind::DeadLetter || k == EventKind::ItemRaised || k == EventKind::Append
        || k == EventKind::RateLimited;
}
} // namespace

TraceWriter::TraceWriter(const QString& path, const RunInfo& info)
    : m_path(path)
    , m_info(info)
    , m_format(formatFor(path))
{
}

TraceWriter::~TraceWriter() = default;

TraceWriter::Format TraceWriter::formatFor(const QString& path)
{
    if (path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive))
        return Format::Csv;
    if (path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive))
        return Format::ChromeTrace;
    return Format::JsonLines;
}

bool TraceWriter::isTraceFileName(const QString& path)
{
    for (const char* ending : { ".jsonl", ".csv", ".json" }) {
        if (path.endsWith(QLatin1String(ending), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool TraceWriter::open(QString* error)
{
    m_file = std::make_unique<OutputFile>(m_path);
    if (!m_file->open()) {
        if (error)
            *error = m_file->error();
        return false;
    }
    if (m_format == Format::JsonLines) {
        m_pending = QJsonDocument(m_info.toJson()).toJson(QJsonDocument::Compact);
        m_pending.append('\n');
    } else if (m_format == Format::ChromeTrace) {
        m_pending = "{\"traceEvents\":[\n";
    } else {
        m_pending = "seq,t_ns,thread,kind,item,value,result,slot,count,object,peer\n";
    }
    return true;
}

void TraceWriter::appendJson(QByteArray& out, const Event& e, const RunInfo& info)
{
    out.append("{\"seq\":");
    appendUnsigned(out, e.seq);
    out.append(",\"t_ns\":");
    appendNumber(out, e.tNs);
    out.append(",\"thread\":\"");
    out.append(e.thread.name().toLatin1());
    out.append("\",\"kind\":\"");
    out.append(kindName(e.kind));
    out.append('"');
    if (e.item != NoItem) {
        out.append(",\"item\":");
        appendUnsigned(out, e.item);
    }
    if (hasValue(e.kind) || (e.kind == EventKind::SemRelease && e.value != 1)) {
        out.append(",\"value\":");
        appendNumber(out, e.value);
    }
    if (e.kind == EventKind::Consume) {
        out.append(",\"result\":");
        appendNumber(out, e.result);
    }
    if (e.slot != NoSlot) {
        out.append(",\"slot\":");
        appendNumber(out, e.slot);
    }
    if (e.count >= 0) {
        out.append(",\"count\":");
        appendNumber(out, e.count);
    }
    if (e.object != NoObject) {
        out.append(",\"object\":\"");
        out.append(info.objectName(e.object).toLatin1());
        out.append('"');
    }
    if (!e.peer.isNone()) {
        out.append(",\"peer\":\"");
        out.append(e.peer.name().toLatin1());
        out.append('"');
    }
    out.append('}');
}

void TraceWriter::appendCsv(const Event& e)
{
    appendUnsigned(m_pending, e.seq);
    m_pending.append(',');
    appendNumber(m_pending, e.tNs);
    m_pending.append(',');
    m_pending.append(e.thread.name().toLatin1());
    m_pending.append(',');
    m_pending.append(kindName(e.kind));
    m_pending.append(',');
    if (e.item != NoItem)
        appendUnsigned(m_pending, e.item);
    m_pending.append(',');
    if (hasValue(e.kind))
        appendNumber(m_pending, e.value);
    m_pending.append(',');
    if (e.kind == EventKind::Consume)
        appendNumber(m_pending, e.result);
    m_pending.append(',');
    if (e.slot != NoSlot)
        appendNumber(m_pending, e.slot);
    m_pending.append(',');
    if (e.count >= 0)
        appendNumber(m_pending, e.count);
    m_pending.append(',');
    if (e.object != NoObject)
        m_pending.append(m_info.objectName(e.object).toLatin1());
    m_pending.append(',');
    if (!e.peer.isNone())
        m_pending.append(e.peer.name().toLatin1());
    m_pending.append('\n');
}

void TraceWriter::write(const Event& e)
{
    switch (m_format) {
    case Format::JsonLines:
        appendJson(m_pending, e, m_info);
        m_pending.append('\n');
        break;
    case Format::Csv:
        appendCsv(e);
        break;
    case Format::ChromeTrace:
        appendChrome(e);
        break;
    }
    flushIfLarge();
}

namespace {
// Chrome's track ids: one per thread, stable and readable (P3 -> 1003, C3 -> 2003).
std::uint32_t trackId(ThreadRef t)
{
    return std::uint32_t(t.role) * 1000 + t.index;
}

// The kinds that begin a wait, with the span's name, and those that end one.
const char* spanBegun(EventKind k)
{
    switch (k) {
    case EventKind::LockWait:
        return "waiting for the lock";
    case EventKind::CondWait:
        return "waiting on a condition";
    case EventKind::SemWait:
        return "waiting on a semaphore";
    case EventKind::JoinWait:
        return "join()";
    default:
        return nullptr;
    }
}

bool spanEnded(EventKind k)
{
    switch (k) {
    case EventKind::Lock:
    case EventKind::CondWake:
    case EventKind::SemAcquire:
    case EventKind::JoinDone:
    case EventKind::Timeout:
    case EventKind::Cancel:
    case EventKind::ThreadExit:
        return true;
    default:
        return false;
    }
}

void appendMicroseconds(QByteArray& out, std::int64_t ns)
{
    appendNumber(out, ns / 1000);
    out.append('.');
    const std::int64_t frac = (ns < 0 ? -ns : ns) % 1000;
    out.append(char('0' + frac / 100));
    out.append(char('0' + frac / 10 % 10));
    out.append(char('0' + frac % 10));
}
} // namespace

void TraceWriter::appendChromeRecord(const char* name, char phase, const Event& e)
{
    if (!m_firstRecord)
        m_pending.append(",\n");
    m_firstRecord = false;
    m_pending.append("{\"name\":\"");
    m_pending.append(name);
    m_pending.append("\",\"ph\":\"");
    m_pending.append(phase);
    m_pending.append("\",\"ts\":");
    appendMicroseconds(m_pending, e.tNs);
    m_pending.append(",\"pid\":1,\"tid\":");
    appendUnsigned(m_pending, trackId(e.thread));
    if (phase == 'i')
        m_pending.append(",\"s\":\"t\"");
    if (phase != 'E') {
        // The event itself, as in the JSON Lines trace, for the details panel.
        m_pending.append(",\"args\":");
        appendJson(m_pending, e, m_info);
    }
    m_pending.append('}');
}

void TraceWriter::appendChrome(const Event& e)
{
    const std::uint32_t track = trackId(e.thread);
    if (m_namedThreads.insert(track).second) {
        if (!m_firstRecord)
            m_pending.append(",\n");
        m_firstRecord = false;
        m_pending.append("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":");
        appendUnsigned(m_pending, track);
        m_pending.append(",\"args\":{\"name\":\"");
        m_pending.append(e.thread.name().toLatin1());
        m_pending.append("\"}},\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":");
        appendUnsigned(m_pending, track);
        m_pending.append(",\"args\":{\"sort_index\":");
        appendUnsigned(m_pending, track);
        m_pending.append("}}");
    }
    const auto open = m_openSpans.find(track);
    if (open != m_openSpans.end() && spanEnded(e.kind)) {
        appendChromeRecord("", 'E', e);
        m_openSpans.erase(open);
    }
    appendChromeRecord(kindName(e.kind), 'i', e);
    if (const char* span = spanBegun(e.kind); span && !m_openSpans.count(track)) {
        appendChromeRecord(span, 'B', e);
        m_openSpans.emplace(track, e);
    }
}

void TraceWriter::closeChromeSpans()
{
    // A wait the run ended in (a deadlock, a daemon left blocked) still shows, up to the end.
    std::int64_t endNs = 0;
    for (const auto& [track, begun] : m_openSpans)
        endNs = std::max(endNs, begun.tNs);
    for (auto& [track, begun] : m_openSpans) {
        begun.tNs = endNs;
        appendChromeRecord("", 'E', begun);
    }
    m_openSpans.clear();
    m_pending.append("\n],\"displayTimeUnit\":\"ns\",\"otherData\":");
    m_pending.append(QJsonDocument(m_info.toJson()).toJson(QJsonDocument::Compact));
    m_pending.append("}\n");
}

void TraceWriter::flushIfLarge()
{
    if (m_pending.size() < FlushBytes)
        return;
    m_file->write(m_pending);
    m_pending.clear();
}

bool TraceWriter::finish(QString* error)
{
    if (m_format == Format::ChromeTrace)
        closeChromeSpans();
    m_file->write(m_pending);
    m_pending.clear();
    if (!m_file->commit()) {
        if (error)
            *error = m_file->error();
        return false;
    }
    return true;
}

} // namespace pcviz
