// SPDX-License-Identifier: GPL-3.0-or-later
// The Lessons panel answers the course activity's five questions; Show me starts the matching
// preset and outlines the part of the window that answers it; a preset this build lacks
// disables its button with the reason. The results list and the unfinished-task counter
// follow a stepped seed run exactly.

#include "lessons.h"
#include "lessonspanel.h"
#include "livesession.h"
#include "mainwindow.h"
#include "presets.h"
#include "primitivesmodel.h"
#include "resultsmodel.h"
#include "resultspanel.h"
#include "spotlight.h"
#include "threadlanesview.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDockWidget>
#include <QMutex>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace pcviz;

namespace {
/// The consume, put and task_done events as the engine's threads made them, in that order.
class EngineTap {
public:
    explicit EngineTap(Engine& engine)
    {
        // Direct: recorded on the thread that made the transition, before anything else sees it.
        QObject::connect(
            &engine, &Engine::transition, &engine,
            [this](const Event& e) {
                const QMutexLocker lock(&m_mutex);
                if (e.kind == EventKind::Consume)
                    m_consumed.push_back({ e.value, e.result });
                m_puts += e.kind == EventKind::Put;
                m_taskDones += e.kind == EventKind::TaskDone;
            },
            Qt::DirectConnection);
    }
    QVector<std::pair<std::int64_t, std::int64_t>> consumed() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_consumed;
    }
    std::int64_t unfinished() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_puts - m_taskDones;
    }

private:
    mutable QMutex m_mutex;
    QVector<std::pair<std::int64_t, std::int64_t>> m_consumed;
    std::int64_t m_puts = 0;
    std::int64_t m_taskDones = 0;
};

QRect inWindow(QWidget* widget, const QRect& area)
{
    return QRect(widget->mapTo(widget->window(), area.topLeft()), area.size());
}

Spotlight* spotlightFor(const LessonsPanel& panel, const QString& name)
{
    for (const QPointer<Spotlight>& s : panel.spotlights()) {
        if (s && s->targetName() == name)
            return s;
    }
    return nullptr;
}

QTableView* primitivesView(MainWindow& window)
{
    for (QTableView* view : window.findChildren<QTableView*>()) {
        if (view->model() == window.primitives())
            return view;
    }
    return nullptr;
}

/// Step > Start stepped from the beginning, as a lecturer would choose it.
void startSteppedFromTheMenu(MainWindow& window)
{
    for (QAction* action : window.findChildren<QAction*>()) {
        if (action->text().remove(u'&') == u"Start stepped from the beginning") {
            action->trigger();
            return;
        }
    }
    QFAIL("no Step > Start stepped from the beginning");
}

int lessonAbout(const LessonsPanel& panel, const QString& words)
{
    for (int i = 0; i < panel.lessonCount(); ++i) {
        if (panel.question(i).contains(words))
            return i;
    }
    return -1;
}
} // namespace

class TestLessonsPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void theFiveQuestionsOfTheActivityAreListed();
    void viewLessonsShowsTheDockInFront();
    void everyTargetTheLessonsNameIsAPartOfTheWindow();
    void showMeForJoinStartsSeedAndOutlinesMainsLaneAndTheCounter();
    void aMissingPresetDisablesItsButtonAndSaysWhy();
    void malformedLessonsAreRefusedNamingTheField_data();
    void malformedLessonsAreRefusedNamingTheField();
    void resultsFollowTheEnginesConsumptionOrderInASteppedSeedRun();
    void unfinishedTaskCounterIsPutsMinusTaskDones_data();
    void unfinishedTaskCounterIsPutsMinusTaskDones();
    void theSeedEndsWithMainGoneAndTheDaemonsLeftInGet();
};

void TestLessonsPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestLessonsPanel::theFiveQuestionsOfTheActivityAreListed()
{
    LiveSession session;
    MainWindow window(session);
    LessonsPanel* panel = window.lessons();
    QCOMPARE(panel->lessonCount(), 5);
    QCOMPARE(window.lessonsDock()->objectName(), QStringLiteral("lessonsDock"));
    // In the activity's order: the queue, put, get, join, and making it secure.
    const QStringList about { QStringLiteral("queue"), QStringLiteral("q.put(i)"),
        QStringLiteral("q.get()"), QStringLiteral("q.join()"), QStringLiteral("secure") };
    for (int i = 0; i < 5; ++i) {
        QVERIFY2(panel->question(i).contains(about[i]), qPrintable(panel->question(i)));
        QVERIFY(panel->showButton(i, 0));
        QCOMPARE(panel->showButton(i, 0)->text(), QStringLiteral("Show me"));
    }
}

