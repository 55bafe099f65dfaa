// SPDX-License-Identifier: GPL-3.0-or-later
#include "resultsmodel.h"

#include "eventhistory.h"
#include "statemodel.h"

namespace pcviz {

ResultsModel::ResultsModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void ResultsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_dropped = 0;
    m_nextSeq = 0;
    m_complete = true;
    endResetModel();
}

void ResultsModel::follow(const EventHistory& history, const StateModel& state,
    std::uint64_t runNumber, std::uint64_t skipped)
{
    if (runNumber != m_runNumber) {
        clear();
        m_runNumber = runNumber;
    }
    m_mainProduces = state.info().scenario.mainProduces;
    if (skipped > 0 || m_nextSeq < history.begin())
        m_complete = false;
    const std::uint64_t from = std::max(m_nextSeq, history.begin());
    std::deque<Row> added;
    for (std::uint64_t seq = from; seq < history.end(); ++seq) {
        const Event& e = history.at(seq);
        if (e.kind != EventKind::Consume)
            continue;
        if (added.size() == std::size_t(MaxRows)) { // more than are kept arrived at once
            added.pop_front();
            ++m_dropped;
        }
        // Named when shown: of the thousands a frame may add at full speed, a few are.
        added.push_back({ e.item, e.value, e.result, e.thread });
    }
    m_nextSeq = std::max(m_nextSeq, history.end());
    if (added.empty())
        return;
    const std::size_t total = m_rows.size() + added.size();
    const std::size_t overflow = total > std::size_t(MaxRows) ? total - std::size_t(MaxRows) : 0;
    if (overflow > 0) {
        beginRemoveRows({}, 0, int(overflow) - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + std::ptrdiff_t(overflow));
        m_dropped += overflow;
        endRemoveRows();
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size()) - 1);
    m_rows.insert(m_rows.end(), added.begin(), added.end());
    endInsertRows();
}

int ResultsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ResultsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResultsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[index.row()];
    if (role == Qt::TextAlignmentRole)
        return index.column() == Consumer || index.column() == Item
            ? int(Qt::AlignLeft | Qt::AlignVCenter)
            : int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (Column(index.column())) {
    case Index:
        return qulonglong(m_dropped) + qulonglong(index.row());
    case Item:
        return StateModel::itemLabel(row.item, m_mainProduces);
    case Pair:
        // As Python prints the tuple the consumer appended.
        return QStringLiteral("(%1, %2)").arg(row.value).arg(row.result);
    case Consumer:
        return row.consumer.name();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Index:
        return tr("#");
    case Item:
        return tr("item");
    case Pair:
        return tr("(number, number**2)");
    case Consumer:
        return tr("appended by");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace pcviz
