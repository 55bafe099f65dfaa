// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventtablemodel.h"

#include "eventhistory.h"
#include "statemodel.h"

namespace pcviz {

EventTableModel::EventTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void EventTableModel::follow(const EventHistory* history, const StateModel* state)
{
    m_state = state;
    if (!history && !m_history)
        return;
    const std::uint64_t begin = history ? history->begin() : 0;
    const std::uint64_t end = history ? history->end() : 0;
    if (history != m_history || begin >= m_end || end < m_end) {
        // Another run, or nothing in common with what the rows show.
        beginResetModel();
        m_history = history;
        m_begin = begin;
        m_end = end;
        endResetModel();
        return;
    }
    if (begin > m_begin) {
        beginRemoveRows({}, 0, int(begin - m_begin) - 1);
        m_begin = begin;
        endRemoveRows();
    }
    if (end > m_end) {
        beginInsertRows({}, int(m_end - m_begin), int(end - m_begin) - 1);
        m_end = end;
        endInsertRows();
    }
}

int EventTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_end - m_begin);
}

int EventTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int EventTableModel::rowOf(std::uint64_t seq) const
{
    return seq >= m_begin && seq < m_end ? int(seq - m_begin) : -1;
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    if (!m_history || !index.isValid() || index.row() >= rowCount())
        return {};
    const Event& e = m_history->at(m_begin + std::uint64_t(index.row()));
    switch (role) {
    case ThreadRole:
        return e.thread.name();
    case KindRole:
        return QString::fromLatin1(kindName(e.kind));
    case SeqRole:
        return qulonglong(e.seq);
    case Qt::TextAlignmentRole:
        return index.column() == Seq || index.column() == Time || index.column() == Slot
                || index.column() == Count
            ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
            : QVariant();
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case Seq:
        return qulonglong(e.seq);
    case Time:
        return QString::number(double(e.tNs) / 1e6, 'f', 3);
    case Thread:
        return e.thread.name();
    case Kind:
        return QString::fromLatin1(kindName(e.kind));
    case Item:
        return e.item == NoItem || !m_state ? QString() : m_state->itemLabel(e.item);
    case Slot:
        return e.slot == NoSlot ? QVariant() : QVariant(e.slot);
    case Count:
        return e.count < 0 ? QVariant() : QVariant(e.count);
    case Object:
        return e.object == NoObject || !m_state ? QString() : m_state->info().objectName(e.object);
    case Peer:
        return e.peer.isNone() ? QString() : e.peer.name();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Seq:
        return tr("Seq");
    case Time:
        return tr("ms");
    case Thread:
        return tr("Thread");
    case Kind:
        return tr("Kind");
    case Item:
        return tr("Item");
    case Slot:
        return tr("Slot");
    case Count:
        return tr("Count");
    case Object:
        return tr("Object");
    case Peer:
        return tr("Peer");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace pcviz