void TestLessonsPanel::viewLessonsShowsTheDockInFront()
{
    LiveSession session;
    MainWindow window(session);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Behind the code's tab at first; the menu brings it to the front rather than closing it.
    QVERIFY(window.codeDock()->isVisible());
    QAction* action = window.findChild<QAction*>(QStringLiteral("lessonsAction"));
    QVERIFY(action);
    action->trigger();
    QTRY_VERIFY(window.lessonsDock()->isVisible());
    QTRY_VERIFY(!window.lessonsDock()->visibleRegion().isEmpty());
}

void TestLessonsPanel::everyTargetTheLessonsNameIsAPartOfTheWindow()
{
    LiveSession session;
    MainWindow window(session);
    // A typo in the data would point at nothing; only the secure dock may be missing, as
    // another part of the application provides it.
    const bool secureDock = window.findChild<QDockWidget*>(QStringLiteral("secureDock"));
    int named = 0;
    for (const Lessons::Lesson& lesson : Lessons::builtIn().lessons()) {
        for (const Lessons::Show& show : lesson.shows) {
            QVERIFY2(Presets::names().contains(show.preset) || show.preset == u"secure",
                qPrintable(show.preset));
            for (const QString& name : show.targets) {
                if (name == u"secure" && !secureDock)
                    continue;
                const auto target = window.spotTarget(name);
                QVERIFY2(target && target->widget, qPrintable(name));
                ++named;
            }
        }
    }
    QVERIFY(named >= 10);
    QVERIFY(!window.spotTarget(QStringLiteral("no such part")));
}

void TestLessonsPanel::showMeForJoinStartsSeedAndOutlinesMainsLaneAndTheCounter()
{
    LiveSession session;
    MainWindow window(session);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    LessonsPanel* panel = window.lessons();
    const int join = lessonAbout(*panel, QStringLiteral("q.join()"));
    QVERIFY(join >= 0);
    QTest::mouseClick(panel->showButton(join, 0), Qt::LeftButton);
    QCOMPARE(session.scenario().name, QStringLiteral("seed"));
    QVERIFY(session.scenario().join);
    QCOMPARE(session.engine().runState(), Engine::RunState::Running);

    // main's lane, once its thread has started: the outline covers that row of the lanes.
    ThreadLanesView* lanes = window.lanes();
    const ThreadRef main { Role::Main, 0 };
    QTRY_VERIFY(!lanes->laneRect(main).isEmpty());
    Spotlight* lane = spotlightFor(*panel, QStringLiteral("lane:main"));
    QVERIFY(lane);
    QCOMPARE(lane->targetWidget(), lanes);
    QTRY_VERIFY(lane->isVisible());
    QTRY_VERIFY2(lane->geometry().contains(inWindow(lanes, lanes->laneRect(main))),
        qPrintable(QStringLiteral("outline %1,%2 %3x%4")
                       .arg(lane->geometry().x())
                       .arg(lane->geometry().y())
                       .arg(lane->geometry().width())
                       .arg(lane->geometry().height())));
    // Only that lane, not all of them (the outline narrows as the lanes appear).
    QTRY_VERIFY(lane->geometry().height() < lanes->height() / 2);
    QVERIFY(lane->geometry().contains(inWindow(lanes, lanes->laneRect(main))));

    // The unfinished-task counter: its row of the objects table.
    QTableView* table = primitivesView(window);
    QVERIFY(table);
    Spotlight* counter = spotlightFor(*panel, QStringLiteral("counter:unfinished"));
    QVERIFY(counter);
    QCOMPARE(counter->targetWidget(), table);
    const auto counterRow = [&] {
        const int row = window.primitives()->rowOf(QStringLiteral("unfinished tasks"));
        if (row < 0)
            return QRect();
        const QRect cell = table->visualRect(window.primitives()->index(row, 0));
        return inWindow(table->viewport(), cell);
    };
    QTRY_VERIFY(counterRow().isValid());
    QTRY_VERIFY(counter->isVisible());
    QTRY_VERIFY(counter->geometry().contains(counterRow()));
    QTRY_VERIFY(counter->geometry().height() < table->height() / 2);
    QVERIFY(counter->geometry().contains(counterRow()));
    // Drawn over the window, never in the way of a click.
    QVERIFY(counter->testAttribute(Qt::WA_TransparentForMouseEvents));
    QCOMPARE(counter->parentWidget(), &window);
    session.stop();
}

