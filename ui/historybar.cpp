// SPDX-License-Identifier: GPL-3.0-or-later
#include "historybar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>

#include <algorithm>

namespace pcviz {

namespace {
constexpr int SliderSteps = 100'000;
} // namespace

HistoryBar::HistoryBar(QWidget* parent)
    : QWidget(parent)
    , m_slider(new QSlider(Qt::Horizontal, this))
    , m_label(new QLabel(tr("Live"), this))
    , m_liveButton(new QPushButton(tr("Back to live"), this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->addWidget(new QLabel(tr("History"), this));
    layout->addWidget(m_slider, 3);
    layout->addWidget(m_label, 2);
    layout->addWidget(m_liveButton);
    m_slider->setToolTip(tr("Drag back to see the run as it was after any recent event"));
    m_liveButton->setEnabled(false);
    m_label->setMinimumWidth(
        fontMetrics().horizontalAdvance(QStringLiteral("event 00000000: C00 sem_acquire full")));
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        if (!m_updating && m_end > m_begin)
            Q_EMIT seekRequested(seqAt(value));
    });
    connect(m_liveButton, &QPushButton::clicked, this, &HistoryBar::liveRequested);
}

std::uint64_t HistoryBar::seqAt(int value) const
{
    const std::uint64_t span = m_end - m_begin - 1;
    return m_begin + span * std::uint64_t(value) / std::uint64_t(std::max(1, m_slider->maximum()));
}

int HistoryBar::valueOf(std::uint64_t seq) const
{
    const std::uint64_t span = std::max<std::uint64_t>(m_end - m_begin - 1, 1);
    return int((std::clamp(seq, m_begin, m_end - 1) - m_begin) * std::uint64_t(m_slider->maximum())
        / span);
}

void HistoryBar::setRange(std::uint64_t begin, std::uint64_t end)
{
    m_begin = begin;
    m_end = std::max(end, begin);
    m_updating = true;
    m_slider->setRange(0,
        int(std::min<std::uint64_t>(std::max<std::uint64_t>(m_end - m_begin, 1) - 1, SliderSteps)));
    if (m_live)
        m_slider->setValue(m_slider->maximum());
    m_updating = false;
    m_slider->setEnabled(m_end > m_begin);
}

void HistoryBar::showPast(std::uint64_t seq, const QString& what)
{
    m_live = false;
    m_updating = true;
    m_slider->setValue(valueOf(seq));
    m_updating = false;
    m_label->setText(what);
    m_liveButton->setEnabled(true);
}

void HistoryBar::showLive()
{
    m_live = true;
    m_updating = true;
    m_slider->setValue(m_slider->maximum());
    m_updating = false;
    m_label->setText(tr("Live"));
    m_liveButton->setEnabled(false);
}

} // namespace pcviz
