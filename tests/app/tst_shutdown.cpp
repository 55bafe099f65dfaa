// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the real pcviz binary and ends it with SIGINT or SIGTERM while every thread is blocked,
// while stepping and while a trace is being written: it exits 0 within a bound, says nothing
// about threads still running, and leaves only whole output files (no partial or temporary
// one). It waits for each state through PCVIZ_STATE_LOG=1, never for a fixed time.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>
#include <optional>
#include <sys/types.h>

namespace {

// The goal is 2 s; the assertion leaves room for a loaded CI machine.
constexpr qint64 ExitBoundMs = 10'000;
constexpr int ReadyTimeoutMs = 30'000;

struct RunState {
    QString run;
    int threads = 0;
    int blocked = 0;
    int parked = 0;
};
using Ready = std::function<bool(const RunState&)>;

std::optional<RunState> parseState(const QByteArray& line)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^pcviz-state: run=(\w+) threads=(\d+) blocked=(\d+) parked=(\d+)$)"));
    const auto m = pattern.match(QString::fromUtf8(line.trimmed()));
    if (!m.hasMatch())
        return std::nullopt;
    return RunState { m.captured(1), m.captured(2).toInt(), m.captured(3).toInt(),
        m.captured(4).toInt() };
}

// Every thread of the run is blocked in a primitive.
bool allBlocked(const RunState& s)
{
    return s.run == u"running" && s.threads > 0 && s.blocked == s.threads;
}

// A stepped run between steps: every thread is parked at its gate or blocked in a primitive.
bool allParked(const RunState& s)
{
    return s.run == u"paused" && s.parked > 0 && s.parked + s.blocked == s.threads;
}

bool running(const RunState& s)
{
    return s.run == u"running" && s.threads > 0;
}

QJsonObject scenario(const QString& strategy, int capacity, int producers, int consumers)
{
    return QJsonObject {
        { QStringLiteral("format"), QStringLiteral("pcviz-scenario") },
        { QStringLiteral("version"), 1 },
        { QStringLiteral("name"), QStringLiteral("shutdown-test") },
        { QStringLiteral("strategy"), strategy },
        { QStringLiteral("capacity"), capacity },
        { QStringLiteral("producers"), producers },
        { QStringLiteral("consumers"), consumers },
        { QStringLiteral("items"), 100000 },
        { QStringLiteral("produce_rate"), 50 },
        { QStringLiteral("consume_rate"), 50 },
    };
}

// The files a directory holds, sorted; a QSaveFile left unfinished would show as NAME.XXXXXX.
QStringList filesIn(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

} // namespace

class TestShutdown : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void guiQuitsCleanlyOnASignal_data();
    void guiQuitsCleanlyOnASignal();
    void headlessStopsWritesWholeOutputsAndExitsZeroOnASignal_data();
    void headlessStopsWritesWholeOutputsAndExitsZeroOnASignal();

private:
    // Starts pcviz in dir, waits until a state line satisfies ready, sends the signal and
    // waits for the exit. Fails the test unless the exit is clean, prompt and quiet.
    void runUntilReadyThenSignal(const QStringList& arguments, const QString& dir,
        const Ready& ready, int signalNumber, bool gui);
    QByteArray m_stderr;
    qint64 m_pid = 0;
};

void TestShutdown::runUntilReadyThenSignal(const QStringList& arguments, const QString& dir,
    const Ready& ready, int signalNumber, bool gui)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PCVIZ_STATE_LOG"), QStringLiteral("1"));
    // Settings of the GUI go to a directory of their own: no last scenario is reopened, and
    // the user's settings stay untouched.
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir + QStringLiteral("/config"));
    if (gui)
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QProcess process;
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(dir);
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setReadChannel(QProcess::StandardError);
    process.start(QStringLiteral(PCVIZ_BINARY), arguments);
    QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
    m_pid = process.processId();
    const auto killOnFailure = qScopeGuard([&] {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
        }
    });

    m_stderr.clear();
    std::optional<RunState> last;
    bool isReady = false;
    QElapsedTimer waited;
    waited.start();
    while (!isReady && waited.elapsed() < ReadyTimeoutMs && process.state() == QProcess::Running) {
        if (process.canReadLine() || process.waitForReadyRead(50)) {
            while (process.canReadLine()) {
                const QByteArray line = process.readLine();
                m_stderr += line;
                if (const auto state = parseState(line))
                    last = state;
            }
        }
        // Asked again after every wait: readiness may also hang on files growing.
        isReady = last && ready(*last);
    }
    QVERIFY2(isReady,
        qPrintable(QStringLiteral("never reached the state; stderr:\n%1")
                       .arg(QString::fromUtf8(m_stderr.right(3000)))));

    QElapsedTimer timer;
    timer.start();
    QCOMPARE(::kill(pid_t(process.processId()), signalNumber), 0);
    QVERIFY2(process.waitForFinished(int(ExitBoundMs)), "still running after the signal");
    const qint64 ms = timer.elapsed();
    m_stderr += process.readAllStandardError();
    qInfo("%s exited %lld ms after signal %d", gui ? "GUI" : "headless", ms, signalNumber);
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
        qPrintable(QStringLiteral("status %1 exit %2; stderr:\n%3")
                       .arg(int(process.exitStatus()))
                       .arg(process.exitCode())
                       .arg(QString::fromUtf8(m_stderr.right(3000)))));
    QVERIFY(ms < ExitBoundMs);
    for (const char* warning : { "QThread", "Destroyed while", "still running" })
        QVERIFY2(!m_stderr.contains(warning), m_stderr.constData());
}

