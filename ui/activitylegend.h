// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "theme.h"

#include <QWidget>

namespace pcviz {

/// Explains the lanes' colours: one swatch and name per activity, wrapped to the width.
class ActivityLegend : public QWidget {
    Q_OBJECT
public:
    explicit ActivityLegend(QWidget* parent = nullptr);
    void setTheme(const Theme& theme);
    QSize sizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    // Lays the entries out for width; returns the height used, painting when p is given.
    int layOut(int width, class QPainter* p) const;

    Theme m_theme;
};

} // namespace pcviz
