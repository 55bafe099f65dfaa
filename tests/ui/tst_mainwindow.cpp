// SPDX-License-Identifier: GPL-3.0-or-later
// The window drives a real engine: every control changes the engine's setting while it runs,
// Start/Pause/Reset do what they say, and closing while every thread is blocked is prompt.
// Items travel as tweens at slow rates and never at max rate; presentation mode turns on high
// contrast in either theme and turns it off again.

#include "bufferview.h"
#include "chartspanel.h"
#include "controlspanel.h"
#include "eventlistpanel.h"
#include "eventtablemodel.h"
#include "historybar.h"
#include "livesession.h"
#include "mainwindow.h"
#include "probecostlabel.h"
#include "rateslider.h"
#include "threadlanesview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QFontInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QRegularExpression>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

using namespace pcviz;

namespace {
Scenario slowScenario()
{
    Scenario s;
    s.name = QStringLiteral("ui-test");
    s.capacity = 6;
    s.producers = 2;
    s.consumers = 2;
    s.items = 1'000'000;
    s.produceRate = 50;
    s.consumeRate = 50;
    return s;
}

/// Rates max on a small ring: more events than the window can read.
Scenario flatOutScenario()
{
    Scenario s = slowScenario();
    s.produceRate = RateModel::Max;
    s.consumeRate = RateModel::Max;
    s.capacity = 64;
    return s;
}

/// Keeps the window's thread busy elsewhere while a flat-out run goes on, until its threads
/// have overwritten events the window never read; false if that never happened.
bool fallBehind(LiveSession& session)
{
    const QDeadlineTimer patience(20000);
    while (session.skippedEvents() == 0 && !patience.hasExpired()) {
        QTest::qWait(20);
        QThread::msleep(200);
    }
    return session.skippedEvents() > 0;
}
} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void titleNamesTheScenarioAndControlsShowIt();
    void aRunOverBeforeTheWindowReadsStillShowsEveryThread();
    void savingThenOpeningAScenarioRoundTrips();
    void openingABadScenarioKeepsTheRunAndSaysWhy();
    void zoomScalesTheApplicationFont();
    void zoomedControlsKeepTheirNamesWhole();
    void presetPickerLoadsThePreset();
    void theLastScenarioIsReopenedNextTime();
    void darkThemeDarkensThePanels();
    void presentationModeIsFullScreenLargerAndHighContrast_data();
    void presentationModeIsFullScreenLargerAndHighContrast();
    void itemsTravelAtSlowRatesAndJumpAtMaxRate();
    void countControlsChangeTheRunningEngine();
    void capacityAndRateControlsChangeTheRunningEngine();
    void startPauseAndResetDoWhatTheySay();
    void strategyChangeRestartsTheRunCleanly();
    void chartsFollowTheRunAndFreezeWhilePaused();
    void closingWhileEveryThreadIsBlockedIsPrompt();
    void closeAndCtrlQEndTheRunPromptlyWhileBlockedOrStepping_data();
    void closeAndCtrlQEndTheRunPromptlyWhileBlockedOrStepping();
    void stepKeysAndLaneClicksMoveOneChosenThread();
    void historyGoesBackAndForthAndReturnsToLive();
    void exportedTraceHoldsTheRetainedHistory();
    void failedExportsSayWhyAndLeaveNoFile();
    void runUntilAndTheDeadlockBannerFollowTheSteps();
    void aSteppedSessionSavesItsScheduleAndReplaysIt();
    void aSteppedSessionWhoseThreadCountsChangedSavesAFileThatOpens();
    void eventListFiltersByThreadAndKindAndSeeksToARow();
    void eventListLetsGoOfARunAsSoonAsANewOneReplacesIt();
    void runUntilAThreadMovesStepsTheOthersFirst();
    void runUntilAThreadMovesSaysAtOnceThatAnEndedRunHasEnded();
    void probeCostShowsEventRateAndCostOnceEventsFlow();
    void statusCountsStayExactWhenTheWindowFallsBehind();
    void lanesSayTheyAreASampleWhileTheWindowFallsBehind();
    void theWindowsRingThreadsDoNotSpinLong();
};

void TestMainWindow::initTestCase()
{
    // Settings go to a throw-away location, not the user's.
    QStandardPaths::setTestModeEnabled(true);
}

void TestMainWindow::savingThenOpeningAScenarioRoundTrips()
{
    QTemporaryDir dir;
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    session.start();
    window.controls()->producersBox()->setValue(4);
    window.controls()->capacityBox()->setValue(11);
    const QString path = dir.filePath(QStringLiteral("saved.json"));
    QString error;
    QVERIFY2(window.saveScenario(path, &error), qPrintable(error));
    QVERIFY(session.setScenario(slowScenario()));
    QCOMPARE(session.scenario().producers, 2);
    QVERIFY2(window.openScenario(path, &error), qPrintable(error));
    QCOMPARE(session.scenario().producers, 4);
    QCOMPARE(session.scenario().capacity, 11);
    QCOMPARE(session.scenario().produceRate, 50.0);
    QCOMPARE(window.controls()->capacityBox()->value(), 11);
    QCOMPARE(session.engine().runState(), Engine::RunState::Running);
    session.stop();
}

void TestMainWindow::openingABadScenarioKeepsTheRunAndSaysWhy()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"format":"pcviz-scenario","version":1,"producers":99})");
    file.close();
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    session.start();
    QString error;
    QVERIFY(!window.openScenario(path, &error));
    QVERIFY2(error.contains(QStringLiteral("producers")) && error.contains(QStringLiteral("1..64")),
        qPrintable(error));
    QCOMPARE(session.scenario().name, QStringLiteral("ui-test"));
    QCOMPARE(session.engine().runState(), Engine::RunState::Running);
    session.stop();
}

