// SPDX-License-Identifier: GPL-3.0-or-later
#include "presets.h"

#include "inputtext.h"

#include <QDir>

namespace pcviz {

namespace {
const QString PresetDir = QStringLiteral(":/presets");
}

QStringList Presets::names()
{
    QStringList result;
    const QStringList files
        = QDir(PresetDir).entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    for (const QString& file : files)
        result << file.chopped(5);
    return result;
}

std::optional<Scenario> Presets::load(const QString& name, QString* error)
{
    if (!names().contains(name)) {
        if (error)
            *error = QStringLiteral("preset: %1 is not a preset (allowed: %2)")
                         .arg(quoteInput(name), names().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    return Scenario::load(QStringLiteral("%1/%2.json").arg(PresetDir, name), error);
}

} // namespace pcviz
