// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventlistpanel.h"

#include "eventtablemodel.h"
#include "statemodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace pcviz {

EventListPanel::EventListPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new EventTableModel(this))
    , m_byThread(new QSortFilterProxyModel(this))
    , m_byKind(new QSortFilterProxyModel(this))
    , m_thread(new QComboBox(this))
    , m_kind(new QComboBox(this))
    , m_table(new QTableView(this))
{
    // Two plain filters in a row: one looks at the thread column, the next at the kind.
    m_byThread->setSourceModel(m_model);
    m_byThread->setFilterKeyColumn(EventTableModel::Thread);
    m_byKind->setSourceModel(m_byThread);
    m_byKind->setFilterKeyColumn(EventTableModel::Kind);
    m_table->setModel(m_byKind);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_table->horizontalHeader()->setStretchLastSection(true);

    m_thread->addItem(tr("all threads"));
    m_kind->addItem(tr("all kinds"));
    for (int k = 0; k < EventKindCount; ++k)
        m_kind->addItem(QString::fromLatin1(kindName(EventKind(k))));

    auto* filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Show"), this));
    filters->addWidget(m_thread);
    filters->addWidget(m_kind);
    filters->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);

    connect(m_thread, &QComboBox::currentIndexChanged, this,
        [this](int i) { setThreadFilter(i <= 0 ? QString() : m_thread->itemText(i)); });
    connect(m_kind, &QComboBox::currentIndexChanged, this,
        [this](int i) { setKindFilter(i <= 0 ? QString() : m_kind->itemText(i)); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            if (!m_selecting && current.isValid())
                Q_EMIT eventChosen(current.data(EventTableModel::SeqRole).toULongLong());
        });
}

void EventListPanel::follow(const EventHistory* history, const StateModel* state)
{
    m_model->follow(history, state);
    if (!state)
        return;
    // Threads appear as the run starts them; the list only grows.
    for (const ThreadView& t : state->threads()) {
        if (m_thread->findText(t.ref.name()) < 0)
            m_thread->addItem(t.ref.name());
    }
}

void EventListPanel::setThreadFilter(const QString& thread)
{
    m_byThread->setFilterRegularExpression(thread.isEmpty()
            ? QRegularExpression()
            : QRegularExpression(QStringLiteral("^%1$").arg(QRegularExpression::escape(thread))));
}

void EventListPanel::setKindFilter(const QString& kind)
{
    m_byKind->setFilterRegularExpression(kind.isEmpty()
            ? QRegularExpression()
            : QRegularExpression(QStringLiteral("^%1$").arg(QRegularExpression::escape(kind))));
}

int EventListPanel::visibleRows() const
{
    return m_byKind->rowCount();
}

void EventListPanel::showSeq(std::uint64_t seq)
{
    const int row = m_model->rowOf(seq);
    if (row < 0)
        return;
    const QModelIndex shown
        = m_byKind->mapFromSource(m_byThread->mapFromSource(m_model->index(row, 0)));
    if (!shown.isValid())
        return;
    m_selecting = true;
    m_table->setCurrentIndex(shown);
    m_table->scrollTo(shown);
    m_selecting = false;
}

} // namespace pcviz
