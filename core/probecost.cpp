// SPDX-License-Identifier: GPL-3.0-or-later
#include "probecost.h"

#include "engine.h"
#include "eventlog.h"
#include "gate.h"
#include "threadcontext.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>

namespace pcviz {

double ProbeCost::nsPerEvent()
{
    static const double ns = measure(50'000, 5);
    return ns;
}

double ProbeCost::measure(std::int64_t events, int rounds)
{
    // Lanes as large as the engine's, so the figure includes their cache misses.
    EventLog log(Engine::DefaultLogCapacity);
    Gate gate;
    std::atomic<bool> stop { false };
    double best = std::numeric_limits<double>::infinity();
    for (int r = 0; r < std::max(1, rounds); ++r) {
        // The same path a worker takes: a streaming context, the kinds of the hot loop.
        const ThreadContext ctx { { Role::Producer, 0 }, &log, &gate, &stop, nullptr, nullptr,
            true };
        const auto start = std::chrono::steady_clock::now();
        for (std::int64_t i = 0; i < events; ++i)
            ctx.record({ .item = std::uint64_t(i), .value = i, .kind = EventKind::Put });
        const double ns
            = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
                  .count();
        ctx.close();
        best = std::min(best, ns / double(std::max<std::int64_t>(1, events)));
    }
    return best;
}

} // namespace pcviz
