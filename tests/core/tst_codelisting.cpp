// SPDX-License-Identifier: GPL-3.0-or-later
// The code listings are data checked against the real gates: every gate a parked or blocked
// thread of a stepped run shows has a line, the line is in the function the thread's own
// events say it is in, and every gate the data names is one some thread really reached. The
// loader refuses malformed files, naming the file and the field.

#include "codelistings.h"
#include "codetracker.h"
#include "engine.h"
#include "eventdrain.h"
#include "steppolicy.h"
#include "strategies/strategyregistry.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>

using namespace pcviz;

namespace {
/// What a thread's own events say it is doing: which operation its next gate belongs to, and
/// whether it is inside a condition wait (it waited and has not got the mutex back since).
struct ThreadHistory {
    std::uint64_t produce = 0, put = 0, get = 0, consume = 0, taskDone = 0, joinDone = 0,
                  condWait = 0, lock = 0;
};

/// Every thread's history and the fold, from the events in the order the log gives them.
class RunHistory {
public:
    explicit RunHistory(RunInfo info)
        : state(std::move(info))
    {
    }
    void apply(const Event& e)
    {
        state.apply(e);
        ThreadHistory& h = m_threads[e.thread.packed()];
        const std::uint64_t at = ++m_order;
        switch (e.kind) {
        case EventKind::Produce:
            h.produce = at;
            break;
        case EventKind::Put:
            h.put = at;
            break;
        case EventKind::Get:
            h.get = at;
            break;
        case EventKind::Consume:
            h.consume = at;
            break;
        case EventKind::TaskDone:
            h.taskDone = at;
            break;
        case EventKind::JoinDone:
            h.joinDone = at;
            break;
        case EventKind::CondWait:
            h.condWait = at;
            break;
        case EventKind::Lock:
            h.lock = at;
            break;
        default:
            break;
        }
    }
    const ThreadHistory& of(ThreadRef thread) { return m_threads[thread.packed()]; }

