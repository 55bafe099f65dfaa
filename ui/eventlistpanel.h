// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <cstdint>

class QComboBox;
class QSortFilterProxyModel;
class QTableView;

namespace pcviz {

class EventHistory;
class EventTableModel;
class StateModel;

/// The retained events as a table, filtered by thread and by kind; choosing a row shows the
/// run as it was after that event.
class EventListPanel : public QWidget {
    Q_OBJECT
public:
    explicit EventListPanel(QWidget* parent = nullptr);

    /// Keeps the rows in step with history; threads offers the filter's choices.
    void follow(const EventHistory* history, const StateModel* state);
    /// Selects the row of seq (if it passes the filters) without asking to seek.
    void showSeq(std::uint64_t seq);
    void setThreadFilter(const QString& thread);
    void setKindFilter(const QString& kind);
    int visibleRows() const;
    QTableView* table() const { return m_table; }

Q_SIGNALS:
    void eventChosen(std::uint64_t seq);

private:
    EventTableModel* m_model;
    QSortFilterProxyModel* m_byThread;
    QSortFilterProxyModel* m_byKind;
    QComboBox* m_thread;
    QComboBox* m_kind;
    QTableView* m_table;
    bool m_selecting = false;
};

} // namespace pcviz
