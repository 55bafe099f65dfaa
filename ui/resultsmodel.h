// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"

#include <QAbstractTableModel>

#include <deque>

namespace pcviz {

class EventHistory;
class StateModel;

/// The seed program's final_results as the run builds them: one (number, number**2) row per
/// consumed item, in the order the consumers appended them, with the consumer that did. A run
/// left going flat out would fill the memory, so only the newest MaxRows rows are kept.
class ResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int MaxRows = 50'000;
    enum Column { Index, Item, Pair, Consumer, ColumnCount };
    struct Row {
        std::uint64_t item = NoItem; // named as the buffer view names it: producers repeat values
        std::int64_t value = 0;
        std::int64_t result = 0;
        ThreadRef consumer;
    };

    explicit ResultsModel(QObject* parent = nullptr);

    /// Appends the consume events history holds past the last one read. A new runNumber starts
    /// the list afresh; events the history dropped or the session skipped before they were read
    /// leave the list incomplete (complete() says so) rather than wrong.
    void follow(const EventHistory& history, const StateModel& state, std::uint64_t runNumber,
        std::uint64_t skipped);
    void clear();

    /// The rows kept, oldest first.
    const std::deque<Row>& results() const { return m_rows; }
    bool complete() const { return m_complete; }
    /// Every pair appended in this run, the ones no longer kept included.
    std::uint64_t appended() const { return m_dropped + m_rows.size(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::deque<Row> m_rows;
    bool m_mainProduces = false; // how the items are named (StateModel::itemLabel)
    std::uint64_t m_dropped = 0; // the oldest rows let go; also the first kept row's index
    std::uint64_t m_runNumber = 0;
    std::uint64_t m_nextSeq = 0;
    bool m_complete = true;
};

} // namespace pcviz
