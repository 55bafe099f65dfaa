// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartspanel.h"

#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QHBoxLayout>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace pcviz {

namespace {
// A sample every quarter second smooths the per-item jitter of throughput at slow rates.
constexpr double SampleInterval = 0.25;

QChart* makeChart(const QString& title)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    return chart;
}

// The smallest of 1, 2, 4, 6 or 8 times a power of ten at or above value, so that the one tick
// between 0 and the top, at its half, is as round as the top.
double roundTop(double value)
{
    const double power = std::pow(10.0, std::floor(std::log10(std::max(value, 1.0))));
    for (const double step : { 1.0, 2.0, 4.0, 6.0, 8.0 }) {
        if (step * power >= value)
            return step * power;
    }
    return 10 * power;
}

// 0, 500, 1.5k, 3M: a rate a projected chart can be read by at a glance.
QString compactCount(double value)
{
    if (value >= 1e6)
        return QString::number(value / 1e6, 'g', 3) + QLatin1Char('M');
    if (value >= 1e3)
        return QString::number(value / 1e3, 'g', 3) + QLatin1Char('k');
    return QString::number(value, 'g', 3);
}

// Labels 0, top / 2 and top on their values. A category axis, as a value axis can only print
// its numbers whole; the first category ends at 0, so it starts just below.
void setRateTop(QCategoryAxis* axis, double top)
{
    if (axis->max() == top && axis->count() == 3)
        return;
    for (const QString& label : axis->categoriesLabels())
        axis->remove(label);
    axis->setRange(0, top);
    axis->setStartValue(-top * 1e-6);
    for (const double value : { 0.0, top / 2, top })
        axis->append(compactCount(value), value);
}

QLineSeries* addSeries(QChart* chart, const QString& name)
{
    auto* series = new QLineSeries;
    series->setName(name);
    chart->addSeries(series);
    return series;
}
} // namespace

ChartsPanel::ChartsPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    QChart* throughput = makeChart(tr("Throughput (items/s)"));
    m_produced = addSeries(throughput, tr("produced"));
    m_consumed = addSeries(throughput, tr("consumed"));
    QChart* occupancy = makeChart(tr("Buffer occupancy"));
    m_occupancy = addSeries(occupancy, tr("items in the buffer"));
    QChart* blocked = makeChart(tr("Blocked (% of threads)"));
    m_producersBlocked = addSeries(blocked, tr("producers"));
    m_consumersBlocked = addSeries(blocked, tr("consumers"));

    m_rateAxis = new QCategoryAxis;
    m_rateAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_occupancyAxis = new QValueAxis;
    auto* percentAxis = new QValueAxis;
    percentAxis->setRange(0, 100);
    const QVector<std::pair<QChart*, QValueAxis*>> charts
        = { { throughput, m_rateAxis }, { occupancy, m_occupancyAxis }, { blocked, percentAxis } };
    for (const auto& [chart, yAxis] : charts) {
        auto* time = new QValueAxis;
        time->setLabelFormat(QStringLiteral("%.0f s"));
        time->setTickCount(4);
        yAxis->setTickCount(3);
        yAxis->setLabelFormat(QStringLiteral("%.0f"));
        chart->addAxis(time, Qt::AlignBottom);
        chart->addAxis(yAxis, Qt::AlignLeft);
        for (QAbstractSeries* series : chart->series()) {
            series->attachAxis(time);
            series->attachAxis(yAxis);
        }
        m_timeAxes.push_back(time);
        m_charts.push_back(chart);
        auto* view = new QChartView(chart, this);
        view->setRenderHint(QPainter::Antialiasing);
        m_views.push_back(view);
        layout->addWidget(view);
    }
    m_plainBackgroundPen = throughput->backgroundPen();
    m_plainRoundness = throughput->backgroundRoundness();
    colourSeries();
    applyFonts();
    redraw();
}

void ChartsPanel::colourSeries()
{
    const qreal width = m_theme.seriesWidth();
    m_produced->setPen(QPen(m_theme.series(Theme::Series::Produced), width));
    m_consumed->setPen(QPen(m_theme.series(Theme::Series::Consumed), width));
    m_occupancy->setPen(QPen(m_theme.series(Theme::Series::Occupancy), width));
    m_producersBlocked->setPen(QPen(m_theme.series(Theme::Series::ProducersBlocked), width));
    // At high contrast both blocked lines can lie on top of each other: one is dashed, so the
    // one beneath still shows.
    QPen consumers(m_theme.series(Theme::Series::ConsumersBlocked), width);
    if (m_theme.highContrast())
        consumers.setStyle(Qt::DashLine);
    m_consumersBlocked->setPen(consumers);
}

