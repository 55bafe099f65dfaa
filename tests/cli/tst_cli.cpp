// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the real pcviz binary and pins down the CLI contract of DESIGN.md: informational
// options, exit status 2 with a message naming the option and its allowed values, the headless
// outputs (summary, results, JSON Lines and CSV traces) and what a clean run reports.
#include "presets.h"
#include "strategies/strategyregistry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <utility>

#include <sys/stat.h>
#include <unistd.h>

using namespace pcviz;

namespace {

constexpr int ExitClean = 0;
constexpr int ExitBadInput = 2;
constexpr int RunTimeoutMs = 30000;

struct Run {
    bool finished = false;
    QProcess::ExitStatus status = QProcess::CrashExit;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QString describe() const
    {
        return QStringLiteral("finished=%1 status=%2 exit=%3\nstdout: %4\nstderr: %5")
            .arg(finished)
            .arg(int(status))
            .arg(exitCode)
            .arg(QString::fromUtf8(out.left(2000)), QString::fromUtf8(err.left(2000)));
    }
};

// No display of any kind: every mode tested here must work without one.
QProcessEnvironment displaylessEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    return env;
}

// prefix: a program that runs pcviz (setpriv, strace), with its own arguments.
Run runPcviz(const QStringList& arguments, const QString& workingDirectory,
    const QProcessEnvironment& environment = displaylessEnvironment(),
    const QStringList& prefix = {})
{
    QProcess process;
    if (prefix.isEmpty()) {
        process.setProgram(QStringLiteral(PCVIZ_BINARY));
        process.setArguments(arguments);
    } else {
        process.setProgram(prefix.constFirst());
        process.setArguments(
            prefix.mid(1) + QStringList { QStringLiteral(PCVIZ_BINARY) } + arguments);
    }
    process.setWorkingDirectory(workingDirectory);
    process.setProcessEnvironment(environment);
    process.start();
    Run run;
    if (!process.waitForStarted(RunTimeoutMs))
        return run;
    run.finished = process.waitForFinished(RunTimeoutMs);
    if (!run.finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    run.status = process.exitStatus();
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

// Root ignores file permissions: tests about them, or about needing no privileges, run pcviz
// as nobody through setpriv. Empty when pcviz runs unprivileged as it is; whyNot says why it
// cannot when it is needed and missing.
QStringList unprivileged(QString* whyNot)
{
    if (::geteuid() != 0)
        return {};
    const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
    if (setpriv.isEmpty()) {
        *whyNot = QStringLiteral("running as root, and setpriv (util-linux) is not installed");
        return {};
    }
    return { setpriv, QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
        QStringLiteral("--clear-groups"), QStringLiteral("--") };
}

bool isCharacterDevice(const QString& path)
{
    struct stat st { };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 && S_ISCHR(st.st_mode);
}

QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

bool exitedWith(const Run& run, int code)
{
    return run.finished && run.status == QProcess::NormalExit && run.exitCode == code;
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

QJsonObject parseObject(const QByteArray& data, QString* error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("not one JSON object: %1").arg(parseError.errorString());
        return {};
    }
    return doc.object();
}

const QStringList& documentedKinds()
{
    static const QStringList kinds = QStringLiteral(
        "thread_start thread_exit produce put get consume put_wait get_wait wake lock_wait lock "
        "unlock sem_wait sem_acquire sem_release cond_wait cond_signal cond_broadcast cond_wake "
        "task_done join_wait join_done violation deadlock "
        // The kinds pcviz adds to DESIGN.md's list, as README.md documents them.
        "capacity timeout cancel "
        // The secure run's outcomes.
        "put_timeout stall rate_limited rate_exceeded dead_letter item_raised poison_pill append "
        "results "
        // The end of production, on the control thread.
        "closed")
                                         .split(u' ');
    return kinds;
}

const QStringList& summaryKeys()
{
    static const QStringList keys = { QStringLiteral("strategy"), QStringLiteral("capacity"),
        QStringLiteral("producers"), QStringLiteral("consumers"), QStringLiteral("produced"),
        QStringLiteral("consumed"), QStringLiteral("lost"), QStringLiteral("duplicated"),
        QStringLiteral("max_count"), QStringLiteral("violations"), QStringLiteral("deadlock"),
        QStringLiteral("elapsed_s"), QStringLiteral("items_per_s"), QStringLiteral("events") };
    return keys;
}

// The shape every summary has, and the counts of a clean run of the given scenario.
void verifyCleanSummary(const QJsonObject& summary, const QString& strategy, int capacity,
    int producers, int consumers, qint64 items)
{
    for (const QString& key : summaryKeys())
        QVERIFY2(
            summary.contains(key), qPrintable(QStringLiteral("summary lacks \"%1\"").arg(key)));
    QCOMPARE(summary.value(QStringLiteral("strategy")).toString(), strategy);
    QCOMPARE(summary.value(QStringLiteral("capacity")).toInteger(), capacity);
    QCOMPARE(summary.value(QStringLiteral("producers")).toInteger(), producers);
    QCOMPARE(summary.value(QStringLiteral("consumers")).toInteger(), consumers);
    QCOMPARE(summary.value(QStringLiteral("produced")).toInteger(), producers * items);
    QCOMPARE(summary.value(QStringLiteral("consumed")).toInteger(), producers * items);
    QCOMPARE(summary.value(QStringLiteral("lost")).toInteger(-1), 0);
    QCOMPARE(summary.value(QStringLiteral("duplicated")).toInteger(-1), 0);
    QCOMPARE(summary.value(QStringLiteral("violations")).toInteger(-1), 0);
    QVERIFY(summary.value(QStringLiteral("deadlock")).isBool());
    QCOMPARE(summary.value(QStringLiteral("deadlock")).toBool(), false);
    const qint64 maxCount = summary.value(QStringLiteral("max_count")).toInteger(-1);
    QVERIFY2(maxCount >= 1, qPrintable(QString::number(maxCount)));
    if (capacity > 0)
        QVERIFY2(maxCount <= capacity, qPrintable(QString::number(maxCount)));
    QVERIFY(summary.value(QStringLiteral("elapsed_s")).isDouble());
    QVERIFY(summary.value(QStringLiteral("elapsed_s")).toDouble() >= 0);
    QVERIFY(summary.value(QStringLiteral("items_per_s")).isDouble());
    QVERIFY(summary.value(QStringLiteral("items_per_s")).toDouble() >= 0);
    // Measured from the process's start to the first event read, so never zero.
    QVERIFY2(summary.value(QStringLiteral("startup_ms")).toDouble() > 0,
        qPrintable(QJsonDocument(summary).toJson()));
    // At least produce, put, get and consume for every item.
    QVERIFY(summary.value(QStringLiteral("events")).toInteger() >= 4 * producers * items);
}

// The [value, result] pairs of the seed program: each i in 0..99 with i*i, once, in any order.
void verifySeedResults(const QByteArray& data)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
    QVERIFY(doc.isArray());
    const QJsonArray pairs = doc.array();
    QCOMPARE(pairs.size(), 100);
    QSet<qint64> seen;
    for (const QJsonValue& v : pairs) {
        QVERIFY(v.isArray());
        const QJsonArray pair = v.toArray();
        QCOMPARE(pair.size(), 2);
        QVERIFY(pair.at(0).isDouble() && pair.at(1).isDouble());
        const qint64 value = pair.at(0).toInteger(-1);
        QVERIFY2(value >= 0 && value < 100, qPrintable(QString::number(value)));
        QCOMPARE(pair.at(1).toInteger(), value * value);
        QVERIFY2(!seen.contains(value), qPrintable(QStringLiteral("%1 twice").arg(value)));
        seen.insert(value);
    }
    QCOMPARE(seen.size(), 100);
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void helpExitsZeroAndDescribesEveryOption();
    void versionExitsZeroAndPrintsTheProjectVersion();
    void listPresetsExitsZeroWithOneLinePerPreset();
    void listStrategiesExitsZeroWithOneLinePerStrategy();

    void badInputExitsTwoNamingTheOptionAndAllowedValues_data();
    void badInputExitsTwoNamingTheOptionAndAllowedValues();
    void badInputWritesNoOutputFiles();
    void badInputMessageEchoesNoControlCharacters_data();
    void badInputMessageEchoesNoControlCharacters();
    void unwritableOutputExitsTwoNamingTheOption_data();
    void unwritableOutputExitsTwoNamingTheOption();

    void traceIntoReadOnlyDirectoryExitsTwoAndKeepsTheExistingFile();
    void outputOnAFullDiskExitsTwoNamingThePathAndReason_data();
    void outputOnAFullDiskExitsTwoNamingThePathAndReason();
    void summaryOnAFullStandardOutputExitsTwoSayingWhy();
    void resultsToDevNullAreWrittenInPlace();
    void rejectedScheduleKeepsAnExistingTraceIntact();
    void binaryLinksNoNetworkLibrary();
    void runsOpenNoInternetSocket_data();
    void runsOpenNoInternetSocket();
    void runsHeadlessAsAnUnprivilegedUser();
    void seedPresetResultsFileHoldsEverySquareOnce();
    void resultsOnStdoutMovesTheSummaryToStderr();
    void cleanRunSummaryHasContractKeysAndBalancedCounts_data();
    void cleanRunSummaryHasContractKeysAndBalancedCounts();
    void summaryFileReceivesTheSummaryAndStdoutStaysEmpty();
    void summaryAndResultsNeverShareStdout();
    void overridesApplyOnTopOfAPreset();
    void scenarioFileRunsAsWritten();
    void joinWithoutDaemonConsumersIsReportedAsADeadlock();
    void recordOffCountsEveryItemWithoutEvents_data();
    void recordOffCountsEveryItemWithoutEvents();
    void recordOffStillReportsADeadlock();
    void brokenPresetExitsOneNamingTheViolation_data();
    void brokenPresetExitsOneNamingTheViolation();
    void securePresetExitsZeroWithItsOutcomes();
    void secureFaultWithItsSwitchOffExitsOneWithTheVerdict_data();
    void secureFaultWithItsSwitchOffExitsOneWithTheVerdict();
    void guiScreenshotAndPerfReportAreWrittenOffscreen();
    void guiWithoutADisplayExitsOneSayingWhatToDo();
    void guiOptionsOutOfRangeExitTwo_data();
    void guiOptionsOutOfRangeExitTwo();

    void jsonLinesTraceHasHeaderAndGaplessEvents_data();
    void jsonLinesTraceHasHeaderAndGaplessEvents();
    void csvTraceHasHeaderRowAndOneRowPerEvent();
    void chromeTraceHasOneTrackPerThreadAndBalancedWaitSpans();
    void steppedRunReplaysFromItsScheduleToTheSameTrace();
    void scheduleStepThatCannotMoveExitsTwoNamingTheStep();
    void aScheduleIntoDeadlockExitsOneWithTheCycle();
    void anIndependentCountOfTheTraceAgreesWithTheSummary_data();
    void anIndependentCountOfTheTraceAgreesWithTheSummary();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QStringList resolved(QStringList arguments) const;

    QTemporaryDir m_dir;
};

void TestCli::initTestCase()
{
    QVERIFY2(QFileInfo(QStringLiteral(PCVIZ_BINARY)).isExecutable(), PCVIZ_BINARY);
    QVERIFY(m_dir.isValid());
    QVERIFY(writeFile(path(QStringLiteral("bad-field.json")),
        R"({"format":"pcviz-scenario","version":1,"strategy":"monitor","producers":0})"));
    QVERIFY(writeFile(path(QStringLiteral("unknown-key.json")),
        R"({"format":"pcviz-scenario","version":1,"threads":4})"));
    QVERIFY(writeFile(path(QStringLiteral("not-json.json")), "producers = 3\n"));
    QVERIFY(writeFile(path(QStringLiteral("valid.json")), R"({
        "format": "pcviz-scenario", "version": 1, "name": "from-file",
        "strategy": "semaphore", "capacity": 3, "producers": 2, "consumers": 3, "items": 40,
        "produce_rate": "max", "consume_rate": "max", "seed": 9 })"));
    QVERIFY(writeFile(path(QStringLiteral("escape-key.json")),
        R"({"format":"pcviz-scenario","version":1,"x\u001b[2J\u001b[31my":1})"));
}

// Rows name temporary files as @TMP@/name; the directory exists only once the test case runs.
QStringList TestCli::resolved(QStringList arguments) const
{
    for (QString& a : arguments)
        a.replace(QStringLiteral("@TMP@"), m_dir.path());
    return arguments;
}

void TestCli::helpExitsZeroAndDescribesEveryOption()
{
    const Run run = runPcviz({ QStringLiteral("--help") }, m_dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    const QString out = QString::fromUtf8(run.out);
    for (const char* option : { "--headless", "--preset", "--scenario", "--list-presets",
             "--list-strategies", "--strategy", "--producers", "--consumers", "--capacity",
             "--items", "--produce-rate", "--consume-rate", "--distribution", "--seed", "--summary",
             "--trace", "--results", "--help", "--version" })
        QVERIFY2(out.contains(QLatin1StringView(option)), option);
    // The exit statuses are part of the contract, so --help states them.
    QVERIFY2(out.contains(QStringLiteral("2 bad input")), qPrintable(out));
    QVERIFY2(run.err.isEmpty(), run.err.constData());
}

void TestCli::versionExitsZeroAndPrintsTheProjectVersion()
{
    const Run run = runPcviz({ QStringLiteral("--version") }, m_dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QCOMPARE(run.out.trimmed(), QByteArray("pcviz " PCVIZ_VERSION));
    QVERIFY2(run.err.isEmpty(), run.err.constData());
}

void TestCli::listPresetsExitsZeroWithOneLinePerPreset()
{
    const Run run = runPcviz({ QStringLiteral("--list-presets") }, m_dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QVERIFY2(run.err.isEmpty(), run.err.constData());
    QStringList names;
    const QStringList lines = QString::fromUtf8(run.out).split(u'\n', Qt::SkipEmptyParts);
    for (const QString& line : lines) {
        const QStringList parts = line.split(u'\t');
        QVERIFY2(parts.size() == 2 && !parts.at(1).trimmed().isEmpty(), qPrintable(line));
        // A preset that failed to load would show its error instead of its description.
        QVERIFY2(!parts.at(1).contains(QStringLiteral("allowed:")), qPrintable(line));
        names << parts.at(0);
    }
    QCOMPARE(names, Presets::names());
    for (const char* expected : { "seed", "classic-semaphores", "qt-waitconditions", "default",
             "race", "if-not-while", "deadlock", "lost-wakeup", "lockfree", "secure" })
        QVERIFY2(names.contains(QLatin1StringView(expected)), expected);
}

void TestCli::listStrategiesExitsZeroWithOneLinePerStrategy()
{
    const Run run = runPcviz({ QStringLiteral("--list-strategies") }, m_dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QVERIFY2(run.err.isEmpty(), run.err.constData());
    QStringList names;
    const QStringList lines = QString::fromUtf8(run.out).split(u'\n', Qt::SkipEmptyParts);
    for (const QString& line : lines) {
        const QStringList parts = line.split(u'\t');
        QVERIFY2(parts.size() == 2 && !parts.at(1).trimmed().isEmpty(), qPrintable(line));
        names << parts.at(0);
    }
    QCOMPARE(names, StrategyRegistry::names());
    for (const char* expected : { "monitor", "semaphore", "pyqueue", "unsynchronised",
             "if-not-while", "swapped-wait-order", "lost-wakeup" })
        QVERIFY2(names.contains(QLatin1StringView(expected)), expected);
}

void TestCli::badInputExitsTwoNamingTheOptionAndAllowedValues_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("fragments");

    const QString rateRange = QStringLiteral("0.01");
    const QString rateMax = QStringLiteral("\"max\"");
    // Every row is headless, so only the input decides the exit status.
    const auto row = [](const char* name, QStringList arguments, QStringList fragments) {
        arguments.prepend(QStringLiteral("--headless"));
        QTest::newRow(name) << arguments << fragments;
    };

    row("unknown option", { "--nosuch" }, { "nosuch", "--help" });
    row("positional argument", { "extra" }, { "extra", "--help" });
    row("screenshot with --headless", { "--screenshot", "x.png", "--quit-after", "1" },
        { "--screenshot", "without --headless" });
    row("perf report with --headless", { "--perf-report", "p.json" },
        { "--perf-report", "without --headless" });
    row("option given twice", { "--producers", "2", "--producers", "3" },
        { "--producers", "more than once", "once" });
    row("non-numeric --producers", { "--producers", "abc" }, { "--producers", "abc", "1..64" });
    row("--producers 0", { "--producers", "0" }, { "--producers", "1..64" });
    row("--producers 65", { "--producers", "65" }, { "--producers", "65", "1..64" });
    row("--producers 2.5", { "--producers", "2.5" }, { "--producers", "1..64" });
    row("--consumers 65", { "--consumers", "65" }, { "--consumers", "1..64" });
    row("--capacity 0 with monitor", { "--strategy", "monitor", "--capacity", "0" },
        { "capacity", "1..4096", "pyqueue" });
    row("--capacity 0 with semaphore", { "--strategy", "semaphore", "--capacity", "0" },
        { "capacity", "1..4096", "pyqueue" });
    row("--capacity 5000", { "--capacity", "5000" }, { "--capacity", "5000", "4096" });
    row("--capacity -1", { "--capacity=-1" }, { "--capacity", "4096" });
    row("--items 0", { "--items", "0" }, { "--items", "1..1000000000" });
    row("--items 1e9+1", { "--items", "1000000001" }, { "--items", "1..1000000000" });
    row("--seed -1", { "--seed", "-1" }, { "--seed", "0..9007199254740991" });
    row("--produce-rate -1", { "--produce-rate", "-1" }, { "--produce-rate", rateRange, rateMax });
    row("--produce-rate fast", { "--produce-rate", "fast" },
        { "--produce-rate", "fast", rateRange, rateMax });
    row("--consume-rate 0", { "--consume-rate", "0" }, { "--consume-rate", rateRange, rateMax });
    row("--strategy nosuch", { "--strategy", "nosuch" },
        { "--strategy", "nosuch", "monitor", "semaphore", "pyqueue" });
    row("--distribution nosuch", { "--distribution", "nosuch" },
        { "--distribution", "nosuch", "constant", "exponential", "bursty" });
    row("--preset nosuch", { "--preset", "nosuch" },
        { "preset", "nosuch", "seed", "classic-semaphores", "default" });
    row("--scenario of a missing file", { "--scenario", "@TMP@/missing.json" },
        { "--scenario", "@TMP@/missing.json", "no such file" });
    row("--scenario with a bad field", { "--scenario", "@TMP@/bad-field.json" },
        { "--scenario", "@TMP@/bad-field.json", "producers", "1..64" });
    row("--scenario with an unknown key", { "--scenario", "@TMP@/unknown-key.json" },
        { "--scenario", "threads", "unknown field", "producers" });
    row("--scenario of a non-JSON file", { "--scenario", "@TMP@/not-json.json" },
        { "--scenario", "@TMP@/not-json.json", "JSON" });
    row("--preset and --scenario together",
        { "--preset", "seed", "--scenario", "@TMP@/bad-field.json" }, { "--preset", "--scenario" });
    row("override breaking the seed preset's rules", { "--preset", "seed", "--producers", "2" },
        { "producers", "main_produces" });
    row("--trace -", { "--trace", "-" }, { "--trace", ".jsonl", ".csv", ".json" });
    row("--schedule naming no thread of the run", { "--schedule", "P0,C7" },
        { "--schedule", "step 2", "C7", "P0..P0, C0..C0" });
    row("--steps out of range", { "--steps", "0" }, { "--steps", "1..1000000" });
    row("--step-policy unknown", { "--steps", "5", "--step-policy", "fifo" },
        { "--step-policy", "fifo", "round-robin, random" });
    row("--steps and --schedule together", { "--steps", "5", "--schedule", "P0" },
        { "--steps", "--schedule" });
    row("--record maybe", { "--record", "maybe" }, { "--record", "maybe", "on, off" });
    row("--record off with a trace", { "--record", "off", "--trace", "@TMP@/t.jsonl" },
        { "--trace", "--record on" });
    row("--record off with results", { "--record", "off", "--results", "-" },
        { "--results", "--record on" });
    row("--record off with --steps", { "--record", "off", "--steps", "5" },
        { "--steps", "--record on" });
    row("--record off with a schedule", { "--record", "off", "--schedule", "P0" },
        { "record", "schedule" });
    row("--summary with empty name", { "--summary=" }, { "--summary", "file name" });
    row("--summary and --results the same file",
        { "--summary", "@TMP@/same.json", "--results", "@TMP@/same.json" },
        { "--summary", "--results" });
}

void TestCli::badInputExitsTwoNamingTheOptionAndAllowedValues()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, fragments);

    const Run run = runPcviz(resolved(arguments), m_dir.path());
    QVERIFY2(exitedWith(run, ExitBadInput), qPrintable(run.describe()));
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(err.startsWith(QStringLiteral("pcviz: ")), qPrintable(err));
    for (const QString& fragment : resolved(fragments))
        QVERIFY2(err.contains(fragment),
            qPrintable(QStringLiteral("stderr \"%1\" lacks \"%2\"").arg(err.trimmed(), fragment)));
    // Nothing ran, so there is no summary.
    QVERIFY2(run.out.isEmpty(), run.out.constData());
}

void TestCli::badInputWritesNoOutputFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Run run = runPcviz(
        { QStringLiteral("--headless"), QStringLiteral("--producers"), QStringLiteral("0"),
            QStringLiteral("--summary"), dir.filePath(QStringLiteral("summary.json")),
            QStringLiteral("--trace"), dir.filePath(QStringLiteral("run.jsonl")),
            QStringLiteral("--results"), dir.filePath(QStringLiteral("results.json")) },
        dir.path());
    QVERIFY2(exitedWith(run, ExitBadInput), qPrintable(run.describe()));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
        QStringList {});
}

void TestCli::badInputMessageEchoesNoControlCharacters_data()
{
    QTest::addColumn<QStringList>("arguments");

    const QString escape = QStringLiteral("\x1b[2J\x1b[31mred");
    const QString newline = QStringLiteral("two\nlines");
    QTest::newRow("--strategy with escape") << QStringList { "--strategy", escape };
    QTest::newRow("--preset with escape") << QStringList { "--preset", escape };
    QTest::newRow("--distribution with newline") << QStringList { "--distribution", newline };
    QTest::newRow("--producers with escape") << QStringList { "--producers", escape };
    QTest::newRow("--produce-rate with newline") << QStringList { "--produce-rate", newline };
    QTest::newRow("positional with escape") << QStringList { escape };
    QTest::newRow("scenario key with escape")
        << QStringList { "--scenario", "@TMP@/escape-key.json" };
}

// Input is echoed to stderr: a terminal must not interpret it, and the message stays one line.
void TestCli::badInputMessageEchoesNoControlCharacters()
{
    QFETCH(QStringList, arguments);
    arguments.prepend(QStringLiteral("--headless"));

    const Run run = runPcviz(resolved(arguments), m_dir.path());
    QVERIFY2(exitedWith(run, ExitBadInput), qPrintable(run.describe()));
    QVERIFY(run.err.endsWith('\n'));
    const QByteArray message = run.err.chopped(1);
    for (const char c : message) {
        QVERIFY2(uchar(c) >= 0x20 && uchar(c) != 0x7f,
            qPrintable(QStringLiteral("control character 0x%1 in stderr: %2")
                           .arg(uchar(c), 2, 16, QLatin1Char('0'))
                           .arg(QString::fromUtf8(message.toPercentEncoding(" :\"'(),.-/@")))));
    }
}

void TestCli::unwritableOutputExitsTwoNamingTheOption_data()
{
    QTest::addColumn<QString>("option");
    QTest::newRow("--summary") << QStringLiteral("--summary");
    QTest::newRow("--trace") << QStringLiteral("--trace");
    QTest::newRow("--results") << QStringLiteral("--results");
}

void TestCli::unwritableOutputExitsTwoNamingTheOption()
{
    QFETCH(QString, option);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString target = dir.filePath(QStringLiteral("no/such/dir/out.jsonl"));
    const Run run = runPcviz({ QStringLiteral("--headless"), QStringLiteral("--items"),
                                 QStringLiteral("10"), option, target },
        dir.path());
    QVERIFY2(exitedWith(run, ExitBadInput), qPrintable(run.describe()));
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(err.contains(option) && err.contains(target), qPrintable(err));
    QVERIFY(!QFileInfo::exists(target));
}

// The trace cannot be created: exit 2 naming the option, the path and the reason; a file of the
// same name that was there stays as it was, and nothing else appears.
void TestCli::traceIntoReadOnlyDirectoryExitsTwoAndKeepsTheExistingFile()
{
    QString whyNot;
    const QStringList asUser = unprivileged(&whyNot);
    if (!whyNot.isEmpty())
        QSKIP(qPrintable(whyNot));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // The user pcviz runs as may enter both directories but create nothing in the inner one.
    QVERIFY(QFile::setPermissions(dir.path(),
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther
            | QFile::ReadGroup | QFile::ExeGroup));
    const QString readOnly = dir.filePath(QStringLiteral("read-only"));
    QVERIFY(QDir().mkdir(readOnly));
    const QString trace = readOnly + QStringLiteral("/run.jsonl");
    QVERIFY(writeFile(trace, "the previous trace\n"));
    // The file itself is writable by anyone: only the directory refuses.
    const auto everyone = QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup
        | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther;
    QVERIFY(QFile::setPermissions(trace, everyone));
    QVERIFY(QFile::setPermissions(readOnly,
        QFile::ReadOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther
            | QFile::ExeOther));

    const Run run = runPcviz({ QStringLiteral("--headless"), QStringLiteral("--items"),
                                 QStringLiteral("10"), QStringLiteral("--trace"), trace },
        dir.path(), displaylessEnvironment(), asUser);
    QFile::setPermissions(readOnly, everyone | QFile::ExeOwner); // so the directory can go
    QVERIFY2(exitedWith(run, ExitBadInput), qPrintable(run.describe()));
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(err.startsWith(QStringLiteral("pcviz: --trace: cannot write %1: ").arg(trace))
            && err.contains(QStringLiteral("Permission denied")),
        qPrintable(err));
    QVERIFY2(run.out.isEmpty(), run.out.constData());
    QCOMPARE(readFile(trace), QByteArray("the previous trace\n"));
    QCOMPARE(entries(readOnly), QStringList { QStringLiteral("run.jsonl") });
}

void TestCli::outputOnAFullDiskExitsTwoNamingThePathAndReason_data()
{
    QTest::addColumn<QString>("option");
    QTest::newRow("--summary") << QStringLiteral("--summary");
    QTest::newRow("--results") << QStringLiteral("--results");
}

// /dev/full takes the file but not its bytes, as a full disk does. It is also a device that a
// rename would replace (as root it could): it must be written in place and stay a device.
void TestCli::outputOnAFullDiskExitsTwoNamingThePathAndReason()
{
    QFETCH(QString, option);
    const QString full = QStringLiteral("/dev/full");
    if (!isCharacterDevice(full))
        QSKIP("no /dev/full here");
    const Run run = runPcviz({ QStringLiteral("--headless"), QStringLiteral("--items"),
                                 QStringLiteral("20"), option, full },
        m_dir.path());
    QVERIFY2(exitedWith(run, ExitBadInput), qPrintable(run.describe()));
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(err.contains(QStringLiteral("pcviz: %1: cannot write /dev/full: No space left on "
                                         "device")
                              .arg(option)),
        qPrintable(err));
    QVERIFY(isCharacterDevice(full));
}

// The default summary goes to standard output; when that is full the run says so on stderr.
void TestCli::summaryOnAFullStandardOutputExitsTwoSayingWhy()
{
    if (!isCharacterDevice(QStringLiteral("/dev/full")))
        QSKIP("no /dev/full here");
    QProcess process;
    process.setProgram(QStringLiteral(PCVIZ_BINARY));
    process.setArguments(
        { QStringLiteral("--headless"), QStringLiteral("--items"), QStringLiteral("20") });
    process.setProcessEnvironment(displaylessEnvironment());
    process.setStandardOutputFile(QStringLiteral("/dev/full"));
    process.start();
    QVERIFY(process.waitForFinished(RunTimeoutMs));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), ExitBadInput);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral(
                 "pcviz: --summary: cannot write to standard output: No space left on device")),
        qPrintable(err));
}

