// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"
#include "gate.h"

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>
#include <vector>

namespace pcviz {

/// One strategy's code in one view (Python, pseudo-code, C++), read strictly from a
/// resources/code file: each line that stands for a gate names the gates (role, action,
/// object) whose thread is about to run that line.
///
/// {"format": "pcviz-code", "version": 1, "strategy": "monitor", "view": "cpp", "title": "...",
///  "lines": [{"text": "std::unique_lock lock(mutex);", "gates": [{"role": ["producer", "main"],
///  "action": "lock", "object": "mutex"}]}, ...]}
class CodeListing {
public:
    static constexpr qint64 MaxFileBytes = 1 << 20;
    static constexpr int FormatVersion = 1;

    /// A gate that a line stands for. holding, when set, narrows the gate to threads that hold
    /// an item (a producer between produce and put) or hold none: that is what tells main's
    /// lock in put() from its lock in join().
    struct LineGate {
        std::uint8_t roles = 0; // bits: 1 << int(Role)
        GateAction action = GateAction::Start;
        QString object; // empty: the gate acts on no object
        std::optional<bool> holding;

        bool covers(Role role) const { return roles & (1u << unsigned(role)); }
    };
    struct Line {
        QString text;
        std::vector<LineGate> gates;
    };
    /// Where a gate is: the line, and which of the line's gates it matched.
    struct Match {
        int line = -1;
        int gate = -1;
    };

    /// The views a listing may be, in the order the panel offers them.
    static const QStringList& viewNames();
    static QString viewTitle(const QString& view);

    /// Strict parse: unknown keys, wrong types, unknown roles, actions and objects, and an
    /// object the action cannot take are errors naming the source and the field.
    static std::optional<CodeListing> fromJson(
        const QByteArray& json, const QString& source, QString* error);
    static std::optional<CodeListing> load(const QString& path, QString* error);

    const QString& strategy() const { return m_strategy; }
    const QString& view() const { return m_view; }
    const QString& title() const { return m_title; }
    const std::vector<Line>& lines() const { return m_lines; }

    /// The line for a gate: among the lines that stand for it (and, when holding is known,
    /// whose holding condition agrees), the first at or after `from`, wrapping round to the
    /// top; without `from`, the first. The same gate can stand on several lines (the lock in
    /// put() and in join(), a wait that locks again): a thread's previous line says which one
    /// it has reached, as the listing's order is the order a thread runs it in.
    std::optional<Match> find(Role role, GateAction action, QStringView object,
        std::optional<bool> holding = std::nullopt, std::optional<int> from = std::nullopt) const;

private:
    QString m_strategy;
    QString m_view;
    QString m_title;
    std::vector<Line> m_lines;
};

} // namespace pcviz