void TestLessonsPanel::aMissingPresetDisablesItsButtonAndSaysWhy()
{
    LiveSession session;
    MainWindow window(session);
    LessonsPanel* panel = window.lessons();
    // The built-in answer to question 5 shows the secure preset only when this build has it.
    const int secure = lessonAbout(*panel, QStringLiteral("secure"));
    QCOMPARE(panel->showButton(secure, 0)->isEnabled(),
        Presets::names().contains(QStringLiteral("secure")));

    QString error;
    const auto lessons = Lessons::fromJson(R"json({"format": "pcviz-lessons", "version": 1,
        "lessons": [{"question": "Q?", "answer": ["A."], "shows": [
            {"label": "Show me", "preset": "no-such-preset", "targets": ["buffer"]},
            {"label": "Seed", "preset": "seed", "targets": ["buffer"]}]}]})json",
        QStringLiteral("test"), &error);
    QVERIFY2(lessons, qPrintable(error));
    panel->setLessons(*lessons);
    QCOMPARE(panel->lessonCount(), 1);
    QPushButton* missing = panel->showButton(0, 0);
    QVERIFY(!missing->isEnabled());
    QVERIFY2(missing->toolTip().contains(u"no preset named no-such-preset"),
        qPrintable(missing->toolTip()));
    QVERIFY(panel->showButton(0, 1)->isEnabled());
    // Asked anyway (a script, a shortcut): it says why and starts nothing.
    const QString before = session.scenario().name;
    QVERIFY(!panel->showMe(0, 0, &error));
    QVERIFY2(error.contains(u"no-such-preset"), qPrintable(error));
    QCOMPARE(session.scenario().name, before);
}

void TestLessonsPanel::malformedLessonsAreRefusedNamingTheField_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    const QByteArray good = R"json({"format": "pcviz-lessons", "version": 1, "lessons": [
        {"question": "Q?", "answer": ["A."], "shows": [{"label": "Show me", "preset": "seed",
         "produce_rate": 40, "targets": ["buffer"]}]}]})json";
    const auto edit = [&](const char* from, const char* to) {
        QByteArray json = good;
        json.replace(from, to);
        return json;
    };
    QTest::newRow("format") << edit("pcviz-lessons", "pcviz-code") << QStringLiteral("format");
    QTest::newRow("version") << edit("\"version\": 1", "\"version\": 9")
                             << QStringLiteral("version");
    QTest::newRow("unknown field") << edit("\"question\"", "\"colour\": 1, \"question\"")
                                   << QStringLiteral("lessons[0].\"colour\": unknown field");
    QTest::newRow("empty answer") << edit("[\"A.\"]", "[]") << QStringLiteral("lessons[0].answer");
    QTest::newRow("rate") << edit("\"produce_rate\": 40", "\"produce_rate\": -1")
                          << QStringLiteral("lessons[0].shows[0].produce_rate: expected a number");
    QTest::newRow("targets") << edit("[\"buffer\"]", "\"buffer\"")
                             << QStringLiteral("lessons[0].shows[0].targets");
}

void TestLessonsPanel::malformedLessonsAreRefusedNamingTheField()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    QString error;
    QVERIFY(!Lessons::fromJson(json, QStringLiteral("lessons.json"), &error));
    QVERIFY2(error.startsWith(u"lessons.json: "), qPrintable(error));
    QVERIFY2(error.contains(field), qPrintable(error));
}