void TestCli::resultsToDevNullAreWrittenInPlace()
{
    const QString null = QStringLiteral("/dev/null");
    if (!isCharacterDevice(null))
        QSKIP("no /dev/null here");
    const QString summary = path(QStringLiteral("devnull-summary.json"));
    const Run run
        = runPcviz({ QStringLiteral("--headless"), QStringLiteral("--items"), QStringLiteral("20"),
                       QStringLiteral("--results"), null, QStringLiteral("--summary"), summary },
            m_dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QVERIFY(isCharacterDevice(null));
    QString error;
    const QJsonObject parsed = parseObject(readFile(summary), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(parsed.value(QStringLiteral("consumed")).toInteger(), 20);
}

// A run that ends in bad input commits no output: what was there before is still there.
void TestCli::rejectedScheduleKeepsAnExistingTraceIntact()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString trace = dir.filePath(QStringLiteral("run.jsonl"));
    const QString results = dir.filePath(QStringLiteral("results.json"));
    QVERIFY(writeFile(trace, "old trace\n"));
    QVERIFY(writeFile(results, "old results\n"));
    const Run run
        = runPcviz({ QStringLiteral("--headless"), QStringLiteral("--strategy"),
                       QStringLiteral("monitor"), QStringLiteral("--capacity"), QStringLiteral("1"),
                       QStringLiteral("--schedule"), QStringLiteral("C0,C0,C0,C0,C0,P0"),
                       QStringLiteral("--trace"), trace, QStringLiteral("--results"), results },
            dir.path());
    QVERIFY2(exitedWith(run, ExitBadInput), qPrintable(run.describe()));
    QCOMPARE(readFile(trace), QByteArray("old trace\n"));
    QCOMPARE(readFile(results), QByteArray("old results\n"));
    QCOMPARE(entries(dir.path()),
        (QStringList { QStringLiteral("results.json"), QStringLiteral("run.jsonl") }));
}

// pcviz needs no network: not even the library for it is loaded.
void TestCli::binaryLinksNoNetworkLibrary()
{
    const QString ldd = QStandardPaths::findExecutable(QStringLiteral("ldd"));
    if (ldd.isEmpty())
        QSKIP("ldd is not installed");
    QProcess process;
    process.start(ldd, { QStringLiteral(PCVIZ_BINARY) });
    QVERIFY(process.waitForFinished(RunTimeoutMs));
    const QString libraries = QString::fromLocal8Bit(process.readAllStandardOutput());
    QVERIFY2(libraries.contains(QStringLiteral("libQt6Core")), qPrintable(libraries));
    for (const char* network : { "libQt6Network", "libcurl", "libssl" })
        QVERIFY2(!libraries.contains(QLatin1String(network)), qPrintable(libraries));
}

void TestCli::runsOpenNoInternetSocket_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("headless") << QStringList { "--headless", "--preset", "seed", "--summary",
        "@TMP@/strace-summary.json" };
    QTest::newRow("GUI, offscreen") << QStringList { "--preset", "race", "--quit-after", "0.5" };
}

