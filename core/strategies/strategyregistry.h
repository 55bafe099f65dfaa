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
    /// Flawed on purpose, to show a failure: correct runs are not to be expected of it.
    bool broken = false;
    /// Touches the buffer without a lock, so its put and get events are ordered only as well as
    /// relaxed atomics allow: the fold follows their slots and counts instead of checking them.
    bool unguarded = false;
    /// Has no critical section: its put and get events are ordered by logical clocks carried
    /// from put to get through the ring, so they keep the ring's order but the interleaving of
    /// puts with gets, and with it each event's count and slot, is only as the recording
    /// thread saw it. The fold keeps its own slots and counts instead of checking theirs.
    bool lockFree = false;
    /// At most this many producers and this many consumers (0: Scenario::MaxThreads).
    int maxThreadsPerRole = 0;
    int threadLimit(int maxThreads) const
    {
        return maxThreadsPerRole > 0 ? maxThreadsPerRole : maxThreads;
    }
};

/// The strategies pcviz can run, by name.
class StrategyRegistry {
public:
    static const std::vector<StrategyInfo>& all();
    static const StrategyInfo* find(const QString& name);
    static QStringList names();
    /// The strategies that keep every invariant.
    static QStringList correctNames();
    static std::unique_ptr<Strategy> create(const QString& name, int capacity);
};

} // namespace pcviz
