// SPDX-License-Identifier: GPL-3.0-or-later
#include "highcontraststyle.h"

#include <QApplication>
#include <QPainter>
#include <QStyleFactory>
#include <QStyleOption>

namespace pcviz {

namespace {
const char* const Property = "pcvizHighContrast";

void outline(QPainter* painter, QRectF r, const QPalette& palette, qreal width = 2)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(palette.color(QPalette::Text), width));
    painter->setBrush(Qt::NoBrush);
    const qreal inset = width / 2;
    painter->drawRoundedRect(r.adjusted(inset, inset, -inset, -inset), 2, 2);
    painter->restore();
}
} // namespace

HighContrastStyle::HighContrastStyle(QStyle* base)
    : QProxyStyle(base)
{
}

bool HighContrastStyle::highContrast(const QWidget* widget)
{
    return widget && widget->window()->property(Property).toBool();
}

void HighContrastStyle::setHighContrast(QWidget* window, bool on)
{
    if (on && !qobject_cast<HighContrastStyle*>(QApplication::style())) {
        QStyle* base = QStyleFactory::create(QApplication::style()->name());
        QApplication::setStyle(new HighContrastStyle(base));
    }
    window->setProperty(Property, on);
    // Only painting changes, not sizes: a repaint is enough.
    for (QWidget* child : window->findChildren<QWidget*>())
        child->update();
    window->update();
}

void HighContrastStyle::drawPrimitive(PrimitiveElement element, const QStyleOption* option,
    QPainter* painter, const QWidget* widget) const
{
    QProxyStyle::drawPrimitive(element, option, painter, widget);
    if (!highContrast(widget))
        return;
    switch (element) {
    case PE_PanelButtonCommand:
    case PE_FrameLineEdit:
        outline(painter, option->rect, option->palette);
        break;
    default:
        break;
    }
}

void HighContrastStyle::drawControl(ControlElement element, const QStyleOption* option,
    QPainter* painter, const QWidget* widget) const
{
    QProxyStyle::drawControl(element, option, painter, widget);
    if (!highContrast(widget))
        return;
    switch (element) {
    case CE_ShapedFrame:
        if (const auto* frame = qstyleoption_cast<const QStyleOptionFrame*>(option);
            frame && frame->frameShape != QFrame::NoFrame)
            outline(painter, option->rect, option->palette);
        break;
    case CE_HeaderSection:
        outline(painter, option->rect, option->palette, 1);
        break;
    default:
        break;
    }
}

void HighContrastStyle::drawComplexControl(ComplexControl control,
    const QStyleOptionComplex* option, QPainter* painter, const QWidget* widget) const
{
    QProxyStyle::drawComplexControl(control, option, painter, widget);
    if (!highContrast(widget))
        return;
    switch (control) {
    case CC_SpinBox:
    case CC_ComboBox:
        outline(painter, option->rect, option->palette);
        break;
    case CC_Slider: {
        // The groove outlined, the handle solid in the text colour: both vanish otherwise.
        const QRect groove = subControlRect(control, option, SC_SliderGroove, widget);
        const QRect handle = subControlRect(control, option, SC_SliderHandle, widget);
        outline(painter, groove, option->palette, 1.5);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(option->palette.color(QPalette::Highlight), 2));
        painter->setBrush(option->palette.color(QPalette::Text));
        painter->drawRoundedRect(QRectF(handle).adjusted(1, 1, -1, -1), 3, 3);
        painter->restore();
        break;
    }
    default:
        break;
    }
}

} // namespace pcviz
