// SPDX-License-Identifier: GPL-3.0-or-later
#include "activitylegend.h"

#include "threadactivity.h"

#include <QPainter>

namespace pcviz {

namespace {
// NotStarted looks like Exited, and Running is rare: the legend names the rest.
constexpr ThreadActivity::Kind Shown[] = { ThreadActivity::Producing, ThreadActivity::Putting,
    ThreadActivity::Consuming, ThreadActivity::WaitingForMutex, ThreadActivity::WaitingBufferFull,
    ThreadActivity::WaitingBufferEmpty, ThreadActivity::WaitingOnCondition, ThreadActivity::Joining,
    ThreadActivity::Exited };
} // namespace

ActivityLegend::ActivityLegend(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void ActivityLegend::setTheme(const Theme& theme)
{
    m_theme = theme;
    update();
}

QSize ActivityLegend::sizeHint() const
{
    return { 600, heightForWidth(600) };
}

int ActivityLegend::heightForWidth(int width) const
{
    return layOut(width, nullptr);
}

int ActivityLegend::layOut(int width, QPainter* p) const
{
    const QFontMetrics metrics = fontMetrics();
    const int line = metrics.height() + 6;
    const int swatch = metrics.height() - 2;
    int x = 6, y = 3;
    for (ThreadActivity::Kind kind : Shown) {
        const QString name = ThreadActivity::name(kind);
        const int w = swatch + 6 + metrics.horizontalAdvance(name) + 16;
        if (x + w > width && x > 6) {
            x = 6;
            y += line;
        }
        if (p) {
            p->fillRect(QRect(x, y + 2, swatch, swatch), m_theme.activity(kind));
            p->drawText(QRect(x + swatch + 6, y, w, line), Qt::AlignLeft | Qt::AlignVCenter, name);
        }
        x += w;
    }
    return y + line + 3;
}

void ActivityLegend::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setPen(palette().color(QPalette::WindowText));
    layOut(width(), &p);
}

} // namespace pcviz