// Every socket pcviz or Qt opens, traced by strace: none may be of an internet family.
void TestCli::runsOpenNoInternetSocket()
{
    QFETCH(QStringList, arguments);
    const QString strace = QStandardPaths::findExecutable(QStringLiteral("strace"));
    if (strace.isEmpty())
        QSKIP("strace is not installed (.ci/install-deps installs it)");
    const QString log = path(QStringLiteral("strace-%1.log").arg(QTest::currentDataTag()));
    QProcessEnvironment env = displaylessEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.path());
    const Run run = runPcviz(resolved(arguments), m_dir.path(), env,
        { strace, QStringLiteral("-f"), QStringLiteral("-qq"), QStringLiteral("-e"),
            QStringLiteral("trace=socket,socketpair"), QStringLiteral("-o"), log });
    const QByteArray traced = readFile(log);
    if (!exitedWith(run, ExitClean) && traced.isEmpty())
        QSKIP(qPrintable(QStringLiteral("strace cannot trace here: ") + run.err.left(200)));
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    for (const QByteArray& line : traced.split('\n')) {
        for (const char* family : { "AF_INET", "AF_PACKET", "AF_BLUETOOTH" })
            QVERIFY2(!line.contains(family), line.constData());
    }
}

// Nothing pcviz does needs privileges: it runs as nobody (when the tests run as root) or as the
// unprivileged user running the tests, and is installed without setuid or setgid bits.
void TestCli::runsHeadlessAsAnUnprivilegedUser()
{
    QString whyNot;
    const QStringList asUser = unprivileged(&whyNot);
    if (!whyNot.isEmpty())
        QSKIP(qPrintable(whyNot));
    struct stat st { };
    QCOMPARE(::stat(PCVIZ_BINARY, &st), 0);
    QCOMPARE(st.st_mode & (S_ISUID | S_ISGID), mode_t(0));
    // Standard output is the only place it writes: the working directory is not its own.
    const Run run = runPcviz(
        { QStringLiteral("--headless"), QStringLiteral("--preset"), QStringLiteral("seed") },
        QStringLiteral("/"), displaylessEnvironment(), asUser);
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(run.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(summary.value(QStringLiteral("completed")).toBool());
}

void TestCli::seedPresetResultsFileHoldsEverySquareOnce()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString results = dir.filePath(QStringLiteral("results.json"));
    const Run run = runPcviz({ QStringLiteral("--headless"), QStringLiteral("--preset"),
                                 QStringLiteral("seed"), QStringLiteral("--results"), results },
        dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    verifySeedResults(readFile(results));
    if (QTest::currentTestFailed())
        return;
    // The summary still goes to stdout.
    QString error;
    const QJsonObject summary = parseObject(run.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + run.describe()));
    verifyCleanSummary(summary, QStringLiteral("pyqueue"), 0, 1, 5, 100);
}

