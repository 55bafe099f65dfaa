// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "strategy.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace pcviz {

/// What the CLI, the scenario validator and the GUI know about a strategy before running it.
struct StrategyInfo {
    QString name;
    QString title;
    QString description;
    bool allowsUnbounded = false;
    bool hasTasks = false;
};

/// The strategies pcviz can run, by name.
class StrategyRegistry {
public:
    static const std::vector<StrategyInfo>& all();
    static const StrategyInfo* find(const QString& name);
    static QStringList names();
    static std::unique_ptr<Strategy> create(const QString& name, int capacity);
};

} // namespace pcviz
