// SPDX-License-Identifier: GPL-3.0-or-later
#include "resultspanel.h"

#include "resultsmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace pcviz {

ResultsPanel::ResultsPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new ResultsModel(this))
    , m_title(new QLabel(this))
    , m_note(new QLabel(this))
    , m_view(new QTableView(this))
{
    setAccessibleName(tr("Results"));
    m_title->setWordWrap(true);
    m_note->setWordWrap(true);
    m_note->setText(tr("Some results came too fast to read: slow the run down or step it to see "
                       "every one."));
    m_note->hide();
    m_view->setObjectName(QStringLiteral("finalResults"));
    m_view->setAccessibleName(tr("final_results"));
    m_view->setModel(m_model);
    m_view->verticalHeader()->hide();
    // Sized to the rows in sight: they are the newest, with the widest numbers. The pair gets
    // the room that is left, rather than the consumer's short name.
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ResultsModel::Pair, QHeaderView::Stretch);
    header->setResizeContentsPrecision(0);
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addWidget(m_title);
    layout->addWidget(m_note);
    layout->addWidget(m_view, 1);
    // The newest result stays in sight as the list grows, as the printed list ends with it.
    connect(m_model, &QAbstractItemModel::rowsInserted, m_view, &QAbstractItemView::scrollToBottom);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { m_title->clear(); });
}

void ResultsPanel::follow(const EventHistory& history, const StateModel& state,
    std::uint64_t runNumber, std::uint64_t skipped)
{
    const qulonglong before = m_model->appended();
    m_model->follow(history, state, runNumber, skipped);
    if (m_model->appended() != before) {
        // The header sizes its columns once; the newest numbers are wider than the first.
        m_view->resizeColumnToContents(ResultsModel::Index);
        m_view->resizeColumnToContents(ResultsModel::Item);
    }
}

void ResultsPanel::showTitle()
{
    const qulonglong appended = m_model->appended();
    QString title = tr("<b>final_results</b>: %1 pair(s), in the order the consumers appended "
                       "them")
                        .arg(appended);
    if (appended > qulonglong(m_model->rowCount()))
        title += tr(" (the newest %1 shown)").arg(m_model->rowCount());
    m_title->setText(title);
    m_note->setVisible(!m_model->complete());
}

} // namespace pcviz
