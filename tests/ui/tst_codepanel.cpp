// SPDX-License-Identifier: GPL-3.0-or-later
// The code panel follows a real stepped run: each parked thread's marker is on the line of its
// next action, a blocked thread's on the wait it is in, drawn in the thread's colour in that
// line's gutter; a thread woken from a wait stays on the wait while it takes the mutex back.
// Views are those the strategy has, the chosen one is remembered, and the main window's panel
// follows a click on a lane.

#include "codepanel.h"
#include "codeview.h"
#include "engine.h"
#include "eventdrain.h"
#include "livesession.h"
#include "mainwindow.h"
#include "threadlanesview.h"

#include <QComboBox>
#include <QDockWidget>
#include <QImage>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace pcviz;

namespace {
const ThreadRef P0 { Role::Producer, 0 };
const ThreadRef C0 { Role::Consumer, 0 };

/// A real engine started in step mode, folded after every step, shown in a code panel.
class SteppedPanel {
public:
    SteppedPanel(const QString& strategy, const QString& view)
    {
        m_scenario.strategy = strategy;
        m_scenario.capacity = 1;
        m_scenario.items = 100;
        m_engine.setScenario(m_scenario);
        m_state = std::make_unique<StateModel>(RunInfo { m_scenario, m_engine.objects() });
        m_drain = std::make_unique<EventDrain>(m_engine.log(), true);
        panel.setPreferredView(view);
        panel.setStrategy(strategy);
        panel.resize(700, 1400);
        m_engine.start(Engine::StartMode::Stepping);
        m_engine.waitUntilSettled();
        show();
    }
    ~SteppedPanel() { m_engine.stop(); }

    bool step(ThreadRef thread)
    {
        const bool done = m_engine.step(thread) == Gate::StepResult::Done;
        show();
        return done;
    }
    /// The trimmed text of the line thread's marker is on, or "" without one.
    QString lineOf(ThreadRef thread) const
    {
        const std::optional<int> line = panel.markerLine(thread);
        const CodeListing* listing = panel.codeView()->listing();
        return line && listing ? listing->lines()[std::size_t(*line)].text.trimmed() : QString();
    }
    bool blocked(ThreadRef thread) const
    {
        for (const CodeTracker::Marker& m : panel.codeView()->markers()) {
            if (m.thread == thread)
                return m.blocked;
        }
        return false;
    }
    /// How many pixels in rect have (nearly) thread's colour, as the panel drew it.
    int colourIn(const QRect& rect, ThreadRef thread) const
    {
        const QColor want = Theme().thread(thread);
        const QImage image = panel.codeView()->grab().toImage();
        int n = 0;
        for (int y = rect.top(); y <= rect.bottom(); ++y) {
            for (int x = rect.left(); x <= rect.right(); ++x) {
                const QColor c = image.pixelColor(x, y);
                if (std::abs(c.red() - want.red()) + std::abs(c.green() - want.green())
                        + std::abs(c.blue() - want.blue())
                    < 30)
                    ++n;
            }
        }
        return n;
    }

    CodePanel panel;

private:
    void show()
    {
        m_drain->drain([this](const Event& e) { m_state->apply(e); });
        panel.showThreads(m_engine.gate().threads(), *m_state, true);
    }

    Scenario m_scenario;
    Engine m_engine;
    std::unique_ptr<StateModel> m_state;
    std::unique_ptr<EventDrain> m_drain;
};
} // namespace

class TestCodePanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void markersFollowASteppedRunLineByLine();
    void markersAreDrawnInTheThreadsColourInTheirLinesGutter();
    void aThreadWokenFromAWaitTakesTheMutexBackOnTheWaitLine();
    void runningThreadsHaveNoMarkers();
    void onlyTheStrategysViewsAreOfferedAndTheChoiceIsKept();
    void theWindowsPanelFollowsALaneClickAndRemembersItsView();
};

void TestCodePanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
}

void TestCodePanel::markersFollowASteppedRunLineByLine()
{
    SteppedPanel run(QStringLiteral("semaphore"), QStringLiteral("pseudo"));
    QCOMPARE(run.panel.view(), QStringLiteral("pseudo"));
    // Every thread waits at its start.
    QCOMPARE(run.lineOf(P0), QStringLiteral("producer:"));
    QCOMPARE(run.lineOf(C0), QStringLiteral("consumer:"));
    // The consumer comes to wait(full) and, stepped again, blocks there: nothing is in it.
    QVERIFY(run.step(C0));
    QCOMPARE(run.lineOf(C0), QStringLiteral("wait(full)"));
    QVERIFY(!run.blocked(C0));
    QVERIFY(run.step(C0));
    QCOMPARE(run.lineOf(C0), QStringLiteral("wait(full)"));
    QVERIFY(run.blocked(C0));
    // The producer goes through its loop one action at a time.
    for (const char* line :
        { "wait(empty)", "wait(mutex)", "buffer[in] = item", "signal(mutex)", "signal(full)" }) {
        QVERIFY(run.step(P0));
        QCOMPARE(run.lineOf(P0), QString::fromLatin1(line));
        QCOMPARE(run.lineOf(C0), QStringLiteral("wait(full)"));
    }
    // signal(full) hands the permit over: the consumer is no longer blocked but waits its turn
    // at the same line, and the producer comes round to wait(empty) again.
    QVERIFY(run.step(P0));
    QCOMPARE(run.lineOf(P0), QStringLiteral("wait(empty)"));
    QCOMPARE(run.lineOf(C0), QStringLiteral("wait(full)"));
    QVERIFY(!run.blocked(C0));
    QVERIFY(run.step(C0));
    QCOMPARE(run.lineOf(C0), QStringLiteral("wait(mutex)"));
    QVERIFY(run.step(C0));
    QCOMPARE(run.lineOf(C0), QStringLiteral("item = buffer[out]"));
}

