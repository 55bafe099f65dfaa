// SPDX-License-Identifier: GPL-3.0-or-later
#include "codeview.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace pcviz {

namespace {
constexpr int Margin = 4;
constexpr int TagGap = 3;

/// Where a line's comment starts, outside quotes; -1 when it has none.
int commentStart(const QString& text, QStringView marker)
{
    QChar quote;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == u'"' || c == u'\'')
            quote = c;
        else if (QStringView(text).mid(i).startsWith(marker))
            return i;
    }
    return -1;
}
} // namespace

CodeView::CodeView(QWidget* parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Code"));
    setMouseTracking(false);
    relayout();
}

void CodeView::setListing(const CodeListing* listing)
{
    m_listing = listing;
    m_markers.clear();
    m_gutterWidth = 0;
    relayout();
}

void CodeView::setMarkers(const std::vector<CodeTracker::Marker>& markers)
{
    // Called on every frame: while the threads run nothing changes, and nothing is repainted.
    if (markers == m_markers)
        return;
    m_markers = markers;
    relayout();
}

void CodeView::setTheme(const Theme& theme)
{
    m_theme = theme;
    update();
}

QFont CodeView::codeFont() const
{
    // Code reads in a fixed-width font, at the size the rest of the window has (zoom included).
    QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    f.setPixelSize(QFontInfo(font()).pixelSize());
    return f;
}

QFont CodeView::tagFont() const
{
    QFont f = font();
    f.setBold(true);
    f.setPixelSize(QFontInfo(font()).pixelSize());
    return f;
}

int CodeView::lineHeight() const
{
    // Room for a tag around the thread's name, which is as tall as the text.
    return QFontMetrics(codeFont()).height() + 6;
}

int CodeView::numberWidth() const
{
    const int lines = m_listing ? int(m_listing->lines().size()) : 1;
    return QFontMetrics(codeFont()).horizontalAdvance(QString::number(std::max(lines, 10))) + 6;
}

int CodeView::tagWidth(ThreadRef thread) const
{
    const QFontMetrics tag(tagFont());
    return tag.horizontalAdvance(thread.name()) + tag.height();
}

int CodeView::textLeft() const
{
    // The gutter first: the markers, then the line numbers.
    return Margin + m_gutterWidth + 6 + numberWidth() + 10;
}

QRect CodeView::lineRect(int line) const
{
    return QRect(
        0, Margin + line * lineHeight(), std::max(width(), m_content.width()), lineHeight());
}

QRect CodeView::gutterRect(int line) const
{
    const QRect r = lineRect(line);
    return QRect(Margin, r.top(), m_gutterWidth, r.height());
}

std::vector<const CodeTracker::Marker*> CodeView::markersOn(int line) const
{
    std::vector<const CodeTracker::Marker*> out;
    for (const CodeTracker::Marker& m : m_markers) {
        if (m.line == line)
            out.push_back(&m);
    }
    return out;
}

std::optional<int> CodeView::markerLine(ThreadRef thread) const
{
    for (const CodeTracker::Marker& m : m_markers) {
        if (m.thread == thread && m.line >= 0)
            return m.line;
    }
    return std::nullopt;
}

QRect CodeView::tagRect(ThreadRef thread) const
{
    const std::optional<int> line = markerLine(thread);
    if (!line)
        return {};
    const QRect gutter = gutterRect(*line);
    // Side by side, against the line numbers, in the order of the lanes.
    const std::vector<const CodeTracker::Marker*> here = markersOn(*line);
    int x = gutter.right() + 1;
    for (auto m = here.rbegin(); m != here.rend(); ++m) {
        const int w = tagWidth((*m)->thread);
        x -= w;
        if ((*m)->thread == thread)
            return QRect(x, gutter.top() + 2, w, gutter.height() - 4);
        x -= TagGap;
    }
    return {};
}

void CodeView::relayout()
{
    // The gutter grows to hold the most threads that stood on one line, and keeps that width
    // while the listing is shown, so the code does not shift from step to step.
    int gutter = tagWidth({ Role::Main, 0 });
    if (m_listing) {
        for (int line = 0; line < int(m_listing->lines().size()); ++line) {
            int row = 0;
            for (const CodeTracker::Marker* m : markersOn(line))
                row += tagWidth(m->thread) + (row > 0 ? TagGap : 0);
            gutter = std::max(gutter, row);
        }
    }
    m_gutterWidth = std::max(m_gutterWidth, gutter);
    QSize content(textLeft() + 200, 2 * Margin + lineHeight());
    if (m_listing) {
        const QFontMetrics code(codeFont());
        int widest = 0;
        for (const CodeListing::Line& line : m_listing->lines())
            widest = std::max(widest, code.horizontalAdvance(line.text));
        content = QSize(textLeft() + widest + Margin,
            2 * Margin + int(m_listing->lines().size()) * lineHeight());
    }
    if (content != m_content) {
        m_content = content;
        setMinimumSize(content);
        updateGeometry();
    }
    update();
}

QSize CodeView::sizeHint() const
{
    return m_content;
}

QSize CodeView::minimumSizeHint() const
{
    return m_content;
}

void CodeView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange) {
        m_gutterWidth = 0;
        relayout();
    }
    QWidget::changeEvent(event);
}