void TestShutdown::guiQuitsCleanlyOnASignal_data()
{
    QTest::addColumn<QJsonObject>("scenario");
    QTest::addColumn<QString>("preset");
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<bool>("stepped");

    QTest::newRow("deadlock preset, every thread blocked, SIGINT")
        << QJsonObject() << QStringLiteral("deadlock") << SIGINT << false;
    QTest::newRow("deadlock preset, every thread blocked, SIGTERM")
        << QJsonObject() << QStringLiteral("deadlock") << SIGTERM << false;
    // main waits in join() for consumers that wait in get() for items that never come.
    QJsonObject join = scenario(QStringLiteral("pyqueue"), 4, 1, 3);
    join.insert(QStringLiteral("main_produces"), true);
    join.insert(QStringLiteral("join"), true);
    join.insert(QStringLiteral("items"), 5);
    join.insert(QStringLiteral("produce_rate"), QStringLiteral("max"));
    QTest::newRow("pyqueue join with no consumer left to finish, SIGTERM")
        << join << QString() << SIGTERM << false;
    // A schedule makes the run start stepped: every thread parks at its first gate.
    QJsonObject stepped = scenario(QStringLiteral("monitor"), 3, 2, 2);
    stepped.insert(QStringLiteral("schedule"), QJsonArray { QStringLiteral("P0") });
    QTest::newRow("stepped, threads parked at gates, SIGINT")
        << stepped << QString() << SIGINT << true;
    QTest::newRow("stepped, threads parked at gates, SIGTERM")
        << stepped << QString() << SIGTERM << true;
}

void TestShutdown::guiQuitsCleanlyOnASignal()
{
    QFETCH(QJsonObject, scenario);
    QFETCH(QString, preset);
    QFETCH(int, signalNumber);
    QFETCH(bool, stepped);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QStringList arguments;
    if (!preset.isEmpty()) {
        arguments << QStringLiteral("--preset") << preset;
    } else {
        QFile file(dir.filePath(QStringLiteral("scenario.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(scenario).toJson());
        file.close();
        arguments << QStringLiteral("--scenario") << file.fileName();
    }
    const QStringList before = filesIn(dir.path());
    runUntilReadyThenSignal(
        arguments, dir.path(), stepped ? Ready(allParked) : Ready(allBlocked), signalNumber, true);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(filesIn(dir.path()), before);
    // It quit the way Ctrl+Q does: the window's settings were saved on the way out.
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("config/pcviz/pcviz.conf"))));
}

void TestShutdown::headlessStopsWritesWholeOutputsAndExitsZeroOnASignal_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("trace");
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<bool>("stepped");
    QTest::addColumn<int>("blockedWhenReady"); // threads blocked before the signal is sent

    // Consumers blocked on an empty buffer, producers between items for 100 s: the run would
    // go on for days.
    const QStringList blocked { QStringLiteral("--strategy"), QStringLiteral("semaphore"),
        QStringLiteral("--producers"), QStringLiteral("2"), QStringLiteral("--consumers"),
        QStringLiteral("3"), QStringLiteral("--produce-rate"), QStringLiteral("0.01"),
        QStringLiteral("--items"), QStringLiteral("1000") };
    QTest::newRow("consumers blocked, SIGINT, JSON Lines trace")
        << blocked << QStringLiteral("trace.jsonl") << SIGINT << false << 3;
    QTest::newRow("consumers blocked, SIGTERM, CSV trace")
        << blocked << QStringLiteral("trace.csv") << SIGTERM << false << 3;
    // Writing a trace at a high rate when the signal comes.
    const QStringList busy { QStringLiteral("--strategy"), QStringLiteral("monitor"),
        QStringLiteral("--produce-rate"), QStringLiteral("20000"), QStringLiteral("--consume-rate"),
        QStringLiteral("20000"), QStringLiteral("--items"), QStringLiteral("1000000000") };
    QTest::newRow("exporting a Chrome trace, SIGTERM")
        << busy << QStringLiteral("trace.json") << SIGTERM << false << 0;
    QTest::newRow("exporting a JSON Lines trace, SIGINT")
        << busy << QStringLiteral("trace.jsonl") << SIGINT << false << 0;
    // Stepping: a million steps, every thread parked between them.
    const QStringList stepping { QStringLiteral("--strategy"), QStringLiteral("monitor"),
        QStringLiteral("--items"), QStringLiteral("1000000000"), QStringLiteral("--steps"),
        QStringLiteral("1000000") };
    QTest::newRow("stepping, SIGINT")
        << stepping << QStringLiteral("trace.jsonl") << SIGINT << true << 0;
    QTest::newRow("stepping, SIGTERM")
        << stepping << QStringLiteral("trace.csv") << SIGTERM << true << 0;
}

