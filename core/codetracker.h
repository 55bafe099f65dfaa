// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "codelisting.h"
#include "gate.h"
#include "statemodel.h"

#include <QHash>

#include <optional>
#include <vector>

namespace pcviz {

/// Where each paused thread is in one code listing, read off the gate: a parked thread is at
/// the line of the action it takes next, a blocked one at the line of the wait it is blocked
/// in. One gate can stand on several lines (a lock in put() and in task_done(), a wait that
/// locks again), so it remembers each thread's last line: the listing runs top to bottom.
class CodeTracker {
public:
    struct Marker {
        ThreadRef thread;
        bool blocked = false;
        GateAction action = GateAction::Start;
        QString object;
        int line = -1; // -1: no line of the listing stands for this gate
        int gate = -1; // which of the line's gates it is

        friend bool operator==(const Marker&, const Marker&) = default;
    };

    explicit CodeTracker(const CodeListing* listing = nullptr);
    const CodeListing* listing() const { return m_listing; }

    /// Places every parked or blocked thread; running and exited threads get no marker. state
    /// names the objects and says whether a thread holds an item.
    const std::vector<Marker>& update(
        const std::vector<Gate::ThreadState>& threads, const StateModel& state);
    /// Forgets where the threads were: after they ran freely, a last line says nothing.
    void forget();

    /// Threads in the order the lanes show them: producers, main, consumers.
    const std::vector<Marker>& markers() const { return m_markers; }
    const Marker* marker(ThreadRef thread) const;

private:
    const CodeListing* m_listing;
    QHash<std::uint32_t, int> m_lastLine;
    std::vector<Marker> m_markers;
};

} // namespace pcviz
