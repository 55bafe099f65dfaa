// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "threadactivity.h"

#include <QColor>
#include <QPalette>

#include <cstdint>

namespace pcviz {

/// The colours and line widths the views paint with: light or dark, each with a high-contrast
/// variant for projectors whose colours stay apart for colour-blind viewers.
class Theme {
public:
    enum class Series { Produced, Consumed, Occupancy, ProducersBlocked, ConsumersBlocked };

    Theme() = default;
    Theme(bool dark, bool highContrast);

    bool dark() const { return m_dark; }
    bool highContrast() const { return m_highContrast; }

    /// The application palette: the style's standard one, darkened or at full contrast.
    QPalette palette(const QPalette& standard) const;
    QColor background() const;
    QColor text() const;

    /// Items are drawn in their producer's colour.
    QColor producer(std::uint32_t index) const;
    QColor consumer() const;
    /// A thread's own colour, as the buffer view tags it: main produces as producer 0.
    QColor thread(ThreadRef thread) const;
    /// Black or white, whichever reads better on background.
    static QColor textOn(const QColor& background);

    QColor emptySlot() const;
    QColor slotOutline() const;
    /// A slot that holds one of the items counted while the run was too fast to follow.
    QColor occupiedSlot() const;
    QColor inMark() const;
    QColor outMark() const;
    QColor inOutMark() const;
    QColor activity(ThreadActivity::Kind kind) const;
    QColor series(Series series) const;
    QColor gridLine() const;

    /// Outlines of slots and tags, in device-independent pixels.
    qreal outlineWidth() const { return m_highContrast ? 2.5 : 1.0; }
    qreal markWidth() const { return m_highContrast ? 4.5 : 3.0; }
    qreal seriesWidth() const { return m_highContrast ? 4.0 : 2.0; }

    friend bool operator==(const Theme&, const Theme&) = default;

private:
    bool m_dark = false;
    bool m_highContrast = false;
};

} // namespace pcviz
