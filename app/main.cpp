// SPDX-License-Identifier: GPL-3.0-or-later
#include "commandline.h"
#include "headlessrunner.h"
#include "presets.h"
#include "strategies/strategyregistry.h"

#include <QCoreApplication>

#include <cstdio>

using namespace pcviz;

namespace {
void print(FILE* stream, const QString& text)
{
    std::fputs(qPrintable(text), stream);
}
} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("pcviz"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PCVIZ_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("pcviz"));
    QCoreApplication app(argc, argv);

    const CommandLine commandLine = CommandLine::parse(QCoreApplication::arguments());
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
    case CommandLine::Mode::Headless:
        return HeadlessRunner(commandLine).run();
    case CommandLine::Mode::Gui:
        print(stderr,
            QStringLiteral("pcviz: the graphical interface is not built yet; run with --headless "
                           "(see --help)\n"));
        return 2;
    }
    return 2;
}
