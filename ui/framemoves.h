// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"

#include <QVector>

#include <cstdint>

namespace pcviz {

/// The items that entered or left the buffer during one frame (its put and get events), for
/// the buffer view to animate. Keeps the first few and counts them all, so a busy frame costs
/// nothing more than a counter.
struct FrameMoves {
    struct Move {
        enum class Kind : std::uint8_t { Arrival, Departure };
        Kind kind = Kind::Arrival;
        std::uint64_t item = NoItem;
        ThreadRef thread; // the producer that put it or the consumer that got it
        std::int32_t slot = NoSlot;
        std::int64_t tNs = 0;
    };
    // More than the buffer view ever animates in one frame.
    static constexpr int Kept = 16;

    /// A signal or release that woke a thread: drawn as a link between their lanes.
    struct Wake {
        ThreadRef waker;
        ThreadRef woken;
        std::int64_t tNs = 0;
    };

    QVector<Move> moves; // in seq order, at most Kept
    QVector<Wake> wakes; // in seq order, at most Kept
    int total = 0; // every put and get of the frame
    bool missedEvents = false; // the frame skipped events: its moves are not the whole story

    FrameMoves()
    {
        moves.reserve(Kept);
        wakes.reserve(Kept);
    }
    /// Records e if it is a put, a get or a wake-up; never allocates.
    void add(const Event& e)
    {
        const bool wakes_ = (e.kind == EventKind::CondSignal || e.kind == EventKind::SemRelease
                                || e.kind == EventKind::Wake)
            && !e.peer.isNone();
        if (wakes_ && wakes.size() < Kept)
            wakes.push_back({ e.thread, e.peer, e.tNs });
        if (e.kind != EventKind::Put && e.kind != EventKind::Get)
            return;
        ++total;
        if (moves.size() < Kept)
            moves.push_back(
                { e.kind == EventKind::Put ? Move::Kind::Arrival : Move::Kind::Departure, e.item,
                    e.thread, e.slot, e.tNs });
    }
    void clear()
    {
        moves.clear(); // keeps the capacity
        wakes.clear();
        total = 0;
        missedEvents = false;
    }
};

} // namespace pcviz