    StateModel state;

private:
    std::map<std::uint32_t, ThreadHistory> m_threads;
    std::uint64_t m_order = 0;
};

QString operationOf(const ThreadHistory& h, Role role, GateAction action, bool tasks)
{
    if (action == GateAction::Start)
        return QStringLiteral("thread");
    if (role == Role::Consumer && !tasks)
        return QStringLiteral("get");
    if (role == Role::Consumer) {
        // get() runs up to its unlock after the get; task_done() from the consume to its unlock.
        if (h.consume > h.get && h.consume > h.taskDone)
            return QStringLiteral("task_done");
        if (h.taskDone > h.consume && h.taskDone > h.get
            && (action == GateAction::Unlock || action == GateAction::Signal))
            return QStringLiteral("task_done");
        return QStringLiteral("get");
    }
    // A producer holds an item from produce to put; main joins after its last put.
    if (h.produce > h.put)
        return QStringLiteral("put");
    if (action == GateAction::Lock || action == GateAction::Join || action == GateAction::Wait)
        return QStringLiteral("join");
    if (action == GateAction::Unlock && h.joinDone > h.put)
        return QStringLiteral("join");
    return QStringLiteral("put");
}

/// The function each line of a listing is in, read off its text: def NAME(, a C++ function
/// header, or a pseudo-code "NAME:" label.
std::vector<QString> functionsOf(const CodeListing& listing)
{
    static const QRegularExpression python(QStringLiteral("^\\s*def (\\w+)\\("));
    static const QRegularExpression cpp(
        QStringLiteral("^\\s*(?:explicit\\s+)?(?:[\\w:<>]+\\s+)?(\\w+)\\([^;]*\\)[^;]*$"));
    static const QRegularExpression pseudo(QStringLiteral("^(\\w+):"));
    const QRegularExpression& header = listing.view() == u"python" ? python
        : listing.view() == u"cpp"                                 ? cpp
                                                                   : pseudo;
    std::vector<QString> out;
    QString current;
    for (const CodeListing::Line& line : listing.lines()) {
        const QRegularExpressionMatch m = header.match(line.text);
        if (m.hasMatch() && !line.text.trimmed().startsWith(u"while")
            && !line.text.trimmed().startsWith(u"if") && !line.text.trimmed().startsWith(u"for"))
            current = m.captured(1);
        out.push_back(current);
    }
    return out;
}

QStringList operationsOfFunction(const QString& function, const QString& view)
{
    if (function == u"put" || function == u"get" || function == u"join")
        return { function };
    if (function == u"task_done" || function == u"taskDone")
        return { QStringLiteral("task_done") };
    // Pseudo-code writes each operation into its thread's loop.
    if (view == u"pseudo" && function == u"producer")
        return { QStringLiteral("thread"), QStringLiteral("put") };
    if (view == u"pseudo" && function == u"consumer")
        return { QStringLiteral("thread"), QStringLiteral("get") };
    return { QStringLiteral("thread") };
}

/// Why a marker is on the wrong line, or nothing when it is right: the line must be in the
/// function the thread's events say it is in, and a lock taken back inside a wait must be on
/// the wait. Without the thread's earlier lines (right after a pause) that last cannot be
/// told, nor main's unlock at the end of join() from the one at the end of put().
QString checkMarker(const CodeListing& listing, const std::vector<QString>& functions,
    const CodeTracker::Marker& m, const ThreadHistory& h, bool tasks, bool knowsEarlierLines)
{
    if (m.line < 0)
        return QStringLiteral("no line");
    const QString text = listing.lines()[std::size_t(m.line)].text;
    const bool insideWait = h.condWait > h.lock;
    const bool coldUnlock
        = m.thread.role == Role::Main && m.action == GateAction::Unlock && h.joinDone > h.put;
    if (!knowsEarlierLines && ((m.action == GateAction::Lock && insideWait) || coldUnlock))
        return {};
    const QString expected = operationOf(h, m.thread.role, m.action, tasks);
    const QString function = functions[std::size_t(m.line)];
    if (!operationsOfFunction(function, listing.view()).contains(expected))
        return QStringLiteral("line %1 (%2) is in %3, the events say %4")
            .arg(m.line + 1)
            .arg(text.trimmed(), function, expected);
    // Woken from a condition, a thread takes the mutex back inside wait(): its marker stays on
    // the wait.
    if (m.action == GateAction::Lock && insideWait != text.contains(u".wait("))
        return QStringLiteral("line %1 (%2): %3 a wait")
            .arg(m.line + 1)
            .arg(text.trimmed(),
                insideWait ? QStringLiteral("the thread is inside") : QStringLiteral("not"));
    return {};
}

Scenario shape(const QString& strategy, const QString& kind)
{
    Scenario s;
    s.strategy = strategy;
    s.producers = 2;
    s.consumers = 2;
    s.capacity = 2;
    s.items = 30;
    if (kind == u"main") {
        // main is the one producer; with pyqueue it joins, and the consumers are daemons.
        s.producers = 1;
        s.mainProduces = true;
        s.consumers = 3;
        s.capacity = 1;
        s.items = 8;
        if (strategy == u"pyqueue") {
            s.join = true;
            s.daemonConsumers = true;
        }
    } else if (kind == u"single") {
        // One producer and one consumer (all lockfree-spsc serves) on the smallest ring.
        s.producers = 1;
        s.consumers = 1;
        s.capacity = 1;
        s.items = 200;
    } else if (kind == u"seed") {
        s.producers = 1;
        s.mainProduces = true;
        s.consumers = 3;
        s.capacity = 0;
        s.items = 6;
        s.join = true;
        s.daemonConsumers = true;
    }
    return s;
}

QString describe(const CodeListing& listing, const CodeTracker::Marker& m, int step)
{
    return QStringLiteral("%1.%2, step %3: %4 %5 %6 %7")
        .arg(listing.strategy(), listing.view())
        .arg(step)
        .arg(m.thread.name(), m.blocked ? QStringLiteral("blocked in") : QStringLiteral("at"),
            QLatin1String(gateActionName(m.action)), m.object);
}

void writeFile(const QString& path, const QByteArray& data)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(data);
}

