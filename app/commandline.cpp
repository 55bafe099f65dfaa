// SPDX-License-Identifier: GPL-3.0-or-later
#include "commandline.h"

#include "tracewriter.h"

#include "inputtext.h"
#include "presets.h"
#include "steppolicy.h"
#include "strategies/strategyregistry.h"

#include <QCommandLineParser>

namespace pcviz {

namespace {
struct Options {
    QCommandLineOption headless { QStringLiteral("headless"),
        QStringLiteral("Run without a display, print the summary and exit.") };
    QCommandLineOption preset { QStringLiteral("preset"),
        QStringLiteral("Start from the built-in scenario <name> (see --list-presets)."),
        QStringLiteral("name") };
    QCommandLineOption scenario { QStringLiteral("scenario"),
        QStringLiteral("Start from the scenario file <file>."), QStringLiteral("file") };
    QCommandLineOption listPresets { QStringLiteral("list-presets"),
        QStringLiteral("List the built-in scenarios and exit.") };
    QCommandLineOption listStrategies { QStringLiteral("list-strategies"),
        QStringLiteral("List the buffer strategies and exit.") };
    QCommandLineOption strategy { QStringLiteral("strategy"),
        QStringLiteral("Buffer strategy (see --list-strategies)."), QStringLiteral("name") };
    QCommandLineOption producers { QStringLiteral("producers"),
        QStringLiteral("Producer threads, 1..64."), QStringLiteral("n") };
    QCommandLineOption consumers { QStringLiteral("consumers"),
        QStringLiteral("Consumer threads, 1..64."), QStringLiteral("n") };
    QCommandLineOption capacity { QStringLiteral("capacity"),
        QStringLiteral("Buffer slots, 1..4096 (0 = unbounded, pyqueue only)."),
        QStringLiteral("n") };
    QCommandLineOption items { QStringLiteral("items"),
        QStringLiteral("Items per producer, 1..1000000000."), QStringLiteral("n") };
    QCommandLineOption produceRate { QStringLiteral("produce-rate"),
        QStringLiteral("Items/s per producer thread (0.01..1e9), or max."),
        QStringLiteral("rate") };
    QCommandLineOption consumeRate { QStringLiteral("consume-rate"),
        QStringLiteral("Items/s per consumer thread (0.01..1e9), or max."),
        QStringLiteral("rate") };
    QCommandLineOption distribution { QStringLiteral("distribution"),
        QStringLiteral("Gaps between items: constant, exponential or bursty."),
        QStringLiteral("name") };
    QCommandLineOption seed { QStringLiteral("seed"),
        QStringLiteral("Seed for the rate generators, 0..9007199254740991."), QStringLiteral("n") };
    QCommandLineOption record { QStringLiteral("record"),
        QStringLiteral("Record every event (on, the default) or keep only counters (off), to "
                       "measure what observing the threads costs."),
        QStringLiteral("on|off") };
    QCommandLineOption summary { QStringLiteral("summary"),
        QStringLiteral("Headless: write the JSON summary to <file> or - (default: stdout)."),
        QStringLiteral("file") };
    QCommandLineOption trace { QStringLiteral("trace"),
        QStringLiteral("Headless: write every event to <file> (.jsonl, .csv, or .json for "
                       "Perfetto and chrome://tracing)."),
        QStringLiteral("file") };
    QCommandLineOption screenshot { QStringLiteral("screenshot"),
        QStringLiteral("GUI: render the window to the PNG <file> when --quit-after ends."),
        QStringLiteral("file") };
    QCommandLineOption quitAfter { QStringLiteral("quit-after"),
        QStringLiteral("GUI: quit after <seconds> (0..86400)."), QStringLiteral("seconds") };
    QCommandLineOption perfReport { QStringLiteral("perf-report"),
        QStringLiteral("GUI: write frame-time and engine statistics to the JSON <file> when it "
                       "quits (use with --quit-after)."),
        QStringLiteral("file") };
    QCommandLineOption schedule { QStringLiteral("schedule"),
        QStringLiteral("Headless: step the threads in this order, e.g. P0,P0,C0 (replays a "
                       "stepped run exactly)."),
        QStringLiteral("threads") };
    QCommandLineOption steps { QStringLiteral("steps"),
        QStringLiteral("Headless: take <n> steps (1..1000000) chosen by --step-policy; the "
                       "summary lists them as a schedule."),
        QStringLiteral("n") };
    QCommandLineOption stepPolicy { QStringLiteral("step-policy"),
        QStringLiteral("Which thread --steps moves next: round-robin (default) or random "
                       "(from --seed)."),
        QStringLiteral("name") };
    QCommandLineOption results { QStringLiteral("results"),
        QStringLiteral(
            "Headless: write [value, result] pairs in consumption order to <file> or -."),
        QStringLiteral("file") };
};

// Parses a whole number option; an error names the option and its range.
bool readInteger(const QCommandLineParser& parser, const QCommandLineOption& option, qint64 min,
    qint64 max, qint64& out, QString& error)
{
    if (!parser.isSet(option))
        return true;
    const QString text = parser.value(option);
    bool ok = false;
    const qint64 v = text.trimmed().toLongLong(&ok);
    const QString range = QStringLiteral("%1..%2").arg(min).arg(max);
    if (!ok) {
        error = QStringLiteral("--%1: %2 is not a whole number (allowed: %3)")
                    .arg(option.names().constFirst(), quoteInput(text), range);
        return false;
    }
    if (v < min || v > max) {
        error = QStringLiteral("--%1: %2 is out of range (allowed: %3)")
                    .arg(option.names().constFirst())
                    .arg(v)
                    .arg(range);
        return false;
    }
    out = v;
    return true;
}

bool readInteger(const QCommandLineParser& parser, const QCommandLineOption& option, int min,
    int max, int& out, QString& error)
{
    qint64 wide = out;
    const bool ok = readInteger(parser, option, qint64(min), qint64(max), wide, error);
    out = int(wide);
    return ok;
}

bool readRate(
    const QCommandLineParser& parser, const QCommandLineOption& option, double& out, QString& error)
{
    if (!parser.isSet(option))
        return true;
    const auto rate = Scenario::parseRate(parser.value(option));
    if (!rate) {
        error = QStringLiteral("--%1: %2 is not allowed (allowed: %3)")
                    .arg(option.names().constFirst(), quoteInput(parser.value(option)),
                        Scenario::rateRange());
        return false;
    }
    out = *rate;
    return true;
}
} // namespace

CommandLine CommandLine::parse(const QStringList& arguments)
{
    CommandLine result;
    const auto bad = [&result](const QString& message) {
        result.mode = Mode::BadInput;
        result.error = message;
        return result;
    };

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Visualise the producer-consumer (bounded buffer) problem with real threads.\n"
        "Exit status: 0 clean run, 1 violation or deadlock detected, 2 bad input."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    Options o;
    parser.addOptions({ o.headless, o.preset, o.scenario, o.listPresets, o.listStrategies,
        o.strategy, o.producers, o.consumers, o.capacity, o.items, o.produceRate, o.consumeRate,
        o.distribution, o.seed, o.summary, o.trace, o.results, o.screenshot, o.quitAfter,
        o.perfReport, o.schedule, o.steps, o.stepPolicy, o.record });
    result.helpText = parser.helpText();

    if (!parser.parse(arguments))
        // Qt's message quotes the offending option as typed.
        return bad(quoteInput(parser.errorText(), 200).mid(1).chopped(1)
            + QStringLiteral(" (see --help)"));
    if (!parser.positionalArguments().isEmpty())
        return bad(QStringLiteral("unexpected argument %1 (see --help)")
                       .arg(quoteInput(parser.positionalArguments().constFirst())));
    if (parser.isSet(help)) {
        result.mode = Mode::Help;
        return result;
    }
    if (parser.isSet(version)) {
        result.mode = Mode::Version;
        return result;
    }
    if (parser.isSet(o.listPresets)) {
        result.mode = Mode::ListPresets;
        return result;
    }
    if (parser.isSet(o.listStrategies)) {
        result.mode = Mode::ListStrategies;
        return result;
    }
    for (const QCommandLineOption* single : { &o.preset, &o.scenario, &o.strategy, &o.producers,
             &o.consumers, &o.capacity, &o.items, &o.produceRate, &o.consumeRate, &o.distribution,
             &o.seed, &o.summary, &o.trace, &o.results, &o.screenshot, &o.quitAfter, &o.perfReport,
             &o.schedule, &o.steps, &o.stepPolicy, &o.record }) {
        if (parser.values(*single).size() > 1)
            return bad(QStringLiteral("--%1: given more than once (allowed: once)")
                           .arg(single->names().constFirst()));
    }

    const bool headless = parser.isSet(o.headless);
    result.mode = headless ? Mode::Headless : Mode::Gui;
    if (parser.isSet(o.preset) && parser.isSet(o.scenario))
        return bad(QStringLiteral("--preset and --scenario: give one or the other, not both"));

    QString error;
    if (parser.isSet(o.preset)) {
        const auto s = Presets::load(parser.value(o.preset), &error);
        if (!s)
            return bad(QStringLiteral("--") + error);
        result.scenario = *s;
    } else if (parser.isSet(o.scenario)) {
        const auto s = Scenario::load(parser.value(o.scenario), &error);
        if (!s)
            return bad(QStringLiteral("--scenario: ") + error);
        result.scenario = *s;
    } else if (!headless) {
        if (const auto s = Presets::load(QStringLiteral("default"), &error))
            result.scenario = *s;
    }

    result.scenarioGiven = parser.isSet(o.preset) || parser.isSet(o.scenario);
    for (const QCommandLineOption* override :
        { &o.strategy, &o.producers, &o.consumers, &o.capacity, &o.items, &o.produceRate,
            &o.consumeRate, &o.distribution, &o.seed, &o.record })
        result.scenarioGiven = result.scenarioGiven || parser.isSet(*override);
    Scenario& s = result.scenario;
    if (parser.isSet(o.strategy)) {
        s.strategy = parser.value(o.strategy);
        if (!StrategyRegistry::find(s.strategy))
            return bad(QStringLiteral("--strategy: %1 is not a strategy (allowed: %2)")
                           .arg(quoteInput(s.strategy),
                               StrategyRegistry::names().join(QStringLiteral(", "))));
    }
    if (!readInteger(parser, o.producers, 1, Scenario::MaxThreads, s.producers, error)
        || !readInteger(parser, o.consumers, 1, Scenario::MaxThreads, s.consumers, error)
        || !readInteger(parser, o.capacity, 0, Scenario::MaxCapacity, s.capacity, error)
        || !readInteger(parser, o.items, qint64(1), Scenario::MaxItems, s.items, error)
        || !readInteger(parser, o.seed, qint64(0), Scenario::MaxSeed, s.seed, error)
        || !readRate(parser, o.produceRate, s.produceRate, error)
        || !readRate(parser, o.consumeRate, s.consumeRate, error))
        return bad(error);
    if (parser.isSet(o.distribution)) {
        const auto d = distributionFromName(parser.value(o.distribution));
        if (!d)
            return bad(QStringLiteral("--distribution: %1 is not allowed (allowed: constant, "
                                      "exponential, bursty)")
                           .arg(quoteInput(parser.value(o.distribution))));
        s.distribution = *d;
    }
    if (parser.isSet(o.record)) {
        const QString value = parser.value(o.record);
        if (value != u"on" && value != u"off")
            return bad(QStringLiteral("--record: %1 is not allowed (allowed: on, off)")
                           .arg(quoteInput(value)));
        s.record = value == u"on";
    }
    if (parser.isSet(o.schedule)) {
        s.schedule = parser.value(o.schedule).split(u',');
        for (qsizetype i = 0; i < s.schedule.size(); ++i) {
            if (!s.scheduleNames(s.schedule[i].trimmed()))
                return bad(QStringLiteral("--schedule: step %1, %2, is not allowed (allowed: %3)")
                               .arg(i + 1)
                               .arg(quoteInput(s.schedule[i]), s.scheduleRange()));
            s.schedule[i] = s.schedule[i].trimmed();
        }
    }
    if (!readInteger(parser, o.steps, qint64(1), Scenario::MaxScheduleSteps, result.steps, error))
        return bad(error);
    if (parser.isSet(o.stepPolicy)) {
        const auto policy = StepPolicy::fromName(parser.value(o.stepPolicy));
        if (!policy)
            return bad(QStringLiteral("--step-policy: %1 is not allowed (allowed: round-robin, "
                                      "random)")
                           .arg(quoteInput(parser.value(o.stepPolicy))));
        result.stepPolicy = *policy;
        if (!parser.isSet(o.steps))
            return bad(QStringLiteral("--step-policy: only with --steps"));
    }
    if (!s.record) {
        for (const QCommandLineOption* needsEvents : { &o.trace, &o.results, &o.steps }) {
            if (parser.isSet(*needsEvents))
                return bad(QStringLiteral("--%1: needs the events (allowed: --record on)")
                               .arg(needsEvents->names().constFirst()));
        }
    }
    if (parser.isSet(o.steps) && !s.schedule.isEmpty())
        return bad(QStringLiteral("--steps and --schedule: give one or the other, not both"));
    if (!headless) {
        for (const QCommandLineOption* stepped : { &o.schedule, &o.steps }) {
            if (parser.isSet(*stepped))
                return bad(QStringLiteral("--%1: only with --headless")
                               .arg(stepped->names().constFirst()));
        }
    }
    if (const QString problem = s.validate(); !problem.isEmpty())
        return bad(QStringLiteral("scenario field ") + problem);

    if (!headless) {
        for (const QCommandLineOption* output : { &o.summary, &o.trace, &o.results }) {
            if (parser.isSet(*output))
                return bad(
                    QStringLiteral("--%1: only with --headless").arg(output->names().constFirst()));
        }
    }
    for (const QCommandLineOption* output : { &o.summary, &o.trace, &o.results }) {
        if (parser.isSet(*output) && parser.value(*output).isEmpty())
            return bad(QStringLiteral("--%1: needs a file name").arg(output->names().constFirst()));
    }
    if (headless) {
        for (const QCommandLineOption* guiOnly : { &o.screenshot, &o.quitAfter, &o.perfReport }) {
            if (parser.isSet(*guiOnly))
                return bad(QStringLiteral("--%1: only without --headless")
                               .arg(guiOnly->names().constFirst()));
        }
    }
    if (parser.isSet(o.quitAfter)) {
        bool ok = false;
        const double seconds = parser.value(o.quitAfter).toDouble(&ok);
        if (!ok || !(seconds >= 0 && seconds <= MaxQuitAfterSeconds))
            return bad(QStringLiteral("--quit-after: %1 is not allowed (allowed: 0..%2 seconds)")
                           .arg(quoteInput(parser.value(o.quitAfter)))
                           .arg(MaxQuitAfterSeconds));
        result.quitAfterSeconds = seconds;
    }
    result.screenshotPath = parser.value(o.screenshot);
    if (parser.isSet(o.screenshot)
        && (result.screenshotPath.isEmpty() || result.quitAfterSeconds < 0))
        return bad(QStringLiteral("--screenshot: needs a file name and --quit-after (allowed: "
                                  "--screenshot FILE.png --quit-after SECONDS)"));
    result.perfReportPath = parser.value(o.perfReport);
    if (parser.isSet(o.perfReport) && result.perfReportPath.isEmpty())
        return bad(QStringLiteral("--perf-report: needs a file name"));
    result.summaryGiven = parser.isSet(o.summary);
    if (result.summaryGiven)
        result.summaryPath = parser.value(o.summary);
    result.tracePath = parser.value(o.trace);
    result.resultsPath = parser.value(o.results);
    if (!result.tracePath.isEmpty() && !TraceWriter::isTraceFileName(result.tracePath))
        return bad(QStringLiteral("--trace: %1 has no known format (allowed: a file name ending in "
                                  ".jsonl, .csv or .json)")
                       .arg(quoteInput(result.tracePath)));
    if (result.summaryGiven && result.summaryPath == result.resultsPath)
        return bad(QStringLiteral("--summary and --results: both name %1 (allowed: two different "
                                  "places; at most one of them -)")
                       .arg(quoteInput(result.summaryPath)));
    return result;
}

} // namespace pcviz
