// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "statemodel.h"

#include <QAbstractTableModel>
#include <QStringList>

namespace pcviz {

/// The strategy's synchronisation objects as a table: each mutex (owner), semaphore (value),
/// condition variable, and for Python's queue the unfinished-task count, with the threads
/// waiting on each in the order they queued.
class PrimitivesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Kind, State, Waiting, ColumnCount };

    explicit PrimitivesModel(QObject* parent = nullptr);

    void showState(const StateModel& state);
    /// The row whose object is called name, or -1.
    int rowOf(const QString& name) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString name;
        QString kind;
        QString state;
        QString waiting;
    };
    static QString names(const std::vector<ThreadRef>& threads);

    QVector<Row> m_rows;
};

} // namespace pcviz