void TestCli::resultsOnStdoutMovesTheSummaryToStderr()
{
    const Run run
        = runPcviz({ QStringLiteral("--headless"), QStringLiteral("--preset"),
                       QStringLiteral("seed"), QStringLiteral("--results"), QStringLiteral("-") },
            m_dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    verifySeedResults(run.out);
    if (QTest::currentTestFailed())
        return;
    QString error;
    const QJsonObject summary = parseObject(run.err, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + run.describe()));
    verifyCleanSummary(summary, QStringLiteral("pyqueue"), 0, 1, 5, 100);
}

void TestCli::cleanRunSummaryHasContractKeysAndBalancedCounts_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("producers");
    QTest::addColumn<int>("consumers");
    QTest::addColumn<int>("items");

    QTest::newRow("monitor 3P 2C cap 4") << "monitor" << 4 << 3 << 2 << 500;
    QTest::newRow("semaphore 3P 2C cap 4") << "semaphore" << 4 << 3 << 2 << 500;
    QTest::newRow("pyqueue 3P 2C cap 4") << "pyqueue" << 4 << 3 << 2 << 500;
    QTest::newRow("pyqueue unbounded") << "pyqueue" << 0 << 2 << 3 << 300;
    QTest::newRow("monitor one slot 1P 1C") << "monitor" << 1 << 1 << 1 << 300;
    QTest::newRow("semaphore 8P 8C cap 2") << "semaphore" << 2 << 8 << 8 << 100;
}

