// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"
#include "runinfo.h"

#include <QByteArray>
#include <QSaveFile>

#include <memory>

namespace pcviz {

/// Writes events as a trace file: JSON Lines (.jsonl, a header line then one event per line) or
/// CSV (.csv). The file appears only when finish() succeeds; a failed run leaves none behind.
class TraceWriter {
public:
    enum class Format { JsonLines, Csv };

    TraceWriter(const QString& path, const RunInfo& info);
    ~TraceWriter();

    /// False with a message naming the file when it cannot be created.
    bool open(QString* error);
    void write(const Event& e);
    bool finish(QString* error);

    static Format formatFor(const QString& path);
    /// One event as a JSON object on one line (no newline).
    static void appendJson(QByteArray& out, const Event& e, const RunInfo& info);

private:
    void appendCsv(const Event& e);
    void flushIfLarge();

    QString m_path;
    const RunInfo& m_info;
    Format m_format;
    std::unique_ptr<QSaveFile> m_file;
    QByteArray m_pending;
    bool m_failed = false;
};

} // namespace pcviz