const QByteArray GoodListing = R"json({
    "format": "pcviz-code", "version": 1, "strategy": "monitor", "view": "cpp", "title": "t",
    "lines": [
        { "text": "void put(Item item)", "gates": [{ "role": "producer", "action": "start" }] },
        { "text": "    std::unique_lock lock(mutex);",
          "gates": [{ "role": ["producer", "main"], "action": "lock", "object": "mutex" }] }
    ]
})json";
} // namespace

class TestCodeListing : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void builtInListingsLoadForEveryStrategy();
    void everyGateOfARealSteppedRunHasALineInItsFunction_data();
    void everyGateOfARealSteppedRunHasALineInItsFunction();
    void markersAfterPausingAFreeRunAreInTheirFunction_data();
    void markersAfterPausingAFreeRunAreInTheirFunction();
    void threadsBlockedBeforeAPauseAreAtTheirWait_data();
    void threadsBlockedBeforeAPauseAreAtTheirWait();
    void aGateOnSeveralLinesIsFoundFromTheThreadsLastLine();
    void malformedFilesAreRefusedNamingFileAndField_data();
    void malformedFilesAreRefusedNamingFileAndField();
    void aFileNamedForAnotherStrategyOrViewIsRefused();
};

void TestCodeListing::builtInListingsLoadForEveryStrategy()
{
    const CodeListings& listings = CodeListings::builtIn();
    QVERIFY2(listings.errors().isEmpty(), qPrintable(listings.errors().join(u'\n')));
    // The broken teaching strategies too: their flaw is in plain sight, marked in the code.
    for (const StrategyInfo& info : StrategyRegistry::all()) {
        QVERIFY2(listings.views(info.name).contains(u"cpp"), qPrintable(info.name));
        if (info.broken) {
            bool marked = false;
            for (const CodeListing::Line& line :
                listings.find(info.name, QStringLiteral("cpp"))->lines())
                marked |= line.text.contains(u"// FLAW:");
            QVERIFY2(marked, qPrintable(info.name + QStringLiteral(": no line marks the flaw")));
        }
    }
    QCOMPARE(listings.views(QStringLiteral("pyqueue")),
        QStringList({ QStringLiteral("python"), QStringLiteral("cpp") }));
    QCOMPARE(listings.views(QStringLiteral("semaphore")),
        QStringList({ QStringLiteral("pseudo"), QStringLiteral("cpp") }));
    // The API a reader asks: strategy, view, role, action, object -> line.
    const std::optional<int> line = listings.lineFor(QStringLiteral("semaphore"),
        QStringLiteral("pseudo"), Role::Producer, GateAction::Acquire, u"empty");
    QVERIFY(line);
    QCOMPARE(listings.find(QStringLiteral("semaphore"), QStringLiteral("pseudo"))
                 ->lines()[std::size_t(*line)]
                 .text.trimmed(),
        QStringLiteral("wait(empty)"));
}

void TestCodeListing::everyGateOfARealSteppedRunHasALineInItsFunction_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<QStringList>("shapes");
    QTest::newRow("monitor") << QStringLiteral("monitor")
                             << QStringList { QStringLiteral("threads"), QStringLiteral("main") };
    QTest::newRow("semaphore") << QStringLiteral("semaphore")
                               << QStringList { QStringLiteral("threads"), QStringLiteral("main") };
    QTest::newRow("pyqueue") << QStringLiteral("pyqueue")
                             << QStringList { QStringLiteral("threads"), QStringLiteral("main"),
                                    QStringLiteral("seed") };
    QTest::newRow("lockfree-spsc")
        << QStringLiteral("lockfree-spsc") << QStringList { QStringLiteral("single") };
    QTest::newRow("lockfree-mpmc") << QStringLiteral("lockfree-mpmc")
                                   << QStringList { QStringLiteral("threads"),
                                          QStringLiteral("main"), QStringLiteral("single") };
    // The broken strategies: the same check, flaw and all, as their listings are as honest.
    for (const char* broken :
        { "unsynchronised", "if-not-while", "swapped-wait-order", "lost-wakeup" })
        QTest::newRow(broken) << QString::fromLatin1(broken)
                              << QStringList { QStringLiteral("threads"), QStringLiteral("main") };
}

