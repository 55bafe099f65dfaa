// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the bytes are a scenario file. Beyond "no crash, leak or hang" it checks
// what the loader promises: a refusal names the source and stays one printable line; an
// accepted scenario is valid, survives a save/load round trip unchanged, and offers a file name
// that cannot leave the chosen directory.
#include "scenario.h"

#include <QByteArray>
#include <QJsonDocument>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace pcviz;

namespace {
[[noreturn]] void broken(const char* promise, const QString& detail)
{
    std::fprintf(stderr, "fuzz_scenario: %s: %s\n", promise, qPrintable(detail));
    std::abort();
}

bool isOnePrintableLine(const QString& text)
{
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control || c.isSurrogate())
            return false;
    }
    return true;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // A copy, as a file read gives: the loader never sees memory it does not own.
    const QByteArray json(reinterpret_cast<const char*>(data), qsizetype(size));
    const QString source = QStringLiteral("fuzz.json");
    QString error;
    const std::optional<Scenario> scenario = Scenario::fromJson(json, source, &error);
    if (!scenario) {
        if (!error.startsWith(source + QStringLiteral(": ")))
            broken("a refusal names the source", error);
        if (!isOnePrintableLine(error) || error.size() > 1000)
            broken("a refusal is one printable line", error.left(300));
        return 0;
    }
    if (!error.isEmpty())
        broken("an accepted file has no error", error);
    if (const QString problem = scenario->validate(); !problem.isEmpty())
        broken("an accepted file validates", problem);

    const QByteArray saved = QJsonDocument(scenario->toJson()).toJson(QJsonDocument::Indented);
    const std::optional<Scenario> again = Scenario::fromJson(saved, source, &error);
    if (!again)
        broken("what was accepted saves and loads again", error);
    if (again->toJson() != scenario->toJson())
        broken("the round trip keeps every field", QString::fromUtf8(saved));

    const QString fileName = scenario->suggestedFileName();
    if (fileName.contains(u'/') || fileName.contains(u'\\') || fileName.startsWith(u'.')
        || !fileName.endsWith(QStringLiteral(".json")) || !isOnePrintableLine(fileName))
        broken("the suggested file name stays in its directory", fileName);
    return 0;
}
