// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QFile>
#include <QSaveFile>
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
    std::unique_ptr<QSaveFile> m_file;
    QFile m_stdout;
    QIODevice* m_device = nullptr;
    QByteArray m_pending;
    bool m_first = true;
    bool m_failed = false;
};

} // namespace pcviz
