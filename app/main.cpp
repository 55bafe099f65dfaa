// SPDX-License-Identifier: GPL-3.0-or-later
#include "commandline.h"
#include "headlessrunner.h"
#include "livesession.h"
#include "mainwindow.h"
#include "outputfile.h"
#include "perfrecorder.h"
#include "presets.h"
#include "signalwatcher.h"
#include "statelog.h"
#include "strategies/strategyregistry.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTimer>

#include <cstdio>

using namespace pcviz;

namespace {
void print(FILE* stream, const QString& text)
{
    std::fputs(qPrintable(text), stream);
}

// Without a display Qt's platform plugin aborts the process with its own words: a student on
// an ssh session or in a container should hear what to do instead.
QString whyNoDisplay()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        return QStringLiteral(
            "pcviz: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is "
            "set). Start it from a desktop session, or run without a window: --headless runs "
            "the scenario and prints its summary, and QT_QPA_PLATFORM=offscreen with "
            "--screenshot FILE --quit-after SECONDS draws the window into a PNG.\n");
#endif
    return {};
}

int runGui(
    int& argc, char* argv[], const CommandLine& commandLine, const QElapsedTimer& processClock)
{
    QApplication app(argc, argv);
    // Before anything slow: from here on, SIGINT and SIGTERM close the window like Ctrl+Q.
    SignalWatcher watcher;
    LiveSession session;
    QString error;
    if (!session.setScenario(commandLine.scenario, &error)) {
        print(stderr, QStringLiteral("pcviz: %1\n").arg(error));
        return 2;
    }
    MainWindow window(session);
    // Closing the window stops the run and joins every thread; quit() then also ends any modal
    // dialog's event loop, which would otherwise keep the application alive.
    QObject::connect(&watcher, &SignalWatcher::quitRequested, &app, [&window] {
        window.close();
        QCoreApplication::quit();
    });
    StateLog stateLog(session.engine());
    QTimer stateLogTimer;
    if (stateLog.enabled()) {
        QObject::connect(&stateLogTimer, &QTimer::timeout, &app, [&stateLog] { stateLog.poll(); });
        stateLogTimer.start(20);
    }
    PerfRecorder perf(processClock);
    if (!commandLine.perfReportPath.isEmpty()) {
        QObject::connect(&session, &LiveSession::stateChanged, &app, [&perf] { perf.frame(); });
        perf.watchFirstPaint(&window);
    }
    window.show();
    if (commandLine.scenarioGiven || !window.reopenLastScenario())
        session.start();
    int status = 0;
    if (commandLine.quitAfterSeconds >= 0) {
        QTimer::singleShot(int(commandLine.quitAfterSeconds * 1000), &app, [&] {
            if (!commandLine.screenshotPath.isEmpty()
                && !window.saveScreenshot(commandLine.screenshotPath, &error)) {
                print(stderr, QStringLiteral("pcviz: --screenshot: %1\n").arg(error));
                status = 2;
            }
            app.quit();
        });
    }
    const int exitCode = app.exec();
    const double elapsed = session.elapsedSeconds();
    const double itemsPerSecond = elapsed > 0 ? double(session.engine().consumed()) / elapsed : 0;
    const double eventsPerSecond
        = elapsed > 0 ? double(session.engine().log().recorded()) / elapsed : 0;
    session.stop();
    if (!commandLine.perfReportPath.isEmpty()) {
        OutputFile file(commandLine.perfReportPath);
        const QByteArray json
            = QJsonDocument(perf.report(itemsPerSecond, eventsPerSecond, elapsed)).toJson();
        if (!file.open() || !file.write(json) || !file.commit()) {
            print(stderr, QStringLiteral("pcviz: --perf-report: %1\n").arg(file.error()));
            status = 2;
        }
    }
    return status ? status : exitCode;
}
} // namespace

int main(int argc, char* argv[])
{
    // Start-up figures count from here: as near the process's start as main can measure.
    QElapsedTimer processClock;
    processClock.start();
    QCoreApplication::setApplicationName(QStringLiteral("pcviz"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PCVIZ_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("pcviz"));
    // Parsed before any application object exists: only the GUI needs a display.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const CommandLine commandLine = CommandLine::parse(arguments);
    switch (commandLine.mode) {
    case CommandLine::Mode::BadInput:
        print(stderr, QStringLiteral("pcviz: %1\n").arg(commandLine.error));
        return 2;
    case CommandLine::Mode::Help:
        print(stdout, commandLine.helpText);
        return 0;
    case CommandLine::Mode::Version:
        print(stdout, QStringLiteral("pcviz %1\n").arg(QStringLiteral(PCVIZ_VERSION)));
        return 0;
    case CommandLine::Mode::ListPresets:
        for (const QString& name : Presets::names()) {
            QString error;
            const auto scenario = Presets::load(name, &error);
            print(stdout,
                QStringLiteral("%1\t%2\n").arg(name, scenario ? scenario->description : error));
        }
        return 0;
    case CommandLine::Mode::ListStrategies:
        for (const StrategyInfo& info : StrategyRegistry::all())
            print(stdout, QStringLiteral("%1\t%2\n").arg(info.name, info.description));
        return 0;
    case CommandLine::Mode::Headless: {
        QCoreApplication app(argc, argv);
        SignalWatcher watcher;
        return HeadlessRunner(commandLine, processClock, &watcher).run();
    }
    case CommandLine::Mode::Gui:
        if (const QString why = whyNoDisplay(); !why.isEmpty()) {
            print(stderr, why);
            return 1;
        }
        return runGui(argc, argv, commandLine, processClock);
    }
    return 2;
}