void TestCli::cleanRunSummaryHasContractKeysAndBalancedCounts()
{
    QFETCH(QString, strategy);
    QFETCH(int, capacity);
    QFETCH(int, producers);
    QFETCH(int, consumers);
    QFETCH(int, items);

    const Run run = runPcviz(
        { QStringLiteral("--headless"), QStringLiteral("--strategy"), strategy,
            QStringLiteral("--capacity"), QString::number(capacity), QStringLiteral("--producers"),
            QString::number(producers), QStringLiteral("--consumers"), QString::number(consumers),
            QStringLiteral("--items"), QString::number(items) },
        m_dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(run.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + run.describe()));
    verifyCleanSummary(summary, strategy, capacity, producers, consumers, items);
}

void TestCli::summaryFileReceivesTheSummaryAndStdoutStaysEmpty()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString summaryPath = dir.filePath(QStringLiteral("summary.json"));
    const Run run = runPcviz({ QStringLiteral("--headless"), QStringLiteral("--items"),
                                 QStringLiteral("50"), QStringLiteral("--summary"), summaryPath },
        dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QVERIFY2(run.out.isEmpty(), run.out.constData());
    QString error;
    const QJsonObject summary = parseObject(readFile(summaryPath), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const Scenario defaults;
    verifyCleanSummary(
        summary, defaults.strategy, defaults.capacity, defaults.producers, defaults.consumers, 50);
}

// Both on stdout would leave neither parseable: refuse it, or keep stdout one JSON document.
void TestCli::summaryAndResultsNeverShareStdout()
{
    const Run run
        = runPcviz({ QStringLiteral("--headless"), QStringLiteral("--preset"),
                       QStringLiteral("seed"), QStringLiteral("--summary"), QStringLiteral("-"),
                       QStringLiteral("--results"), QStringLiteral("-") },
            m_dir.path());
    if (exitedWith(run, ExitBadInput)) {
        const QString err = QString::fromUtf8(run.err);
        QVERIFY2(
            err.contains(QStringLiteral("--summary")) && err.contains(QStringLiteral("--results")),
            qPrintable(err));
        return;
    }
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QJsonParseError parseError;
    QJsonDocument::fromJson(run.out, &parseError);
    QVERIFY2(parseError.error == QJsonParseError::NoError,
        qPrintable(QStringLiteral("exit 0 but stdout is not one JSON document (%1 at byte %2)")
                       .arg(parseError.errorString())
                       .arg(parseError.offset)));
}

void TestCli::overridesApplyOnTopOfAPreset()
{
    // classic-semaphores is paced for the eye; overrides make it fast and small.
    const Run run = runPcviz(
        { QStringLiteral("--headless"), QStringLiteral("--preset"),
            QStringLiteral("classic-semaphores"), QStringLiteral("--items"), QStringLiteral("30"),
            QStringLiteral("--consumers"), QStringLiteral("3"), QStringLiteral("--produce-rate"),
            QStringLiteral("max"), QStringLiteral("--consume-rate"), QStringLiteral("max") },
        m_dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(run.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + run.describe()));
    // Strategy, capacity and producers come from the preset, the rest from the overrides.
    verifyCleanSummary(summary, QStringLiteral("semaphore"), 5, 2, 3, 30);
}

void TestCli::scenarioFileRunsAsWritten()
{
    const Run run = runPcviz({ QStringLiteral("--headless"), QStringLiteral("--scenario"),
                                 path(QStringLiteral("valid.json")) },
        m_dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(run.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + run.describe()));
    verifyCleanSummary(summary, QStringLiteral("semaphore"), 3, 2, 3, 40);
}

void TestCli::guiScreenshotAndPerfReportAreWrittenOffscreen()
{
    QProcessEnvironment offscreen = displaylessEnvironment();
    offscreen.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    offscreen.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.path());
    const QString png = path(QStringLiteral("window.png"));
    const QString report = path(QStringLiteral("perf.json"));
    const Run run
        = runPcviz({ QStringLiteral("--preset"), QStringLiteral("qt-waitconditions"),
                       QStringLiteral("--screenshot"), png, QStringLiteral("--quit-after"),
                       QStringLiteral("1.5"), QStringLiteral("--perf-report"), report },
            m_dir.path(), offscreen);
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 800 && image.height() >= 600);
    QFile file(report);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QString error;
    const QJsonObject perf = parseObject(file.readAll(), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (const char* key : { "frame_interval_ms_median", "frame_interval_ms_p95",
             "frame_interval_ms_max", "engine_items_per_s", "gui_thread_cpu_s", "peak_rss_mb",
             "rss_mb", "startup_ms", "probe_events_per_s", "probe_ns_per_event", "probe_cores" })
        QVERIFY2(perf.contains(QLatin1String(key)), key);
    QVERIFY(perf.value(QStringLiteral("frames")).toInteger() > 0);
    // Figures that were measured, not defaults: a window painted, memory in use, events cost.
    const auto value = [&](const char* key) { return perf.value(QLatin1String(key)).toDouble(); };
    QVERIFY2(value("startup_ms") > 0, qPrintable(run.describe()));
    QVERIFY(value("rss_mb") > 0 && value("peak_rss_mb") > 0);
    QVERIFY(value("probe_events_per_s") > 0 && value("probe_ns_per_event") > 0);
}

void TestCli::guiWithoutADisplayExitsOneSayingWhatToDo()
{
    // Qt itself would abort (status 134) with "could not connect to display".
    const QString png = path(QStringLiteral("never.png"));
    const Run run = runPcviz(
        { QStringLiteral("--preset"), QStringLiteral("seed"), QStringLiteral("--screenshot"), png,
            QStringLiteral("--quit-after"), QStringLiteral("1") },
        m_dir.path());
    QVERIFY2(exitedWith(run, 1), qPrintable(run.describe()));
    const QString err = QString::fromUtf8(run.err);
    for (const char* hint : { "DISPLAY", "--headless", "QT_QPA_PLATFORM=offscreen" })
        QVERIFY2(err.contains(QLatin1String(hint)), qPrintable(run.describe()));
    QVERIFY(!QFile::exists(png));
}

void TestCli::guiOptionsOutOfRangeExitTwo_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("negative quit-after") << QStringList { "--quit-after", "-1" } << "0..86400";
    QTest::newRow("quit-after not a number")
        << QStringList { "--quit-after", "soon" } << "0..86400";
    QTest::newRow("screenshot without quit-after")
        << QStringList { "--screenshot", "x.png" } << "--quit-after";
}

void TestCli::guiOptionsOutOfRangeExitTwo()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, fragment);
    // Refused before any window opens: no display is needed to say so.
    const Run run = runPcviz(arguments, m_dir.path());
    QVERIFY2(exitedWith(run, ExitBadInput), qPrintable(run.describe()));
    QVERIFY2(QString::fromUtf8(run.err).contains(fragment), qPrintable(run.describe()));
}

// The seed program with non-daemon consumers never ends in Python: main returns from join()
// but the consumers wait in get() for ever. pcviz detects that and exits 1 with the cycle.
void TestCli::joinWithoutDaemonConsumersIsReportedAsADeadlock()
{
    QVERIFY(writeFile(path(QStringLiteral("no-daemons.json")), R"({
        "format": "pcviz-scenario", "version": 1, "strategy": "pyqueue", "capacity": 0,
        "producers": 1, "consumers": 2, "items": 10,
        "main_produces": true, "join": true, "daemon_consumers": false })"));
    const Run run = runPcviz({ QStringLiteral("--headless"), QStringLiteral("--scenario"),
                                 path(QStringLiteral("no-daemons.json")) },
        m_dir.path());
    QVERIFY2(exitedWith(run, 1), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(run.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + run.describe()));
    QCOMPARE(summary.value(QStringLiteral("deadlock")).toBool(), true);
    QCOMPARE(summary.value(QStringLiteral("consumed")).toInteger(), 10);
    QSet<QString> waiting;
    for (const QJsonValue& entry : summary.value(QStringLiteral("deadlock_cycle")).toArray()) {
        const QJsonObject o = entry.toObject();
        QCOMPARE(o.value(QStringLiteral("waits_for")).toString(), QStringLiteral("not_empty"));
        waiting.insert(o.value(QStringLiteral("thread")).toString());
    }
    QCOMPARE(waiting, (QSet<QString> { QStringLiteral("C0"), QStringLiteral("C1") }));
}

void TestCli::recordOffCountsEveryItemWithoutEvents_data()
{
    QTest::addColumn<QString>("strategy");
    for (const QString& name : StrategyRegistry::correctNames())
        QTest::newRow(qPrintable(name)) << name;
}