void TestMainWindow::zoomScalesTheApplicationFont()
{
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    const int before = QFontInfo(QApplication::font()).pixelSize();
    window.zoom(+2);
    QVERIFY(QFontInfo(QApplication::font()).pixelSize() > before);
    window.zoom(-window.zoomSteps());
    QCOMPARE(QFontInfo(QApplication::font()).pixelSize(), before);
}

void TestMainWindow::zoomedControlsKeepTheirNamesWhole()
{
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    window.resize(1280, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QComboBox* strategy = window.controls()->strategyBox();
    window.zoom(+4);
    // The longest strategy name fits once the new font has reached the panel.
    QTRY_VERIFY_WITH_TIMEOUT(strategy->font().pixelSize() == QApplication::font().pixelSize()
            && strategy->width() >= strategy->sizeHint().width(),
        2000);
    window.zoom(-window.zoomSteps());
}

void TestMainWindow::presetPickerLoadsThePreset()
{
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    QComboBox* presets = window.controls()->presetBox();
    QCOMPARE(presets->currentIndex(), -1); // ui-test is not a preset
    const int seed = presets->findData(QStringLiteral("seed"));
    QVERIFY(seed >= 0);
    presets->setCurrentIndex(seed);
    Q_EMIT presets->activated(seed);
    QCOMPARE(session.scenario().name, QStringLiteral("seed"));
    QCOMPARE(window.controls()->capacityBox()->text(), QStringLiteral("unbounded"));
    QVERIFY(!window.controls()->producersBox()->isEnabled()); // main is the one producer
    QVERIFY(window.windowTitle().startsWith(QStringLiteral("seed")));
    QTRY_COMPARE_WITH_TIMEOUT(session.engine().runState(), Engine::RunState::Finished, 10000);
    session.stop();
    QCOMPARE(session.state().consumed(), 100u);
}

void TestMainWindow::theLastScenarioIsReopenedNextTime()
{
    QString error;
    {
        LiveSession session;
        MainWindow window(session);
        QVERIFY2(window.openPreset(QStringLiteral("qt-waitconditions"), &error), qPrintable(error));
        session.stop();
    }
    LiveSession session;
    MainWindow window(session);
    QCOMPARE(session.scenario().name, QStringLiteral("custom"));
    QVERIFY(window.reopenLastScenario());
    QCOMPARE(session.scenario().name, QStringLiteral("qt-waitconditions"));
    QCOMPARE(session.engine().runState(), Engine::RunState::Running);
    session.stop();
}

void TestMainWindow::darkThemeDarkensThePanels()
{
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    window.resize(1000, 800);
    const auto lightness = [&window] {
        QImage image(window.size(), QImage::Format_ARGB32);
        window.render(&image);
        // The lanes' background, away from any bar or text.
        const QPoint probe = window.lanes()->mapTo(&window, QPoint(window.lanes()->width() / 2, 2));
        return image.pixelColor(probe).lightness();
    };
    const int light = lightness();
    window.setDarkTheme(true);
    QVERIFY(window.darkTheme());
    QCoreApplication::processEvents(); // palette changes reach widgets as events
    const int dark = lightness();
    window.setDarkTheme(false);
    QVERIFY2(dark < 80 && light > 200, qPrintable(QStringLiteral("%1 %2").arg(dark).arg(light)));
}

void TestMainWindow::presentationModeIsFullScreenLargerAndHighContrast_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light theme: black on white") << false;
    QTest::newRow("dark theme: white on black") << true;
}

void TestMainWindow::presentationModeIsFullScreenLargerAndHighContrast()
{
    QFETCH(bool, dark);
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    window.resize(1000, 800);
    window.setDarkTheme(dark);
    QCoreApplication::processEvents();
    // What a pixel of the buffer view's background and of the lanes' look like on screen.
    const auto pixels = [&window] {
        QCoreApplication::processEvents(); // palette and font changes reach widgets as events
        QImage image(window.size(), QImage::Format_ARGB32);
        window.render(&image);
        const QPoint buffer = window.bufferView()->mapTo(&window, QPoint(3, 3));
        const QPoint lanes = window.lanes()->mapTo(&window, QPoint(window.lanes()->width() / 2, 2));
        return std::pair { image.pixelColor(buffer).rgb(), image.pixelColor(lanes).rgb() };
    };
    const QRgb window0 = QApplication::palette().color(QPalette::Window).rgb();
    const QRgb text0 = QApplication::palette().color(QPalette::WindowText).rgb();
    const int font0 = QFontInfo(QApplication::font()).pixelSize();
    const auto before = pixels();
    const QRgb background = dark ? qRgb(0, 0, 0) : qRgb(0xff, 0xff, 0xff);
    const QRgb foreground = dark ? qRgb(0xff, 0xff, 0xff) : qRgb(0, 0, 0);
    QVERIFY(before.first != background);

    window.setPresentationMode(true);
    QVERIFY(window.presentationMode());
    QVERIFY(window.windowState() & Qt::WindowFullScreen);
    QVERIFY(QFontInfo(QApplication::font()).pixelSize() > font0);
    QCOMPARE(QApplication::palette().color(QPalette::Window).rgb(), background);
    QCOMPARE(QApplication::palette().color(QPalette::WindowText).rgb(), foreground);
    QVERIFY(window.bufferView()->theme().highContrast());
    QCOMPARE(window.bufferView()->theme().dark(), dark);
    QVERIFY(window.charts()->theme().highContrast());
    QCOMPARE(window.charts()->producedSeries()->pen().widthF(), 4.0);
    const auto during = pixels();
    QCOMPARE(during.first, background);
    QCOMPARE(during.second, background);

    window.setPresentationMode(false);
    QVERIFY(!window.presentationMode());
    QVERIFY(!(window.windowState() & Qt::WindowFullScreen));
    QCOMPARE(QFontInfo(QApplication::font()).pixelSize(), font0);
    QCOMPARE(window.darkTheme(), dark);
    QCOMPARE(QApplication::palette().color(QPalette::Window).rgb(), window0);
    QCOMPARE(QApplication::palette().color(QPalette::WindowText).rgb(), text0);
    QVERIFY(!window.bufferView()->theme().highContrast());
    QCOMPARE(window.charts()->producedSeries()->pen().widthF(), 2.0);
    const auto after = pixels();
    QCOMPARE(after.first, before.first);
    QCOMPARE(after.second, before.second);
    window.setDarkTheme(false);
}

