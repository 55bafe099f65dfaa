// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "framemoves.h"
#include "statemodel.h"
#include "theme.h"

#include <QEasingCurve>
#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <optional>

namespace pcviz {

/// The bounded buffer as the students see it: slots on a ring (a grid when there are too many
/// for a ring), each filled slot showing its item in its producer's colour, the in and out
/// positions marked and the count "k / capacity"; producers down the left edge, consumers down
/// the right. At slow rates each put and get is a short tween: the item travels from its
/// producer into its slot, or from its slot to its consumer. When the run is too fast for that,
/// items jump, and when it is too fast for every event to be drawn, only the occupancy shows.
/// It paints the state it is given and nothing else.
class BufferView : public QWidget {
    Q_OBJECT
public:
    /// More puts and gets than this in one frame, or in the last second, and tweens would only
    /// blur: items jump to their slots instead.
    static constexpr int MaxMovesPerFrame = 8;
    static constexpr int MaxMovesPerSecond = 40;
    /// How long a busy spell keeps tweens off, so a rate near the limit does not flicker.
    static constexpr int CalmMs = 500;
    static constexpr int MaxLiveTweens = 24;
    static constexpr int DefaultTweenMs = 320;

    explicit BufferView(QWidget* parent = nullptr);

    /// Shows the buffer of state; call again after folding new events. moves are the puts and
    /// gets folded since the last call: at slow rates each becomes a tween, timed by its event.
    /// roughCount, if given, replaces the fold's count while that is approximate (events were
    /// skipped): the window then works it out from the engine's exact counters.
    void showState(const StateModel& state);
    void showState(const StateModel& state, const FrameMoves& moves,
        std::optional<int> roughCount = std::nullopt);

    void setTheme(const Theme& theme);
    const Theme& theme() const { return m_theme; }
    /// Whether puts and gets are animated at all (View > Animate items).
    void setAnimated(bool animated);
    bool animated() const { return m_animated; }
    void setTweenDuration(int ms);
    int tweenDuration() const { return m_tweenMs; }

    /// Items travelling now, or waiting to leave until their arrival has landed.
    int activeTweenCount() const;
    /// Tweens started since the view was made: how many moves were animated rather than jumped.
    std::uint64_t tweensStarted() const { return m_tweensStarted; }
    /// Where live tween i (oldest first) is drawn now; empty if it is not in flight.
    QRectF tweenRect(int i) const;

    /// Where slot i is drawn, in widget coordinates (for tests and hit-testing).
    QRectF slotRect(int slot) const;
    /// Where a producer's (left) or consumer's (right) tag is drawn; empty for a thread the
    /// view has not seen.
    QRectF threadRect(ThreadRef thread) const;
    /// The colour items of the given producer are drawn in, in the ordinary theme.
    static QColor producerColour(std::uint32_t producer);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Slot {
        std::uint64_t item = NoItem;
        QString label;
    };
    struct Tag {
        ThreadRef ref;
        bool alive = true;
    };
    // A value, not an object: the frame tick moves every tween by reading the clock.
    struct Tween {
        std::uint64_t item = NoItem;
        ThreadRef thread;
        int slot = 0; // the drawn slot it enters or leaves
        double startMs = 0;
        bool arrival = true;
        QString label;
    };
    void layoutSlots();
    bool ringLayout() const;
    QFont captionFont() const;
    qreal sideWidth() const;
    QRectF sideRect(bool producers) const;
    QRectF tagRect(bool producers, int index, int count) const;
    void updateTags(const StateModel& state);
    void addTweens(const StateModel& state, const FrameMoves& moves);
    void clearTweens();
    void tick();
    double nowMs() const;
    QRectF tweenRectAt(const Tween& tween, double now) const;
    bool awaitingArrival(int slot, double now) const;
    // The drawn slot that holds item (looked for at hint first), or -1.
    int drawnSlotOf(std::uint64_t item, int hint) const;

    Theme m_theme;
    QVector<Slot> m_slots;
    QVector<QRectF> m_rects;
    QRectF m_slotsBounds; // the ring or grid as a whole
    QVector<Tag> m_producers;
    QVector<Tag> m_consumers;
    QVector<Tween> m_tweens; // oldest first, at most MaxLiveTweens
    QVector<std::pair<double, int>> m_recentMoves; // (ms, moves) of the frames of the last second
    QElapsedTimer m_clock;
    QTimer m_ticker;
    QEasingCurve m_easing { QEasingCurve::InOutCubic };
    std::uint64_t m_tweensStarted = 0;
    double m_calmAfterMs = 0;
    int m_tweenMs = DefaultTweenMs;
    int m_capacity = 1;
    int m_count = 0;
    int m_in = 0;
    int m_out = 0;
    bool m_bounded = true;
    bool m_mainProduces = false;
    bool m_animated = true;
    bool m_approximate = false; // items too fast to show one by one: only the count is drawn
};

} // namespace pcviz