void TestCli::recordOffCountsEveryItemWithoutEvents()
{
    QFETCH(QString, strategy);
    const Run run = runPcviz(
        { QStringLiteral("--headless"), QStringLiteral("--strategy"), strategy,
            QStringLiteral("--producers"), QStringLiteral("1"), QStringLiteral("--consumers"),
            QStringLiteral("1"), QStringLiteral("--items"), QStringLiteral("20000"),
            QStringLiteral("--record"), QStringLiteral("off") },
        m_dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(run.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + run.describe()));
    QCOMPARE(summary.value(QStringLiteral("recorded")).toBool(true), false);
    QCOMPARE(summary.value(QStringLiteral("produced")).toInteger(), 20000);
    QCOMPARE(summary.value(QStringLiteral("consumed")).toInteger(), 20000);
    // Nothing was watched, so nothing is claimed about losses.
    QVERIFY(summary.value(QStringLiteral("lost")).isNull());
    QVERIFY(summary.value(QStringLiteral("violations")).isNull());
    // Far fewer events than the 20000 items' puts alone: the threads recorded nothing.
    QVERIFY2(summary.value(QStringLiteral("events")).toInteger() < 100, qPrintable(run.describe()));
}

void TestCli::recordOffStillReportsADeadlock()
{
    const Run run = runPcviz(
        { QStringLiteral("--headless"), QStringLiteral("--preset"), QStringLiteral("deadlock"),
            QStringLiteral("--record"), QStringLiteral("off") },
        m_dir.path());
    QVERIFY2(exitedWith(run, 1), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(run.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + run.describe()));
    QCOMPARE(summary.value(QStringLiteral("deadlock")).toBool(), true);
}

void TestCli::brokenPresetExitsOneNamingTheViolation_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QStringList>("kinds"); // each appears in violation_list
    QTest::addColumn<QStringList>("counted"); // each is a positive count in the summary
    QTest::addColumn<bool>("deadlock");
    // The two whose flaw showed on every run measured (tests/core/tst_brokenstrategies runs
    // all four on repeat): a single run here must not depend on luck.
    QTest::newRow("race") << QStringLiteral("race")
                          << QStringList { QStringLiteral("lost"), QStringLiteral("duplicate") }
                          << QStringList { QStringLiteral("lost"), QStringLiteral("duplicated") }
                          << false;
    QTest::newRow("deadlock") << QStringLiteral("deadlock")
                              << QStringList { QStringLiteral("deadlock") } << QStringList {}
                              << true;
}

// A broken preset is a failed run: exit status 1, and the summary says what went wrong.
void TestCli::brokenPresetExitsOneNamingTheViolation()
{
    QFETCH(QString, preset);
    QFETCH(QStringList, kinds);
    QFETCH(QStringList, counted);
    QFETCH(bool, deadlock);
    const Run run = runPcviz(
        { QStringLiteral("--headless"), QStringLiteral("--preset"), preset }, m_dir.path());
    QVERIFY2(exitedWith(run, 1), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(run.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + run.describe()));
    for (const QString& key : summaryKeys())
        QVERIFY2(summary.contains(key), qPrintable(key));
    QVERIFY(summary.value(QStringLiteral("violations")).toInteger() > 0);
    QCOMPARE(summary.value(QStringLiteral("deadlock")).toBool(), deadlock);
    for (const QString& key : counted)
        QVERIFY2(summary.value(key).toInteger() > 0, qPrintable(key + run.describe()));
    QSet<QString> listed;
    for (const QJsonValue& v : summary.value(QStringLiteral("violation_list")).toArray())
        listed.insert(v.toObject().value(QStringLiteral("kind")).toString());
    for (const QString& kind : kinds)
        QVERIFY2(listed.contains(kind), qPrintable(kind + run.describe()));
}

// The secure preset's gentle fault (malformed items) is contained by its validation switch.
void TestCli::securePresetExitsZeroWithItsOutcomes()
{
    const Run run = runPcviz(
        { QStringLiteral("--headless"), QStringLiteral("--preset"), QStringLiteral("secure"),
            QStringLiteral("--consume-rate"), QStringLiteral("max") },
        m_dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(run.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + run.describe()));
    for (const char* key :
        { "timeouts", "failed", "dead_letters", "lost_in_flight", "lost_results", "results_length",
            "join_returned", "peak_count", "over_rate_limit", "throttled", "secure" })
        QVERIFY2(summary.contains(QLatin1StringView(key)), key);
    QCOMPARE(summary.value(QStringLiteral("violations")).toInteger(), 0);
    QCOMPARE(summary.value(QStringLiteral("dead_letters")).toInteger(), 30);
    QCOMPARE(summary.value(QStringLiteral("results_length")).toInteger(), 270);
    QCOMPARE(summary.value(QStringLiteral("join_returned")).toBool(), true);
    QVERIFY(summary.value(QStringLiteral("peak_count")).toInteger() <= 8);
}

void TestCli::secureFaultWithItsSwitchOffExitsOneWithTheVerdict_data()
{
    QTest::addColumn<QString>("switchKey");
    QTest::addColumn<QString>("faultKey");
    QTest::addColumn<QString>("verdict"); // in violation_list's details
    QTest::addColumn<QString>("counted"); // a positive count in the summary, if any
    QTest::newRow("raise without finally") << "task_done_finally"
                                           << "consumer_raises"
                                           << "join can never return"
                                           << "failed";
    QTest::newRow("malformed without validation") << "validation"
                                                  << "malformed_items"
                                                  << "was processed into the results"
                                                  << "";
    QTest::newRow("flood without a bound") << "bounded"
                                           << "flood"
                                           << "grew past its budget"
                                           << "peak_count";
    QTest::newRow("stalled consumer without timeouts") << "timeouts"
                                                       << "stalled_consumer"
                                                       << "stalled consumer"
                                                       << "";
}

// Each fault with its switch off is detected: exit status 1, and the summary says why.
void TestCli::secureFaultWithItsSwitchOffExitsOneWithTheVerdict()
{
    QFETCH(QString, switchKey);
    QFETCH(QString, faultKey);
    QFETCH(QString, verdict);
    QFETCH(QString, counted);
    QString error;
    auto s = Presets::load(QStringLiteral("secure"), &error);
    QVERIFY2(s, qPrintable(error));
    s->items = 60;
    s->consumeRate = RateModel::Max;
    s->secure.faults.fill(false);
    QJsonObject o = s->toJson();
    QJsonObject secure = o.value(QStringLiteral("secure")).toObject();
    QJsonObject switches = secure.value(QStringLiteral("switches")).toObject();
    QJsonObject faults = secure.value(QStringLiteral("faults")).toObject();
    switches.insert(switchKey, false);
    faults.insert(faultKey, true);
    secure.insert(QStringLiteral("switches"), switches);
    secure.insert(QStringLiteral("faults"), faults);
    o.insert(QStringLiteral("secure"), secure);
    const QString file = m_dir.filePath(faultKey + QStringLiteral(".json"));
    QVERIFY(writeFile(file, QJsonDocument(o).toJson()));
    const Run run = runPcviz(
        { QStringLiteral("--headless"), QStringLiteral("--scenario"), file }, m_dir.path());
    QVERIFY2(exitedWith(run, 1), qPrintable(run.describe()));
    const QJsonObject summary = parseObject(run.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + run.describe()));
    const QString list = QString::fromUtf8(
        QJsonDocument(summary.value(QStringLiteral("violation_list")).toArray()).toJson());
    QVERIFY2(list.contains(verdict), qPrintable(list));
    if (!counted.isEmpty())
        QVERIFY2(summary.value(counted).toInteger() > 0, qPrintable(counted + run.describe()));
}

void TestCli::jsonLinesTraceHasHeaderAndGaplessEvents_data()
{
    QTest::addColumn<QString>("preset"); // empty: no preset
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("producers");
    QTest::addColumn<int>("consumers");
    QTest::addColumn<int>("items");

    for (const char* strategy : { "monitor", "semaphore", "pyqueue" })
        QTest::newRow(strategy) << QString() << QString::fromLatin1(strategy) << 4 << 3 << 2
                                << 2000;
    // main produces into an unbounded queue and joins; daemon consumers stay blocked.
    QTest::newRow("seed preset") << QStringLiteral("seed") << QStringLiteral("pyqueue") << 0 << 1
                                 << 5 << 100;
}

