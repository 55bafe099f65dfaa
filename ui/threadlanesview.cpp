// SPDX-License-Identifier: GPL-3.0-or-later
#include "threadlanesview.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace pcviz {

namespace {
constexpr qreal Margin = 6;
} // namespace

ThreadLanesView::ThreadLanesView(QWidget* parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Thread lanes"));
}

QSize ThreadLanesView::sizeHint() const
{
    const int lane = fontMetrics().height() * 2;
    return { 640, int(std::max(4, int(m_lanes.size())) * lane + 2 * Margin) };
}

QSize ThreadLanesView::minimumSizeHint() const
{
    // Up to 8 lanes stay readable however small the window; more thread lanes get thinner.
    const int lanes = std::clamp(int(m_lanes.size()), 2, 8);
    return { 320, int(lanes * (fontMetrics().height() + 2) + 2 * Margin) };
}

void ThreadLanesView::setTheme(const Theme& theme)
{
    m_theme = theme;
    update();
}

qreal ThreadLanesView::nameWidth() const
{
    return fontMetrics().horizontalAdvance(QStringLiteral("main ")) + 24;
}

qreal ThreadLanesView::wordsWidth() const
{
    // Room for the longest words a lane says, at most half the lanes' width.
    const qreal words
        = fontMetrics().horizontalAdvance(QStringLiteral("waiting: buffer empty (not_empty)"));
    return std::min(words + 8, width() * 0.5);
}

void ThreadLanesView::clear()
{
    m_lanes.clear();
    m_wakes.clear();
    m_next.clear();
    m_nowNs = 0;
    updateGeometry();
    update();
}

void ThreadLanesView::showState(const StateModel& state)
{
    m_nowNs = state.lastNs();
    for (const ThreadView& thread : state.threads()) {
        if (thread.ref.role == Role::Control)
            continue;
        auto lane = std::find_if(
            m_lanes.begin(), m_lanes.end(), [&](const Lane& l) { return l.ref == thread.ref; });
        if (lane == m_lanes.end()) {
            m_lanes.push_back({ thread.ref, {}, {} });
            lane = m_lanes.end() - 1;
        }
        lane->now = ThreadActivity::of(thread, state);
        if (lane->history.isEmpty() || lane->history.back().kind != lane->now.kind)
            lane->history.push_back(
                { std::max(thread.sinceNs, lane->history.isEmpty() ? 0 : lane->history.back().ns),
                    lane->now.kind });
        // Keep one sample older than the window: it says what the strip's left edge shows.
        const std::int64_t oldest = m_nowNs - m_windowNs;
        while (lane->history.size() > 1 && lane->history[1].ns <= oldest)
            lane->history.removeFirst();
    }
    // Producers first, then consumers, then main: the order a student reads the problem in.
    std::stable_sort(m_lanes.begin(), m_lanes.end(), [](const Lane& a, const Lane& b) {
        const auto rank = [](Role r) { return r == Role::Producer ? 0 : r == Role::Main ? 1 : 2; };
        return rank(a.ref.role) != rank(b.ref.role) ? rank(a.ref.role) < rank(b.ref.role)
                                                    : a.ref.index < b.ref.index;
    });
    updateGeometry();
    update();
}

qreal ThreadLanesView::laneHeight() const
{
    if (m_lanes.isEmpty())
        return 0;
    const qreal tallest = fontMetrics().height() * 1.9;
    return std::clamp((height() - 2 * Margin) / qreal(m_lanes.size()), 6.0, tallest);
}

QRect ThreadLanesView::laneRect(ThreadRef thread) const
{
    for (int i = 0; i < m_lanes.size(); ++i) {
        if (m_lanes[i].ref == thread)
            return QRectF(0, Margin + i * laneHeight(), width(), laneHeight()).toAlignedRect();
    }
    return {};
}

QRectF ThreadLanesView::swatchRect(int lane) const
{
    const qreal h = laneHeight();
    return QRectF(Margin + nameWidth(), Margin + lane * h + 2, std::max(14.0, h * 0.55),
        std::max(2.0, h - 4));
}

QString ThreadLanesView::laneWords(int lane) const
{
    if (lane < 0 || lane >= m_lanes.size())
        return {};
    const QString next = m_next.value(m_lanes[lane].ref.packed());
    return next.startsWith(tr("next:")) ? next : m_lanes[lane].now.words;
}

