// SPDX-License-Identifier: GPL-3.0-or-later
#include "codelistings.h"

#include "inputtext.h"

#include <QDir>

namespace pcviz {

const CodeListings& CodeListings::builtIn()
{
    static const CodeListings listings = loadDirectory(QStringLiteral(":/code"));
    return listings;
}

CodeListings CodeListings::loadDirectory(const QString& dir)
{
    CodeListings out;
    const QDir directory(dir);
    const QStringList files
        = directory.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    for (const QString& file : files) {
        const QString path = directory.filePath(file);
        QString error;
        std::optional<CodeListing> listing = CodeListing::load(path, &error);
        if (!listing) {
            out.m_errors << error;
            continue;
        }
        // The name is how a reader finds a listing: it must not say something else.
        const QString expected
            = QStringLiteral("%1.%2.json").arg(listing->strategy(), listing->view());
        if (file != expected) {
            out.m_errors << QStringLiteral("%1: strategy, view: %2 and %3 belong in a file named "
                                           "%4")
                                .arg(path, quoteInput(listing->strategy()),
                                    quoteInput(listing->view()), expected);
            continue;
        }
        out.m_listings.push_back(std::move(*listing));
    }
    return out;
}

const CodeListing* CodeListings::find(const QString& strategy, const QString& view) const
{
    for (const CodeListing& listing : m_listings) {
        if (listing.strategy() == strategy && listing.view() == view)
            return &listing;
    }
    return nullptr;
}

QStringList CodeListings::views(const QString& strategy) const
{
    QStringList out;
    for (const QString& view : CodeListing::viewNames()) {
        if (find(strategy, view))
            out << view;
    }
    return out;
}

std::optional<int> CodeListings::lineFor(const QString& strategy, const QString& view, Role role,
    GateAction action, QStringView object) const
{
    const CodeListing* listing = find(strategy, view);
    if (!listing)
        return std::nullopt;
    const std::optional<CodeListing::Match> match = listing->find(role, action, object);
    return match ? std::optional(match->line) : std::nullopt;
}

} // namespace pcviz