void TestCli::jsonLinesTraceHasHeaderAndGaplessEvents()
{
    QFETCH(QString, preset);
    QFETCH(QString, strategy);
    QFETCH(int, capacity);
    QFETCH(int, producers);
    QFETCH(int, consumers);
    QFETCH(int, items);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString tracePath = dir.filePath(QStringLiteral("run.jsonl"));
    QStringList arguments { QStringLiteral("--headless"), QStringLiteral("--trace"), tracePath };
    if (!preset.isEmpty()) {
        arguments << QStringLiteral("--preset") << preset;
    } else {
        arguments << QStringLiteral("--strategy") << strategy << QStringLiteral("--producers")
                  << QString::number(producers) << QStringLiteral("--consumers")
                  << QString::number(consumers) << QStringLiteral("--capacity")
                  << QString::number(capacity) << QStringLiteral("--items")
                  << QString::number(items);
    }
    const Run run = runPcviz(arguments, dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(run.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + run.describe()));
    verifyCleanSummary(summary, strategy, capacity, producers, consumers, items);
    if (QTest::currentTestFailed())
        return;

    const QByteArray data = readFile(tracePath);
    QVERIFY(data.endsWith('\n'));
    const QList<QByteArray> lines = data.chopped(1).split('\n');
    QVERIFY(lines.size() > 1);

    // Header: the resolved scenario.
    const QJsonObject header = parseObject(lines.constFirst(), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error + QString::fromUtf8(lines.constFirst())));
    QCOMPARE(header.value(QStringLiteral("format")).toString(), QStringLiteral("pcviz-trace"));
    QCOMPARE(header.value(QStringLiteral("version")).toInteger(), 1);
    const QJsonObject scenario = header.value(QStringLiteral("scenario")).toObject();
    QCOMPARE(scenario.value(QStringLiteral("strategy")).toString(), strategy);
    QCOMPARE(scenario.value(QStringLiteral("capacity")).toInteger(), capacity);
    QCOMPARE(scenario.value(QStringLiteral("producers")).toInteger(), producers);
    QCOMPARE(scenario.value(QStringLiteral("consumers")).toInteger(), consumers);
    QCOMPARE(scenario.value(QStringLiteral("items")).toInteger(), items);

    // Events: one per line, seq without gaps, as many as the summary counted.
    const qsizetype eventCount = lines.size() - 1;
    QCOMPARE(qint64(eventCount), summary.value(QStringLiteral("events")).toInteger());
    static const QRegularExpression threadName(QStringLiteral("^(P\\d+|C\\d+|main|control)$"));
    QHash<qint64, int> puts;
    QHash<qint64, int> gets;
    QHash<qint64, int> produced;
    QHash<qint64, int> consumed;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QJsonObject e = parseObject(lines.at(i), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error + QString::fromUtf8(lines.at(i))));
        const auto where = [&] {
            return QStringLiteral("line %1: %2").arg(i + 1).arg(QString::fromUtf8(lines.at(i)));
        };
        QVERIFY2(e.value(QStringLiteral("seq")).isDouble(), qPrintable(where()));
        QCOMPARE(e.value(QStringLiteral("seq")).toInteger(-1), qint64(i - 1));
        QVERIFY2(e.value(QStringLiteral("t_ns")).isDouble()
                && e.value(QStringLiteral("t_ns")).toInteger(-1) >= 0,
            qPrintable(where()));
        const QString thread = e.value(QStringLiteral("thread")).toString();
        const auto match = threadName.match(thread);
        QVERIFY2(match.hasMatch(), qPrintable(where()));
        if (thread.startsWith(u'P'))
            QVERIFY2(thread.mid(1).toInt() < producers, qPrintable(where()));
        if (thread.startsWith(u'C'))
            QVERIFY2(thread.mid(1).toInt() < consumers, qPrintable(where()));
        const QString kind = e.value(QStringLiteral("kind")).toString();
        QVERIFY2(documentedKinds().contains(kind), qPrintable(where()));
        if (kind == u"produce" || kind == u"consume") {
            const qint64 item = e.value(QStringLiteral("item")).toInteger(-1);
            QVERIFY2(item >= 0, qPrintable(where()));
            QHash<qint64, int>& seen = kind == u"produce" ? produced : consumed;
            QVERIFY2(++seen[item] == 1,
                qPrintable(QStringLiteral("item %1 twice at ").arg(item) + where()));
        }
        if (kind == u"put" || kind == u"get") {
            QVERIFY2(e.value(QStringLiteral("item")).isDouble(), qPrintable(where()));
            QVERIFY2(e.value(QStringLiteral("slot")).isDouble(), qPrintable(where()));
            QVERIFY2(e.value(QStringLiteral("count")).isDouble(), qPrintable(where()));
            const qint64 count = e.value(QStringLiteral("count")).toInteger(-1);
            QVERIFY2(count >= (kind == u"put" ? 1 : 0) && (capacity == 0 || count <= capacity),
                qPrintable(where()));
            const qint64 slot = e.value(QStringLiteral("slot")).toInteger(-1);
            QVERIFY2(slot >= 0 && (capacity == 0 || slot < capacity), qPrintable(where()));
            const qint64 item = e.value(QStringLiteral("item")).toInteger(-1);
            QVERIFY2(item >= 0, qPrintable(where()));
            QHash<qint64, int>& seen = kind == u"put" ? puts : gets;
            QVERIFY2(++seen[item] == 1,
                qPrintable(QStringLiteral("item %1 twice at ").arg(item) + where()));
            if (kind == u"get")
                QVERIFY2(puts.contains(item),
                    qPrintable(QStringLiteral("got before put at ") + where()));
        }
    }
    // Every item put once and got once.
    QCOMPARE(puts.size(), producers * items);
    QCOMPARE(gets.size(), producers * items);
    QCOMPARE(produced.size(), producers * items);
    QCOMPARE(consumed.size(), producers * items);
    for (auto it = puts.cbegin(); it != puts.cend(); ++it)
        QVERIFY2(
            gets.contains(it.key()), qPrintable(QStringLiteral("item %1 never got").arg(it.key())));
}

