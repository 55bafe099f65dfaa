// SPDX-License-Identifier: GPL-3.0-or-later
#include "outputfile.h"

#include <QFileInfo>

namespace pcviz {

OutputFile::OutputFile(const QString& path)
    : m_path(path)
{
}

// An uncommitted QSaveFile removes its temporary file when destroyed.
OutputFile::~OutputFile() = default;

bool OutputFile::isDeviceOrPipe(const QString& path)
{
    // QFileInfo follows symbolic links, so /dev/stdout counts as the pipe or terminal it is.
    const QFileInfo info(path);
    return info.exists() && !info.isFile() && !info.isDir();
}

QFileDevice* OutputFile::file() const
{
    return m_direct ? static_cast<QFileDevice*>(m_direct.get()) : m_save.get();
}

QIODevice* OutputFile::device() const
{
    return file();
}

void OutputFile::fail(const QString& reason)
{
    if (m_reason.isEmpty())
        m_reason = reason;
}

bool OutputFile::open()
{
    m_reason.clear();
    if (m_path.isEmpty()) {
        fail(QStringLiteral("no file name"));
        return false;
    }
    // QSaveFile would write a temporary file beside a device and rename it over the device node
    // (as root it can: /dev/null would become a regular file). Devices and pipes cannot be
    // replaced atomically anyway, so they are written in place.
    if (isDeviceOrPipe(m_path)) {
        m_direct = std::make_unique<QFile>(m_path);
        if (!m_direct->open(QIODevice::WriteOnly)) {
            fail(m_direct->errorString());
            return false;
        }
        return true;
    }
    m_save = std::make_unique<QSaveFile>(m_path);
    if (!m_save->open(QIODevice::WriteOnly)) {
        fail(m_save->errorString());
        return false;
    }
    return true;
}

bool OutputFile::write(const QByteArray& data)
{
    if (!m_reason.isEmpty() || !file())
        return false;
    if (file()->write(data) != data.size()) {
        fail(file()->errorString());
        return false;
    }
    return true;
}

bool OutputFile::commit()
{
    if (!file()) {
        fail(QStringLiteral("not open"));
        return false;
    }
    if (m_direct) {
        // Errors such as a full disk surface only when the buffer reaches the device.
        if (!m_direct->flush() || m_direct->error() != QFileDevice::NoError)
            fail(m_direct->errorString());
        m_direct->close();
        return m_reason.isEmpty();
    }
    if (!m_reason.isEmpty()) {
        m_save->cancelWriting();
        m_save->commit(); // discards the temporary file
        return false;
    }
    if (!m_save->commit()) {
        fail(m_save->errorString());
        return false;
    }
    return true;
}

QString OutputFile::error() const
{
    QString reason = m_reason;
    // A writer that streamed into device() (QImage::save) met the failure there.
    if (reason.isEmpty() && file() && file()->error() != QFileDevice::NoError)
        reason = file()->errorString();
    return QStringLiteral("cannot write %1: %2")
        .arg(m_path, reason.isEmpty() ? QStringLiteral("unknown error") : reason);
}

} // namespace pcviz
