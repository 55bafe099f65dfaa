// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QFile>
#include <QSaveFile>
#include <QString>

#include <memory>

namespace pcviz {

/// A file pcviz writes: atomically through QSaveFile (the old file stays until commit(), a
/// failed or abandoned write leaves nothing behind), or straight into an existing device or pipe
/// (/dev/null, /dev/stdout, a FIFO), which a rename would replace rather than write to.
class OutputFile {
public:
    explicit OutputFile(const QString& path);
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    bool open();
    /// False once any write has failed; later writes are skipped.
    bool write(const QByteArray& data);
    /// For writers that stream into a QIODevice (QImage::save); valid after open().
    QIODevice* device() const;
    /// Flushes and, for a regular file, renames the new file into place. False when anything
    /// failed: the old file, if any, is then untouched and no new file is left behind.
    bool commit();
    /// "cannot write PATH: reason", for the message the user sees.
    QString error() const;
    /// Whether the path is a device or pipe written in place (no atomic replacement possible).
    bool isDirect() const { return m_direct != nullptr; }
    const QString& path() const { return m_path; }

    static bool isDeviceOrPipe(const QString& path);

private:
    QFileDevice* file() const;
    void fail(const QString& reason);

    QString m_path;
    std::unique_ptr<QSaveFile> m_save;
    std::unique_ptr<QFile> m_direct;
    QString m_reason;
};

} // namespace pcviz