void TestMainWindow::itemsTravelAtSlowRatesAndJumpAtMaxRate()
{
    Scenario s = slowScenario();
    s.produceRate = 5; // 2 producers and 2 consumers: about 20 moves a second
    s.consumeRate = 5;
    LiveSession session;
    QVERIFY(session.setScenario(s));
    MainWindow window(session);
    window.setAnimateItems(true);
    BufferView* buffer = window.bufferView();
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(buffer->tweensStarted() >= 2, 5000);

    window.controls()->produceRateSlider()->slider()->setValue(
        window.controls()->produceRateSlider()->slider()->maximum());
    window.controls()->consumeRateSlider()->slider()->setValue(
        window.controls()->consumeRateSlider()->slider()->maximum());
    QVERIFY(session.engine().scenario().produceRate == RateModel::Max);
    // Once frames are busy, not one more tween starts, however long it runs.
    QTRY_VERIFY_WITH_TIMEOUT(session.frameMoves().total > BufferView::MaxMovesPerFrame, 5000);
    const std::uint64_t started = buffer->tweensStarted();
    const std::uint64_t puts = session.state().puts();
    QTRY_VERIFY_WITH_TIMEOUT(session.state().puts() > puts + 20'000, 10000);
    QCOMPARE(buffer->activeTweenCount(), 0);
    QCOMPARE(buffer->tweensStarted(), started);
    session.stop();
}

void TestMainWindow::titleNamesTheScenarioAndControlsShowIt()
{
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    QVERIFY(window.windowTitle().contains(QStringLiteral("ui-test")));
    QCOMPARE(window.controls()->producersBox()->value(), 2);
    QCOMPARE(window.controls()->capacityBox()->value(), 6);
    QCOMPARE(window.controls()->produceRateSlider()->rate(),
        RateSlider::rateAt(RateSlider::positionOf(50)));
    // Showing the scenario did not change it.
    QCOMPARE(session.scenario().produceRate, 50.0);
}

void TestMainWindow::aRunOverBeforeTheWindowReadsStillShowsEveryThread()
{
    // 1000 items at full speed are often moved before the first frame, and a thread may end
    // before the last one starts: every thread still gets its lane (a thread that started
    // late once took over the lane of one that had ended, and the window never saw the first).
    for (int round = 0; round < 10; ++round) {
        Scenario s = slowScenario();
        s.producers = 4;
        s.consumers = 4;
        s.capacity = 16;
        s.items = 1000;
        s.produceRate = RateModel::Max;
        s.consumeRate = RateModel::Max;
        LiveSession session;
        QVERIFY(session.setScenario(s));
        MainWindow window(session);
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.engine().runState(), Engine::RunState::Finished, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(window.lanes()->laneCount(), 8, 5000);
    }
}

void TestMainWindow::countControlsChangeTheRunningEngine()
{
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    session.start();
    window.controls()->producersBox()->setValue(5);
    QCOMPARE(session.engine().scenario().producers, 5);
    QTRY_COMPARE_WITH_TIMEOUT(session.engine().liveProducers(), 5, 5000);
    window.controls()->consumersBox()->setValue(1);
    QCOMPARE(session.engine().scenario().consumers, 1);
    QTRY_COMPARE_WITH_TIMEOUT(session.engine().liveConsumers(), 1, 5000);
    // The lanes pick the new threads up from their events.
    QTRY_VERIFY_WITH_TIMEOUT(window.lanes()->laneCount() >= 7, 5000);
    session.stop();
}

void TestMainWindow::capacityAndRateControlsChangeTheRunningEngine()
{
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    session.start();
    window.controls()->capacityBox()->setValue(3);
    QCOMPARE(session.engine().scenario().capacity, 3);
    // The capacity event reaches the state the buffer view paints.
    QTRY_COMPARE_WITH_TIMEOUT(session.state().capacity(), 3, 5000);
    QSlider* produce = window.controls()->produceRateSlider()->slider();
    produce->setValue(produce->maximum());
    QVERIFY(session.engine().scenario().produceRate == RateModel::Max);
    QSlider* consume = window.controls()->consumeRateSlider()->slider();
    consume->setValue(0);
    QCOMPARE(session.engine().scenario().consumeRate, RateSlider::rateAt(0));
    QCOMPARE(RateSlider::rateAt(0), 0.1);
    session.stop();
}

void TestMainWindow::startPauseAndResetDoWhatTheySay()
{
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    QPushButton* startPause = window.controls()->startPauseButton();
    QCOMPARE(session.engine().runState(), Engine::RunState::Idle);
    QTest::mouseClick(startPause, Qt::LeftButton);
    QCOMPARE(session.engine().runState(), Engine::RunState::Running);
    QCOMPARE(startPause->text(), QStringLiteral("Pause"));
    QTest::mouseClick(startPause, Qt::LeftButton);
    QCOMPARE(session.engine().runState(), Engine::RunState::Paused);
    QCOMPARE(startPause->text(), QStringLiteral("Resume"));
    QTest::mouseClick(startPause, Qt::LeftButton);
    QCOMPARE(session.engine().runState(), Engine::RunState::Running);
    QTRY_VERIFY_WITH_TIMEOUT(session.state().produced() >= 3, 5000);
    QTest::mouseClick(window.controls()->resetButton(), Qt::LeftButton);
    QCOMPARE(session.engine().runState(), Engine::RunState::Running);
    // A fresh run: the fold starts again from its first event.
    QVERIFY(session.state().produced() < 3);
    session.stop();
}

void TestMainWindow::strategyChangeRestartsTheRunCleanly()
{
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    session.start();
    QComboBox* strategy = window.controls()->strategyBox();
    const int semaphore = strategy->findData(QStringLiteral("semaphore"));
    QVERIFY(semaphore >= 0);
    strategy->setCurrentIndex(semaphore);
    Q_EMIT strategy->activated(semaphore);
    QCOMPARE(session.scenario().strategy, QStringLiteral("semaphore"));
    QCOMPARE(session.engine().runState(), Engine::RunState::Running);
    QTRY_VERIFY_WITH_TIMEOUT(session.state().puts() >= 2, 5000);
    QCOMPARE(session.state().info().objects.front().name, QStringLiteral("empty"));
    session.stop();
}

void TestMainWindow::chartsFollowTheRunAndFreezeWhilePaused()
{
    Scenario s = slowScenario();
    s.produceRate = 200;
    s.consumeRate = 200;
    LiveSession session;
    QVERIFY(session.setScenario(s));
    MainWindow window(session);
    session.start();
    QLineSeries* produced = window.charts()->producedSeries();
    QTRY_VERIFY_WITH_TIMEOUT(produced->count() >= 3, 10000);
    QVERIFY(produced->at(produced->count() - 1).y() > 0);
    session.togglePause();
    QTRY_VERIFY_WITH_TIMEOUT(!session.engine().gate().parked().empty(), 5000);
    const int frozen = produced->count();
    // While paused no sample is taken however long the window stays open.
    QTest::qWait(700);
    QCOMPARE(produced->count(), frozen);
    session.togglePause();
    QTRY_VERIFY_WITH_TIMEOUT(produced->count() > frozen, 10000);
    session.stop();
}

void TestMainWindow::closingWhileEveryThreadIsBlockedIsPrompt()
{
    Scenario s = slowScenario();
    s.produceRate = Scenario::MinRate; // consumers wait for an item for 100 s
    auto session = std::make_unique<LiveSession>();
    QVERIFY(session->setScenario(s));
    auto window = std::make_unique<MainWindow>(*session);
    window->show();
    session->start();
    QTRY_VERIFY_WITH_TIMEOUT(
        window->lanes()->laneWords(window->lanes()->laneCount() - 1).startsWith(u"waiting"), 5000);
    QElapsedTimer timer;
    timer.start();
    window->close();
    window.reset();
    session.reset();
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
}

void TestMainWindow::closeAndCtrlQEndTheRunPromptlyWhileBlockedOrStepping_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<bool>("ctrlQ");
    for (const bool ctrlQ : { false, true }) {
        const char* how = ctrlQ ? "Ctrl+Q" : "close";
        QTest::addRow("%s, deadlock preset, every thread blocked", how)
            << QStringLiteral("deadlock") << ctrlQ;
        QTest::addRow("%s, pyqueue join with no consumer left", how)
            << QStringLiteral("join") << ctrlQ;
        QTest::addRow("%s, stepped, threads parked at gates", how)
            << QStringLiteral("stepped") << ctrlQ;
        QTest::addRow("%s, playing steps", how) << QStringLiteral("playing") << ctrlQ;
    }
}