void TestLessonsPanel::resultsFollowTheEnginesConsumptionOrderInASteppedSeedRun()
{
    LiveSession session;
    MainWindow window(session);
    QAbstractItemModelTester tester(
        window.results()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QString error;
    QVERIFY2(window.openPreset(QStringLiteral("seed"), &error), qPrintable(error));
    EngineTap tap(session.engine());
    startSteppedFromTheMenu(window);
    session.setStepPolicy(StepPolicy::Kind::Random);
    for (int step = 0; step < 600 && session.engine().isActive(); ++step) {
        if (!session.step().isEmpty())
            break;
    }
    const auto rows = [&] {
        QVector<std::pair<std::int64_t, std::int64_t>> out;
        for (const ResultsModel::Row& r : window.results()->model()->results())
            out.push_back({ r.value, r.result });
        return out;
    };
    const auto consumed = tap.consumed();
    QVERIFY2(consumed.size() >= 10, qPrintable(QString::number(consumed.size())));
    QTRY_COMPARE(rows(), consumed);
    for (const auto& [value, result] : consumed)
        QCOMPARE(result, value * value);
    QVERIFY(window.results()->model()->complete());
    // A new run starts a new list.
    startSteppedFromTheMenu(window);
    QTRY_COMPARE(window.results()->model()->rowCount(), 0);
    session.stop();
}

void TestLessonsPanel::unfinishedTaskCounterIsPutsMinusTaskDones_data()
{
    QTest::addColumn<int>("steps");
    for (int steps : { 0, 40, 150, 400, 900 })
        QTest::addRow("%d steps", steps) << steps;
}

void TestLessonsPanel::unfinishedTaskCounterIsPutsMinusTaskDones()
{
    QFETCH(int, steps);
    LiveSession session;
    MainWindow window(session);
    QString error;
    QVERIFY2(window.openPreset(QStringLiteral("seed"), &error), qPrintable(error));
    EngineTap tap(session.engine());
    session.startStepped();
    session.setStepPolicy(StepPolicy::Kind::Random);
    for (int step = 0; step < steps; ++step) {
        if (!session.step().isEmpty())
            break;
    }
    PrimitivesModel* model = window.primitives();
    const auto shown = [&] {
        const int row = model->rowOf(QStringLiteral("unfinished tasks"));
        return row < 0 ? QString() : model->index(row, PrimitivesModel::State).data().toString();
    };
    QTRY_COMPARE(shown(), QString::number(tap.unfinished()));
    session.stop();
}

void TestLessonsPanel::theSeedEndsWithMainGoneAndTheDaemonsLeftInGet()
{
    LiveSession session;
    MainWindow window(session);
    QString error;
    QVERIFY2(window.openPreset(QStringLiteral("seed"), &error), qPrintable(error));
    EngineTap tap(session.engine());
    startSteppedFromTheMenu(window);
    session.setStepPolicy(StepPolicy::Kind::Random);
    // Stepped to the end: no thread can move once main has returned from join().
    bool ended = false;
    for (int step = 0; step < 20'000 && !ended; ++step)
        ended = !session.step().isEmpty();
    QVERIFY(ended);
    QCOMPARE(tap.consumed().size(), 100);
    QCOMPARE(tap.unfinished(), 0);
    QTRY_COMPARE(window.results()->model()->rowCount(), 100);
    const int row = window.primitives()->rowOf(QStringLiteral("unfinished tasks"));
    QCOMPARE(window.primitives()->index(row, PrimitivesModel::State).data().toString(),
        QStringLiteral("0"));
    ThreadLanesView* lanes = window.lanes();
    QTRY_COMPARE(lanes->laneCount(), 6);
    // The window folds what the threads recorded on its own timer: a consumer's last wait may
    // reach the view after the last result did.
    int daemons = 0;
    for (int i = 0; i < lanes->laneCount(); ++i) {
        const ThreadRef t = *lanes->laneThread(i);
        if (t.role == Role::Main) {
            QTRY_COMPARE(lanes->laneWords(i), QStringLiteral("exited"));
        } else {
            QCOMPARE(t.role, Role::Consumer);
            QTRY_COMPARE(lanes->laneWords(i),
                QStringLiteral("daemon, left in get(): the program has ended"));
            ++daemons;
        }
    }
    QCOMPARE(daemons, 5);
    session.stop();
}

QTEST_MAIN(TestLessonsPanel)
#include "tst_lessonspanel.moc"
