// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "commandline.h"

namespace pcviz {

/// Runs a scenario without a display: drains every event into the checker and the requested
/// outputs, detects deadlock, writes the summary and returns the exit status.
class HeadlessRunner {
public:
    explicit HeadlessRunner(const CommandLine& commandLine);
    int run();

private:
    const CommandLine& m_commandLine;
};

} // namespace pcviz