void TestShutdown::headlessStopsWritesWholeOutputsAndExitsZeroOnASignal()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, trace);
    QFETCH(int, signalNumber);
    QFETCH(bool, stepped);
    QFETCH(int, blockedWhenReady);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    arguments.prepend(QStringLiteral("--headless"));
    arguments << QStringLiteral("--trace") << trace << QStringLiteral("--results")
              << QStringLiteral("results.json") << QStringLiteral("--summary")
              << QStringLiteral("summary.json");
    // While a trace is being written: at least two 1 MB blocks of it have gone to the file,
    // which (QSaveFile) has no name until it is finished. Linux counts the bytes written.
    const auto traceOnDisk = [this] {
        QFile io(QStringLiteral("/proc/%1/io").arg(m_pid));
        if (!io.open(QIODevice::ReadOnly))
            return false;
        for (const QByteArray& line : io.readAll().split('\n')) {
            if (line.startsWith("wchar:"))
                return line.mid(6).trimmed().toLongLong() >= 2 * (1 << 20);
        }
        return false;
    };
    runUntilReadyThenSignal(arguments, dir.path(),
        stepped ? Ready(allParked) : Ready([&](const RunState& s) {
            return running(s) && s.blocked >= blockedWhenReady
                && (blockedWhenReady > 0 || traceOnDisk());
        }),
        signalNumber, false);
    if (QTest::currentTestFailed())
        return;

    // Only the three outputs, each whole: no temporary file beside them.
    QStringList expected { QStringLiteral("results.json"), QStringLiteral("summary.json"), trace };
    expected.sort();
    QCOMPARE(filesIn(dir.path()), expected);

    QFile summaryFile(dir.filePath(QStringLiteral("summary.json")));
    QVERIFY(summaryFile.open(QIODevice::ReadOnly));
    const QJsonObject summary = QJsonDocument::fromJson(summaryFile.readAll()).object();
    QCOMPARE(summary.value(QStringLiteral("interrupted")).toBool(false), true);
    QCOMPARE(summary.value(QStringLiteral("completed")).toBool(true), false);
    QCOMPARE(summary.value(QStringLiteral("deadlock")).toBool(true), false);
    QCOMPARE(summary.value(QStringLiteral("violations")).toInt(-1), 0);

    QFile resultsFile(dir.filePath(QStringLiteral("results.json")));
    QVERIFY(resultsFile.open(QIODevice::ReadOnly));
    QJsonParseError parsed;
    const QJsonDocument results = QJsonDocument::fromJson(resultsFile.readAll(), &parsed);
    QVERIFY2(parsed.error == QJsonParseError::NoError, qPrintable(parsed.errorString()));
    QCOMPARE(results.array().size(), summary.value(QStringLiteral("consumed")).toInteger());

    // The trace is whole up to the stop: it parses to its end, and its events have no gap.
    QFile traceFile(dir.filePath(trace));
    QVERIFY(traceFile.open(QIODevice::ReadOnly));
    const QByteArray text = traceFile.readAll();
    QVERIFY(text.endsWith('\n'));
    const qint64 events = summary.value(QStringLiteral("events")).toInteger();
    QVERIFY(events > 0);
    if (trace.endsWith(u".json")) {
        const QJsonDocument chrome = QJsonDocument::fromJson(text, &parsed);
        QVERIFY2(parsed.error == QJsonParseError::NoError, qPrintable(parsed.errorString()));
        QVERIFY(!chrome.object().value(QStringLiteral("traceEvents")).toArray().isEmpty());
    } else {
        const QList<QByteArray> lines = text.trimmed().split('\n');
        // A header, then one line per event; a stepped run leaves out what the stop set free.
        if (stepped)
            QVERIFY(qint64(lines.size()) - 1 <= events);
        else
            QCOMPARE(qint64(lines.size()) - 1, events);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            qint64 seq = -1;
            if (trace.endsWith(u".jsonl")) {
                const QJsonDocument line = QJsonDocument::fromJson(lines[i], &parsed);
                QVERIFY2(parsed.error == QJsonParseError::NoError, lines[i].constData());
                seq = line.object().value(QStringLiteral("seq")).toInteger(-1);
            } else {
                seq = lines[i].left(lines[i].indexOf(',')).toLongLong();
            }
            QCOMPARE(seq, qint64(i) - 1);
        }
    }
}

QTEST_GUILESS_MAIN(TestShutdown)
#include "tst_shutdown.moc"
