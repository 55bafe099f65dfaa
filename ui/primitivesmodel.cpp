// SPDX-License-Identifier: GPL-3.0-or-later
#include "primitivesmodel.h"

#include "strategies/strategyregistry.h"

namespace pcviz {

PrimitivesModel::PrimitivesModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

QString PrimitivesModel::names(const std::vector<ThreadRef>& threads)
{
    QStringList list;
    for (ThreadRef t : threads)
        list << t.name();
    return list.join(QStringLiteral(", "));
}

void PrimitivesModel::showState(const StateModel& state)
{
    QVector<Row> rows;
    for (const ObjectView& o : state.objects()) {
        Row row { o.info.name, QString::fromLatin1(objectTypeName(o.info.type)), {},
            names(o.waiting) };
        switch (o.info.type) {
        case ObjectType::Mutex:
            row.state = o.owner.isNone() ? tr("free") : tr("held by %1").arg(o.owner.name());
            break;
        case ObjectType::Semaphore:
            row.state = tr("value %1").arg(o.value);
            break;
        case ObjectType::Backoff:
            row.state = tr("spin, yield, nap: no queue");
            break;
        case ObjectType::CondVar:
            row.state = o.waiting.empty() ? tr("no waiters")
                                          : tr("%n waiting", nullptr, int(o.waiting.size()));
            break;
        }
        if (!o.woken.empty())
            row.waiting += (row.waiting.isEmpty() ? QString() : QStringLiteral("; "))
                + tr("woken: %1").arg(names(o.woken));
        rows.push_back(row);
    }
    const StrategyInfo* info = StrategyRegistry::find(state.info().scenario.strategy);
    if (info && info->hasTasks) {
        QStringList joining;
        for (const ThreadView& t : state.threads()) {
            if (t.alive() && t.task == Task::Joining)
                joining << t.ref.name();
        }
        rows.push_back({ tr("unfinished tasks"), tr("counter"),
            QString::number(state.unfinishedTasks()), joining.join(QStringLiteral(", ")) });
    }
    if (rows.size() != m_rows.size()) {
        beginResetModel();
        m_rows = rows;
        endResetModel();
        return;
    }
    m_rows = rows;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

int PrimitivesModel::rowOf(const QString& name) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].name == name)
            return i;
    }
    return -1;
}

int PrimitivesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PrimitivesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PrimitivesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const Row& row = m_rows[index.row()];
    switch (Column(index.column())) {
    case Name:
        return row.name;
    case Kind:
        return row.kind;
    case State:
        return row.state;
    case Waiting:
        return row.waiting;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant PrimitivesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Name:
        return tr("Object");
    case Kind:
        return tr("Kind");
    case State:
        return tr("State");
    case Waiting:
        return tr("Waiting, in order");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace pcviz
