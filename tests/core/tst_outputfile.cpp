// SPDX-License-Identifier: GPL-3.0-or-later
// Output files: a regular file is replaced atomically (the old one stays until commit, an
// abandoned write leaves nothing behind); a device or pipe is written in place, never replaced
// by a regular file; every failure names the path and the reason.

#include "outputfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace pcviz;

namespace {
QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

bool isCharacterDevice(const char* path)
{
    struct stat st { };
    return ::stat(path, &st) == 0 && S_ISCHR(st.st_mode);
}
} // namespace

class TestOutputFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void oldFileStaysUntilCommitThenIsReplaced();
    void abandonedWriteLeavesTheOldFileAndNoTemporary();
    void missingDirectoryFailsNamingThePathAndReason();
    void directoryAsTargetIsRefused();
    void deviceIsWrittenInPlaceAndStaysADevice();
    void fullDeviceFailsNamingThePathAndNoSpace();
};

void TestOutputFile::oldFileStaysUntilCommitThenIsReplaced()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("out.json"));
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly) && old.write("old") == 3);
    old.close();

    OutputFile file(path);
    QVERIFY2(file.open(), qPrintable(file.error()));
    QVERIFY(!file.isDirect());
    QVERIFY(file.write("new contents"));
    QCOMPARE(readFile(path), QByteArray("old"));
    QVERIFY2(file.commit(), qPrintable(file.error()));
    QCOMPARE(readFile(path), QByteArray("new contents"));
    QCOMPARE(entries(dir.path()), QStringList { QStringLiteral("out.json") });
}

void TestOutputFile::abandonedWriteLeavesTheOldFileAndNoTemporary()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("out.json"));
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly) && old.write("old") == 3);
    old.close();
    {
        OutputFile file(path);
        QVERIFY(file.open());
        QVERIFY(file.write(QByteArray(1 << 20, 'x')));
    } // never committed: a run that failed or was stopped
    QCOMPARE(readFile(path), QByteArray("old"));
    QCOMPARE(entries(dir.path()), QStringList { QStringLiteral("out.json") });
}

void TestOutputFile::missingDirectoryFailsNamingThePathAndReason()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("no/such/out.json"));
    OutputFile file(path);
    QVERIFY(!file.open());
    QVERIFY(!file.write("x"));
    QVERIFY(!file.commit());
    QVERIFY2(file.error().startsWith(QStringLiteral("cannot write %1: ").arg(path)),
        qPrintable(file.error()));
    QVERIFY2(!file.error().endsWith(QStringLiteral(": ")), qPrintable(file.error()));
    QVERIFY(entries(dir.path()).isEmpty());
}

void TestOutputFile::directoryAsTargetIsRefused()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    OutputFile file(dir.path());
    QVERIFY(!file.open());
    QVERIFY2(file.error().contains(dir.path()), qPrintable(file.error()));
    QVERIFY(QFileInfo(dir.path()).isDir());
    QVERIFY(entries(dir.path()).isEmpty());
}

// QSaveFile alone would write /dev/null.XXXXXX and rename it over the device (as root it can).
void TestOutputFile::deviceIsWrittenInPlaceAndStaysADevice()
{
    if (!isCharacterDevice("/dev/null"))
        QSKIP("/dev/null is not a character device here");
    OutputFile file(QStringLiteral("/dev/null"));
    QVERIFY2(file.open(), qPrintable(file.error()));
    QVERIFY(file.isDirect());
    QVERIFY(file.write(QByteArray(100000, 'x')));
    QVERIFY2(file.commit(), qPrintable(file.error()));
    QVERIFY(isCharacterDevice("/dev/null"));
}

void TestOutputFile::fullDeviceFailsNamingThePathAndNoSpace()
{
    if (!isCharacterDevice("/dev/full"))
        QSKIP("no /dev/full here");
    OutputFile file(QStringLiteral("/dev/full"));
    QVERIFY2(file.open(), qPrintable(file.error()));
    file.write("a small write stays in the buffer until the commit");
    QVERIFY(!file.commit());
    QVERIFY2(file.error().contains(QStringLiteral("/dev/full"))
            && file.error().contains(QStringLiteral("No space left on device")),
        qPrintable(file.error()));
    QVERIFY(isCharacterDevice("/dev/full"));
}

QTEST_GUILESS_MAIN(TestOutputFile)
#include "tst_outputfile.moc"