void ThreadLanesView::addWakes(const QVector<FrameMoves::Wake>& wakes)
{
    // Enough to draw every wake-up of a stepped or slow run; at full speed they would be a blur.
    constexpr int MaxWakes = 256;
    for (const FrameMoves::Wake& w : wakes)
        m_wakes.push_back(w);
    const std::int64_t oldest = m_nowNs - m_windowNs;
    qsizetype gone = 0;
    while (
        gone < m_wakes.size() && (m_wakes[gone].tNs < oldest || m_wakes.size() - gone > MaxWakes))
        ++gone;
    m_wakes.remove(0, gone);
    if (!wakes.isEmpty())
        update();
}

void ThreadLanesView::showNextActions(const QHash<std::uint32_t, QString>& next)
{
    if (next == m_next)
        return;
    m_next = next;
    update();
}

std::optional<ThreadRef> ThreadLanesView::threadAt(QPointF pos) const
{
    if (m_lanes.isEmpty())
        return std::nullopt;
    const int lane = int(std::floor((pos.y() - Margin) / laneHeight()));
    if (lane < 0 || lane >= m_lanes.size())
        return std::nullopt;
    return m_lanes[lane].ref;
}

void ThreadLanesView::mousePressEvent(QMouseEvent* event)
{
    if (const std::optional<ThreadRef> thread = threadAt(event->position())) {
        if (event->modifiers() & Qt::ShiftModifier)
            Q_EMIT laneShiftClicked(*thread);
        else
            Q_EMIT laneClicked(*thread);
    }
    QWidget::mousePressEvent(event);
}

void ThreadLanesView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    const qreal h = laneHeight();
    const qreal names = nameWidth();
    const qreal wordsLeft = Margin + names + std::max(14.0, h * 0.55) + 6;
    const qreal stripLeft = wordsLeft + wordsWidth();
    const qreal stripWidth = std::max(0.0, width() - stripLeft - Margin);
    QFont font = p.font();
    font.setPixelSize(int(std::clamp(h * 0.6, 8.0, qreal(QFontInfo(this->font()).pixelSize()))));
    p.setFont(font);
    const bool text = h >= 12;

    for (int i = 0; i < m_lanes.size(); ++i) {
        const Lane& lane = m_lanes[i];
        const qreal top = Margin + i * h;
        if (text) {
            p.setPen(palette().color(QPalette::Text));
            p.drawText(QRectF(Margin, top, names - 4, h), Qt::AlignVCenter | Qt::AlignLeft,
                lane.ref.name());
        }
        p.fillRect(swatchRect(i), m_theme.activity(lane.now.kind));
        if (text)
            p.drawText(QRectF(wordsLeft, top, wordsWidth() - 8, h),
                Qt::AlignVCenter | Qt::AlignLeft, laneWords(i));

        // The strip: time runs left to right, now at the right edge.
        if (stripWidth <= 0)
            continue;
        const auto x = [&](std::int64_t ns) {
            return stripLeft + stripWidth * (1.0 - double(m_nowNs - ns) / double(m_windowNs));
        };
        for (int s = 0; s < lane.history.size(); ++s) {
            const qreal left = std::max(stripLeft, x(lane.history[s].ns));
            const qreal right
                = s + 1 < lane.history.size() ? x(lane.history[s + 1].ns) : stripLeft + stripWidth;
            if (right > left)
                p.fillRect(QRectF(left, top + 2, right - left, std::max(2.0, h - 4)),
                    m_theme.activity(lane.history[s].kind));
        }
    }

    // Wake-ups: a link from the waker's lane down or up to the lane of the thread it woke.
    if (stripWidth <= 0 || m_wakes.isEmpty())
        return;
    QHash<std::uint32_t, int> laneOf;
    for (int i = 0; i < m_lanes.size(); ++i)
        laneOf.insert(m_lanes[i].ref.packed(), i);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(palette().color(QPalette::Text), std::max(1.5, h * 0.08)));
    for (const FrameMoves::Wake& w : std::as_const(m_wakes)) {
        const auto from = laneOf.constFind(w.waker.packed());
        const auto to = laneOf.constFind(w.woken.packed());
        if (from == laneOf.cend() || to == laneOf.cend() || w.tNs < m_nowNs - m_windowNs)
            continue;
        const qreal x
            = stripLeft + stripWidth * (1.0 - double(m_nowNs - w.tNs) / double(m_windowNs));
        const QPointF start(x, Margin + (*from + 0.5) * h);
        const QPointF end(x, Margin + (*to + 0.5) * h);
        p.drawLine(start, end);
        p.drawEllipse(start, 2.5, 2.5);
        // An arrowhead at the woken thread's end.
        const qreal dir = end.y() > start.y() ? -1 : 1;
        p.drawLine(end, end + QPointF(-4, dir * 6));
        p.drawLine(end, end + QPointF(4, dir * 6));
    }
}

} // namespace pcviz
