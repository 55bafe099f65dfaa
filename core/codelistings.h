// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "codelisting.h"

#include <QStringList>

#include <optional>
#include <vector>

namespace pcviz {

/// The code listings of a directory, one file per strategy and view, named
/// <strategy>.<view>.json; builtIn() holds those compiled in from resources/code.
class CodeListings {
public:
    /// Read once. A built-in file that fails to parse is left out, and errors() says why.
    static const CodeListings& builtIn();
    /// Reads every *.json file in dir; a file whose name is not its strategy and view is an error.
    static CodeListings loadDirectory(const QString& dir);

    const std::vector<CodeListing>& all() const { return m_listings; }
    const CodeListing* find(const QString& strategy, const QString& view) const;
    /// The views there are for strategy, in the order of CodeListing::viewNames().
    QStringList views(const QString& strategy) const;
    /// The first line of a listing that stands for this gate.
    std::optional<int> lineFor(const QString& strategy, const QString& view, Role role,
        GateAction action, QStringView object) const;
    const QStringList& errors() const { return m_errors; }

private:
    std::vector<CodeListing> m_listings;
    QStringList m_errors;
};

} // namespace pcviz
