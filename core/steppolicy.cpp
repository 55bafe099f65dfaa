// SPDX-License-Identifier: GPL-3.0-or-later
#include "steppolicy.h"

#include <algorithm>

namespace pcviz {

StepPolicy::StepPolicy(Kind kind, std::uint64_t seed)
    : m_kind(kind)
    , m_random(seed)
{
}

std::optional<ThreadRef> StepPolicy::next(std::vector<ThreadRef> candidates)
{
    if (candidates.empty())
        return std::nullopt;
    // Thread order, not the order threads happened to park in: that is what makes it repeat.
    std::sort(candidates.begin(), candidates.end(),
        [](ThreadRef a, ThreadRef b) { return a.packed() < b.packed(); });
    ThreadRef chosen = candidates.front();
    if (m_kind == Kind::Random) {
        chosen = candidates[std::uniform_int_distribution<std::size_t>(0, candidates.size() - 1)(
            m_random)];
    } else if (m_last) {
        const auto after = std::find_if(candidates.begin(), candidates.end(),
            [this](ThreadRef t) { return t.packed() > m_last->packed(); });
        if (after != candidates.end())
            chosen = *after;
    }
    m_last = chosen;
    return chosen;
}

std::optional<StepPolicy::Kind> StepPolicy::fromName(QStringView name)
{
    if (name == u"round-robin")
        return Kind::RoundRobin;
    if (name == u"random")
        return Kind::Random;
    return std::nullopt;
}

const char* StepPolicy::name(Kind kind)
{
    return kind == Kind::Random ? "random" : "round-robin";
}

} // namespace pcviz
