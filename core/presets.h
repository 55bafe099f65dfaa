// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario.h"

#include <QStringList>

#include <optional>

namespace pcviz {

/// The scenarios compiled into the binary from resources/presets.
class Presets {
public:
    static QStringList names();
    static std::optional<Scenario> load(const QString& name, QString* error);
};

} // namespace pcviz