void TestCodeListing::everyGateOfARealSteppedRunHasALineInItsFunction()
{
    QFETCH(QString, strategy);
    QFETCH(QStringList, shapes);
    const CodeListings& listings = CodeListings::builtIn();
    std::vector<const CodeListing*> views;
    for (const QString& view : listings.views(strategy))
        views.push_back(listings.find(strategy, view));
    QVERIFY(!views.empty());
    const bool tasks = StrategyRegistry::find(strategy)->hasTasks;
    std::vector<std::vector<QString>> functions;
    for (const CodeListing* listing : views)
        functions.push_back(functionsOf(*listing));
    // Every (line, gate) of every view that some thread really stood at.
    std::vector<std::set<std::pair<int, int>>> reached(views.size());
    int markersChecked = 0;

    for (const QString& kind : shapes) {
        for (const auto policyKind : { StepPolicy::Kind::Random, StepPolicy::Kind::RoundRobin }) {
            for (std::uint64_t seed : { 1u, 2u, 3u }) {
                if (policyKind == StepPolicy::Kind::RoundRobin && seed > 1)
                    continue;
                const Scenario scenario = shape(strategy, kind);
                Engine engine;
                QVERIFY(engine.setScenario(scenario));
                RunHistory run(RunInfo { scenario, engine.objects() });
                EventDrain drain(engine.log(), true);
                const auto fold = [&](const Event& e) { run.apply(e); };
                std::vector<CodeTracker> trackers;
                for (const CodeListing* listing : views)
                    trackers.emplace_back(listing);
                StepPolicy policy(policyKind, seed);
                engine.start(Engine::StartMode::Stepping);
                QVERIFY(engine.waitUntilSettled());
                for (int step = 0; step < 400; ++step) {
                    drain.drain(fold);
                    const std::vector<Gate::ThreadState> threads = engine.gate().threads();
                    for (std::size_t v = 0; v < views.size(); ++v) {
                        const CodeListing& listing = *views[v];
                        for (const CodeTracker::Marker& m :
                            trackers[v].update(threads, run.state)) {
                            const QString problem = checkMarker(
                                listing, functions[v], m, run.of(m.thread), tasks, true);
                            QVERIFY2(problem.isEmpty(),
                                qPrintable(
                                    describe(listing, m, step) + QStringLiteral(": ") + problem));
                            reached[v].insert({ m.line, m.gate });
                            ++markersChecked;
                        }
                    }
                    std::vector<ThreadRef> parked;
                    for (const Gate::Parked& p : engine.gate().parked())
                        parked.push_back(p.thread);
                    const std::optional<ThreadRef> next = policy.next(parked);
                    if (!next || engine.step(*next) != Gate::StepResult::Done)
                        break;
                }
                engine.stop();
            }
        }
    }
    QVERIFY(markersChecked > 1000);
    // The other way round: the data names no gate the real threads never stood at.
    for (std::size_t v = 0; v < views.size(); ++v) {
        const CodeListing& listing = *views[v];
        for (int line = 0; line < int(listing.lines().size()); ++line) {
            for (int gate = 0; gate < int(listing.lines()[std::size_t(line)].gates.size());
                 ++gate) {
                QVERIFY2(reached[v].count({ line, gate }),
                    qPrintable(QStringLiteral("%1.%2: line %3 (%4), gate %5 was never reached")
                                   .arg(listing.strategy(), listing.view())
                                   .arg(line + 1)
                                   .arg(listing.lines()[std::size_t(line)].text.trimmed())
                                   .arg(gate)));
            }
        }
    }
}

