// SPDX-License-Identifier: GPL-3.0-or-later
#include "spotlight.h"

#include <QApplication>
#include <QDockWidget>
#include <QPainter>
#include <QStackedWidget>
#include <QTabWidget>

namespace pcviz {

namespace {
constexpr int Pen = 5; // thick enough to see from the back of a lecture hall
}

Spotlight::Spotlight(const Target& target, QWidget* window)
    : QWidget(window)
    , m_target(target)
{
    setObjectName(QStringLiteral("spotlight"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    setFocusPolicy(Qt::NoFocus);
    // Layouts settle after a dock is shown or a preset starts: follow the target for as long
    // as the outline is shown rather than trusting its first position.
    m_follow.setInterval(100);
    connect(&m_follow, &QTimer::timeout, this, &Spotlight::follow);
    m_follow.start();
    follow();
}

Spotlight* Spotlight::point(const Target& target, int ms)
{
    if (!target.widget)
        return nullptr;
    reveal(target.widget);
    auto* spotlight = new Spotlight(target, target.widget->window());
    QTimer::singleShot(ms, spotlight, &QObject::deleteLater);
    return spotlight;
}

QList<Spotlight*> Spotlight::shownOn(QWidget* window)
{
    return window ? window->findChildren<Spotlight*>(Qt::FindDirectChildrenOnly)
                  : QList<Spotlight*> {};
}

void Spotlight::reveal(QWidget* widget)
{
    // From the target outwards: the tab it is on, the dock it is in.
    QWidget* child = widget;
    for (QWidget* w = widget->parentWidget(); w; child = w, w = w->parentWidget()) {
        if (auto* stack = qobject_cast<QStackedWidget*>(w)) {
            if (auto* tabs = qobject_cast<QTabWidget*>(stack->parentWidget()))
                tabs->setCurrentWidget(child);
        }
        if (auto* dock = qobject_cast<QDockWidget*>(w)) {
            dock->show();
            dock->raise(); // brings its tab forward when it is tabified
        }
    }
}

QRect Spotlight::targetRect() const
{
    QWidget* target = m_target.widget;
    if (!target || !parentWidget())
        return {};
    QRect area = m_target.area ? m_target.area() : QRect();
    if (!area.isValid())
        area = target->rect();
    area = area.intersected(target->rect());
    return QRect(target->mapTo(parentWidget(), area.topLeft()), area.size());
}

void Spotlight::follow()
{
    QWidget* target = m_target.widget;
    if (!target || !target->isVisible()) {
        hide();
        return;
    }
    const QRect around = targetRect().adjusted(-Pen, -Pen, Pen, Pen);
    setGeometry(around.intersected(parentWidget()->rect()));
    show();
    raise();
    update();
}

void Spotlight::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor highlight = QApplication::palette().color(QPalette::Highlight);
    QColor fill = highlight;
    fill.setAlpha(40);
    // The outline in the highlight colour with a contrasting edge inside it, so it reads on
    // light, dark and high-contrast themes alike.
    const QRectF frame = QRectF(rect()).adjusted(Pen / 2.0, Pen / 2.0, -Pen / 2.0, -Pen / 2.0);
    p.setPen(QPen(highlight, Pen));
    p.setBrush(fill);
    p.drawRoundedRect(frame, 6, 6);
    p.setPen(QPen(QApplication::palette().color(QPalette::HighlightedText), 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(
        frame.adjusted(Pen / 2.0 + 1, Pen / 2.0 + 1, -Pen / 2.0 - 1, -Pen / 2.0 - 1), 4, 4);
}

} // namespace pcviz
