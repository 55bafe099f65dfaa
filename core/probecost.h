// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace pcviz {

/// What observing the threads costs them: nanoseconds a thread spends recording one event,
/// measured once by a short calibration loop into a private log.
class ProbeCost {
public:
    /// The calibrated cost; the first call measures it (a few milliseconds), later calls reuse
    /// that. Call it before a run starts, when the cores are quiet, for an honest figure.
    static double nsPerEvent();
    /// A fresh measurement: the fastest of `rounds` loops of `events` events each, so that a
    /// preempted loop does not count.
    static double measure(std::int64_t events, int rounds);
};

} // namespace pcviz
