// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "statemodel.h"

#include <QColor>
#include <QString>

namespace pcviz {

/// What a lane says a thread is doing, in words and in a colour that a legend explains.
struct ThreadActivity {
    enum Kind {
        NotStarted,
        Producing,
        Putting,
        Getting,
        Consuming,
        WaitingForMutex,
        WaitingBufferFull,
        WaitingBufferEmpty,
        WaitingOnCondition,
        WaitingOnSemaphore,
        Joining,
        Running,
        Exited,
        KindCount
    };

    Kind kind = NotStarted;
    QString words; // e.g. "waiting: buffer full (not_full)"

    /// Reads the activity off the fold: being blocked wins over the task at hand.
    static ThreadActivity of(const ThreadView& thread, const StateModel& state);
    static QColor colour(Kind kind);
    static QString name(Kind kind);
    bool isBlocked() const { return kind >= WaitingForMutex && kind <= Joining; }
};

} // namespace pcviz