void TestCodeListing::markersAfterPausingAFreeRunAreInTheirFunction_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<QString>("kind");
    for (const char* strategy : { "monitor", "semaphore", "pyqueue" }) {
        for (const char* kind : { "threads", "main" })
            QTest::addRow("%s %s", strategy, kind)
                << QString::fromLatin1(strategy) << QString::fromLatin1(kind);
    }
    QTest::newRow("pyqueue seed") << QStringLiteral("pyqueue") << QStringLiteral("seed");
    QTest::newRow("lockfree-spsc single")
        << QStringLiteral("lockfree-spsc") << QStringLiteral("single");
    QTest::newRow("lockfree-mpmc threads")
        << QStringLiteral("lockfree-mpmc") << QStringLiteral("threads");
}

void TestCodeListing::markersAfterPausingAFreeRunAreInTheirFunction()
{
    // A pause catches each thread wherever it is, and the panel has seen none of its earlier
    // lines: the fold alone (what a thread holds, what it owes) must tell which line it is on.
    QFETCH(QString, strategy);
    QFETCH(QString, kind);
    Scenario scenario = shape(strategy, kind);
    scenario.items = 400;
    scenario.produceRate = 300;
    scenario.consumeRate = 200;
    scenario.distribution = Distribution::Exponential;
    const bool tasks = StrategyRegistry::find(strategy)->hasTasks;
    const CodeListings& listings = CodeListings::builtIn();
    Engine engine;
    QVERIFY(engine.setScenario(scenario));
    RunHistory run(RunInfo { scenario, engine.objects() });
    EventDrain drain(engine.log(), true);
    engine.start();
    int checked = 0;
    for (int round = 0; round < 12 && engine.isActive(); ++round) {
        QTest::qWait(10);
        engine.pause();
        QVERIFY(engine.waitUntilSettled());
        drain.drain([&](const Event& e) { run.apply(e); });
        const std::vector<Gate::ThreadState> threads = engine.gate().threads();
        for (const QString& view : listings.views(strategy)) {
            const CodeListing& listing = *listings.find(strategy, view);
            CodeTracker tracker(&listing);
            for (const CodeTracker::Marker& m : tracker.update(threads, run.state)) {
                const QString problem
                    = checkMarker(listing, functionsOf(listing), m, run.of(m.thread), tasks, false);
                QVERIFY2(problem.isEmpty(),
                    qPrintable(describe(listing, m, round) + QStringLiteral(": ") + problem));
                ++checked;
            }
        }
        engine.resume();
    }
    engine.stop();
    // Nearly every thread on nearly every round (four threads: more than 40).
    QVERIFY(checked > 10 * (scenario.producers + scenario.consumers));
}

void TestCodeListing::threadsBlockedBeforeAPauseAreAtTheirWait_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<QString>("kind");
    QTest::newRow("monitor") << QStringLiteral("monitor") << QStringLiteral("threads");
    QTest::newRow("semaphore") << QStringLiteral("semaphore") << QStringLiteral("threads");
    QTest::newRow("pyqueue seed") << QStringLiteral("pyqueue") << QStringLiteral("seed");
    QTest::newRow("lockfree-spsc") << QStringLiteral("lockfree-spsc") << QStringLiteral("single");
    QTest::newRow("lockfree-mpmc") << QStringLiteral("lockfree-mpmc") << QStringLiteral("threads");
}

