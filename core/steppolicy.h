// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"

#include <QStringView>

#include <optional>
#include <random>
#include <vector>

namespace pcviz {

/// Chooses which parked thread the next step moves: round-robin in thread order after the
/// one chosen last, or at random from a seed; the same choices for the same seed.
class StepPolicy {
public:
    enum class Kind { RoundRobin, Random };

    StepPolicy(Kind kind, std::uint64_t seed);

    /// One of candidates, or nothing when there is none.
    std::optional<ThreadRef> next(std::vector<ThreadRef> candidates);
    Kind kind() const { return m_kind; }

    static std::optional<Kind> fromName(QStringView name);
    static const char* name(Kind kind);

private:
    Kind m_kind;
    std::mt19937_64 m_random;
    std::optional<ThreadRef> m_last;
};

} // namespace pcviz
