// SPDX-License-Identifier: GPL-3.0-or-later
#include "blockedwatch.h"

#include <algorithm>

namespace pcviz {

BlockedWatch::BlockedWatch(std::vector<ObjectInfo> objects)
    : m_objects(std::move(objects))
{
}

bool BlockedWatch::backsOff(std::uint8_t object) const
{
    return std::any_of(m_objects.begin(), m_objects.end(),
        [object](const ObjectInfo& o) { return o.id == object && o.type == ObjectType::Backoff; });
}

int BlockedWatch::look(const Gate& gate)
{
    std::vector<std::uint32_t> blocks;
    bool anyBlocked = false;
    for (const Gate::ThreadState& t : gate.threads()) {
        if (t.state == Gate::State::Running || t.state == Gate::State::Parked
            || (t.state == Gate::State::Blocked && backsOff(t.object))) {
            m_streak = 0;
            return 0;
        }
        anyBlocked = anyBlocked || t.state == Gate::State::Blocked;
        blocks.push_back(t.blocks);
    }
    if (!anyBlocked) {
        m_streak = 0;
        return 0;
    }
    m_streak = m_streak > 0 && blocks == m_lastBlocks ? m_streak + 1 : 1;
    m_lastBlocks = std::move(blocks);
    return m_streak;
}

} // namespace pcviz