void TestCodeListing::threadsBlockedBeforeAPauseAreAtTheirWait()
{
    // Consumers run freely into an empty buffer and block there; then the run pauses. The gate
    // saw them block but not the gates they passed on the way, and their markers still find
    // the wait they are in.
    QFETCH(QString, strategy);
    QFETCH(QString, kind);
    Scenario scenario = shape(strategy, kind);
    scenario.produceRate = 2;
    scenario.items = 1000;
    Engine engine;
    QVERIFY(engine.setScenario(scenario));
    StateModel state(RunInfo { scenario, engine.objects() });
    EventDrain drain(engine.log(), true);
    engine.start();
    const auto consumersBlocked = [&] {
        int blocked = 0;
        for (const Gate::ThreadState& t : engine.gate().threads())
            blocked += t.thread.role == Role::Consumer && t.state == Gate::State::Blocked;
        return blocked == scenario.consumers;
    };
    QTRY_VERIFY_WITH_TIMEOUT(consumersBlocked(), 5000);
    engine.pause();
    QVERIFY(engine.waitUntilSettled());
    drain.drain([&](const Event& e) { state.apply(e); });
    int checked = 0;
    for (const QString& view : CodeListings::builtIn().views(strategy)) {
        const CodeListing* listing = CodeListings::builtIn().find(strategy, view);
        CodeTracker tracker(listing);
        for (const CodeTracker::Marker& m : tracker.update(engine.gate().threads(), state)) {
            if (m.thread.role != Role::Consumer || !m.blocked)
                continue;
            const QString where = describe(*listing, m, 0);
            QVERIFY2(m.line >= 0, qPrintable(where));
            const QString text = listing->lines()[std::size_t(m.line)].text;
            const QString wait = strategy == u"semaphore" ? QStringLiteral("full")
                : strategy.startsWith(u"lockfree")        ? QStringLiteral(".backOff(")
                                                          : QStringLiteral(".wait(");
            QVERIFY2(text.contains(wait), qPrintable(where + u' ' + text));
            ++checked;
        }
    }
    QVERIFY(checked >= scenario.consumers);
    engine.stop();
}

void TestCodeListing::aGateOnSeveralLinesIsFoundFromTheThreadsLastLine()
{
    const CodeListing* python
        = CodeListings::builtIn().find(QStringLiteral("pyqueue"), QStringLiteral("python"));
    QVERIFY(python);
    const auto textOf = [&](std::optional<CodeListing::Match> m) {
        return m ? python->lines()[std::size_t(m->line)].text.trimmed() : QString();
    };
    // A consumer's first lock is get()'s; after get() it is task_done()'s; then get()'s again.
    const auto first = python->find(Role::Consumer, GateAction::Lock, u"mutex");
    QCOMPARE(textOf(first), QStringLiteral("with self.not_empty:"));
    const auto unlockGet
        = python->find(Role::Consumer, GateAction::Unlock, u"mutex", std::nullopt, first->line);
    const auto taskDone
        = python->find(Role::Consumer, GateAction::Lock, u"mutex", std::nullopt, unlockGet->line);
    QCOMPARE(textOf(taskDone), QStringLiteral("with self.all_tasks_done:"));
    const auto unlockTask
        = python->find(Role::Consumer, GateAction::Unlock, u"mutex", std::nullopt, taskDone->line);
    QCOMPARE(textOf(python->find(
                 Role::Consumer, GateAction::Lock, u"mutex", std::nullopt, unlockTask->line)),
        QStringLiteral("with self.not_empty:"));
    // Main holds an item in put() and none in join(), wherever it was last.
    QCOMPARE(textOf(python->find(Role::Main, GateAction::Lock, u"mutex", true, unlockTask->line)),
        QStringLiteral("with self.not_full:"));
    QCOMPARE(textOf(python->find(Role::Main, GateAction::Lock, u"mutex", false, first->line)),
        QStringLiteral("with self.all_tasks_done:"));
}

