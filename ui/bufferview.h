// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "statemodel.h"

#include <QWidget>

namespace pcviz {

/// The bounded buffer as the students see it: slots on a ring (a grid when there are too many
/// for a ring), each filled slot showing its item in its producer's colour, the in and out
/// positions marked and the count "k / capacity". When the run is too fast for every event
/// to be drawn, it shows the occupancy alone. It paints the state it is given and nothing else.
class BufferView : public QWidget {
    Q_OBJECT
public:
    explicit BufferView(QWidget* parent = nullptr);

    /// Shows the buffer of state; call again after folding new events.
    void showState(const StateModel& state);

    /// Where slot i is drawn, in widget coordinates (for tests and hit-testing).
    QRectF slotRect(int slot) const;
    /// The colour items of the given producer are drawn in.
    static QColor producerColour(std::uint32_t producer);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Slot {
        std::uint64_t item = NoItem;
        QString label;
    };
    void layoutSlots();
    bool ringLayout() const;

    QVector<Slot> m_slots;
    QVector<QRectF> m_rects;
    int m_capacity = 1;
    int m_count = 0;
    int m_in = 0;
    int m_out = 0;
    bool m_bounded = true;
    bool m_approximate = false; // items too fast to show one by one: only the count is drawn
};

} // namespace pcviz
