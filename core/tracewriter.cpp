// SPDX-License-Identifier: GPL-3.0-or-later
#include "tracewriter.h"

#include <QJsonDocument>

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
        || k == EventKind::Consume || k == EventKind::Capacity;
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
    return path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive) ? Format::Csv
                                                                      : Format::JsonLines;
}

bool TraceWriter::open(QString* error)
{
    m_file = std::make_unique<QSaveFile>(m_path);
    if (!m_file->open(QIODevice::WriteOnly)) {
        if (error)
            *error
                = QStringLiteral("--trace: cannot write %1: %2").arg(m_path, m_file->errorString());
        return false;
    }
    if (m_format == Format::JsonLines) {
        m_pending = QJsonDocument(m_info.toJson()).toJson(QJsonDocument::Compact);
        m_pending.append('\n');
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
    if (m_format == Format::JsonLines) {
        appendJson(m_pending, e, m_info);
        m_pending.append('\n');
    } else {
        appendCsv(e);
    }
    flushIfLarge();
}

void TraceWriter::flushIfLarge()
{
    if (m_pending.size() < FlushBytes)
        return;
    if (!m_failed && m_file->write(m_pending) != m_pending.size())
        m_failed = true;
    m_pending.clear();
}

bool TraceWriter::finish(QString* error)
{
    if (!m_failed && m_file->write(m_pending) != m_pending.size())
        m_failed = true;
    m_pending.clear();
    if (m_failed || !m_file->commit()) {
        if (error)
            *error = QStringLiteral("--trace: writing %1 failed: %2")
                         .arg(m_path, m_file->errorString());
        m_file->cancelWriting();
        return false;
    }
    return true;
}

} // namespace pcviz
