// SPDX-License-Identifier: GPL-3.0-or-later
#include "bufferview.h"

#include <QEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

namespace pcviz {

namespace {
// Up to this many slots sit on a ring; more become a grid, which stays readable up to 4096.
constexpr int MaxRingSlots = 48;
// Below this cell size, labels would be unreadable: cells are drawn without text.
constexpr qreal MinLabelledCell = 34;
// Below this a slot is a plain square: its rounded corners would be under a pixel.
constexpr qreal MinRoundedCell = 8;
constexpr qreal Margin = 12;
// Neighbouring cells on the ring stay this fraction of a cell apart.
constexpr qreal RingGap = 0.12;

// The smallest distance, in the max norm, between neighbours on a unit ring of n: square
// cells do not overlap when their side is below it times the ring's radius.
qreal ringSpacing(int n)
{
    qreal spacing = std::numeric_limits<qreal>::max();
    for (int i = 0; i < n; ++i) {
        const qreal a = -std::numbers::pi / 2 + 2 * std::numbers::pi * i / n;
        const qreal b = a + 2 * std::numbers::pi / n;
        spacing = std::min(spacing,
            std::max(std::abs(std::cos(b) - std::cos(a)), std::abs(std::sin(b) - std::sin(a))));
    }
    return spacing;
}
} // namespace

BufferView::BufferView(QWidget* parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Buffer"));
    m_tweens.reserve(MaxLiveTweens);
    m_recentMoves.reserve(128);
    m_clock.start();
    // Tweens advance on the display's frame rate, and only while any is in flight.
    m_ticker.setInterval(16);
    m_ticker.setTimerType(Qt::PreciseTimer);
    connect(&m_ticker, &QTimer::timeout, this, &BufferView::tick);
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
    return Theme().producer(producer);
}

void BufferView::setTheme(const Theme& theme)
{
    m_theme = theme;
    update();
}

void BufferView::setAnimated(bool animated)
{
    m_animated = animated;
    if (!animated)
        clearTweens();
    update();
}

void BufferView::setTweenDuration(int ms)
{
    m_tweenMs = std::max(ms, 1);
}

double BufferView::nowMs() const
{
    return double(m_clock.nsecsElapsed()) / 1e6;
}

void BufferView::showState(const StateModel& state)
{
    static const FrameMoves none;
    showState(state, none);
}

void BufferView::showState(
    const StateModel& state, const FrameMoves& moves, std::optional<int> roughCount)
{
    const SlotRing<std::uint64_t>& ring = state.buffer();
    m_capacity = ring.capacity();
    m_bounded = ring.bounded();
    m_approximate = state.bufferApproximate();
    m_count = m_approximate && roughCount ? *roughCount : state.count();
    if (m_bounded)
        m_count = std::min(m_count, m_capacity); // a rough count also counts consumers' items
    m_mainProduces = state.info().scenario.mainProduces;
    m_in = ring.in();
    m_out = ring.out();
    const int shown = m_bounded ? ring.slots() : std::max(m_count, 1);
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
    updateTags(state);
    addTweens(state, moves);
    update();
}

void BufferView::updateTags(const StateModel& state)
{
    // Rebuilt every frame (the lists keep their capacity): a new run brings new threads.
    m_producers.clear();
    m_consumers.clear();
    for (const ThreadView& t : state.threads()) {
        const bool producer
            = t.ref.role == Role::Producer || (t.ref.role == Role::Main && m_mainProduces);
        if (producer || t.ref.role == Role::Consumer)
            (producer ? m_producers : m_consumers).push_back({ t.ref, t.task != Task::Exited });
    }
    const auto byIndex = [](const Tag& a, const Tag& b) { return a.ref.index < b.ref.index; };
    std::sort(m_producers.begin(), m_producers.end(), byIndex);
    std::sort(m_consumers.begin(), m_consumers.end(), byIndex);
}

int BufferView::drawnSlotOf(std::uint64_t item, int hint) const
{
    const int n = int(m_slots.size());
    if (hint >= 0 && hint < n && m_slots[hint].item == item)
        return hint;
    for (int i = 0; i < n; ++i) {
        if (m_slots[i].item == item)
            return i;
    }
    return -1;
}

void BufferView::addTweens(const StateModel& state, const FrameMoves& moves)
{
    const double now = nowMs();
    // Items move between frames when a queue's head leaves (it is drawn oldest first) or the
    // capacity changes: arrivals follow their item, and tweens whose slot went away end.
    for (Tween& t : m_tweens) {
        if (t.arrival) {
            const int slot = drawnSlotOf(t.item, t.slot);
            t.slot = slot >= 0 ? slot : t.slot;
        }
    }
    const int slots = int(m_slots.size());
    m_tweens.erase(std::remove_if(m_tweens.begin(), m_tweens.end(),
                       [&](const Tween& t) { return t.slot >= slots; }),
        m_tweens.end());
    if (moves.total > 0)
        m_recentMoves.push_back({ now, moves.total });
    while (!m_recentMoves.isEmpty() && m_recentMoves.front().first < now - 1000)
        m_recentMoves.removeFirst();
    int lastSecond = 0;
    for (const auto& frame : m_recentMoves)
        lastSecond += frame.second;
    // Too fast to follow: items jump to their slots, and whatever was still in flight lands at
    // once, so the view shows the buffer as it is now rather than catching up on the past.
    const bool busy = moves.total > MaxMovesPerFrame || lastSecond > MaxMovesPerSecond
        || moves.missedEvents || state.bufferApproximate();
    if (busy) {
        m_calmAfterMs = now + CalmMs;
        clearTweens();
        return;
    }
    if (!m_animated || now < m_calmAfterMs)
        return;
    for (const FrameMoves::Move& move : moves.moves) {
        // Timed by the event: the frame's newest event sets off now, older ones are already
        // part of the way, so items keep the order and spacing the threads gave them.
        const double age = std::max(0.0, double(state.lastNs() - move.tNs) / 1e6);
        Tween tween;
        tween.item = move.item;
        tween.thread = move.thread;
        tween.startMs = now - age;
        tween.arrival = move.kind == FrameMoves::Move::Kind::Arrival;
        tween.label = state.itemLabel(move.item);
        if (tween.arrival) {
            // Already gone again, it passed through the slot its event names, or the tail.
            const int slot = drawnSlotOf(move.item, m_bounded ? move.slot : m_count - 1);
            tween.slot = slot >= 0 ? slot : m_bounded ? move.slot : std::max(0, m_count - 1);
        } else {
            // Unbounded queues are drawn oldest first: the item left from the front.
            tween.slot = m_bounded ? move.slot : 0;
            // An item leaves its slot only once its arrival has landed there.
            for (const Tween& other : m_tweens) {
                if (other.arrival && other.item == move.item)
                    tween.startMs = std::max(tween.startMs, other.startMs + m_tweenMs);
            }
        }
        if (tween.startMs + m_tweenMs <= now || tween.slot < 0 || tween.slot >= m_slots.size())
            continue;
        if (m_tweens.size() >= MaxLiveTweens)
            m_tweens.removeFirst();
        m_tweens.push_back(tween);
        ++m_tweensStarted;
    }
    if (!m_tweens.isEmpty() && !m_ticker.isActive())
        m_ticker.start();
}

void BufferView::clearTweens()
{
    m_tweens.clear();
    m_ticker.stop();
}

void BufferView::tick()
{
    const double now = nowMs();
    m_tweens.erase(std::remove_if(m_tweens.begin(), m_tweens.end(),
                       [&](const Tween& t) { return now >= t.startMs + m_tweenMs; }),
        m_tweens.end());
    if (m_tweens.isEmpty())
        m_ticker.stop();
    update();
}

int BufferView::activeTweenCount() const
{
    const double now = nowMs();
    return int(std::count_if(m_tweens.begin(), m_tweens.end(),
        [&](const Tween& t) { return now < t.startMs + m_tweenMs; }));
}

QRectF BufferView::tweenRect(int i) const
{
    return i >= 0 && i < m_tweens.size() ? tweenRectAt(m_tweens[i], nowMs()) : QRectF();
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

void BufferView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    // The caption and the tags take their room from the font (zoom, presentation mode).
    if (event->type() == QEvent::FontChange)
        layoutSlots();
}

QFont BufferView::captionFont() const
{
    QFont caption = font();
    caption.setBold(true);
    caption.setPixelSize(std::max(9, int(std::lround(QFontInfo(font()).pixelSize() * 1.15))));
    return caption;
}

qreal BufferView::sideWidth() const
{
    // Tags are labelled in the caption's font: they name the threads the whole view is about.
    const QFontMetricsF metrics(captionFont());
    const qreal tagWidth = std::max(metrics.horizontalAdvance(QStringLiteral("main")),
                               metrics.horizontalAdvance(QStringLiteral("C00")))
        + metrics.height() * 1.2;
    return std::min(tagWidth, width() * 0.16);
}

QRectF BufferView::sideRect(bool producers) const
{
    const qreal side = sideWidth();
    const qreal bottom = height() - QFontMetricsF(captionFont()).height() - 14;
    // Close to the slots, a tag's width away, so items have a short way to travel; at the
    // edges of the view when the slots fill it.
    const qreal left = producers
        ? std::max(Margin / 2, m_slotsBounds.left() - 2 * side)
        : std::min(width() - Margin / 2 - side, m_slotsBounds.right() + side);
    return QRectF(left, Margin, side, std::max(1.0, bottom - Margin));
}

QRectF BufferView::tagRect(bool producers, int index, int count) const
{
    const QRectF side = sideRect(producers);
    const qreal natural = QFontMetricsF(captionFont()).height() * 1.5;
    // Tags sit together in the middle of their edge, as long as they fit.
    const qreal spacing = std::min(side.height() / std::max(count, 1), natural * 1.5);
    const qreal h = std::min(natural, spacing * 0.8);
    const qreal top = side.center().y() - spacing * count / 2;
    return QRectF(side.left(), top + (index + 0.5) * spacing - h / 2, side.width(), h);
}

QRectF BufferView::threadRect(ThreadRef thread) const
{
    for (const bool producers : { true, false }) {
        const QVector<Tag>& tags = producers ? m_producers : m_consumers;
        for (int i = 0; i < tags.size(); ++i) {
            if (tags[i].ref == thread)
                return tagRect(producers, i, int(tags.size()));
        }
    }
    return {};
}

void BufferView::layoutSlots()
{
    const int n = int(m_slots.size());
    m_rects.resize(n);
    m_slotsBounds = QRectF(rect());
    if (n == 0)
        return;
    // The producers' and consumers' tags take the edges; the slots take the middle.
    const qreal side = sideWidth() + Margin / 2;
    const qreal bottom = QFontMetricsF(captionFont()).height() + 14;
    QRectF area = QRectF(rect()).adjusted(Margin + side, Margin, -Margin - side, -bottom);
    area.setSize(area.size().expandedTo(QSizeF(1, 1)));
    if (ringLayout()) {
        // Slots clockwise from the top, sized so that no two neighbours overlap (squares on
        // the diagonals are the closest), and kept inside the area.
        const QPointF centre = area.center();
        const qreal radius = std::min(area.width(), area.height()) / 2;
        if (n == 1) {
            const qreal cell = radius * 0.6;
            m_rects[0] = QRectF(centre.x() - cell / 2, centre.y() - cell / 2, cell, cell);
            m_slotsBounds = m_rects[0];
            return;
        }
        const qreal spacing = ringSpacing(n);
        const qreal cell = std::min(radius * 0.55, radius * spacing / (1 + RingGap + spacing / 2));
        const qreal orbit = radius - cell / 2;
        for (int i = 0; i < n; ++i) {
            const qreal angle = -std::numbers::pi / 2 + 2 * std::numbers::pi * i / n;
            const QPointF c = centre + QPointF(std::cos(angle), std::sin(angle)) * orbit;
            m_rects[i] = QRectF(c.x() - cell / 2, c.y() - cell / 2, cell, cell);
        }
        m_slotsBounds = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius);
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
    // Centred, so the travel from either edge is the same.
    const int rows = (n + columns - 1) / columns;
    const QPointF origin(
        area.center().x() - columns * cell / 2, area.center().y() - rows * cell / 2);
    for (int i = 0; i < n; ++i)
        m_rects[i] = QRectF(
            origin.x() + (i % columns) * cell, origin.y() + (i / columns) * cell, cell, cell);
    m_slotsBounds = QRectF(origin, QSizeF(columns * cell, rows * cell));
}

QRectF BufferView::slotRect(int slot) const
{
    return slot >= 0 && slot < m_rects.size() ? m_rects[slot] : QRectF();
}

QRectF BufferView::tweenRectAt(const Tween& tween, double now) const
{
    const double t = (now - tween.startMs) / m_tweenMs;
    if (t < 0 || t >= 1 || tween.slot < 0 || tween.slot >= m_rects.size())
        return {};
    const QRectF slot = m_rects[tween.slot];
    QRectF tag = threadRect(tween.thread);
    if (tag.isEmpty()) {
        // A thread without a tag (it has not started as far as this view knows): mid-edge.
        const QRectF side = sideRect(tween.arrival);
        tag = QRectF(side.left(), side.center().y() - 10, side.width(), 20);
    }
    // Items leave a producer's tag on its inner edge and reach a consumer's on its inner edge.
    const QPointF edge(tween.arrival ? tag.right() : tag.left(), tag.center().y());
    const QPointF from = tween.arrival ? edge : slot.center();
    const QPointF to = tween.arrival ? slot.center() : edge;
    const qreal fromSize = tween.arrival ? tag.height() : slot.width();
    const qreal toSize = tween.arrival ? slot.width() : tag.height();
    const qreal e = m_easing.valueForProgress(t);
    const QPointF c = from + (to - from) * e;
    const qreal size = std::max(6.0, fromSize + (toSize - fromSize) * e);
    return QRectF(c.x() - size / 2, c.y() - size / 2, size, size);
}

bool BufferView::awaitingArrival(int slot, double now) const
{
    const std::uint64_t item = m_slots[slot].item;
    if (item == NoItem)
        return false;
    return std::any_of(m_tweens.begin(), m_tweens.end(), [&](const Tween& t) {
        return t.arrival && t.item == item && t.slot == slot && now < t.startMs + m_tweenMs;
    });
}

void BufferView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Window));
    p.setRenderHint(QPainter::Antialiasing);
    const double now = nowMs();
    const qreal cell = m_rects.isEmpty() ? 0 : m_rects.first().width();
    const bool labels = cell >= MinLabelledCell;
    const qreal gap = cell > 6 ? 1.5 : 0;
    const qreal outline = m_theme.outlineWidth();

    QFont font = p.font();
    font.setPixelSize(std::max(9, int(cell * 0.26)));
    if (labels) {
        // The largest font at which every label fits its cell.
        int widest = 0;
        for (const Slot& slot : m_slots)
            widest = std::max(widest, QFontMetrics(font).horizontalAdvance(slot.label));
        if (widest > cell * 0.86)
            font.setPixelSize(std::max(7, int(font.pixelSize() * cell * 0.86 / widest)));
    }
    p.setFont(font);
    // Squares too small for rounded corners are filled whole pixels, without antialiasing:
    // thousands of them a frame would otherwise take the core from the threads on view.
    const bool squares = cell < MinRoundedCell;
    p.setRenderHint(QPainter::Antialiasing, !squares);
    for (int i = 0; i < m_slots.size(); ++i) {
        const QRectF r = m_rects[i].adjusted(gap, gap, -gap, -gap);
        const Slot& slot = std::as_const(m_slots)[i];
        // Too fast to follow: the first count cells stand for the items, in one neutral colour.
        const bool occupied = m_approximate && i < m_count;
        // An item on its way in shows once it lands.
        const bool filled = slot.item != NoItem && !awaitingArrival(i, now);
        const QColor fill = occupied ? m_theme.occupiedSlot()
            : filled                 ? m_theme.producer(itemProducer(slot.item))
                                     : m_theme.emptySlot();
        if (squares) {
            p.fillRect(r.toAlignedRect(), fill);
            continue;
        }
        p.setPen(cell > 6 ? QPen(m_theme.slotOutline(), cell > 20 ? outline : 1) : Qt::NoPen);
        p.setBrush(fill);
        p.drawRoundedRect(r, cell * 0.12, cell * 0.12);
        if (filled && labels) {
            p.setPen(Theme::textOn(fill));
            p.drawText(r, Qt::AlignCenter, slot.label);
        }
    }
    p.setRenderHint(QPainter::Antialiasing);

    // The in and out positions: where the next put and the next get happen.
    if (m_bounded && !m_rects.isEmpty() && labels && !m_approximate) {
        const auto mark = [&](int slot, const QString& text, const QColor& colour) {
            const QRectF r = slotRect(slot);
            p.setPen(QPen(colour, m_theme.markWidth()));
            p.setBrush(Qt::NoBrush);
            const qreal out = m_theme.markWidth() / 2 + 0.5;
            p.drawRoundedRect(r.adjusted(-out, -out, out, out), cell * 0.14, cell * 0.14);
            QFont small = p.font();
            small.setPixelSize(std::max(9, int(cell * 0.2)));
            small.setBold(m_theme.highContrast());
            p.setFont(small);
            // On a filled slot the mark's text takes the item's text colour, so it stays legible.
            const bool filled = m_slots[slot].item != NoItem && !awaitingArrival(slot, now);
            p.setPen(filled && m_theme.highContrast()
                    ? Theme::textOn(m_theme.producer(itemProducer(m_slots[slot].item)))
                    : colour);
            p.drawText(r.adjusted(0, r.height() * 0.62, 0, 0), Qt::AlignCenter, text);
            p.setFont(font);
        };
        if (m_in == m_out) {
            // Full or empty: the next put and the next get use the same slot.
            mark(m_in, tr("in = out"), m_theme.inOutMark());
        } else {
            mark(m_in, tr("in"), m_theme.inMark());
            mark(m_out, tr("out"), m_theme.outMark());
        }
    }

    // Producers down the left edge, consumers down the right, where items come from and go to.
    QFont tagFont = captionFont();
    const int tagPixels = tagFont.pixelSize();
    for (const bool producers : { true, false }) {
        const QVector<Tag>& tags = producers ? m_producers : m_consumers;
        for (int i = 0; i < tags.size(); ++i) {
            const QRectF r = tagRect(producers, i, int(tags.size()));
            QColor fill = producers
                ? m_theme.producer(tags[i].ref.role == Role::Main ? 0 : tags[i].ref.index)
                : m_theme.consumer();
            QColor text = Theme::textOn(fill);
            if (!tags[i].alive) {
                // Gone: still there to say who was, but faded.
                fill.setAlphaF(0.3);
                text.setAlphaF(0.5);
            }
            p.setPen(m_theme.highContrast() ? QPen(m_theme.text(), outline) : Qt::NoPen);
            p.setBrush(fill);
            p.drawRoundedRect(r, r.height() * 0.25, r.height() * 0.25);
            if (r.height() >= 12) {
                tagFont.setPixelSize(std::min(tagPixels, int(r.height() * 0.7)));
                p.setFont(tagFont);
                p.setPen(text);
                p.drawText(r, Qt::AlignCenter, tags[i].ref.name());
            }
        }
    }

    // Items on their way, drawn over everything else.
    for (const Tween& tween : m_tweens) {
        const QRectF r = tweenRectAt(tween, now);
        if (r.isEmpty())
            continue;
        const QColor fill = m_theme.producer(itemProducer(tween.item));
        p.setPen(QPen(m_theme.highContrast() ? m_theme.text() : fill.darker(160), outline));
        p.setBrush(fill);
        p.drawRoundedRect(r, r.width() * 0.12, r.width() * 0.12);
        if (r.width() >= MinLabelledCell) {
            QFont chip = font;
            chip.setPixelSize(std::max(7, int(r.width() * 0.26)));
            const int w = QFontMetrics(chip).horizontalAdvance(tween.label);
            if (w > r.width() * 0.86)
                chip.setPixelSize(std::max(7, int(chip.pixelSize() * r.width() * 0.86 / w)));
            p.setFont(chip);
            p.setPen(Theme::textOn(fill));
            p.drawText(r, Qt::AlignCenter, tween.label);
        }
    }

    p.setFont(captionFont());
    p.setPen(palette().color(QPalette::WindowText));
    QString count = m_bounded ? tr("%1 / %2").arg(m_count).arg(m_capacity)
                              : tr("%1 in the queue (unbounded)").arg(m_count);
    if (m_approximate)
        count += tr("  (too fast to show each item)");
    p.drawText(QRectF(rect()).adjusted(0, 0, 0, -8), Qt::AlignHCenter | Qt::AlignBottom, count);
}

} // namespace pcviz
