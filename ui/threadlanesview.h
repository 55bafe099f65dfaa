// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "theme.h"
#include "threadactivity.h"

#include <QVector>
#include <QWidget>

namespace pcviz {

/// One row per thread: its name, what it is doing in words and colour, and a strip of its
/// states over the last seconds of the run, so that blocked periods stand out.
class ThreadLanesView : public QWidget {
    Q_OBJECT
public:
    explicit ThreadLanesView(QWidget* parent = nullptr);

    /// Takes the threads' current activities from state, at the run time state.lastNs().
    void showState(const StateModel& state);
    void setTheme(const Theme& theme);

    int laneCount() const { return int(m_lanes.size()); }
    /// The swatch that shows lane i's current activity, in widget coordinates.
    QRectF swatchRect(int lane) const;
    QString laneWords(int lane) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

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
    std::int64_t m_nowNs = 0;
    std::int64_t m_windowNs = 10'000'000'000;
};

} // namespace pcviz
