// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace pcviz {

/// Nanoseconds since a run began, cheap enough to stamp every event: an invariant TSC where
/// the processor has one, else the steady clock.
class Clock {
public:
    Clock();
    void restart();
    std::int64_t nowNs() const;
    static bool usesTsc();

private:
    std::uint64_t m_startTicks = 0;
};

} // namespace pcviz
