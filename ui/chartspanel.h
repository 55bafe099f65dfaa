// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "statemodel.h"
#include "theme.h"

#include <QPen>
#include <QVector>
#include <QWidget>

class QCategoryAxis;
class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace pcviz {

/// Throughput (produced/s, consumed/s), buffer occupancy and the share of producers and
/// consumers blocked, over a sliding window of run time. Samples are per-frame aggregates of
/// the state; each series is updated with one replace() per sample, animations off.
class ChartsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ChartsPanel(QWidget* parent = nullptr);

    /// Takes a sample of state at run time state.lastNs(); at most every sampleInterval. The
    /// rates come from the run's own counts of items produced and consumed: a window that
    /// falls behind folds only some of the events, so the state's counts run short.
    void sample(const StateModel& state, std::uint64_t produced, std::uint64_t consumed);
    void clear();
    void setWindowSeconds(double seconds);
    /// Light or dark chart theme; at high contrast, plain backgrounds, thick lines and the
    /// theme's colour-blind-safe series colours.
    void setTheme(const Theme& theme);
    const Theme& theme() const { return m_theme; }

    QLineSeries* producedSeries() const { return m_produced; }
    QLineSeries* consumedSeries() const { return m_consumed; }
    QLineSeries* occupancySeries() const { return m_occupancy; }
    QLineSeries* producersBlockedSeries() const { return m_producersBlocked; }
    QLineSeries* consumersBlockedSeries() const { return m_consumersBlocked; }
    /// The throughput chart's vertical axis: 0, half its top and its top, labelled compactly.
    QCategoryAxis* rateAxis() const { return m_rateAxis; }
    QValueAxis* occupancyAxis() const { return m_occupancyAxis; }

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Sample {
        double t;
        double produced;
        double consumed;
        double occupancy;
        double producersBlocked;
        double consumersBlocked;
    };
    void redraw();
    void colourSeries();
    void applyFonts();

    Theme m_theme;
    QVector<Sample> m_samples;
    double m_windowSeconds = 60;
    double m_lastT = -1;
    std::uint64_t m_lastProduced = 0;
    std::uint64_t m_lastConsumed = 0;
    QLineSeries* m_produced;
    QLineSeries* m_consumed;
    QLineSeries* m_occupancy;
    QLineSeries* m_producersBlocked;
    QLineSeries* m_consumersBlocked;
    QVector<QValueAxis*> m_timeAxes;
    QVector<QChart*> m_charts;
    QVector<QChartView*> m_views;
    QPen m_plainBackgroundPen; // as the chart themes leave it
    qreal m_plainRoundness = 0;
    QCategoryAxis* m_rateAxis;
    QValueAxis* m_occupancyAxis;
};

} // namespace pcviz
