// SPDX-License-Identifier: GPL-3.0-or-later
#include "codepanel.h"

#include "codelistings.h"
#include "codeview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

namespace pcviz {

CodePanel::CodePanel(QWidget* parent)
    : QWidget(parent)
    , m_views(new QComboBox(this))
    , m_hint(new QLabel(this))
    , m_scroll(new QScrollArea(this))
    , m_code(new CodeView)
{
    setAccessibleName(tr("Code panel"));
    auto* viewLabel = new QLabel(tr("&View:"), this);
    viewLabel->setBuddy(m_views);
    m_views->setAccessibleName(tr("Code view"));
    m_views->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_hint->setWordWrap(true);
    m_hint->setTextFormat(Qt::PlainText);
    m_scroll->setWidget(m_code);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);

    auto* header = new QHBoxLayout;
    header->setContentsMargins(6, 4, 6, 2);
    header->addWidget(viewLabel);
    header->addWidget(m_views);
    header->addWidget(m_hint, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(m_scroll, 1);

    connect(m_views, &QComboBox::activated, this, [this](int index) {
        const QString view = m_views->itemData(index).toString();
        m_preferred = view;
        showView(view);
        Q_EMIT viewChosen(view);
    });
    connect(m_code, &CodeView::markerClicked, this, &CodePanel::markerClicked);
    showMarkers();
}

void CodePanel::setTheme(const Theme& theme)
{
    m_code->setTheme(theme);
}

void CodePanel::setStrategy(const QString& strategy)
{
    if (strategy == m_strategy)
        return;
    m_strategy = strategy;
    const CodeListings& listings = CodeListings::builtIn();
    m_trackers.clear();
    const QSignalBlocker blocker(m_views);
    m_views->clear();
    for (const QString& view : listings.views(strategy)) {
        m_trackers.emplace_back(listings.find(strategy, view));
        m_views->addItem(CodeListing::viewTitle(view), view);
    }
    m_views->setEnabled(m_views->count() > 1);
    const QStringList offered = views();
    showView(offered.contains(m_preferred) ? m_preferred : offered.value(0));
}

void CodePanel::setPreferredView(const QString& view)
{
    if (!CodeListing::viewNames().contains(view))
        return;
    m_preferred = view;
    if (views().contains(view))
        showView(view);
}

QString CodePanel::view() const
{
    const CodeListing* listing = m_code->listing();
    return listing ? listing->view() : QString();
}

QStringList CodePanel::views() const
{
    return CodeListings::builtIn().views(m_strategy);
}

void CodePanel::showView(const QString& view)
{
    const QSignalBlocker blocker(m_views);
    m_views->setCurrentIndex(m_views->findData(view));
    const CodeListing* listing = CodeListings::builtIn().find(m_strategy, view);
    m_code->setListing(listing);
    m_code->setToolTip(listing ? listing->title() : QString());
    m_scroll->verticalScrollBar()->setValue(0);
    m_scroll->horizontalScrollBar()->setValue(0);
    showMarkers();
    // Once the scroll area has taken the new listing's size.
    QTimer::singleShot(0, this, [this] { ensureMoverVisible({}); });
}

void CodePanel::showThreads(
    const std::vector<Gate::ThreadState>& threads, const StateModel& state, bool paused)
{
    m_paused = paused;
    for (CodeTracker& tracker : m_trackers) {
        if (paused)
            tracker.update(threads, state);
        else
            tracker.forget();
    }
    const std::vector<CodeTracker::Marker> before = m_code->markers();
    showMarkers();
    ensureMoverVisible(before);
}

void CodePanel::showMarkers()
{
    const CodeListing* listing = m_code->listing();
    const auto tracker = std::find_if(m_trackers.begin(), m_trackers.end(),
        [listing](const CodeTracker& t) { return listing && t.listing() == listing; });
    if (tracker == m_trackers.end()) {
        m_code->setMarkers({});
        setHint(m_strategy.isEmpty() ? QString()
                                     : tr("There is no code listing for %1.").arg(m_strategy));
        return;
    }
    m_code->setMarkers(tracker->markers());
    if (!m_paused) {
        setHint(tr("Pause or step (Right) to see the line each thread runs next."));
        return;
    }
    // A gate the listing leaves out (a live capacity change takes paths it does not show).
    QStringList elsewhere;
    for (const CodeTracker::Marker& m : tracker->markers()) {
        if (m.line < 0)
            elsewhere << (m.object.isEmpty()
                    ? QStringLiteral("%1: %2").arg(
                        m.thread.name(), QLatin1String(gateActionName(m.action)))
                    : QStringLiteral("%1: %2 %3")
                          .arg(m.thread.name(), QLatin1String(gateActionName(m.action)), m.object));
    }
    QString hint = tr("Filled: runs this line next. Hollow: blocked here. Click one to step it.");
    if (!elsewhere.isEmpty())
        hint += u' ' + tr("Not in this listing: %1.").arg(elsewhere.join(QStringLiteral(", ")));
    setHint(hint);
}

void CodePanel::setHint(const QString& text)
{
    if (m_hint->text() != text)
        m_hint->setText(text);
}

QSize CodePanel::sizeHint() const
{
    const int scrollBar = style()->pixelMetric(QStyle::PM_ScrollBarExtent);
    return { m_code->sizeHint().width() + scrollBar + 4, 400 };
}

std::optional<int> CodePanel::markerLine(ThreadRef thread) const
{
    return m_code->markerLine(thread);
}

void CodePanel::ensureMoverVisible(const std::vector<CodeTracker::Marker>& before)
{
    // Every marker in sight when they fit, else the thread that moved: a step never leaves
    // its marker out of view.
    std::optional<int> moved;
    int top = -1;
    int bottom = -1;
    for (const CodeTracker::Marker& m : m_code->markers()) {
        if (m.line < 0)
            continue;
        top = top < 0 ? m.line : std::min(top, m.line);
        bottom = std::max(bottom, m.line);
        const auto old = std::find_if(before.begin(), before.end(),
            [&](const CodeTracker::Marker& b) { return b.thread == m.thread; });
        if (!moved && (old == before.end() || old->line != m.line))
            moved = m.line;
    }
    if (!moved)
        return;
    QScrollBar* bar = m_scroll->verticalScrollBar();
    const int viewport = m_scroll->viewport()->height();
    const QRect first = m_code->lineRect(top);
    const QRect last = m_code->lineRect(bottom);
    const int margin = first.height();
    if (last.bottom() - first.top() + 2 * margin <= viewport) {
        if (first.top() - margin < bar->value() || last.bottom() + margin > bar->value() + viewport)
            bar->setValue((first.top() + last.bottom()) / 2 - viewport / 2);
        return;
    }
    const QRect line = m_code->lineRect(*moved);
    m_scroll->ensureVisible(0, line.center().y(), 0, line.height() * 2);
}

} // namespace pcviz
