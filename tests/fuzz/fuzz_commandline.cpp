// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the bytes, split at NUL, are the arguments after "pcviz". Beyond "no
// crash, leak or hang" it checks the parser's promise: bad input gets a message that is one
// printable line; anything else is a valid scenario. A --scenario path is replaced by one of a
// few files the target writes itself, so fuzzing never reads the machine's own files.
#include "commandline.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QStringList>
#include <QTemporaryDir>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace pcviz;

namespace {
[[noreturn]] void broken(const char* promise, const QString& detail)
{
    std::fprintf(stderr, "fuzz_commandline: %s: %s\n", promise, qPrintable(detail));
    std::abort();
}

// Scenario files for --scenario: valid, invalid, and a path that does not exist.
const QStringList& scenarioFiles()
{
    static QTemporaryDir dir;
    static const QStringList files = [] {
        const QList<QByteArray> contents {
            R"({"format":"pcviz-scenario","version":1,"strategy":"semaphore","capacity":3,
                "producers":2,"consumers":2,"items":5,"produce_rate":"max"})",
            R"({"format":"pcviz-scenario","version":1,"strategy":"pyqueue","capacity":0,
                "producers":1,"main_produces":true,"join":true,"daemon_consumers":true})",
            R"({"format":"pcviz-scenario","version":1,"producers":0})",
            "not json",
        };
        QStringList paths;
        for (qsizetype i = 0; i < contents.size(); ++i) {
            const QString path = dir.filePath(QStringLiteral("s%1.json").arg(i));
            QFile file(path);
            if (!file.open(QIODevice::WriteOnly) || file.write(contents[i]) != contents[i].size())
                broken("the target writes its scenario files", path);
            paths << path;
        }
        paths << dir.filePath(QStringLiteral("missing.json"));
        return paths;
    }();
    return files;
}

QString standIn(const QString& path)
{
    const QStringList& files = scenarioFiles();
    return files[qsizetype(qHash(path) % std::size_t(files.size()))];
}

bool isOnePrintableLine(const QString& text)
{
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control)
            return false;
    }
    return true;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    QStringList arguments { QStringLiteral("pcviz") };
    // As main() does: arguments arrive in the locale's 8-bit encoding.
    for (const QByteArray& part : bytes.split('\0'))
        arguments << QString::fromLocal8Bit(part);
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        if (arguments[i].startsWith(QStringLiteral("--scenario="))) {
            arguments[i] = QStringLiteral("--scenario=") + standIn(arguments[i].mid(11));
        } else if (arguments[i] == u"--scenario" && i + 1 < arguments.size()) {
            arguments[i + 1] = standIn(arguments[i + 1]);
            ++i;
        }
    }

    const CommandLine result = CommandLine::parse(arguments);
    if (result.mode == CommandLine::Mode::BadInput) {
        if (result.error.isEmpty())
            broken("bad input gets a message", arguments.join(u' '));
        if (!isOnePrintableLine(result.error) || result.error.size() > 2000)
            broken("the message is one printable line", result.error.left(300));
        return 0;
    }
    if (!result.error.isEmpty())
        broken("accepted input has no error", result.error);
    if (result.mode == CommandLine::Mode::Gui || result.mode == CommandLine::Mode::Headless) {
        if (const QString problem = result.scenario.validate(); !problem.isEmpty())
            broken("accepted input is a valid scenario", problem);
    }
    return 0;
}