void TestMainWindow::closeAndCtrlQEndTheRunPromptlyWhileBlockedOrStepping()
{
    QFETCH(QString, state);
    QFETCH(bool, ctrlQ);
    auto session = std::make_unique<LiveSession>();
    auto window = std::make_unique<MainWindow>(*session);
    window->show();
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    const Engine& engine = session->engine();
    const auto everyThreadBlocked = [&engine] {
        int blocked = 0;
        for (const Gate::ThreadState& t : engine.gate().threads())
            blocked += t.state == Gate::State::Blocked ? 1 : 0;
        return engine.threadsAlive() > 0 && blocked == engine.threadsAlive();
    };
    QString error;
    if (state == u"deadlock") {
        QVERIFY2(window->openPreset(QStringLiteral("deadlock"), &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(everyThreadBlocked(), 20000);
    } else if (state == u"join") {
        // main waits in join() for consumers that wait in get() for items that never come.
        Scenario s = slowScenario();
        s.strategy = QStringLiteral("pyqueue");
        s.producers = 1;
        s.mainProduces = true;
        s.join = true;
        s.items = 5;
        s.produceRate = Scenario::MaxRate;
        QVERIFY2(session->setScenario(s, &error), qPrintable(error));
        session->start();
        QTRY_VERIFY_WITH_TIMEOUT(everyThreadBlocked(), 20000);
    } else {
        QVERIFY(session->setScenario(slowScenario()));
        session->startStepped();
        for (int i = 0; i < 20; ++i)
            QVERIFY2(session->step().isEmpty(), "a step was refused");
        QVERIFY(!engine.gate().parked().empty());
        if (state == u"playing") {
            QAction* play = nullptr;
            for (QAction* a : window->findChildren<QAction*>())
                play = a->shortcut() == QKeySequence(Qt::Key_P) ? a : play;
            QVERIFY(play);
            play->setChecked(true);
            const std::uint64_t applied = session->state().applied();
            QTRY_VERIFY_WITH_TIMEOUT(session->state().applied() > applied, 10000);
        }
    }
    QCOMPARE(window->isVisible(), true);

    QElapsedTimer timer;
    timer.start();
    if (ctrlQ)
        QTest::keyClick(window.get(), Qt::Key_Q, Qt::ControlModifier);
    else
        window->close();
    QVERIFY(!window->isVisible());
    QVERIFY(!engine.isActive());
    QVERIFY(engine.threadsDone());
    window.reset();
    session.reset();
    // The goal is 2 s; the bound leaves room for a loaded machine.
    qInfo("%s ended the run in %lld ms", ctrlQ ? "Ctrl+Q" : "close", timer.elapsed());
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
}

void TestMainWindow::stepKeysAndLaneClicksMoveOneChosenThread()
{
    Scenario s = slowScenario();
    s.strategy = QStringLiteral("monitor");
    s.capacity = 1;
    LiveSession session;
    QVERIFY(session.setScenario(s));
    MainWindow window(session);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(session.state().puts() >= 1, 10000);

    using Standing = std::map<std::uint32_t, std::tuple<int, int, int>>;
    const auto standing = [&] {
        Standing out;
        for (const Gate::ThreadState& t : session.engine().gate().threads())
            out[t.thread.packed()] = { int(t.state), int(t.next), t.object };
        return out;
    };
    // Moves `thread` by `act` and checks that it moved and that no other parked thread did;
    // or, for a thread that cannot move, that the window says why.
    const auto checkStep = [&](ThreadRef thread, const std::function<void()>& act) {
        QVERIFY(session.engine().waitUntilSettled());
        const Standing before = standing();
        const std::uint64_t applied = session.state().applied();
        const bool canMove = session.nextActions().value(thread.packed()).startsWith(u"next:");
        act();
        const QString message = window.statusBar()->currentMessage();
        if (!canMove) {
            QVERIFY2(message.contains(thread.name()), qPrintable(message));
            return;
        }
        QVERIFY2(message.isEmpty(), qPrintable(message));
        const Standing after = standing();
        // It recorded what it did, or it tried a lock again and is blocked once more.
        QVERIFY(session.state().applied() > applied
            || std::get<0>(after.at(thread.packed())) == int(Gate::State::Blocked));
        for (const auto& [packed, was] : before) {
            if (packed != thread.packed() && std::get<0>(was) == int(Gate::State::Parked))
                QVERIFY2(after.at(packed) == was, "a thread that was not chosen moved");
        }
    };

    // Right pauses the run and steps the policy's choice.
    QTest::keyClick(&window, Qt::Key_Right);
    QCOMPARE(session.engine().runState(), Engine::RunState::Paused);
    QVERIFY(session.engine().waitUntilSettled());
    // The lanes say what a parked thread will do next.
    bool shown = false;
    for (int lane = 0; lane < window.lanes()->laneCount(); ++lane)
        shown = shown || window.lanes()->laneWords(lane).startsWith(u"next:");
    QVERIFY(shown);

    // Number keys step the thread in that lane.
    for (int round = 0; round < 12; ++round) {
        const int lane = round % window.lanes()->laneCount();
        checkStep(*window.lanes()->laneThread(lane),
            [&] { QTest::keyClick(&window, Qt::Key(Qt::Key_1 + lane)); });
    }
    // A click on a lane steps that lane's thread.
    for (int lane = 0; lane < window.lanes()->laneCount(); ++lane) {
        const QPoint centre = window.lanes()->swatchRect(lane).center().toPoint();
        checkStep(*window.lanes()->laneThread(lane),
            [&] { QTest::mouseClick(window.lanes(), Qt::LeftButton, {}, centre); });
    }
    session.stop();
}

void TestMainWindow::historyGoesBackAndForthAndReturnsToLive()
{
    Scenario s = slowScenario();
    s.produceRate = 200;
    s.consumeRate = 200;
    LiveSession session;
    QVERIFY(session.setScenario(s));
    MainWindow window(session);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(session.history().end() > 200, 10000);

    // Left pauses the run and shows the state just before the newest event.
    QTest::keyClick(&window, Qt::Key_Left);
    QCOMPARE(session.engine().runState(), Engine::RunState::Paused);
    QVERIFY(!window.historyBar()->isLive());
    const std::uint64_t newest = window.shownState().applied();
    QVERIFY(newest + 1 <= session.history().end());
    QTest::keyClick(&window, Qt::Key_Left);
    QCOMPARE(window.shownState().applied(), newest - 1);
    QTest::keyClick(&window, Qt::Key_Right);
    QCOMPARE(window.shownState().applied(), newest);

    // The slider goes anywhere retained; what is shown is the fold up to that event.
    QSlider* slider = window.historyBar()->slider();
    slider->setValue(slider->maximum() / 2);
    const std::uint64_t shownAfter = window.shownState().applied();
    QVERIFY(shownAfter > session.history().begin() && shownAfter < newest);
    StateModel fresh(session.state().info());
    for (std::uint64_t seq = session.history().begin(); seq < shownAfter; ++seq)
        fresh.apply(session.history().at(seq));
    QCOMPARE(window.shownState().count(), fresh.count());
    QCOMPARE(window.shownState().puts(), fresh.puts());
    QCOMPARE(window.lanes()->laneCount(), int(fresh.threads().size()));

    // End (or the button) returns to the live run.
    QTest::keyClick(&window, Qt::Key_End);
    QVERIFY(window.historyBar()->isLive());
    QCOMPARE(&window.shownState(), &session.state());

    // Looking back, then resetting: the new run is shown, not the old run's past.
    QTest::keyClick(&window, Qt::Key_Left);
    QVERIFY(!window.historyBar()->isLive());
    session.reset();
    QTRY_VERIFY_WITH_TIMEOUT(window.historyBar()->isLive(), 5000);
    QCOMPARE(&window.shownState(), &session.state());
    session.stop();
}

void TestMainWindow::exportedTraceHoldsTheRetainedHistory()
{
    Scenario s = slowScenario();
    s.produceRate = 200;
    s.consumeRate = 200;
    LiveSession session;
    QVERIFY(session.setScenario(s));
    MainWindow window(session);
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(session.history().end() > 100, 10000);
    session.togglePause();
    QVERIFY(session.engine().waitUntilSettled());
    QTRY_VERIFY_WITH_TIMEOUT(session.engine().log().recorded() == session.history().end(), 5000);
    QTemporaryDir dir;
    QString error;
    const QString jsonl = dir.filePath(QStringLiteral("run.jsonl"));
    QVERIFY2(window.exportTrace(jsonl, &error), qPrintable(error));
    QFile lines(jsonl);
    QVERIFY(lines.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = lines.readAll().trimmed().split('\n');
    QCOMPARE(std::uint64_t(rows.size() - 1), session.history().end() - session.history().begin());
    QCOMPARE(QJsonDocument::fromJson(rows.last()).object().value(QStringLiteral("seq")).toInteger(),
        qint64(session.history().end() - 1));

    const QString chrome = dir.filePath(QStringLiteral("run.json"));
    QVERIFY2(window.exportTrace(chrome, &error), qPrintable(error));
    QFile json(chrome);
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QJsonArray events = QJsonDocument::fromJson(json.readAll())
                                  .object()
                                  .value(QStringLiteral("traceEvents"))
                                  .toArray();
    qint64 instants = 0;
    for (const QJsonValue& e : events)
        instants += e.toObject().value(QStringLiteral("ph")).toString() == u"i";
    QCOMPARE(std::uint64_t(instants), session.history().end() - session.history().begin());

    QVERIFY(!window.exportTrace(dir.filePath(QStringLiteral("run.txt")), &error));
    QVERIFY(error.contains(QStringLiteral(".json")));
    session.stop();
}

// What the File menu's exports do once the dialog has given a path: a failure names the path
// and the reason, leaves nothing behind, and never turns a device into a file.
void TestMainWindow::failedExportsSayWhyAndLeaveNoFile()
{
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    session.startStepped();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto entries = [&] {
        return QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    };
    QString error;

    const QString missing = dir.filePath(QStringLiteral("no/such/run.jsonl"));
    QVERIFY(!window.exportTrace(missing, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot write %1: ").arg(missing))
            && error.contains(QStringLiteral("No such file or directory")),
        qPrintable(error));
    QVERIFY(!window.saveScreenshot(dir.filePath(QStringLiteral("no/such/shot.png")), &error));
    QVERIFY2(error.contains(QStringLiteral("no/such/shot.png")), qPrintable(error));
    QVERIFY(entries().isEmpty());

    // A directory where the file would go stays the empty directory it was.
    const QString taken = dir.filePath(QStringLiteral("taken.json"));
    QVERIFY(QDir().mkdir(taken));
    QVERIFY(!window.exportTrace(taken, &error));
    QVERIFY2(error.contains(taken), qPrintable(error));
    QVERIFY(!window.saveScenario(taken, &error));
    QVERIFY(QFileInfo(taken).isDir() && QDir(taken).isEmpty());
    QCOMPARE(entries(), QStringList { QStringLiteral("taken.json") });

    // A full disk: the bytes are refused at the end, and the message says so.
    const QString full = QStringLiteral("/dev/full");
    if (QFileInfo(full).exists() && !QFileInfo(full).isFile()) {
        QVERIFY(!window.saveScreenshot(full, &error));
        QVERIFY2(error.contains(full) && error.contains(QStringLiteral("No space left on device")),
            qPrintable(error));
        QVERIFY(!window.saveScenario(full, &error));
        QVERIFY2(error.contains(QStringLiteral("No space left on device")), qPrintable(error));
        QVERIFY(QFileInfo(full).exists() && !QFileInfo(full).isFile());
    }
    session.stop();
}

void TestMainWindow::runUntilAndTheDeadlockBannerFollowTheSteps()
{
    // The seed's shape without daemons: once main has joined and left, the consumer waits in
    // get() for ever, which stepping shows as a deadlock.
    Scenario s;
    s.strategy = QStringLiteral("pyqueue");
    s.capacity = 2;
    s.producers = 1;
    s.consumers = 1;
    s.items = 3;
    s.mainProduces = true;
    s.join = true;
    LiveSession session;
    QVERIFY(session.setScenario(s));
    MainWindow window(session);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    session.startStepped(); // from the very start, so the run is the same every time
    QVERIFY(session.engine().waitUntilSettled());

    QVERIFY2(session.runUntil(LiveSession::Until::BufferFull).isEmpty(), "never full");
    QCOMPARE(session.state().count(), 2);
    QVERIFY(window.deadlockBanner()->isHidden());
    QVERIFY2(session.runUntil(LiveSession::Until::BufferEmpty).isEmpty(), "never empty");
    QCOMPARE(session.state().count(), 0);

    // Step until nothing can move: the banner names who waits for what.
    QString problem;
    for (int i = 0; i < 500 && problem.isEmpty(); ++i)
        problem = session.step();
    QVERIFY(problem.contains(QStringLiteral("No thread can move")));
    window.grab(); // a frame's worth of painting, as the user would see it
    QVERIFY(window.deadlockBanner()->isVisible());
    const QString banner = window.deadlockBanner()->text();
    QVERIFY2(banner.contains(QStringLiteral("C0 waits for not_empty")), qPrintable(banner));
    session.stop();
}

void TestMainWindow::aSteppedSessionSavesItsScheduleAndReplaysIt()
{
    Scenario s = slowScenario();
    s.capacity = 2;
    LiveSession session;
    QVERIFY(session.setScenario(s));
    MainWindow window(session);
    session.startStepped();
    session.setStepPolicy(StepPolicy::Kind::Random);
    for (int i = 0; i < 60; ++i)
        QVERIFY2(session.step().isEmpty(), "a step was refused");
    QCOMPARE(session.schedule().size(), 60);
    const auto eventsOf = [](const LiveSession& live) {
        QStringList out;
        const EventHistory& h = live.history();
        for (std::uint64_t seq = h.begin(); seq < h.end(); ++seq) {
            const Event& e = h.at(seq);
            out.append(QStringLiteral("%1 %2 %3 %4")
                           .arg(e.thread.name(), QLatin1String(kindName(e.kind)))
                           .arg(e.item)
                           .arg(e.count));
        }
        return out;
    };
    const QStringList expected = eventsOf(session);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stepped.json"));
    QString error;
    QVERIFY2(window.saveScenario(path, &error), qPrintable(error));
    session.stop();

    const std::optional<Scenario> saved = Scenario::load(path, &error);
    QVERIFY2(saved, qPrintable(error));
    QCOMPARE(saved->schedule, session.schedule());
    LiveSession replay;
    QVERIFY(replay.setScenario(*saved));
    replay.start(); // a scenario with a schedule starts stepped and follows it
    QCOMPARE(replay.engine().runState(), Engine::RunState::Paused);
    for (int i = 0; i < 60; ++i)
        QVERIFY2(replay.step().isEmpty(), "a replayed step was refused");
    QCOMPARE(eventsOf(replay), expected);
    replay.stop();
}

void TestMainWindow::eventListLetsGoOfARunAsSoonAsANewOneReplacesIt()
{
    // Found by the GUI fuzz: a new run replaced the history while the event list kept the old
    // one's rows until the next frame that folded events (a stepped start folds none), and
    // painting those rows read the freed history.
    LiveSession session;
    QVERIFY(session.setScenario(slowScenario()));
    MainWindow window(session);
    window.show();
    window.eventsDock()->show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QAbstractItemModel* rows = window.eventList()->table()->model();
    const auto showsTheHistory = [&] {
        const EventHistory& h = session.history();
        return rows->rowCount() == int(h.end() - h.begin());
    };
    session.startStepped();
    for (int i = 0; i < 12; ++i)
        QVERIFY2(session.step().isEmpty(), "a step was refused");
    QVERIFY(rows->rowCount() > 0);
    QVERIFY(showsTheHistory());
    session.startStepped(); // every thread waits at its start gate: no event yet
    QCOMPARE(rows->rowCount(), 0);
    QVERIFY(showsTheHistory());
    for (int i = 0; i < 12; ++i)
        QVERIFY2(session.step().isEmpty(), "a step was refused");
    session.reset();
    QVERIFY(showsTheHistory());
    session.stop();
}

void TestMainWindow::aSteppedSessionWhoseThreadCountsChangedSavesAFileThatOpens()
{
    // Found by the GUI fuzz: a producer added while stepping, stepped, and removed again left
    // a schedule naming P2 in a scenario of two producers; the saved file would not open.
    Scenario s = slowScenario();
    s.producers = 2;
    LiveSession session;
    QVERIFY(session.setScenario(s));
    MainWindow window(session);
    session.startStepped();
    window.controls()->producersBox()->setValue(3);
    QVERIFY2(session.runUntilMoves(*ThreadRef::fromName(QStringLiteral("P2"))).isEmpty(),
        "P2 never moved");
    QVERIFY(session.schedule().contains(QStringLiteral("P2")));
    window.controls()->producersBox()->setValue(2);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("changed.json"));
    QString error;
    QVERIFY2(window.saveScenario(path, &error), qPrintable(error));
    QVERIFY(window.statusBar()->currentMessage().contains(u"without the steps"));
    const std::optional<Scenario> saved = Scenario::load(path, &error);
    QVERIFY2(saved, qPrintable(error));
    QCOMPARE(saved->producers, 2);
    QVERIFY(saved->schedule.isEmpty());
    session.stop();
}

void TestMainWindow::eventListFiltersByThreadAndKindAndSeeksToARow()
{
    Scenario s = slowScenario();
    LiveSession session;
    QVERIFY(session.setScenario(s));
    MainWindow window(session);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.eventsDock()->show();
    session.startStepped();
    for (int i = 0; i < 80; ++i)
        QVERIFY(session.step().isEmpty());
    EventListPanel* list = window.eventList();
    QAbstractItemModelTester tester(
        list->table()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int all = list->visibleRows();
    QCOMPARE(std::uint64_t(all), session.history().end() - session.history().begin());

    list->setThreadFilter(QStringLiteral("C0"));
    QVERIFY(list->visibleRows() > 0 && list->visibleRows() < all);
    QAbstractItemModel* shown = list->table()->model();
    for (int row = 0; row < shown->rowCount(); ++row)
        QCOMPARE(
            shown->index(row, EventTableModel::Thread).data().toString(), QStringLiteral("C0"));
    list->setKindFilter(QStringLiteral("lock"));
    QVERIFY(list->visibleRows() > 0);
    for (int row = 0; row < shown->rowCount(); ++row)
        QCOMPARE(
            shown->index(row, EventTableModel::Kind).data().toString(), QStringLiteral("lock"));

    // Choosing a row shows the run right after that event.
    const std::uint64_t seq = shown->index(0, 0).data(EventTableModel::SeqRole).toULongLong();
    list->table()->setCurrentIndex(shown->index(0, 0));
    QVERIFY(!window.historyBar()->isLive());
    QCOMPARE(window.shownState().applied(), seq + 1);

    // New events keep arriving as rows.
    list->setThreadFilter({});
    list->setKindFilter({});
    QVERIFY(session.step().isEmpty());
    QCOMPARE(
        std::uint64_t(list->visibleRows()), session.history().end() - session.history().begin());
    session.stop();
}

void TestMainWindow::runUntilAThreadMovesStepsTheOthersFirst()
{
    Scenario s = slowScenario();
    s.producers = 1;
    s.consumers = 1;
    s.capacity = 1;
    LiveSession session;
    QVERIFY(session.setScenario(s));
    session.startStepped();
    const ThreadRef consumer { Role::Consumer, 0 };
    // The consumer starts, locks, finds nothing and waits: then it cannot move.
    for (int i = 0; i < 20 && session.step(consumer).isEmpty(); ++i) { }
    QVERIFY(session.nextActions().value(consumer.packed()).contains(QStringLiteral("blocked")));
    // Until it moves: the producer goes until its signal frees the consumer, which then moves.
    QVERIFY(session.runUntilMoves(consumer).isEmpty());
    const EventHistory& h = session.history();
    QVERIFY(h.at(h.end() - 1).thread == consumer);
    bool producerMoved = false;
    for (std::uint64_t seq = h.begin(); seq < h.end(); ++seq)
        producerMoved = producerMoved || h.at(seq).kind == EventKind::Put;
    QVERIFY(producerMoved);
    session.stop();
}

void TestMainWindow::runUntilAThreadMovesSaysAtOnceThatAnEndedRunHasEnded()
{
    // Found by the GUI fuzz: Shift+click on a lane of an ended run waited for the gate to
    // settle, up to the step timeout, before saying that nothing could move.
    Scenario s = slowScenario();
    s.items = 1;
    s.produceRate = Scenario::MaxRate;
    s.consumeRate = Scenario::MaxRate;
    LiveSession session;
    QVERIFY(session.setScenario(s));
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(!session.engine().isActive(), 10000);
    QVERIFY(session.runUntilMoves(*ThreadRef::fromName(QStringLiteral("P0")))
                .contains(u"The run has ended"));
}

void TestMainWindow::probeCostShowsEventRateAndCostOnceEventsFlow()
{
    Scenario s = slowScenario();
    s.produceRate = 500;
    s.consumeRate = 500;
    LiveSession session;
    QVERIFY(session.setScenario(s));
    MainWindow window(session);
    ProbeCostLabel* probe = window.probeCost();
    QVERIFY(probe);
    QCOMPARE(probe->parentWidget(), window.statusBar());
    QVERIFY(probe->toolTip().contains(QStringLiteral("ns")));
    session.start();
    // Events per second (a number with an optional k or M) times ns per event, as a share.
    const QRegularExpression figures(QStringLiteral(
        "^probe ([0-9.]+)([kM]?) ev/s × ([0-9.]+) ns (≈ [0-9.]+|< 0\\.1)% of a core$"));
    QTRY_VERIFY_WITH_TIMEOUT(probe->eventsPerSecond() > 0, 10000);
    const QRegularExpressionMatch m = figures.match(probe->text());
    QVERIFY2(m.hasMatch(), qPrintable(probe->text()));
    QVERIFY2(m.captured(1).toDouble() > 0, qPrintable(probe->text()));
    QVERIFY2(m.captured(3).toDouble() > 0, qPrintable(probe->text()));
    session.stop();
}

void TestMainWindow::statusCountsStayExactWhenTheWindowFallsBehind()
{
    const Scenario s = flatOutScenario();
    LiveSession session;
    QVERIFY(session.setScenario(s));
    MainWindow window(session);
    const QLabel* status = window.statusBar()->findChild<QLabel*>(QStringLiteral("runStatus"));
    QVERIFY(status);
    session.start();
    const bool behind = fallBehind(session);
    session.stop();
    QVERIFY2(behind, "the window never fell behind");
    const QRegularExpression counts(QStringLiteral("^produced (\\d+)   consumed (\\d+) "));
    const auto shown
        = [&](int field) { return counts.match(status->text()).captured(field).toULongLong(); };
    QTRY_COMPARE_WITH_TIMEOUT(shown(2), session.engine().consumed(), 10000);
    QCOMPARE(shown(1), session.engine().produced());
    QVERIFY(session.engine().consumed() > 0);
    // What is in the buffer comes from the same counts, not from the last event the fold read,
    // and says it is rough. The stopped threads hold at most one item each besides the buffer.
    const QRegularExpression inBuffer(QStringLiteral("   in buffer about (\\d+)   "));
    const QRegularExpressionMatch match = inBuffer.match(status->text());
    QVERIFY2(match.hasMatch(), qPrintable(status->text()));
    const std::uint64_t shownInBuffer = match.captured(1).toULongLong();
    QCOMPARE(shownInBuffer,
        session.engine().produced()
            - std::min(session.engine().produced(), session.engine().consumed()));
    QVERIFY(shownInBuffer <= std::uint64_t(s.capacity + s.consumers));
}

// Flat out, the lanes show each thread's last event read, caught at different moments: the
// window says so while it skips, and not once the run is paused and every event is read.
void TestMainWindow::lanesSayTheyAreASampleWhileTheWindowFallsBehind()
{
    LiveSession session;
    QVERIFY(session.setScenario(flatOutScenario()));
    MainWindow window(session);
    QVERIFY(window.lanesNote()->isHidden());
    session.start();
    QVERIFY2(fallBehind(session), "the window never fell behind");
    QTRY_VERIFY_WITH_TIMEOUT(!window.lanesNote()->isHidden(), 10000);
    QVERIFY(window.lanesNote()->text().contains(QStringLiteral("Too fast to follow")));
    session.engine().pause();
    QTRY_VERIFY_WITH_TIMEOUT(window.lanesNote()->isHidden(), 10000);
    session.stop();
}

// A headless engine lets an unrecorded ring's threads spin a few tens of microseconds; the
// window's does not, as its frames need a core (README, the lock-free rings).
void TestMainWindow::theWindowsRingThreadsDoNotSpinLong()
{
    QVERIFY(Engine().sparsePollingAllowed());
    LiveSession session;
    QVERIFY(!session.engine().sparsePollingAllowed());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
