// SPDX-License-Identifier: GPL-3.0-or-later
#include "controlspanel.h"

#include "presets.h"
#include "rateslider.h"
#include "strategies/strategyregistry.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>

namespace pcviz {

ControlsPanel::ControlsPanel(QWidget* parent)
    : QWidget(parent)
    , m_preset(new QComboBox(this))
    , m_strategy(new QComboBox(this))
    , m_producers(new QSpinBox(this))
    , m_consumers(new QSpinBox(this))
    , m_capacity(new QSpinBox(this))
    , m_produceRate(new RateSlider(tr("Produce"), this))
    , m_consumeRate(new RateSlider(tr("Consume"), this))
    , m_distribution(new QComboBox(this))
    , m_startPause(new QPushButton(tr("Start"), this))
    , m_reset(new QPushButton(tr("Reset"), this))
{
    for (const QString& name : Presets::names())
        m_preset->addItem(name, name);
    for (const StrategyInfo& info : StrategyRegistry::all()) {
        m_strategy->addItem(info.title, info.name);
        m_strategy->setItemData(m_strategy->count() - 1, info.description, Qt::ToolTipRole);
    }
    m_producers->setRange(1, Scenario::MaxThreads);
    m_consumers->setRange(1, Scenario::MaxThreads);
    m_capacity->setRange(0, Scenario::MaxCapacity);
    m_capacity->setSpecialValueText(tr("unbounded"));
    for (Distribution d :
        { Distribution::Constant, Distribution::Exponential, Distribution::Bursty })
        m_distribution->addItem(distributionName(d), int(d));
    m_startPause->setShortcut(Qt::Key_Space);
    m_reset->setShortcut(Qt::Key_R);
    m_preset->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_strategy->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    fitNames();

    auto* form = new QFormLayout(this);
    form->addRow(tr("Pr&eset"), m_preset);
    form->addRow(tr("&Strategy"), m_strategy);
    form->addRow(tr("&Producers"), m_producers);
    form->addRow(tr("&Consumers"), m_consumers);
    form->addRow(tr("C&apacity"), m_capacity);
    form->addRow(m_produceRate);
    form->addRow(m_consumeRate);
    form->addRow(tr("&Distribution"), m_distribution);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_startPause);
    buttons->addWidget(m_reset);
    form->addRow(buttons);

    connect(m_preset, &QComboBox::activated, this,
        [this](int index) { Q_EMIT presetChosen(m_preset->itemData(index).toString()); });
    connect(m_strategy, &QComboBox::activated, this,
        [this](int index) { Q_EMIT strategyChosen(m_strategy->itemData(index).toString()); });
    connect(m_producers, &QSpinBox::valueChanged, this, &ControlsPanel::producersChosen);
    connect(m_consumers, &QSpinBox::valueChanged, this, &ControlsPanel::consumersChosen);
    connect(m_capacity, &QSpinBox::valueChanged, this, &ControlsPanel::capacityChosen);
    connect(m_produceRate, &RateSlider::rateChanged, this, &ControlsPanel::produceRateChosen);
    connect(m_consumeRate, &RateSlider::rateChanged, this, &ControlsPanel::consumeRateChosen);
    connect(m_distribution, &QComboBox::activated, this, [this](int index) {
        Q_EMIT distributionChosen(Distribution(m_distribution->itemData(index).toInt()));
    });
    connect(m_startPause, &QPushButton::clicked, this, &ControlsPanel::startPauseClicked);
    connect(m_reset, &QPushButton::clicked, this, &ControlsPanel::resetClicked);
}

void ControlsPanel::fitNames()
{
    // The panel keeps the width of the longest preset and strategy name, so zoomed text is
    // never cut off (a combo box's minimum size ignores its items).
    for (QComboBox* box : { m_preset, m_strategy })
        box->setMinimumWidth(box->sizeHint().width());
}

void ControlsPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    // Queued: the combo boxes learn of the new font after their parent does.
    if (event->type() == QEvent::FontChange)
        QMetaObject::invokeMethod(this, &ControlsPanel::fitNames, Qt::QueuedConnection);
}

void ControlsPanel::showScenario(const Scenario& scenario)
{
    const QSignalBlocker b0(m_preset);
    // A scenario that is not a preset (or was changed) shows no preset.
    m_preset->setCurrentIndex(m_preset->findData(scenario.name));
    const QSignalBlocker b1(m_strategy), b2(m_producers), b3(m_consumers), b4(m_capacity),
        b5(m_distribution);
    m_strategy->setCurrentIndex(m_strategy->findData(scenario.strategy));
    const StrategyInfo* info = StrategyRegistry::find(scenario.strategy);
    // A strategy made for one producer and one consumer offers no more.
    const int most = info ? info->threadLimit(Scenario::MaxThreads) : Scenario::MaxThreads;
    const QString limit = most < Scenario::MaxThreads
        ? tr("%1 serves exactly %2 producer and %2 consumer").arg(scenario.strategy).arg(most)
        : QString();
    for (QSpinBox* box : { m_producers, m_consumers }) {
        box->setMaximum(most);
        box->setToolTip(limit);
    }
    m_producers->setValue(scenario.producers);
    m_producers->setEnabled(!scenario.mainProduces);
    m_consumers->setValue(scenario.consumers);
    m_capacity->setMinimum(info && info->allowsUnbounded ? 0 : 1);
    m_capacity->setValue(scenario.capacity);
    m_produceRate->setRate(scenario.produceRate);
    m_consumeRate->setRate(scenario.consumeRate);
    m_distribution->setCurrentIndex(m_distribution->findData(int(scenario.distribution)));
}

void ControlsPanel::showRunState(Engine::RunState state)
{
    m_startPause->setText(state == Engine::RunState::Running ? tr("Pause")
            : state == Engine::RunState::Paused              ? tr("Resume")
                                                             : tr("Start"));
    m_startPause->setShortcut(Qt::Key_Space);
}

} // namespace pcviz