void TestCli::csvTraceHasHeaderRowAndOneRowPerEvent()
{
    constexpr int capacity = 2;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString tracePath = dir.filePath(QStringLiteral("run.csv"));
    const QString summaryPath = dir.filePath(QStringLiteral("summary.json"));
    const Run run = runPcviz(
        { QStringLiteral("--headless"), QStringLiteral("--strategy"), QStringLiteral("semaphore"),
            QStringLiteral("--producers"), QStringLiteral("2"), QStringLiteral("--consumers"),
            QStringLiteral("2"), QStringLiteral("--capacity"), QString::number(capacity),
            QStringLiteral("--items"), QStringLiteral("200"), QStringLiteral("--trace"), tracePath,
            QStringLiteral("--summary"), summaryPath },
        dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(readFile(summaryPath), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    verifyCleanSummary(summary, QStringLiteral("semaphore"), capacity, 2, 2, 200);
    if (QTest::currentTestFailed())
        return;

    const QByteArray data = readFile(tracePath);
    QVERIFY(data.endsWith('\n'));
    const QList<QByteArray> rows = data.chopped(1).split('\n');
    const QList<QByteArray> header = rows.constFirst().split(',');
    for (const char* column : { "seq", "t_ns", "thread", "kind", "item", "slot", "count" })
        QVERIFY2(header.contains(column), rows.constFirst().constData());
    const int seqColumn = header.indexOf("seq");
    const int kindColumn = header.indexOf("kind");
    const int countColumn = header.indexOf("count");
    QCOMPARE(qint64(rows.size() - 1), summary.value(QStringLiteral("events")).toInteger());
    qsizetype puts = 0;
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QList<QByteArray> cells = rows.at(i).split(',');
        QVERIFY2(cells.size() == header.size(), rows.at(i).constData());
        QCOMPARE(cells.at(seqColumn).toLongLong(), qint64(i - 1));
        const QString kind = QString::fromLatin1(cells.at(kindColumn));
        QVERIFY2(documentedKinds().contains(kind), rows.at(i).constData());
        if (kind == u"put" || kind == u"get") {
            bool ok = false;
            const int count = cells.at(countColumn).toInt(&ok);
            QVERIFY2(ok && count >= 0 && count <= capacity, rows.at(i).constData());
            puts += kind == u"put";
        }
    }
    QCOMPARE(qint64(puts), qint64(2 * 200));
}

void TestCli::chromeTraceHasOneTrackPerThreadAndBalancedWaitSpans()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString tracePath = dir.filePath(QStringLiteral("run.json"));
    const QString summaryPath = dir.filePath(QStringLiteral("summary.json"));
    // Capacity 1 with two of each: threads wait often, so there are spans to draw.
    const Run run = runPcviz(
        { QStringLiteral("--headless"), QStringLiteral("--strategy"), QStringLiteral("monitor"),
            QStringLiteral("--producers"), QStringLiteral("2"), QStringLiteral("--consumers"),
            QStringLiteral("2"), QStringLiteral("--capacity"), QStringLiteral("1"),
            QStringLiteral("--items"), QStringLiteral("300"), QStringLiteral("--trace"), tracePath,
            QStringLiteral("--summary"), summaryPath },
        dir.path());
    QVERIFY2(exitedWith(run, ExitClean), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(readFile(summaryPath), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QJsonObject trace = parseObject(readFile(tracePath), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QJsonObject scenario = trace.value(QStringLiteral("otherData")).toObject();
    QCOMPARE(scenario.value(QStringLiteral("format")).toString(), QStringLiteral("pcviz-trace"));
    const QJsonArray events = trace.value(QStringLiteral("traceEvents")).toArray();
    QMap<int, QString> trackNames;
    QMap<int, int> openSpans;
    QMap<int, double> lastTs;
    qint64 instants = 0;
    qint64 spans = 0;
    for (const QJsonValue& value : events) {
        const QJsonObject e = value.toObject();
        const QString phase = e.value(QStringLiteral("ph")).toString();
        const int tid = e.value(QStringLiteral("tid")).toInt();
        QCOMPARE(e.value(QStringLiteral("pid")).toInt(), 1);
        const QJsonObject args = e.value(QStringLiteral("args")).toObject();
        if (phase == u"M") {
            if (e.value(QStringLiteral("name")).toString() == u"thread_name") {
                QVERIFY2(!trackNames.contains(tid), "a track is named twice");
                trackNames.insert(tid, args.value(QStringLiteral("name")).toString());
            }
            continue;
        }
        QVERIFY2(trackNames.contains(tid), "an event on a track with no name");
        const double ts = e.value(QStringLiteral("ts")).toDouble();
        QVERIFY2(ts >= lastTs.value(tid, 0), "time runs backwards on a track");
        lastTs[tid] = ts;
        if (phase == u"i") {
            ++instants;
            QCOMPARE(args.value(QStringLiteral("thread")).toString(), trackNames.value(tid));
        } else if (phase == u"B") {
            QCOMPARE(openSpans.value(tid), 0); // waits do not nest
            ++openSpans[tid];
            ++spans;
        } else if (phase == u"E") {
            QCOMPARE(openSpans.value(tid), 1);
            --openSpans[tid];
        } else {
            QFAIL(qPrintable(QStringLiteral("unexpected phase ") + phase));
        }
    }
    // One instant per recorded event, one named track per thread (control's holds the end of
    // production), every span closed.
    QCOMPARE(instants, summary.value(QStringLiteral("events")).toInteger());
    QCOMPARE(QStringList(trackNames.values()).join(u','), QStringLiteral("P0,P1,C0,C1,control"));
    QVERIFY(spans > 0);
    for (const int open : std::as_const(openSpans))
        QCOMPARE(open, 0);
}

void TestCli::steppedRunReplaysFromItsScheduleToTheSameTrace()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QStringList shape { QStringLiteral("--headless"), QStringLiteral("--strategy"),
        QStringLiteral("semaphore"), QStringLiteral("--producers"), QStringLiteral("2"),
        QStringLiteral("--consumers"), QStringLiteral("2"), QStringLiteral("--capacity"),
        QStringLiteral("2"), QStringLiteral("--items"), QStringLiteral("20") };
    const auto eventsWithoutTimes = [](const QByteArray& trace) {
        QList<QByteArray> lines = trace.split('\n');
        lines.removeFirst(); // the header, which holds the schedule only in the replay
        QList<QJsonObject> events;
        for (const QByteArray& line : std::as_const(lines)) {
            if (line.isEmpty())
                continue;
            QJsonObject e = QJsonDocument::fromJson(line).object();
            e.remove(QStringLiteral("t_ns"));
            events.append(e);
        }
        return events;
    };
    const QString firstTrace = dir.filePath(QStringLiteral("first.jsonl"));
    const QString firstSummary = dir.filePath(QStringLiteral("first.json"));
    const Run first = runPcviz(shape
            + QStringList { QStringLiteral("--steps"), QStringLiteral("250"),
                QStringLiteral("--step-policy"), QStringLiteral("random"), QStringLiteral("--seed"),
                QStringLiteral("5"), QStringLiteral("--trace"), firstTrace,
                QStringLiteral("--summary"), firstSummary },
        dir.path());
    QVERIFY2(exitedWith(first, ExitClean), qPrintable(first.describe()));
    QString error;
    const QJsonObject summary = parseObject(readFile(firstSummary), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList schedule;
    for (const QJsonValue& step : summary.value(QStringLiteral("schedule")).toArray())
        schedule.append(step.toString());
    QCOMPARE(schedule.size(), 250);
    const QList<QJsonObject> expected = eventsWithoutTimes(readFile(firstTrace));
    QVERIFY(expected.size() > 100);
    for (int replay = 0; replay < 3; ++replay) {
        const QString trace = dir.filePath(QStringLiteral("replay%1.jsonl").arg(replay));
        const Run again = runPcviz(shape
                + QStringList { QStringLiteral("--schedule"), schedule.join(u','),
                    QStringLiteral("--trace"), trace },
            dir.path());
        QVERIFY2(exitedWith(again, ExitClean), qPrintable(again.describe()));
        QVERIFY2(eventsWithoutTimes(readFile(trace)) == expected, "the replay's events differ");
    }
}

void TestCli::scheduleStepThatCannotMoveExitsTwoNamingTheStep()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString trace = dir.filePath(QStringLiteral("run.jsonl"));
    // The consumer starts, enters get(), takes the lock, finds nothing and waits on not_empty:
    // its fifth step is one it cannot take.
    const Run run = runPcviz(
        { QStringLiteral("--headless"), QStringLiteral("--strategy"), QStringLiteral("monitor"),
            QStringLiteral("--capacity"), QStringLiteral("1"), QStringLiteral("--schedule"),
            QStringLiteral("C0,C0,C0,C0,C0,P0"), QStringLiteral("--trace"), trace },
        dir.path());
    QVERIFY2(exitedWith(run, ExitBadInput), qPrintable(run.describe()));
    const QString message = QString::fromUtf8(run.err);
    for (const char* fragment : { "--schedule", "step", "C0", "blocked in not_empty" })
        QVERIFY2(message.contains(QLatin1String(fragment)), qPrintable(message));
    QVERIFY2(!QFile::exists(trace), "a rejected schedule left a trace behind");
}

void TestCli::aScheduleIntoDeadlockExitsOneWithTheCycle()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString summaryPath = dir.filePath(QStringLiteral("summary.json"));
    // wait(mutex) before wait(empty): the producer fills the one slot, takes the mutex again
    // and waits on empty while holding it; the consumer then waits for the mutex.
    const Run run = runPcviz(
        { QStringLiteral("--headless"), QStringLiteral("--strategy"),
            QStringLiteral("swapped-wait-order"), QStringLiteral("--capacity"), QStringLiteral("1"),
            QStringLiteral("--items"), QStringLiteral("5"), QStringLiteral("--schedule"),
            QStringLiteral("P0,C0,P0,C0,P0,P0,P0,P0,C0,P0,C0,P0"), QStringLiteral("--summary"),
            summaryPath },
        dir.path());
    QVERIFY2(exitedWith(run, 1), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(readFile(summaryPath), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(summary.value(QStringLiteral("deadlock")).toBool());
    QStringList cycle;
    for (const QJsonValue& v : summary.value(QStringLiteral("deadlock_cycle")).toArray()) {
        const QJsonObject o = v.toObject();
        cycle.append(QStringLiteral("%1>%2@%3")
                         .arg(o.value(QStringLiteral("thread")).toString(),
                             o.value(QStringLiteral("waits_for")).toString(),
                             o.value(QStringLiteral("held_by")).toString()));
    }
    cycle.sort();
    QCOMPARE(cycle.join(u' '), QStringLiteral("C0>mutex@P0 P0>empty@"));
}

void TestCli::anIndependentCountOfTheTraceAgreesWithTheSummary_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("race") << QStringList { QStringLiteral("--preset"), QStringLiteral("race") };
    QTest::newRow("monitor") << QStringList { QStringLiteral("--strategy"),
        QStringLiteral("monitor"), QStringLiteral("--producers"), QStringLiteral("3"),
        QStringLiteral("--consumers"), QStringLiteral("3"), QStringLiteral("--capacity"),
        QStringLiteral("2"), QStringLiteral("--items"), QStringLiteral("3000") };
}

void TestCli::anIndependentCountOfTheTraceAgreesWithTheSummary()
{
    QFETCH(QStringList, arguments);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString tracePath = dir.filePath(QStringLiteral("run.jsonl"));
    const QString summaryPath = dir.filePath(QStringLiteral("summary.json"));
    const Run run = runPcviz(QStringList { QStringLiteral("--headless") } + arguments
            + QStringList { QStringLiteral("--trace"), tracePath, QStringLiteral("--summary"),
                summaryPath },
        dir.path());
    QVERIFY2(run.finished && (run.exitCode == 0 || run.exitCode == 1), qPrintable(run.describe()));
    QString error;
    const QJsonObject summary = parseObject(readFile(summaryPath), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    // Counted here from the trace alone, by the contract's definitions: lost = produced, never
    // consumed and not left in the buffer; duplicated = consumptions beyond the first.
    QSet<qint64> produced;
    QHash<qint64, int> consumed;
    const QList<QByteArray> lines = readFile(tracePath).trimmed().split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QJsonObject e = QJsonDocument::fromJson(lines[i]).object();
        const QString kind = e.value(QStringLiteral("kind")).toString();
        const qint64 item = e.value(QStringLiteral("item")).toInteger(-1);
        if (kind == u"produce")
            produced.insert(item);
        else if (kind == u"consume")
            ++consumed[item];
    }
    qint64 neverConsumed = 0;
    for (const qint64 item : std::as_const(produced))
        neverConsumed += consumed.contains(item) ? 0 : 1;
    qint64 extra = 0;
    for (const int times : std::as_const(consumed))
        extra += times - 1;
    const qint64 inBuffer = summary.value(QStringLiteral("in_buffer")).toInteger();
    QCOMPARE(summary.value(QStringLiteral("produced")).toInteger(), qint64(produced.size()));
    QCOMPARE(summary.value(QStringLiteral("lost")).toInteger(), neverConsumed - inBuffer);
    QCOMPARE(summary.value(QStringLiteral("duplicated")).toInteger(), extra);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
