// SPDX-License-Identifier: GPL-3.0-or-later
#include "resultswriter.h"

#include <cstdio>

namespace pcviz {

ResultsWriter::ResultsWriter(const QString& path)
    : m_path(path)
{
}

bool ResultsWriter::open(QString* error)
{
    if (m_path == u"-") {
        if (!m_stdout.open(stdout, QIODevice::WriteOnly)) {
            *error = QStringLiteral("--results: cannot write to standard output");
            return false;
        }
    } else {
        m_file = std::make_unique<OutputFile>(m_path);
        if (!m_file->open()) {
            *error = QStringLiteral("--results: ") + m_file->error();
            return false;
        }
    }
    m_pending = "[";
    return true;
}

void ResultsWriter::add(qint64 value, qint64 result)
{
    m_pending.append(m_first ? "\n[" : ",\n[");
    m_first = false;
    m_pending.append(QByteArray::number(value));
    m_pending.append(',');
    m_pending.append(QByteArray::number(result));
    m_pending.append(']');
    if (m_pending.size() > (1 << 20))
        flush();
}

bool ResultsWriter::flush()
{
    if (m_file)
        m_failed = !m_file->write(m_pending);
    else if (!m_failed && m_stdout.write(m_pending) != m_pending.size())
        m_failed = true;
    m_pending.clear();
    return !m_failed;
}

bool ResultsWriter::finish(QString* error)
{
    m_pending.append("\n]\n");
    flush();
    if (m_file) {
        if (!m_file->commit()) {
            *error = QStringLiteral("--results: ") + m_file->error();
            return false;
        }
        return true;
    }
    if (!m_stdout.flush())
        m_failed = true;
    if (m_failed)
        *error = QStringLiteral("--results: writing to standard output failed");
    return !m_failed;
}

} // namespace pcviz
