// SPDX-License-Identifier: GPL-3.0-or-later
#include "rateslider.h"

#include "rate.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>

#include <cmath>

namespace pcviz {

namespace {
constexpr int Steps = 1000; // positions 0..Steps-1 are rates, Steps is max
constexpr double Slowest = 0.1;
constexpr double Decades = 4; // 0.1 .. 1000 items/s
} // namespace

RateSlider::RateSlider(const QString& title, QWidget* parent)
    : QWidget(parent)
    , m_slider(new QSlider(Qt::Horizontal, this))
    , m_value(new QLabel(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* label = new QLabel(title, this);
    label->setBuddy(m_slider);
    layout->addWidget(label);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_value);
    m_value->setMinimumWidth(m_value->fontMetrics().horizontalAdvance(QStringLiteral("999.9/s ")));
    m_slider->setRange(0, Steps);
    m_slider->setAccessibleName(title);
    connect(m_slider, &QSlider::valueChanged, this, [this](int position) {
        m_value->setText(text(rateAt(position)));
        Q_EMIT rateChanged(rateAt(position));
    });
    m_value->setText(text(rate()));
}

double RateSlider::rateAt(int position)
{
    if (position >= Steps)
        return RateModel::Max;
    return Slowest * std::pow(10.0, Decades * position / (Steps - 1));
}

int RateSlider::positionOf(double perSecond)
{
    if (perSecond == RateModel::Max || perSecond > Slowest * std::pow(10.0, Decades))
        return Steps;
    const double position
        = std::log10(std::max(perSecond, Slowest) / Slowest) / Decades * (Steps - 1);
    return int(std::lround(position));
}

QString RateSlider::text(double perSecond)
{
    if (perSecond == RateModel::Max)
        return tr("max");
    return tr("%1/s").arg(perSecond < 10 ? QString::number(perSecond, 'f', 1)
                                         : QString::number(std::lround(perSecond)));
}

double RateSlider::rate() const
{
    return rateAt(m_slider->value());
}

void RateSlider::setRate(double perSecond)
{
    // Showing a rate is not choosing one: no rateChanged for the slider's rounding of it.
    const QSignalBlocker blocker(m_slider);
    m_slider->setValue(positionOf(perSecond));
    m_value->setText(text(rate()));
}

} // namespace pcviz
