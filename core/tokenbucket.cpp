// SPDX-License-Identifier: GPL-3.0-or-later
#include "tokenbucket.h"

#include <algorithm>
#include <cmath>

namespace pcviz {

TokenBucket::TokenBucket(double perSecond, int burst)
    : m_perNs(perSecond / 1e9)
    , m_burst(std::max(1, burst))
    , m_tokens(m_burst)
{
}

void TokenBucket::refill(std::int64_t nowNs)
{
    if (!m_started) {
        m_started = true;
        m_lastNs = nowNs;
        return;
    }
    // A clock that runs backwards (it must not, but) adds nothing rather than taking away.
    const std::int64_t elapsed = std::max<std::int64_t>(0, nowNs - m_lastNs);
    m_tokens = std::min(m_burst, m_tokens + double(elapsed) * m_perNs);
    m_lastNs = std::max(m_lastNs, nowNs);
}

std::int64_t TokenBucket::take(std::int64_t nowNs)
{
    refill(nowNs);
    if (m_tokens >= 1.0) {
        m_tokens -= 1.0;
        return 0;
    }
    // Rounded up, and at least 1 ns: a wait of 0 would be taken for success.
    return std::max<std::int64_t>(1, std::int64_t(std::ceil((1.0 - m_tokens) / m_perNs)));
}

} // namespace pcviz
