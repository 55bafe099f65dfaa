// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario.h"
#include "steppolicy.h"

#include <QString>
#include <QStringList>

namespace pcviz {

/// What the user asked for on the command line, resolved into a validated scenario.
struct CommandLine {
    enum class Mode { Gui, Headless, ListPresets, ListStrategies, Help, Version, BadInput };

    Mode mode = Mode::Gui;
    Scenario scenario;
    bool scenarioGiven = false; // --preset, --scenario or an override was given
    QString summaryPath = QStringLiteral("-");
    bool summaryGiven = false;
    QString tracePath;
    QString resultsPath;
    QString screenshotPath; // GUI: render the window to this PNG before quitting
    double quitAfterSeconds = -1; // GUI: quit after this long (< 0: stay open)
    QString perfReportPath; // GUI: frame and engine statistics, written when it quits
    qint64 steps = 0; // headless: steps chosen by stepPolicy (0: run freely or by schedule)
    StepPolicy::Kind stepPolicy = StepPolicy::Kind::RoundRobin;
    QString error; // with BadInput: names the option and what it allows
    QString helpText;

    static CommandLine parse(const QStringList& arguments);
    static constexpr double MaxQuitAfterSeconds = 86400;
};

} // namespace pcviz
