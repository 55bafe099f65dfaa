// SPDX-License-Identifier: GPL-3.0-or-later
// Ten thousand random user actions on a real window over a real engine: sliders, spin boxes,
// strategy and preset changes, start/pause/reset, steps, play, history scrubbing, view toggles,
// saving and opening a scenario, exporting a trace. Each action must return within a bound,
// nothing may crash or print a Qt warning, and every run a correct strategy made must hold
// its invariants (no violation, produced >= consumed + in buffer, count within capacity).
// The seed is printed; PCVIZ_FUZZ_SEED replays a run, PCVIZ_FUZZ_ACTIONS sets the count.
#include "controlspanel.h"
#include "historybar.h"
#include "livesession.h"
#include "mainwindow.h"
#include "rateslider.h"
#include "strategies/strategyregistry.h"
#include "threadlanesview.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <set>

using namespace pcviz;

namespace {

QStringList g_warnings;
QtMessageHandler g_previousHandler = nullptr;

// Warnings that say nothing about pcviz, each with the reason it is let through.
bool benign(const QString& message)
{
    // The offscreen platform cannot pass size hints to a window system it does not have;
    // full screen (presentation mode) asks for them.
    return message.contains(u"This plugin does not support propagateSizeHints()");
}

void recordWarnings(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (type != QtDebugMsg && type != QtInfoMsg && !benign(message))
        g_warnings.append(message);
    g_previousHandler(type, context, message);
}

// Capacity 0 is unbounded (pyqueue): no bound on the count for the rest of that run.
int capacityBound(int capacity)
{
    return capacity == 0 ? std::numeric_limits<int>::max() : capacity;
}

struct Action {
    const char* name;
    int weight;
    std::function<QString()> run; // returns a detail for the log
};

} // namespace

class TestGuiFuzz : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void randomUserActionsKeepEveryCorrectRunConsistentWithoutWarningsOrHangs();
    void cleanupTestCase();

private:
    // The invariants of the run the session shows; the recent actions explain a failure.
    void checkRun(const LiveSession& session, const char* when);
    QString recentActions() const;

    std::deque<QString> m_recent;
    quint32 m_seed = 0;
    std::uint64_t m_run = 0;
    int m_maxCapacity = 0; // the largest capacity the current run has had
    int m_checks = 0;
    std::set<std::uint64_t> m_runs; // every run the session started
    std::set<std::uint64_t> m_brokenRunsWithViolations;
};

void TestGuiFuzz::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    g_previousHandler = qInstallMessageHandler(recordWarnings);
}

void TestGuiFuzz::cleanupTestCase()
{
    qInstallMessageHandler(g_previousHandler);
}

QString TestGuiFuzz::recentActions() const
{
    QStringList lines;
    for (const QString& a : m_recent)
        lines << a;
    return QStringLiteral("seed %1 (replay: PCVIZ_FUZZ_SEED=%1); last actions:\n  %2")
        .arg(m_seed)
        .arg(lines.join(QStringLiteral("\n  ")));
}

