// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gate.h"
#include "runinfo.h"

#include <cstdint>
#include <vector>

namespace pcviz {

/// The deadlock test of a run without events. Every thread may be blocked at the instant
/// anyone looks while the run goes on: a thread woken a moment ago is still blocked until the
/// system lets it run. So a look counts only when every thread is blocked in a primitive and
/// none of them has blocked anew since the last look: then none has moved in between.
class BlockedWatch {
public:
    explicit BlockedWatch(std::vector<ObjectInfo> objects);

    /// Looks at the gate once; returns how many looks in a row found every thread blocked in
    /// the same wait (0 when some thread runs or could run).
    int look(const Gate& gate);

private:
    /// A lock-free ring's thread backing off looks again by itself: it can starve, not
    /// deadlock.
    bool backsOff(std::uint8_t object) const;

    std::vector<ObjectInfo> m_objects;
    std::vector<std::uint32_t> m_lastBlocks;
    int m_streak = 0;
};

} // namespace pcviz