void TestCodePanel::markersAreDrawnInTheThreadsColourInTheirLinesGutter()
{
    SteppedPanel run(QStringLiteral("semaphore"), QStringLiteral("cpp"));
    QVERIFY(run.step(C0));
    QVERIFY(run.step(C0)); // blocked in full
    QVERIFY(run.step(P0));
    QVERIFY(run.step(P0)); // at the lock
    CodeView* view = run.panel.codeView();
    const int producerLine = *run.panel.markerLine(P0);
    const int consumerLine = *run.panel.markerLine(C0);
    QCOMPARE(run.lineOf(P0), QStringLiteral("std::scoped_lock lock(mutex);"));
    QCOMPARE(run.lineOf(C0), QStringLiteral("full.acquire(); // a filled slot, or wait"));
    QVERIFY(run.blocked(C0));
    QVERIFY(producerLine != consumerLine);
    // Each tag stands in its line's gutter, and the gutter shows the thread's colour: filled
    // for the producer that runs the line next, an outline for the consumer blocked in it.
    for (const auto& [thread, line] : { std::pair { P0, producerLine }, { C0, consumerLine } }) {
        const QRect gutter = view->gutterRect(line);
        QVERIFY(gutter.contains(view->tagRect(thread)));
        QVERIFY2(
            run.colourIn(gutter, thread) > (thread == P0 ? 60 : 20), qPrintable(thread.name()));
    }
    QVERIFY(run.colourIn(view->gutterRect(producerLine), P0)
        > 2 * run.colourIn(view->gutterRect(consumerLine), C0));
    // No other line's gutter has either colour.
    const QRect otherLine = view->gutterRect(std::max(producerLine, consumerLine) + 2);
    QCOMPARE(run.colourIn(otherLine, P0), 0);
    QCOMPARE(run.colourIn(otherLine, C0), 0);
    // A click on a tag says which thread the student chose.
    QSignalSpy clicked(&run.panel, &CodePanel::markerClicked);
    QTest::mouseClick(view, Qt::LeftButton, {}, view->tagRect(P0).center());
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.front().front().value<ThreadRef>(), P0);
}

void TestCodePanel::aThreadWokenFromAWaitTakesTheMutexBackOnTheWaitLine()
{
    SteppedPanel run(QStringLiteral("monitor"), QStringLiteral("cpp"));
    // The producer fills the one slot and comes back to find it full: it waits on not_full.
    QVERIFY(run.step(P0)); // start -> lock
    for (int i = 0; i < 4; ++i) // lock, put, signal, unlock
        QVERIFY(run.step(P0));
    QCOMPARE(run.lineOf(P0), QStringLiteral("std::unique_lock lock(mutex);"));
    QVERIFY(run.step(P0)); // lock again -> wait
    QCOMPARE(run.lineOf(P0), QStringLiteral("notFull.wait(lock);"));
    QVERIFY(run.step(P0));
    QVERIFY(run.blocked(P0));
    QCOMPARE(run.lineOf(P0), QStringLiteral("notFull.wait(lock);"));
    // The consumer takes the item and signals not_full.
    QVERIFY(run.step(C0)); // start -> lock
    QVERIFY(run.step(C0)); // lock -> get
    QCOMPARE(run.lineOf(C0), QStringLiteral("Item item = slots[out];"));
    QVERIFY(run.step(C0)); // get -> signal
    QCOMPARE(run.lineOf(C0), QStringLiteral("notFull.notify_one();"));
    QVERIFY(run.step(C0)); // signal -> unlock
    QVERIFY(!run.blocked(P0));
    // Woken, the producer takes the mutex back inside wait(): its marker stays on the wait
    // line, not on the lock at the top of put().
    QVERIFY(run.step(P0));
    QCOMPARE(run.panel.codeView()->markers().size(), std::size_t(2));
    QCOMPARE(run.lineOf(P0), QStringLiteral("notFull.wait(lock);"));
    const auto m = std::find_if(run.panel.codeView()->markers().begin(),
        run.panel.codeView()->markers().end(),
        [](const CodeTracker::Marker& m) { return m.thread == P0; });
    QCOMPARE(m->action, GateAction::Lock);
    // The consumer still holds it: the producer blocks in the mutex, still on the wait.
    QVERIFY(run.step(P0));
    QVERIFY(run.blocked(P0));
    QCOMPARE(run.lineOf(P0), QStringLiteral("notFull.wait(lock);"));
    // The unlock wakes it to try again, at its gate, still on the wait.
    QVERIFY(run.step(C0));
    QVERIFY(!run.blocked(P0));
    QCOMPARE(run.lineOf(P0), QStringLiteral("notFull.wait(lock);"));
    QVERIFY(run.step(P0)); // has it, and the slot is free: put
    QCOMPARE(run.lineOf(P0), QStringLiteral("slots[in] = item;"));
}

