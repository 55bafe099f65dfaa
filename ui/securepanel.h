// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario.h"

#include <QList>
#include <QPair>
#include <QTimer>
#include <QWidget>

#include <array>

class QCheckBox;
class QLabel;
class QPushButton;

namespace pcviz {

class Checker;
class LiveSession;
class StateModel;

/// The secure producer-consumer's switches: one row per defence with its fault to inject and
/// the weakness it addresses, and the run's outcome counts underneath.
class SecurePanel : public QWidget {
    Q_OBJECT
public:
    /// Follows the session's scenario and run: every frame, and on a timer, since a hung run
    /// folds no more frames.
    explicit SecurePanel(LiveSession& session, QWidget* parent = nullptr);

    /// Shows the scenario's switches without emitting; only a secure run's can be changed.
    void showScenario(const Scenario& scenario);
    /// Shows what the run's events say so far; runEnded: every thread has gone; hung: every
    /// live thread waits for another and nothing has moved since the last look.
    void showOutcome(const StateModel& state, const Checker& checker, bool runEnded, bool hung);
    /// Reads the session now (the timer does it too).
    void refresh();

    QCheckBox* switchBox(SecureOptions::Switch s) const { return m_switches[std::size_t(s)]; }
    QCheckBox* faultBox(SecureOptions::Switch s) const { return m_faults[std::size_t(s)]; }
    QLabel* weaknessLabel(SecureOptions::Switch s) const { return m_weaknesses[std::size_t(s)]; }
    /// Time-outs, failed, dead letters, ... by their summary names.
    QLabel* outcomeLabel(const QString& name) const;
    QLabel* verdictLabel() const { return m_verdict; }
    QPushButton* openPresetButton() const { return m_openPreset; }

Q_SIGNALS:
    /// The user changed a switch or a fault: the run starts afresh with these.
    void optionsChosen(const pcviz::SecureOptions& options);
    void presetRequested(const QString& name);

private:
    void emitOptions();

    LiveSession& m_session;
    QTimer m_timer;
    std::uint64_t m_lastApplied = 0; // events folded at the last look
    std::uint64_t m_lastRun = 0;
    int m_stuckLooks = 0;
    SecureOptions m_options;
    std::array<QCheckBox*, SecureOptions::SwitchCount> m_switches {};
    std::array<QCheckBox*, SecureOptions::SwitchCount> m_faults {};
    std::array<QLabel*, SecureOptions::SwitchCount> m_weaknesses {};
    QWidget* m_controls;
    QLabel* m_notSecure;
    QPushButton* m_openPreset;
    QList<QPair<QString, QLabel*>> m_outcomes;
    QLabel* m_verdict;
    bool m_showing = false; // while showScenario sets the boxes
};

} // namespace pcviz