void ChartsPanel::setTheme(const Theme& theme)
{
    m_theme = theme;
    for (QChart* chart : m_charts) {
        // Qt Charts ignores a change to the theme a chart already has, and then keeps colours
        // set by hand: passing through another theme makes it set every colour afresh. The
        // background's outline and corners are no part of a theme: they are put back by hand.
        chart->setTheme(QChart::ChartThemeBlueCerulean);
        chart->setTheme(theme.dark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        chart->setAnimationOptions(QChart::NoAnimation);
        chart->setBackgroundPen(m_plainBackgroundPen);
        chart->setBackgroundRoundness(m_plainRoundness);
        if (!theme.highContrast())
            continue;
        chart->setBackgroundBrush(theme.background());
        chart->setBackgroundPen(QPen(theme.text(), theme.outlineWidth()));
        chart->setBackgroundRoundness(0);
        chart->setTitleBrush(theme.text());
        chart->legend()->setLabelColor(theme.text());
        for (QAbstractAxis* axis : chart->axes()) {
            axis->setLabelsColor(theme.text());
            axis->setLinePen(QPen(theme.text(), theme.outlineWidth()));
            axis->setGridLinePen(QPen(theme.gridLine(), 1));
        }
    }
    colourSeries();
    applyFonts();
}

void ChartsPanel::applyFonts()
{
    // Chart text follows the widget's font, so zoom and presentation mode enlarge it too.
    QFont labels = font();
    QFont title = font();
    title.setBold(true);
    if (m_theme.highContrast())
        labels.setBold(true);
    for (QChart* chart : m_charts) {
        chart->setTitleFont(title);
        chart->legend()->setFont(labels);
        for (QAbstractAxis* axis : chart->axes())
            axis->setLabelsFont(labels);
    }
    // A chart needs about nine lines of its text in height (title, three ticks, time labels,
    // legend) before Qt Charts starts eliding axis labels to "...".
    const int line = QFontMetrics(labels).height();
    for (QChartView* view : m_views)
        view->setMinimumSize(std::max(200, line * 14), std::max(150, line * 9));
}

void ChartsPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        applyFonts();
}

void ChartsPanel::setWindowSeconds(double seconds)
{
    m_windowSeconds = std::max(seconds, 1.0);
    redraw();
}

void ChartsPanel::clear()
{
    m_samples.clear();
    m_lastT = -1;
    m_lastProduced = m_lastConsumed = 0;
    redraw();
}

void ChartsPanel::sample(const StateModel& state, std::uint64_t produced, std::uint64_t consumed)
{
    const double t = double(state.lastNs()) / 1e9;
    if (m_lastT >= 0 && t - m_lastT < SampleInterval)
        return;
    const double dt = m_lastT >= 0 ? t - m_lastT : 0;
    int producers = 0, consumers = 0, producersBlocked = 0, consumersBlocked = 0;
    for (const ThreadView& thread : state.threads()) {
        if (!thread.alive() || thread.ref.role == Role::Control)
            continue;
        const bool blocked = thread.blocked != Blocked::None;
        if (thread.ref.role == Role::Consumer) {
            ++consumers;
            consumersBlocked += blocked;
        } else {
            ++producers;
            producersBlocked += blocked;
        }
    }
    const auto percent = [](int part, int whole) { return whole ? 100.0 * part / whole : 0.0; };
    const auto rate = [dt](std::uint64_t now, std::uint64_t before) {
        return dt > 0 && now >= before ? double(now - before) / dt : 0.0;
    };
    m_samples.push_back(
        { t, rate(produced, m_lastProduced), rate(consumed, m_lastConsumed), double(state.count()),
            percent(producersBlocked, producers), percent(consumersBlocked, consumers) });
    m_lastT = t;
    m_lastProduced = produced;
    m_lastConsumed = consumed;
    // Keep one sample older than the window so lines reach the left edge.
    while (m_samples.size() > 2 && m_samples[1].t < t - m_windowSeconds)
        m_samples.removeFirst();
    redraw();
}

void ChartsPanel::redraw()
{
    QList<QPointF> produced, consumed, occupancy, producersBlocked, consumersBlocked;
    double maxRate = 1, maxOccupancy = 1;
    for (const Sample& s : m_samples) {
        produced << QPointF(s.t, s.produced);
        consumed << QPointF(s.t, s.consumed);
        occupancy << QPointF(s.t, s.occupancy);
        producersBlocked << QPointF(s.t, s.producersBlocked);
        consumersBlocked << QPointF(s.t, s.consumersBlocked);
        maxRate = std::max({ maxRate, s.produced, s.consumed });
        maxOccupancy = std::max(maxOccupancy, s.occupancy);
    }
    // One replace() per series: clear()+append() redraws once per point.
    m_produced->replace(produced);
    m_consumed->replace(consumed);
    m_occupancy->replace(occupancy);
    m_producersBlocked->replace(producersBlocked);
    m_consumersBlocked->replace(consumersBlocked);
    const double end
        = m_samples.isEmpty() ? m_windowSeconds : std::max(m_samples.back().t, m_windowSeconds);
    for (QValueAxis* axis : m_timeAxes)
        axis->setRange(end - m_windowSeconds, end);
    // A little headroom, so that a line at its peak does not run along the top edge.
    setRateTop(m_rateAxis, roundTop(maxRate * 1.05));
    m_occupancyAxis->setRange(0, std::max(2.0, roundTop(maxOccupancy * 1.05)));
}

} // namespace pcviz
