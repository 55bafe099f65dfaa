// SPDX-License-Identifier: GPL-3.0-or-later
// The Secure panel: a dock named secureDock under View > Secure that shows the run's switches,
// restarts the run when one is toggled (the engine's scenario then carries the change), names
// the weakness each switch addresses, and shows the outcome counts as the run goes.
#include "livesession.h"
#include "mainwindow.h"
#include "presets.h"
#include "securepanel.h"

#include <QAction>
#include <QCheckBox>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>

using namespace pcviz;
using Switch = SecureOptions::Switch;

class TestSecurePanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void securePresetShowsTheDockWithEverySwitchOn();
    void togglingASwitchRestartsTheRunWithTheNewOptions_data();
    void togglingASwitchRestartsTheRunWithTheNewOptions();
    void eachSwitchNamesItsWeakness();
    void outcomeCountsFollowTheRun();
    void aPlainRunOffersTheSecurePresetInstead();
};

void TestSecurePanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestSecurePanel::securePresetShowsTheDockWithEverySwitchOn()
{
    LiveSession session;
    MainWindow window(session);
    QString error;
    QVERIFY2(window.openPreset(QStringLiteral("secure"), &error), qPrintable(error));
    auto* dock = window.findChild<QDockWidget*>(QStringLiteral("secureDock"));
    QVERIFY(dock);
    QCOMPARE(dock, window.secureDock());
    QVERIFY(!dock->isHidden());
    QAction* viewAction = dock->toggleViewAction();
    QCOMPARE(viewAction->text(), QStringLiteral("&Secure"));
    bool inViewMenu = false;
    for (QAction* menu : window.menuBar()->actions()) {
        if (menu->menu() && menu->text() == QStringLiteral("&View"))
            inViewMenu = menu->menu()->actions().contains(viewAction);
    }
    QVERIFY(inViewMenu);
    SecurePanel* panel = window.securePanel();
    for (const Switch s : SecureOptions::AllSwitches) {
        QVERIFY(panel->switchBox(s)->isChecked());
        QVERIFY(panel->switchBox(s)->isEnabled());
        QCOMPARE(panel->faultBox(s)->isChecked(), s == Switch::Validation);
    }
    session.stop();
}

void TestSecurePanel::togglingASwitchRestartsTheRunWithTheNewOptions_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<bool>("fault"); // the fault's box, else the switch's
    for (const Switch s : SecureOptions::AllSwitches) {
        QTest::addRow("%s", qPrintable(SecureOptions::switchKey(s))) << int(s) << false;
        QTest::addRow("%s", qPrintable(SecureOptions::faultKey(s))) << int(s) << true;
    }
}

void TestSecurePanel::togglingASwitchRestartsTheRunWithTheNewOptions()
{
    QFETCH(int, which);
    QFETCH(bool, fault);
    const Switch s = Switch(which);
    LiveSession session;
    MainWindow window(session);
    QString error;
    QVERIFY2(window.openPreset(QStringLiteral("secure"), &error), qPrintable(error));
    const std::uint64_t runBefore = session.runNumber();
    QCheckBox* box = fault ? window.securePanel()->faultBox(s) : window.securePanel()->switchBox(s);
    const bool before = box->isChecked();
    box->click();
    const SecureOptions& now = session.engine().scenario().secure;
    QCOMPARE(fault ? now.fault(s) : now.on(s), !before);
    QVERIFY(now.enabled);
    QVERIFY(session.runNumber() > runBefore);
    QVERIFY(session.engine().isActive() || session.engine().threadsDone());
    // The checker folds the new run with the new options.
    const SecureOptions& folded = session.state().info().scenario.secure;
    QCOMPARE(fault ? folded.fault(s) : folded.on(s), !before);
    QCOMPARE(box->isChecked(), !before);
    session.stop();
}

void TestSecurePanel::eachSwitchNamesItsWeakness()
{
    LiveSession session;
    SecurePanel panel(session);
    const std::pair<Switch, const char*> expected[] = {
        { Switch::Bounded, "CWE-770" },
        { Switch::Timeouts, "CWE-833" },
        { Switch::TaskDoneFinally, "CWE-460" },
        { Switch::PoisonPill, "CWE-404" },
        { Switch::Validation, "CWE-20 " },
        { Switch::RateLimit, "CWE-400" },
        { Switch::LockedResults, "CWE-362" },
    };
    for (const auto& [s, cwe] : expected)
        QVERIFY2(panel.weaknessLabel(s)->text().contains(QLatin1String(cwe)),
            qPrintable(panel.weaknessLabel(s)->text()));
    QVERIFY(panel.weaknessLabel(Switch::LockedResults)->text().contains(u"CWE-667"));
}

void TestSecurePanel::outcomeCountsFollowTheRun()
{
    LiveSession session;
    MainWindow window(session);
    QString error;
    auto s = Presets::load(QStringLiteral("secure"), &error);
    QVERIFY2(s, qPrintable(error));
    s->items = 50;
    s->consumeRate = RateModel::Max;
    s->secure.rateLimit = SecureOptions::MaxRateLimit;
    // No finally, one raising item: join never returns, and the panel says why.
    s->secure.setFault(Switch::TaskDoneFinally, true);
    s->secure.setOn(Switch::TaskDoneFinally, false);
    QVERIFY(session.setScenario(*s));
    session.start();
    SecurePanel* panel = window.securePanel();
    QTRY_COMPARE_WITH_TIMEOUT(
        panel->outcomeLabel(QStringLiteral("dead_letters"))->text(), QStringLiteral("5"), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(
        panel->outcomeLabel(QStringLiteral("failed"))->text(), QStringLiteral("1"), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        panel->verdictLabel()->text().contains(QStringLiteral("join can never return")), 20000);
    QVERIFY(panel->outcomeLabel(QStringLiteral("join_returned"))->text().startsWith(u"no"));
    session.stop();
}

void TestSecurePanel::aPlainRunOffersTheSecurePresetInstead()
{
    LiveSession session;
    MainWindow window(session);
    QString error;
    QVERIFY2(window.openPreset(QStringLiteral("seed"), &error), qPrintable(error));
    SecurePanel* panel = window.securePanel();
    QVERIFY(!panel->switchBox(Switch::Bounded)->isEnabled());
    QVERIFY(!panel->openPresetButton()->isHidden());
    panel->openPresetButton()->click();
    QVERIFY(session.scenario().secure.enabled);
    QCOMPARE(session.scenario().name, QStringLiteral("secure"));
    QVERIFY(window.securePanel()->switchBox(Switch::Bounded)->isEnabled());
    session.stop();
}

QTEST_MAIN(TestSecurePanel)
#include "tst_securepanel.moc"
