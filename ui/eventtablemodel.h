// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"

#include <QAbstractTableModel>

#include <cstdint>

namespace pcviz {

class EventHistory;
class StateModel;

/// The retained history as a table, one event per row, newest last: what the history bar
/// scrubs through, readable event by event.
class EventTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Seq, Time, Thread, Kind, Item, Slot, Count, Object, Peer, ColumnCount };
    /// The raw values the filter looks at.
    enum Role { ThreadRole = Qt::UserRole + 1, KindRole, SeqRole };

    explicit EventTableModel(QObject* parent = nullptr);

    /// Follows history: rows for new events are inserted, rows for dropped ones removed.
    /// state names items and objects.
    void follow(const EventHistory* history, const StateModel* state);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// The row of the event with this seq, or -1.
    int rowOf(std::uint64_t seq) const;

private:
    const EventHistory* m_history = nullptr;
    const StateModel* m_state = nullptr;
    std::uint64_t m_begin = 0;
    std::uint64_t m_end = 0;
};

} // namespace pcviz
