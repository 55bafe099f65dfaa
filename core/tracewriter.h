// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"
#include "outputfile.h"
#include "runinfo.h"

#include <QByteArray>

#include <map>
#include <memory>
#include <set>

namespace pcviz {

/// Writes events as a trace file: JSON Lines (.jsonl, a header line then one event per line),
/// CSV (.csv), or Chrome Trace Event JSON (.json: opens in Perfetto and chrome://tracing, one
/// track per thread, waits drawn as spans). The file appears only when finish() succeeds; a
/// failed run leaves none behind.
class TraceWriter {
public:
    enum class Format { JsonLines, Csv, ChromeTrace };

    TraceWriter(const QString& path, const RunInfo& info);
    ~TraceWriter();

    /// False with a message naming the file and the reason when it cannot be created.
    bool open(QString* error);
    void write(const Event& e);
    bool finish(QString* error);

    static Format formatFor(const QString& path);
    /// One event as a JSON object on one line (no newline).
    static void appendJson(QByteArray& out, const Event& e, const RunInfo& info);
    /// The file names the format by its ending: .jsonl, .csv or .json.
    static bool isTraceFileName(const QString& path);

private:
    void appendCsv(const Event& e);
    void appendChrome(const Event& e);
    void appendChromeRecord(const char* name, char phase, const Event& e);
    void closeChromeSpans();
    void flushIfLarge();

    QString m_path;
    const RunInfo& m_info;
    Format m_format;
    std::unique_ptr<OutputFile> m_file;
    QByteArray m_pending;
    // Chrome trace: threads that got their track name, and those inside a wait span.
    std::set<std::uint32_t> m_namedThreads;
    std::map<std::uint32_t, Event> m_openSpans;
    bool m_firstRecord = true;
};

} // namespace pcviz
