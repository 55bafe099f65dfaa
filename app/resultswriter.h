// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "outputfile.h"

#include <QByteArray>
#include <QFile>
#include <QString>

#include <memory>

namespace pcviz {

/// Streams the [value, result] pairs of a run, in consumption order, as one JSON array to a
/// file (written atomically) or to standard output ("-").
class ResultsWriter {
public:
    explicit ResultsWriter(const QString& path);
    bool open(QString* error);
    void add(qint64 value, qint64 result);
    bool finish(QString* error);

private:
    bool flush();

    QString m_path;
    std::unique_ptr<OutputFile> m_file;
    QFile m_stdout;
    QByteArray m_pending;
    bool m_first = true;
    bool m_failed = false;
};

} // namespace pcviz
