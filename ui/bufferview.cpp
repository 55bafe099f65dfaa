// SPDX-License-Identifier: GPL-3.0-or-later
#include "bufferview.h"

#include <QPainter>
#include <QPainterPath>

#include <cmath>
#include <numbers>

namespace pcviz {

namespace {
// Up to this many slots sit on a ring; more become a grid, which stays readable up to 4096.
constexpr int MaxRingSlots = 48;
// Below this cell size, labels would be unreadable: cells are drawn without text.
constexpr qreal MinLabelledCell = 34;
const QColor EmptySlot(0xf2, 0xf2, 0xf2);
const QColor SlotOutline(0x9e, 0x9e, 0x9e);
} // namespace

BufferView::BufferView(QWidget* parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Buffer"));
}

QSize BufferView::sizeHint() const
{
    return { 420, 420 };
}

QSize BufferView::minimumSizeHint() const
{
    return { 160, 160 };
}

QColor BufferView::producerColour(std::uint32_t producer)
{
    // Well-separated hues (golden angle), saturated enough to read on a projector.
    const int hue = int(std::fmod(producer * 137.508, 360.0));
    return QColor::fromHsv(hue, 150, 225);
}

void BufferView::showState(const StateModel& state)
{
    const SlotRing<std::uint64_t>& ring = state.buffer();
    m_capacity = ring.capacity();
    m_bounded = ring.bounded();
    m_count = state.count();
    m_approximate = state.bufferApproximate();
    m_in = ring.in();
    m_out = ring.out();
    const int shown = m_bounded ? ring.slots() : std::max(state.count(), 1);
    const bool relayout = shown != m_slots.size();
    m_slots.resize(shown);
    for (int i = 0; i < shown; ++i)
        m_slots[i] = {};
    for (int i = 0; i < ring.count() && !m_approximate; ++i) {
        // Unbounded queues are drawn oldest first; bounded rings slot by slot.
        const int slot = m_bounded ? (ring.out() + i) % ring.slots() : i;
        if (slot >= shown)
            continue;
        const std::uint64_t item = ring.fromOldest(i);
        m_slots[slot] = { item, state.itemLabel(item) };
    }
    if (relayout)
        layoutSlots();
    update();
}

bool BufferView::ringLayout() const
{
    return m_bounded && m_slots.size() <= MaxRingSlots;
}

void BufferView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    layoutSlots();
}

void BufferView::layoutSlots()
{
    const int n = int(m_slots.size());
    m_rects.resize(n);
    if (n == 0)
        return;
    const QRectF area = QRectF(rect()).adjusted(12, 12, -12, -36);
    if (ringLayout()) {
        // Slots clockwise from the top, sized so neighbours do not overlap.
        const QPointF centre = area.center();
        const qreal radius = std::min(area.width(), area.height()) / 2;
        const qreal cell = std::min(
            radius * 0.55, n > 1 ? 2 * radius * std::sin(std::numbers::pi / n) * 0.8 : radius);
        const qreal orbit = radius - cell / 2;
        for (int i = 0; i < n; ++i) {
            const qreal angle = -std::numbers::pi / 2 + 2 * std::numbers::pi * i / n;
            const QPointF c = centre + QPointF(std::cos(angle), std::sin(angle)) * orbit;
            m_rects[i] = QRectF(c.x() - cell / 2, c.y() - cell / 2, cell, cell);
        }
        return;
    }
    // A grid, row by row, with the column count that gives the largest square cells.
    int columns = 1;
    qreal cell = 0;
    for (int c = 1; c <= n; ++c) {
        const int rows = (n + c - 1) / c;
        const qreal size = std::min(area.width() / c, area.height() / rows);
        if (size > cell) {
            cell = size;
            columns = c;
        }
    }
    for (int i = 0; i < n; ++i)
        m_rects[i] = QRectF(
            area.left() + (i % columns) * cell, area.top() + (i / columns) * cell, cell, cell);
}

QRectF BufferView::slotRect(int slot) const
{
    return slot >= 0 && slot < m_rects.size() ? m_rects[slot] : QRectF();
}

void BufferView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Window));
    p.setRenderHint(QPainter::Antialiasing);
    const qreal cell = m_rects.isEmpty() ? 0 : m_rects.first().width();
    const bool labels = cell >= MinLabelledCell;
    const qreal gap = cell > 6 ? 1.5 : 0;

    QFont font = p.font();
    font.setPixelSize(std::max(9, int(cell * 0.26)));
    p.setFont(font);
    // The largest font at which every label fits its cell.
    int widest = 0;
    for (const Slot& slot : m_slots)
        widest = std::max(widest, QFontMetrics(font).horizontalAdvance(slot.label));
    if (widest > cell * 0.86)
        font.setPixelSize(std::max(7, int(font.pixelSize() * cell * 0.86 / widest)));
    p.setFont(font);
    for (int i = 0; i < m_slots.size(); ++i) {
        const QRectF r = m_rects[i].adjusted(gap, gap, -gap, -gap);
        const Slot& slot = m_slots[i];
        // Too fast to follow: the first count cells stand for the items, in one neutral colour.
        const bool occupied = m_approximate && i < m_count;
        const bool filled = slot.item != NoItem;
        p.setPen(cell > 6 ? QPen(SlotOutline, 1) : Qt::NoPen);
        p.setBrush(occupied ? QColor(0x78, 0x90, 0x9c)
                : filled    ? producerColour(itemProducer(slot.item))
                            : EmptySlot);
        p.drawRoundedRect(r, cell * 0.12, cell * 0.12);
        if (filled && labels) {
            p.setPen(Qt::black);
            p.drawText(r, Qt::AlignCenter, slot.label);
        }
    }

    // The in and out positions: where the next put and the next get happen.
    if (m_bounded && !m_rects.isEmpty() && labels && !m_approximate) {
        const auto mark = [&](int slot, const QString& text, const QColor& colour) {
            const QRectF r = slotRect(slot);
            QPen pen(colour, 3);
            p.setPen(pen);
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(r.adjusted(-2, -2, 2, 2), cell * 0.14, cell * 0.14);
            QFont small = p.font();
            small.setPixelSize(std::max(9, int(cell * 0.2)));
            p.setFont(small);
            p.drawText(r.adjusted(0, r.height() * 0.62, 0, 0), Qt::AlignCenter, text);
            p.setFont(font);
        };
        if (m_in == m_out) {
            // Full or empty: the next put and the next get use the same slot.
            mark(m_in, tr("in = out"), QColor(0x45, 0x5a, 0x64));
        } else {
            mark(m_in, tr("in"), QColor(0x2e, 0x7d, 0x32));
            mark(m_out, tr("out"), QColor(0xc6, 0x28, 0x28));
        }
    }

    QFont caption = font;
    caption.setPixelSize(16);
    caption.setBold(true);
    p.setFont(caption);
    p.setPen(palette().color(QPalette::WindowText));
    QString count = m_bounded ? tr("%1 / %2").arg(m_count).arg(m_capacity)
                              : tr("%1 in the queue (unbounded)").arg(m_count);
    if (m_approximate)
        count += tr("  (too fast to show each item)");
    p.drawText(QRectF(rect()).adjusted(0, 0, 0, -8), Qt::AlignHCenter | Qt::AlignBottom, count);
}

} // namespace pcviz
