// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "codetracker.h"
#include "theme.h"

#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QScrollArea;

namespace pcviz {

class CodeView;

/// The code the threads run, as Python, pseudo-code or C++ (the views the strategy has), with
/// each paused thread's marker on the line it runs next, from the gate.
class CodePanel : public QWidget {
    Q_OBJECT
public:
    explicit CodePanel(QWidget* parent = nullptr);

    /// Shows strategy's code in the preferred view, or in the first view it has.
    void setStrategy(const QString& strategy);
    const QString& strategy() const { return m_strategy; }
    /// The view the user chose; kept for strategies that have it when this one has not.
    void setPreferredView(const QString& view);
    const QString& preferredView() const { return m_preferred; }
    /// The view shown, and those offered for the strategy.
    QString view() const;
    QStringList views() const;

    /// Places every parked or blocked thread on its line; while the threads run freely there
    /// are no markers, as no thread stays on a line.
    void showThreads(
        const std::vector<Gate::ThreadState>& threads, const StateModel& state, bool paused);
    /// The line thread's marker is on in the view shown.
    std::optional<int> markerLine(ThreadRef thread) const;
    CodeView* codeView() const { return m_code; }
    void setTheme(const Theme& theme);

    /// Wide enough for the listing shown, with its markers.
    QSize sizeHint() const override;

Q_SIGNALS:
    /// The user picked a view from the list.
    void viewChosen(const QString& view);
    void markerClicked(pcviz::ThreadRef thread);

private:
    void showView(const QString& view);
    void showMarkers();
    void setHint(const QString& text);
    void ensureMoverVisible(const std::vector<CodeTracker::Marker>& before);

    QComboBox* m_views;
    QLabel* m_hint;
    QScrollArea* m_scroll;
    CodeView* m_code;
    QString m_strategy;
    QString m_preferred; // none: the first view the strategy has
    // One tracker per view, all kept up to date, so a switch of view keeps every position.
    std::vector<CodeTracker> m_trackers;
    bool m_paused = false;
};

} // namespace pcviz
