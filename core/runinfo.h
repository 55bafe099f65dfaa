// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario.h"
#include "strategies/strategy.h"

#include <QJsonObject>

#include <vector>

namespace pcviz {

/// What a fold of the events needs to know besides the events: the scenario and the strategy's
/// objects. It is the trace header, so a saved trace can be folded like a live run.
struct RunInfo {
    Scenario scenario;
    std::vector<ObjectInfo> objects;

    QString objectName(std::uint8_t id) const;
    const ObjectInfo* object(std::uint8_t id) const;
    QJsonObject toJson() const;
};

} // namespace pcviz