void TestGuiFuzz::checkRun(const LiveSession& session, const char* when)
{
    const StateModel& state = session.state();
    if (session.runNumber() != m_run) {
        m_run = session.runNumber();
        m_runs.insert(m_run);
        m_maxCapacity = capacityBound(state.capacity());
    }
    m_maxCapacity = std::max(m_maxCapacity, capacityBound(state.capacity()));
    const Checker& checker = session.checker();
    const StrategyInfo* info = StrategyRegistry::find(state.info().scenario.strategy);
    QVERIFY(info);
    // A run too fast to read every event is only approximate: nothing to judge.
    if (!checker.complete() || state.bufferApproximate())
        return;
    if (info->broken) {
        if (checker.violations() > 0)
            m_brokenRunsWithViolations.insert(m_run);
        return;
    }
    ++m_checks;
    const auto explain = [&] {
        QStringList violations;
        for (const QJsonValue& v : checker.violationsJson())
            violations << QString::fromUtf8(
                QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
        return QStringLiteral("%1, strategy %2: produced %3 consumed %4 count %5 capacity %6 "
                              "(max %7) violations [%8]\n%9")
            .arg(QLatin1String(when), info->name)
            .arg(state.produced())
            .arg(state.consumed())
            .arg(state.count())
            .arg(state.capacity())
            .arg(m_maxCapacity)
            .arg(violations.join(u", "), recentActions());
    };
    QVERIFY2(checker.violations() == 0, qPrintable(explain()));
    // (A broken strategy's racy count may even go below zero: that is what it shows.)
    QVERIFY2(state.count() >= 0, qPrintable(explain()));
    QVERIFY2(
        state.produced() >= state.consumed() + std::uint64_t(state.count()), qPrintable(explain()));
    QVERIFY2(state.count() <= m_maxCapacity, qPrintable(explain()));
}

void TestGuiFuzz::randomUserActionsKeepEveryCorrectRunConsistentWithoutWarningsOrHangs()
{
    m_seed = qEnvironmentVariableIsSet("PCVIZ_FUZZ_SEED")
        ? quint32(qEnvironmentVariableIntValue("PCVIZ_FUZZ_SEED"))
        : QRandomGenerator::global()->generate();
    int count = qEnvironmentVariableIsSet("PCVIZ_FUZZ_ACTIONS")
        ? qEnvironmentVariableIntValue("PCVIZ_FUZZ_ACTIONS")
        : 10'000;
    // The sanitizer builds run everything several times slower.
    if (const int divisor = qEnvironmentVariableIntValue("PCVIZ_TEST_DIVISOR"); divisor > 1)
        count /= divisor;
    qInfo("GUI fuzz: seed %u, %d actions (replay: PCVIZ_FUZZ_SEED=%u)", m_seed, count, m_seed);
    QRandomGenerator random(m_seed);
    const auto pick = [&random](int low, int high) { return int(random.bounded(low, high + 1)); };

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    LiveSession session;
    MainWindow window(session);
    window.resize(960, 700); // smaller than its default: each repaint costs less
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QString error;
    QVERIFY2(window.openPreset(QStringLiteral("default"), &error), qPrintable(error));

    // A dialog would wait for a user who is not there: say so and close it.
    int dialogs = 0;
    QTimer dialogCloser;
    connect(&dialogCloser, &QTimer::timeout, this, [&] {
        if (QWidget* modal = QApplication::activeModalWidget()) {
            ++dialogs;
            const auto* box = qobject_cast<QMessageBox*>(modal);
            qInfo("closing a dialog: %s: %s", qPrintable(modal->windowTitle()),
                qPrintable(box ? box->text() : QString()));
            modal->close();
        }
    });
    dialogCloser.start(50);

    ControlsPanel* controls = window.controls();
    const auto actionWith = [&](const QKeySequence& shortcut) -> QAction* {
        for (QAction* a : window.findChildren<QAction*>()) {
            if (a->shortcut() == shortcut)
                return a;
        }
        return nullptr;
    };
    const auto actionNamed = [&](const QString& text) -> QAction* {
        for (QAction* a : window.findChildren<QAction*>()) {
            if (a->text() == text)
                return a;
        }
        return nullptr;
    };
    QAction* step = actionWith(QKeySequence(Qt::Key_Right));
    QAction* back = actionWith(QKeySequence(Qt::Key_Left));
    QAction* live = actionWith(QKeySequence(Qt::Key_End));
    QAction* play = actionWith(QKeySequence(Qt::Key_P));
    QAction* zoomIn = actionWith(QKeySequence::ZoomIn);
    QAction* zoomOut = actionWith(QKeySequence::ZoomOut);
    QAction* presentation = actionWith(QKeySequence(Qt::Key_F5));
    QAction* dark = actionNamed(QStringLiteral("&Dark theme"));
    QAction* animate = actionNamed(QStringLiteral("&Animate items"));
    QAction* startStepped = actionNamed(QStringLiteral("S&tart stepped from the beginning"));
    QList<QAction*> untils { actionNamed(QStringLiteral("a thread &blocks")),
        actionNamed(QStringLiteral("the buffer is &full")),
        actionNamed(QStringLiteral("the buffer is &empty")) };
    QList<QAction*> policies { actionNamed(QStringLiteral("Policy: &round-robin")),
        actionNamed(QStringLiteral("Policy: r&andom (from the seed)")) };
    QList<QAction*> laneKeys;
    for (int lane = 0; lane < 9; ++lane)
        laneKeys << actionWith(QKeySequence(Qt::Key_1 + lane));
    for (QAction* a : QList<QAction*> { step, back, live, play, zoomIn, zoomOut, presentation, dark,
                          animate, startStepped }
            + untils + policies + laneKeys)
        QVERIFY2(a, "an action the fuzz drives is missing from the window");

    const auto comboKey = [&](QComboBox* box) {
        static const Qt::Key keys[] = { Qt::Key_Down, Qt::Key_Up, Qt::Key_Home, Qt::Key_End };
        const Qt::Key key = keys[pick(0, 3)];
        // A key on the closed box chooses the next entry and emits activated, as a user would.
        QTest::keyClick(box, key);
        return box->currentText();
    };
    const auto setSpin = [&](QSpinBox* box, int low, int high) {
        const int v = pick(low, high);
        box->setValue(v);
        return QString::number(v);
    };
    const auto setSlider = [&](RateSlider* rate) {
        QSlider* s = rate->slider();
        const int v = pick(s->minimum(), s->maximum());
        s->setValue(v);
        return RateSlider::text(rate->rate());
    };
    const auto laneCount = [&] { return window.lanes()->laneCount(); };
    int saved = 0;

    const std::vector<Action> actions {
        { "producers", 18, [&] { return setSpin(controls->producersBox(), 1, 6); } },
        { "consumers", 18, [&] { return setSpin(controls->consumersBox(), 1, 6); } },
        { "capacity", 18,
            [&] {
                const QString v = setSpin(controls->capacityBox(), 0, 16);
                // Lowered below the count, the buffer keeps its items until consumers take them.
                if (session.engine().isActive() && session.runNumber() == m_run)
                    m_maxCapacity = std::max(m_maxCapacity, capacityBound(v.toInt()));
                return v;
            } },
        { "produce rate", 18, [&] { return setSlider(controls->produceRateSlider()); } },
        { "consume rate", 18, [&] { return setSlider(controls->consumeRateSlider()); } },
        { "distribution", 9, [&] { return comboKey(controls->distributionBox()); } },
        { "strategy", 6, [&] { return comboKey(controls->strategyBox()); } },
        { "preset", 3, [&] { return comboKey(controls->presetBox()); } },
        { "start/pause", 15,
            [&] {
                controls->startPauseButton()->click();
                return controls->startPauseButton()->text();
            } },
        { "reset", 6,
            [&] {
                controls->resetButton()->click();
                return QString();
            } },
        { "step", 36,
            [&] {
                step->trigger();
                return QString();
            } },
        { "step lane (key)", 18,
            [&] {
                const int lane = pick(0, 8);
                laneKeys[lane]->trigger();
                return QString::number(lane + 1);
            } },
        { "step lane (click)", 9,
            [&] {
                if (laneCount() == 0)
                    return QStringLiteral("no lanes");
                const int lane = pick(0, laneCount() - 1);
                QTest::mouseClick(window.lanes(), Qt::LeftButton, {},
                    window.lanes()->swatchRect(lane).center().toPoint());
                return QString::number(lane);
            } },
        { "run until a lane moves (shift-click)", 1,
            [&] {
                if (laneCount() == 0)
                    return QStringLiteral("no lanes");
                const int lane = pick(0, laneCount() - 1);
                QTest::mouseClick(window.lanes(), Qt::LeftButton, Qt::ShiftModifier,
                    window.lanes()->swatchRect(lane).center().toPoint());
                return QString::number(lane);
            } },
        { "play", 6,
            [&] {
                play->toggle();
                return play->isChecked() ? QStringLiteral("on") : QStringLiteral("off");
            } },
        { "history back", 15,
            [&] {
                back->trigger();
                return QString();
            } },
        { "history live", 9,
            [&] {
                live->trigger();
                return QString();
            } },
        { "history scrub", 12,
            [&] {
                QSlider* s = window.historyBar()->slider();
                const int v = pick(s->minimum(), std::max(s->minimum(), s->maximum()));
                s->setValue(v);
                return QString::number(v);
            } },
        { "run until", 1,
            [&] {
                QAction* a = untils[pick(0, 2)];
                a->trigger();
                return a->text();
            } },
        { "start stepped", 3,
            [&] {
                startStepped->trigger();
                return QString();
            } },
        { "step policy", 3,
            [&] {
                QAction* a = policies[pick(0, 1)];
                a->trigger();
                return a->text();
            } },
        { "events dock", 3,
            [&] {
                window.eventsDock()->toggleViewAction()->trigger();
                return QString::number(window.eventsDock()->isVisible());
            } },
        { "code dock", 3,
            [&] {
                window.codeDock()->toggleViewAction()->trigger();
                return QString::number(window.codeDock()->isVisible());
            } },
        { "dark theme", 3,
            [&] {
                dark->toggle();
                return QString::number(dark->isChecked());
            } },
        { "animate", 3,
            [&] {
                animate->toggle();
                return QString::number(animate->isChecked());
            } },
        { "zoom", 6,
            [&] {
                (pick(0, 1) ? zoomIn : zoomOut)->trigger();
                return QString::number(window.zoomSteps());
            } },
        { "presentation mode", 3,
            [&] {
                presentation->toggle();
                return QString::number(presentation->isChecked());
            } },
        { "save and reopen scenario", 3,
            [&] {
                const QString path = dir.filePath(QStringLiteral("s%1.json").arg(saved++ % 4));
                QString problem;
                if (!window.saveScenario(path, &problem) || !window.openScenario(path, &problem))
                    g_warnings << QStringLiteral("save/open scenario: ") + problem;
                return path;
            } },
        { "export trace", 3,
            [&] {
                static const char* endings[] = { ".jsonl", ".csv", ".json" };
                const QString path = dir.filePath(
                    QStringLiteral("trace%1").arg(QLatin1String(endings[pick(0, 2)])));
                QString problem;
                if (!window.exportTrace(path, &problem))
                    g_warnings << QStringLiteral("export trace: ") + problem;
                return path;
            } },
    };
    // Run until and Shift+click chain up to 10,000 steps each: rarer than single actions.
    int totalWeight = 0;
    for (const Action& a : actions)
        totalWeight += a.weight;

    // A step may take StepTimeout (5 s) when a thread does not come to rest; run-until and
    // shift-click chain up to 10,000 steps. Anything beyond this is a hang.
    constexpr qint64 ActionBoundMs = 20'000;
    QElapsedTimer total;
    total.start();
    std::map<QString, std::pair<int, qint64>> timeByAction; // count, ms
    for (int i = 0; i < count; ++i) {
        int r = pick(0, totalWeight - 1);
        const Action* chosen = &actions.front();
        for (const Action& a : actions) {
            if (r < a.weight) {
                chosen = &a;
                break;
            }
            r -= a.weight;
        }
        // A run about to be replaced is checked as it ends.
        checkRun(session, "before the action");
        if (QTest::currentTestFailed())
            return;
        QElapsedTimer timer;
        timer.start();
        const QString detail = chosen->run();
        // Events (and so repaints) every few actions, as a quick user's clicks come between
        // frames; a whole frame now and then, below.
        if (i % 4 == 3)
            QCoreApplication::processEvents();
        const qint64 ms = timer.elapsed();
        m_recent.push_back(QStringLiteral("#%1 %2 %3 (%4 ms)")
                               .arg(i)
                               .arg(QLatin1String(chosen->name), detail)
                               .arg(ms));
        if (m_recent.size() > 30)
            m_recent.pop_front();
        auto& [times, spent] = timeByAction[QLatin1String(chosen->name)];
        ++times;
        spent += ms;
        if (ms > 1000) {
            QStringList threads;
            for (const Gate::ThreadState& t : session.engine().gate().threads())
                threads << QStringLiteral("%1:%2").arg(t.thread.name()).arg(int(t.state));
            qInfo("slow action: %s; status: %s; threads %s", qPrintable(m_recent.back()),
                qPrintable(window.statusBar()->currentMessage()), qPrintable(threads.join(u' ')));
        }
        QVERIFY2(ms < ActionBoundMs, qPrintable(QStringLiteral("hang: ") + recentActions()));
        QVERIFY2(g_warnings.isEmpty(),
            qPrintable(g_warnings.join(u'\n') + QLatin1Char('\n') + recentActions()));
        // Now and then a whole frame, so the views fold and paint what the actions did.
        if (i % 64 == 63)
            QTest::qWait(17);
    }
    checkRun(session, "at the end");
    if (QTest::currentTestFailed())
        return;
    window.close();
    QVERIFY(!session.engine().isActive());
    QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join(u'\n')));
    QStringList spentText;
    for (const auto& [name, entry] : timeByAction)
        spentText << QStringLiteral("%1 %2x %3 ms").arg(name).arg(entry.first).arg(entry.second);
    qInfo("GUI fuzz: %d actions in %lld ms (%s); %d dialogs; %d runs; %d checks of correct runs "
          "passed; %d runs of broken strategies showed their violations",
        count, total.elapsed(), qPrintable(spentText.join(u", ")), dialogs, int(m_runs.size()),
        m_checks, int(m_brokenRunsWithViolations.size()));
}

QTEST_MAIN(TestGuiFuzz)
#include "tst_guifuzz.moc"
