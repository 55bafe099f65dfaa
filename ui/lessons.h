// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace pcviz {

/// The questions of the course activity with the project's answers, read strictly from a
/// resources/lessons file: each answer has one or more "Show me" runs, a preset (optionally
/// slowed down) and the parts of the window that answer the question, by name.
///
/// {"format": "pcviz-lessons", "version": 1, "lessons": [{"question": "...", "answer": ["...",
///  ...], "shows": [{"label": "Show me", "preset": "seed", "produce_rate": 40,
///  "consume_rate": 3, "targets": ["lane:main"], "note": "..."}]}]}
class Lessons {
public:
    static constexpr int FormatVersion = 1;

    struct Show {
        QString label;
        QString preset;
        std::optional<double> produceRate; // items/s per thread, so a class can follow it
        std::optional<double> consumeRate;
        QStringList targets;
        QString note;
    };
    struct Lesson {
        QString question;
        QStringList answer; // paragraphs; `code` in backquotes
        std::vector<Show> shows;
    };

    static std::optional<Lessons> fromJson(
        const QByteArray& json, const QString& source, QString* error);
    /// The lessons compiled in from resources/lessons/lessons.json.
    static const Lessons& builtIn();

    const std::vector<Lesson>& lessons() const { return m_lessons; }

private:
    std::vector<Lesson> m_lessons;
};

} // namespace pcviz
