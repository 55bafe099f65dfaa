// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lessons.h"
#include "spotlight.h"

#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace pcviz {

struct Scenario;

/// The course activity's questions with short answers, each with Show me buttons that start the
/// matching preset and point at the part of the window that answers the question.
class LessonsPanel : public QWidget {
    Q_OBJECT
public:
    /// Starts a scenario in the window; false with the reason.
    using Starter = std::function<bool(const Scenario&, QString*)>;
    /// The part of the window a target name stands for, if the window has it now.
    using TargetFinder = std::function<std::optional<Spotlight::Target>(const QString&)>;

    explicit LessonsPanel(QWidget* parent = nullptr);

    /// Replaces the lessons shown (the built-in ones at first).
    void setLessons(const Lessons& lessons);
    void setStarter(Starter starter) { m_starter = std::move(starter); }
    void setTargetFinder(TargetFinder finder) { m_finder = std::move(finder); }

    int lessonCount() const { return int(m_lessons.lessons().size()); }
    QString question(int lesson) const;
    QPushButton* showButton(int lesson, int show = 0) const;
    /// Starts the show's preset and points at its targets; false with the reason (also shown
    /// under the answer).
    bool showMe(int lesson, int show = 0, QString* error = nullptr);
    /// The outlines the last Show me drew, by target name order; some may have expired.
    const QList<QPointer<Spotlight>>& spotlights() const { return m_spotlights; }

    QSize sizeHint() const override;

private:
    void build();
    static QString answerHtml(const QStringList& paragraphs);
    static void wrap(QLabel* label);

    Lessons m_lessons;
    Starter m_starter;
    TargetFinder m_finder;
    QWidget* m_questions;
    QVBoxLayout* m_questionsLayout;
    std::vector<QLabel*> m_questionLabels;
    std::vector<std::vector<QPushButton*>> m_buttons;
    std::vector<QLabel*> m_notes;
    QList<QPointer<Spotlight>> m_spotlights;
};

} // namespace pcviz