void TestCodeListing::malformedFilesAreRefusedNamingFileAndField_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    const auto edit = [](const char* from, const char* to) {
        QByteArray json = GoodListing;
        json.replace(from, to);
        return json;
    };
    QTest::newRow("not json") << QByteArray("{ \"format\": ") << QStringLiteral("not valid JSON");
    QTest::newRow("format") << edit("pcviz-code", "pcviz-scenario") << QStringLiteral("format");
    QTest::newRow("version") << edit("\"version\": 1", "\"version\": 2")
                             << QStringLiteral("version");
    QTest::newRow("unknown field") << edit("\"title\"", "\"colour\": 1, \"title\"")
                                   << QStringLiteral("\"colour\": unknown field");
    QTest::newRow("strategy") << edit("\"monitor\"", "\"monitors\"")
                              << QStringLiteral("strategy: \"monitors\" is not a strategy");
    QTest::newRow("view") << edit("\"cpp\"", "\"rust\"")
                          << QStringLiteral("view: \"rust\" is not a view");
    QTest::newRow("empty title") << edit("\"title\": \"t\"", "\"title\": \" \"")
                                 << QStringLiteral("title");
    QTest::newRow("lines not array")
        << QByteArray(R"json({"format": "pcviz-code", "version": 1, "strategy": "monitor",
                          "view": "cpp", "title": "t", "lines": {}})json")
        << QStringLiteral("lines: expected a non-empty array");
    QTest::newRow("text missing") << edit("\"text\": \"void put(Item item)\", ", "")
                                  << QStringLiteral("lines[0].text: expected a string");
    QTest::newRow("tab in text") << edit("void put", "\\tvoid put")
                                 << QStringLiteral("lines[0].text: contains a control character");
    QTest::newRow("gates not array")
        << edit("\"gates\": [{ \"role\": \"producer\", \"action\": \"start\" }]", "\"gates\": {}")
        << QStringLiteral("lines[0].gates: expected an array");
    QTest::newRow("role") << edit("\"role\": \"producer\"", "\"role\": \"writer\"")
                          << QStringLiteral("lines[0].gates[0].role: \"writer\" is not a role");
    QTest::newRow("role in list") << edit("[\"producer\", \"main\"]", "[\"producer\", 7]")
                                  << QStringLiteral("lines[1].gates[0].role: a number");
    QTest::newRow("action") << edit("\"lock\"", "\"lok\"")
                            << QStringLiteral("lines[1].gates[0].action: \"lok\" is not a gate "
                                              "action (allowed: lock, unlock, wait");
    QTest::newRow("object missing") << edit(", \"object\": \"mutex\"", "")
                                    << QStringLiteral("lines[1].gates[0].object: lock acts on a "
                                                      "mutex");
    QTest::newRow("object unknown")
        << edit("\"object\": \"mutex\"", "\"object\": \"empty\"")
        << QStringLiteral("lines[1].gates[0].object: \"empty\" is not an object of monitor");
    QTest::newRow("object of another type")
        << edit("\"object\": \"mutex\"", "\"object\": \"not_full\"")
        << QStringLiteral("lines[1].gates[0].object: not_full is a condvar, but lock acts on a "
                          "mutex");
    QTest::newRow("object on start")
        << edit("\"action\": \"start\"", "\"action\": \"start\", \"object\": \"mutex\"")
        << QStringLiteral("lines[0].gates[0].object: start acts on no object");
    QTest::newRow("holding") << edit("\"object\": \"mutex\"",
        "\"object\": \"mutex\", "
        "\"holding\": \"yes\"")
                             << QStringLiteral("lines[1].gates[0].holding: expected true or false");
    QTest::newRow("unknown gate field")
        << edit("\"action\": \"start\"", "\"action\": \"start\", \"line\": 3")
        << QStringLiteral("lines[0].gates[0].\"line\": unknown field");
}

void TestCodeListing::malformedFilesAreRefusedNamingFileAndField()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("monitor.cpp.json"));
    writeFile(path, json);
    QString error;
    QVERIFY(!CodeListing::load(path, &error));
    QVERIFY2(error.startsWith(path + QStringLiteral(": ")), qPrintable(error));
    QVERIFY2(error.contains(field), qPrintable(error));
    // The directory loader leaves the file out and keeps the same message.
    const CodeListings listings = CodeListings::loadDirectory(dir.path());
    QVERIFY(listings.all().empty());
    QCOMPARE(listings.errors(), QStringList { error });
}

void TestCodeListing::aFileNamedForAnotherStrategyOrViewIsRefused()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("monitor.cpp.json")), GoodListing);
    writeFile(dir.filePath(QStringLiteral("monitor.python.json")), GoodListing);
    const CodeListings listings = CodeListings::loadDirectory(dir.path());
    QCOMPARE(listings.all().size(), std::size_t(1));
    QCOMPARE(listings.views(QStringLiteral("monitor")), QStringList { QStringLiteral("cpp") });
    QCOMPARE(listings.errors().size(), 1);
    QVERIFY2(listings.errors().front().contains(u"monitor.python.json: strategy, view"),
        qPrintable(listings.errors().front()));
}

QTEST_GUILESS_MAIN(TestCodeListing)
#include "tst_codelisting.moc"
