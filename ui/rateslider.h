// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QSlider;

namespace pcviz {

/// A rate from 0.1 items/s to 1000 items/s on a log scale, with "max" at the far right, and
/// the value shown beside it.
class RateSlider : public QWidget {
    Q_OBJECT
public:
    explicit RateSlider(const QString& title, QWidget* parent = nullptr);

    double rate() const;
    void setRate(double perSecond);
    QSlider* slider() const { return m_slider; }

    static double rateAt(int position);
    static int positionOf(double perSecond);
    static QString text(double perSecond);

Q_SIGNALS:
    void rateChanged(double perSecond);

private:
    QSlider* m_slider;
    QLabel* m_value;
};

} // namespace pcviz