QString CodeView::describe(const CodeTracker::Marker& m) const
{
    const QString action = m.object.isEmpty()
        ? QLatin1String(gateActionName(m.action))
        : QStringLiteral("%1 %2").arg(QLatin1String(gateActionName(m.action)), m.object);
    return m.blocked ? tr("%1 is blocked here, in %2 (%3)").arg(m.thread.name(), m.object, action)
                     : tr("%1 runs this line next: %2").arg(m.thread.name(), action);
}

std::optional<ThreadRef> CodeView::threadAt(QPoint pos) const
{
    for (const CodeTracker::Marker& m : m_markers) {
        if (m.line >= 0 && tagRect(m.thread).contains(pos))
            return m.thread;
    }
    return std::nullopt;
}

void CodeView::mousePressEvent(QMouseEvent* event)
{
    if (const std::optional<ThreadRef> thread = threadAt(event->position().toPoint()))
        Q_EMIT markerClicked(*thread);
    QWidget::mousePressEvent(event);
}

bool CodeView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const std::optional<ThreadRef> thread = threadAt(help->pos());
        const auto marker = std::find_if(m_markers.begin(), m_markers.end(),
            [&](const CodeTracker::Marker& m) { return thread && m.thread == *thread; });
        if (marker != m_markers.end())
            QToolTip::showText(help->globalPos(), describe(*marker), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void CodeView::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    if (!m_listing)
        return;
    const QFont code = codeFont();
    const QFont tag = tagFont();
    const QFontMetrics codeMetrics(code);
    const QColor text = pal.color(QPalette::Text);
    // Comments say why; they step back a little, except at full contrast.
    QColor comment = text;
    if (!m_theme.highContrast())
        comment.setAlphaF(0.55);
    QColor number = text;
    number.setAlphaF(m_theme.highContrast() ? 1.0 : 0.4);
    QColor tint = pal.color(QPalette::Highlight);
    tint.setAlphaF(0.14);
    const QStringView commentMarker
        = m_listing->view() == u"python" ? QStringView(u"#") : QStringView(u"//");
    const qreal outline = m_theme.outlineWidth();

    const int first = std::max(0, (event->rect().top() - Margin) / lineHeight());
    const int last = std::min(
        int(m_listing->lines().size()) - 1, (event->rect().bottom() - Margin) / lineHeight());
    for (int i = first; i <= last; ++i) {
        const QString& line = m_listing->lines()[std::size_t(i)].text;
        const QRect r = lineRect(i);
        const std::vector<const CodeTracker::Marker*> here = markersOn(i);
        if (!here.empty())
            p.fillRect(r, tint);

        p.setFont(code);
        p.setPen(number);
        p.drawText(QRect(Margin + m_gutterWidth + 6, r.top(), numberWidth(), r.height()),
            Qt::AlignRight | Qt::AlignVCenter, QString::number(i + 1));
        const int split = commentStart(line, commentMarker);
        const QString codePart = split < 0 ? line : line.left(split);
        p.setPen(text);
        p.drawText(
            QRect(textLeft(), r.top(), codeMetrics.horizontalAdvance(codePart) + 1, r.height()),
            Qt::AlignLeft | Qt::AlignVCenter, codePart);
        if (split >= 0) {
            QFont italic = code;
            italic.setItalic(true);
            p.setFont(italic);
            p.setPen(comment);
            const int x = textLeft() + codeMetrics.horizontalAdvance(codePart);
            p.drawText(QRect(x, r.top(), width() - x, r.height()), Qt::AlignLeft | Qt::AlignVCenter,
                line.mid(split));
        }
        if (here.empty())
            continue;

        // A tag per thread in the gutter: filled in the thread's colour when it runs this line
        // next, hollow and hatched when it is blocked in it.
        p.setFont(tag);
        p.setRenderHint(QPainter::Antialiasing, true);
        for (const CodeTracker::Marker* m : here) {
            const QRectF box = QRectF(tagRect(m->thread)).adjusted(1, 0.5, -1, -0.5);
            const QColor colour = m_theme.thread(m->thread);
            const qreal radius = box.height() * 0.3;
            if (m->blocked) {
                const qreal pen = std::max(2.0, outline);
                QColor hatch = colour;
                hatch.setAlphaF(0.6);
                p.setPen(Qt::NoPen);
                p.setBrush(pal.color(QPalette::Base));
                p.drawRoundedRect(box, radius, radius);
                p.setBrush(QBrush(hatch, Qt::BDiagPattern));
                p.drawRoundedRect(box, radius, radius);
                p.setPen(QPen(colour, pen));
                p.setBrush(Qt::NoBrush);
                p.drawRoundedRect(
                    box.adjusted(pen / 2, pen / 2, -pen / 2, -pen / 2), radius, radius);
                p.setPen(text);
            } else {
                p.setPen(m_theme.highContrast() ? QPen(m_theme.text(), outline) : Qt::NoPen);
                p.setBrush(colour);
                p.drawRoundedRect(box, radius, radius);
                p.setPen(Theme::textOn(colour));
            }
            p.drawText(box, Qt::AlignCenter, m->thread.name());
        }
        p.setRenderHint(QPainter::Antialiasing, false);
    }
}

} // namespace pcviz
