// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "framemoves.h"
#include "theme.h"
#include "threadactivity.h"

#include <QHash>
#include <QVector>

#include <QWidget>
#include <optional>

namespace pcviz {

/// One row per thread: its name, what it is doing in words and colour, and a strip of its
/// states over the last seconds of the run, so that blocked periods stand out.
class ThreadLanesView : public QWidget {
    Q_OBJECT
public:
    explicit ThreadLanesView(QWidget* parent = nullptr);

    /// Forgets every lane and link: a new run has other threads, and its time starts again.
    void clear();
    /// Takes the threads' current activities from state, at the run time state.lastNs().
    void showState(const StateModel& state);
    /// While paused: what a thread parked at a gate will do next, by ThreadRef::packed();
    /// shown instead of its activity. Empty while running.
    void showNextActions(const QHash<std::uint32_t, QString>& next);
    std::optional<ThreadRef> laneThread(int lane) const
    {
        return lane >= 0 && lane < m_lanes.size() ? std::optional(m_lanes[lane].ref) : std::nullopt;
    }
    /// Adds the frame's wake-ups: each is drawn as a link from the waker's lane to the woken
    /// thread's, at its time, while it is in the window.
    void addWakes(const QVector<FrameMoves::Wake>& wakes);
    int wakeCount() const { return int(m_wakes.size()); }
    /// The thread whose lane is at pos, if any.
    std::optional<ThreadRef> threadAt(QPointF pos) const;
    void setTheme(const Theme& theme);

    int laneCount() const { return int(m_lanes.size()); }
    /// The whole row of thread's lane, in widget coordinates; empty while it has none.
    QRect laneRect(ThreadRef thread) const;
    /// The swatch that shows lane i's current activity, in widget coordinates.
    QRectF swatchRect(int lane) const;
    QString laneWords(int lane) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// A click on a lane: the student chooses which thread moves next.
    void laneClicked(pcviz::ThreadRef thread);
    /// Shift+click: run until that thread moves.
    void laneShiftClicked(pcviz::ThreadRef thread);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    struct Sample {
        std::int64_t ns;
        ThreadActivity::Kind kind;
    };
    struct Lane {
        ThreadRef ref;
        ThreadActivity now;
        QVector<Sample> history; // oldest first; each sample holds until the next
    };
    qreal laneHeight() const;
    // Column widths follow the font, so zoomed text is not clipped.
    qreal nameWidth() const;
    qreal wordsWidth() const;

    Theme m_theme;
    QVector<Lane> m_lanes;
    QHash<std::uint32_t, QString> m_next;
    QVector<FrameMoves::Wake> m_wakes; // oldest first, within the window
    std::int64_t m_nowNs = 0;
    std::int64_t m_windowNs = 10'000'000'000;
};

} // namespace pcviz
