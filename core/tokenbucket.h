// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace pcviz {

/// A token bucket: tokens flow in at a steady rate up to a burst; each item takes one. The
/// caller passes the time, so the bucket is a pure calculation that tests can drive.
class TokenBucket {
public:
    /// Starts full: a producer may make burst items at once.
    TokenBucket(double perSecond, int burst);

    /// Takes a token at nowNs (any monotonic clock, nanoseconds); 0 when taken, else how many
    /// nanoseconds until one will be there (nothing is taken).
    std::int64_t take(std::int64_t nowNs);

private:
    void refill(std::int64_t nowNs);

    double m_perNs;
    double m_burst;
    double m_tokens;
    std::int64_t m_lastNs = 0;
    bool m_started = false;
};

} // namespace pcviz
