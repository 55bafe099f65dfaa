// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProxyStyle>

namespace pcviz {

/// The application's style with input controls, buttons, frames and header sections outlined
/// in the text colour, in windows that ask for high contrast. The usual styles draw those
/// outlines a shade darker than the window: invisible on black, faint on white. (A style sheet
/// would do it too, but children of a widget with a style sheet stop following the
/// application font, and zoom must keep working.)
class HighContrastStyle : public QProxyStyle {
    Q_OBJECT
public:
    explicit HighContrastStyle(QStyle* base);

    /// Turns the outlines on or off for window and its children; the first call installs the
    /// style for the application, wrapping the style in use.
    static void setHighContrast(QWidget* window, bool on);
    static bool highContrast(const QWidget* widget);

    void drawPrimitive(PrimitiveElement element, const QStyleOption* option, QPainter* painter,
        const QWidget* widget = nullptr) const override;
    void drawControl(ControlElement element, const QStyleOption* option, QPainter* painter,
        const QWidget* widget = nullptr) const override;
    void drawComplexControl(ComplexControl control, const QStyleOptionComplex* option,
        QPainter* painter, const QWidget* widget = nullptr) const override;
};

} // namespace pcviz
