// SPDX-License-Identifier: GPL-3.0-or-later
#include "securepanel.h"

#include "checker.h"
#include "livesession.h"
#include "statemodel.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace pcviz {

SecurePanel::SecurePanel(LiveSession& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_controls(new QWidget(this))
    , m_notSecure(new QLabel(this))
    , m_openPreset(new QPushButton(tr("Open the secure preset"), this))
    , m_verdict(new QLabel(this))
{
    // Scrolls rather than squeezes: each row's weakness needs its lines.
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* content = new QWidget(scroll);
    scroll->setWidget(content);
    outer->addWidget(scroll);
    auto* layout = new QVBoxLayout(content);
    m_notSecure->setText(tr("These switches belong to a secure run: the seed program (main "
                            "puts, consumers get, main joins) with defences to switch on and "
                            "faults to inject."));
    m_notSecure->setWordWrap(true);
    layout->addWidget(m_notSecure);
    layout->addWidget(m_openPreset);
    connect(m_openPreset, &QPushButton::clicked, this,
        [this] { Q_EMIT presetRequested(QStringLiteral("secure")); });

    auto* grid = new QGridLayout(m_controls);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setVerticalSpacing(2);
    auto* switchHeader = new QLabel(tr("<b>Defence</b>"));
    auto* faultHeader = new QLabel(tr("<b>Fault</b>"));
    grid->addWidget(switchHeader, 0, 0);
    grid->addWidget(faultHeader, 0, 1);
    int row = 1;
    for (const SecureOptions::Switch s : SecureOptions::AllSwitches) {
        const std::size_t i = std::size_t(s);
        m_switches[i] = new QCheckBox(SecureOptions::switchTitle(s));
        m_switches[i]->setObjectName(SecureOptions::switchKey(s));
        m_faults[i] = new QCheckBox(tr("Inject fault"));
        m_faults[i]->setObjectName(SecureOptions::faultKey(s));
        m_faults[i]->setToolTip(SecureOptions::faultTitle(s));
        m_faults[i]->setAccessibleName(tr("Inject fault: %1").arg(SecureOptions::faultTitle(s)));
        m_weaknesses[i] = new QLabel(
            QStringLiteral("%1<br><i>%2</i>")
                .arg(SecureOptions::weakness(s).toHtmlEscaped(),
                    tr("Fault: %1").arg(SecureOptions::faultTitle(s)).toHtmlEscaped()));
        m_weaknesses[i]->setWordWrap(true);
        m_weaknesses[i]->setIndent(20);
        QFont small = m_weaknesses[i]->font();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        m_weaknesses[i]->setFont(small);
        grid->addWidget(m_switches[i], row, 0);
        grid->addWidget(m_faults[i], row, 1);
        grid->addWidget(m_weaknesses[i], row + 1, 0, 1, 2);
        row += 2;
        connect(m_switches[i], &QCheckBox::toggled, this, [this, s](bool on) {
            m_options.setOn(s, on);
            emitOptions();
        });
        connect(m_faults[i], &QCheckBox::toggled, this, [this, s](bool on) {
            m_options.setFault(s, on);
            emitOptions();
        });
    }
    grid->setColumnStretch(0, 1);
    layout->addWidget(m_controls);

    auto* outcome = new QGroupBox(tr("Outcome of this run"));
    auto* form = new QFormLayout(outcome);
    const std::pair<const char*, QString> rows[] = {
        { "timeouts", tr("Put time-outs") },
        { "failed", tr("Failed (raised)") },
        { "dead_letters", tr("Dead letters") },
        { "lost_in_flight", tr("Lost in flight") },
        { "lost_results", tr("Lost results") },
        { "peak_count", tr("Peak queue length") },
        { "over_rate_limit", tr("Over the rate limit") },
        { "throttled", tr("Throttled (waited for a token)") },
        { "join_returned", tr("join() returned") },
    };
    for (const auto& [name, text] : rows) {
        auto* value = new QLabel(QStringLiteral("0"));
        value->setObjectName(QLatin1String(name));
        form->addRow(text, value);
        m_outcomes.append({ QLatin1String(name), value });
    }
    m_verdict->setWordWrap(true);
    m_verdict->setObjectName(QStringLiteral("verdict"));
    form->addRow(m_verdict);
    layout->addWidget(outcome);
    layout->addStretch(1);
    showScenario(m_session.scenario());
    connect(&m_session, &LiveSession::stateChanged, this, &SecurePanel::refresh);
    connect(&m_timer, &QTimer::timeout, this, &SecurePanel::refresh);
    m_timer.start(250);
}

void SecurePanel::refresh()
{
    if (!(m_session.scenario().secure == m_options))
        showScenario(m_session.scenario());
    if (!isVisible() && !m_session.scenario().secure.enabled)
        return;
    const Engine& engine = m_session.engine();
    const StateModel& state = m_session.state();
    // A hang is a deadlock that stays: the same stuck state on two looks in a row.
    const bool stuck = engine.runState() == Engine::RunState::Running
        && m_session.checker().deadlocked(engine.threadsAlive());
    const bool same = state.applied() == m_lastApplied && m_session.runNumber() == m_lastRun;
    m_stuckLooks = stuck ? (same ? m_stuckLooks + 1 : 1) : 0;
    m_lastApplied = state.applied();
    m_lastRun = m_session.runNumber();
    const bool ended = !engine.isActive() || engine.threadsDone();
    showOutcome(state, m_session.checker(), ended, m_stuckLooks >= 2);
}

QLabel* SecurePanel::outcomeLabel(const QString& name) const
{
    for (const auto& [key, label] : m_outcomes) {
        if (key == name)
            return label;
    }
    return nullptr;
}

void SecurePanel::showScenario(const Scenario& scenario)
{
    m_showing = true;
    m_options = scenario.secure;
    const bool secure = scenario.secure.enabled;
    for (const SecureOptions::Switch s : SecureOptions::AllSwitches) {
        m_switches[std::size_t(s)]->setChecked(scenario.secure.on(s));
        m_faults[std::size_t(s)]->setChecked(scenario.secure.fault(s));
    }
    m_controls->setEnabled(secure);
    m_notSecure->setVisible(!secure);
    m_openPreset->setVisible(!secure);
    m_showing = false;
}

void SecurePanel::emitOptions()
{
    if (m_showing || !m_options.enabled)
        return;
    Q_EMIT optionsChosen(m_options);
}

void SecurePanel::showOutcome(
    const StateModel& state, const Checker& checker, bool runEnded, bool hung)
{
    const StateModel::SecureCounts& c = state.secure();
    const bool secure = state.info().scenario.secure.enabled;
    const auto set = [this](const char* name, const QString& text) {
        if (QLabel* label = outcomeLabel(QLatin1String(name)); label && label->text() != text)
            label->setText(text);
    };
    set("timeouts", QString::number(c.putTimeouts));
    set("failed", QString::number(c.raised));
    set("dead_letters", QString::number(c.deadLetters));
    // Items in the queue or in a hand are lost only if the program ends with them there.
    const std::uint64_t inFlight = state.unfinishedItems();
    set("lost_in_flight",
        runEnded ? QString::number(secure ? inFlight : 0)
                 : tr("%1 in flight").arg(secure ? inFlight : 0));
    const std::uint64_t lostResults = checker.count(Violation::Kind::LostResult);
    set("lost_results", QString::number(lostResults));
    set("peak_count",
        state.buffer().bounded() ? tr("%1 (bound %2)").arg(state.maxCount()).arg(state.capacity())
                                 : tr("%1 (unbounded; budget %2)")
                                       .arg(state.maxCount())
                                       .arg(state.info().scenario.capacity));
    set("over_rate_limit", QString::number(c.rateExceeded));
    set("throttled", QString::number(c.throttled));
    set("join_returned",
        c.joinReturned ? tr("yes") : (hung ? tr("no: it never will") : tr("not yet")));
    QString verdict;
    if (hung) {
        const QString hang = checker.joinHang();
        verdict = hang.isEmpty() ? tr("Hung: every live thread waits for another.") : hang;
    } else if (secure && checker.violations() > 0 && !checker.kept().empty()) {
        verdict = checker.kept().front().detail;
    }
    m_verdict->setText(
        verdict.isEmpty() ? QString() : QStringLiteral("<b>%1</b>").arg(verdict.toHtmlEscaped()));
}

} // namespace pcviz