void TestCodePanel::runningThreadsHaveNoMarkers()
{
    SteppedPanel run(QStringLiteral("monitor"), QStringLiteral("cpp"));
    QVERIFY(run.panel.markerLine(P0));
    StateModel state(RunInfo { Scenario(), {} });
    run.panel.showThreads({}, state, false);
    QVERIFY(!run.panel.markerLine(P0));
    QVERIFY(run.panel.codeView()->markers().empty());
}

void TestCodePanel::onlyTheStrategysViewsAreOfferedAndTheChoiceIsKept()
{
    CodePanel panel;
    auto* combo = panel.findChild<QComboBox*>();
    QVERIFY(combo);
    const auto offered = [&] {
        QStringList out;
        for (int i = 0; i < combo->count(); ++i)
            out << combo->itemText(i);
        return out;
    };
    // With no choice made, the strategy's own view comes first.
    panel.setStrategy(QStringLiteral("pyqueue"));
    QCOMPARE(offered(), QStringList({ QStringLiteral("Python"), QStringLiteral("C++") }));
    QCOMPARE(panel.view(), QStringLiteral("python"));
    panel.setStrategy(QStringLiteral("semaphore"));
    QCOMPARE(offered(), QStringList({ QStringLiteral("Pseudo-code"), QStringLiteral("C++") }));
    QCOMPARE(panel.view(), QStringLiteral("pseudo"));
    panel.setStrategy(QStringLiteral("monitor"));
    QCOMPARE(offered(), QStringList { QStringLiteral("C++") });
    QCOMPARE(panel.view(), QStringLiteral("cpp"));
    // A choice holds for every strategy that has the view, and comes back with one that has.
    panel.setStrategy(QStringLiteral("pyqueue"));
    QSignalSpy chosen(&panel, &CodePanel::viewChosen);
    combo->setCurrentIndex(combo->findText(QStringLiteral("C++")));
    Q_EMIT combo->activated(combo->currentIndex());
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(panel.view(), QStringLiteral("cpp"));
    panel.setStrategy(QStringLiteral("semaphore"));
    QCOMPARE(panel.view(), QStringLiteral("cpp"));
    panel.setPreferredView(QStringLiteral("python"));
    panel.setStrategy(QStringLiteral("monitor"));
    QCOMPARE(panel.view(), QStringLiteral("cpp"));
    panel.setStrategy(QStringLiteral("pyqueue"));
    QCOMPARE(panel.view(), QStringLiteral("python"));
}

void TestCodePanel::theWindowsPanelFollowsALaneClickAndRemembersItsView()
{
    Scenario s;
    s.name = QStringLiteral("ui-test");
    s.strategy = QStringLiteral("semaphore");
    s.capacity = 2;
    s.items = 1'000'000;
    s.produceRate = 50;
    s.consumeRate = 50;
    {
        LiveSession session;
        QVERIFY(session.setScenario(s));
        MainWindow window(session);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.codeDock()->isVisible());
        QCOMPARE(window.code()->view(), QStringLiteral("pseudo"));
        session.start();
        QTRY_VERIFY_WITH_TIMEOUT(session.state().puts() >= 1, 10000);
        QVERIFY(!window.code()->markerLine(P0));
        // A click on a lane pauses the run and steps that thread: every thread gets a marker.
        ThreadLanesView* lanes = window.lanes();
        const ThreadRef first = *lanes->laneThread(0);
        QTest::mouseClick(lanes, Qt::LeftButton, {}, lanes->swatchRect(0).center().toPoint());
        QCOMPARE(session.engine().runState(), Engine::RunState::Paused);
        QVERIFY(session.engine().waitUntilSettled());
        QTRY_VERIFY(window.code()->markerLine(first).has_value());
        QVERIFY(window.code()->markerLine(C0).has_value());
        // The view chosen is saved.
        auto* combo = window.code()->findChild<QComboBox*>();
        combo->setCurrentIndex(combo->findText(QStringLiteral("C++")));
        Q_EMIT combo->activated(combo->currentIndex());
        QVERIFY(window.code()->markerLine(first).has_value());
        window.close();
    }
    LiveSession session;
    s.strategy = QStringLiteral("pyqueue");
    QVERIFY(session.setScenario(s));
    MainWindow window(session);
    QCOMPARE(window.code()->view(), QStringLiteral("cpp"));
}

QTEST_MAIN(TestCodePanel)
#include "tst_codepanel.moc"
