// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <cstdint>

class QLabel;
class QTableView;

namespace pcviz {

class EventHistory;
class ResultsModel;
class StateModel;

/// The run's results list, like the seed program's final_results: one (number, number**2) pair
/// per consumed item, appended as the run consumes them, newest in sight.
class ResultsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ResultsPanel(QWidget* parent = nullptr);

    /// Appends the results of the run the history belongs to; a new run starts a new list.
    void follow(const EventHistory& history, const StateModel& state, std::uint64_t runNumber,
        std::uint64_t skipped);
    /// The title's count of pairs, and the note when some were missed: the owner decides how
    /// often (every frame is too often to read).
    void showTitle();
    ResultsModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }

private:
    ResultsModel* m_model;
    QLabel* m_title;
    QLabel* m_note;
    QTableView* m_view;
};

} // namespace pcviz
