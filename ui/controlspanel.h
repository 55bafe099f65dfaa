// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine.h"
#include "scenario.h"

#include <QWidget>

class QComboBox;
class QPushButton;
class QSpinBox;

namespace pcviz {

class RateSlider;

/// The run's controls, all live while it runs: strategy, thread counts, capacity, rates and
/// their distribution, Start/Pause and Reset. It only emits what the user chose.
class ControlsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ControlsPanel(QWidget* parent = nullptr);

    /// Shows a scenario's settings without emitting anything.
    void showScenario(const Scenario& scenario);
    void showRunState(Engine::RunState state);

    QComboBox* presetBox() const { return m_preset; }
    QComboBox* strategyBox() const { return m_strategy; }
    QSpinBox* producersBox() const { return m_producers; }
    QSpinBox* consumersBox() const { return m_consumers; }
    QSpinBox* capacityBox() const { return m_capacity; }
    RateSlider* produceRateSlider() const { return m_produceRate; }
    RateSlider* consumeRateSlider() const { return m_consumeRate; }
    QComboBox* distributionBox() const { return m_distribution; }
    QPushButton* startPauseButton() const { return m_startPause; }
    QPushButton* resetButton() const { return m_reset; }

Q_SIGNALS:
    void presetChosen(const QString& name);
    void strategyChosen(const QString& strategy);
    void producersChosen(int count);
    void consumersChosen(int count);
    void capacityChosen(int capacity);
    void produceRateChosen(double perSecond);
    void consumeRateChosen(double perSecond);
    void distributionChosen(pcviz::Distribution distribution);
    void startPauseClicked();
    void resetClicked();

protected:
    void changeEvent(QEvent* event) override;

private:
    void fitNames();

    QComboBox* m_preset;
    QComboBox* m_strategy;
    QSpinBox* m_producers;
    QSpinBox* m_consumers;
    QSpinBox* m_capacity;
    RateSlider* m_produceRate;
    RateSlider* m_consumeRate;
    QComboBox* m_distribution;
    QPushButton* m_startPause;
    QPushButton* m_reset;
};

} // namespace pcviz
