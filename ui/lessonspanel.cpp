// SPDX-License-Identifier: GPL-3.0-or-later
#include "lessonspanel.h"

#include "presets.h"

#include <QFrame>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QVBoxLayout>

namespace pcviz {

LessonsPanel::LessonsPanel(QWidget* parent)
    : QWidget(parent)
    , m_lessons(Lessons::builtIn())
    , m_questions(new QWidget)
    , m_questionsLayout(new QVBoxLayout(m_questions))
{
    setAccessibleName(tr("Lessons"));
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_questions);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // Answers wrap to the dock's width; a projector's large text never needs a sideways scroll.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    build();
}

void LessonsPanel::setLessons(const Lessons& lessons)
{
    m_lessons = lessons;
    build();
}

QString LessonsPanel::answerHtml(const QStringList& paragraphs)
{
    static const QRegularExpression code(QStringLiteral("`([^`]+)`"));
    QString html;
    for (const QString& paragraph : paragraphs) {
        QString p = paragraph.toHtmlEscaped();
        p.replace(code, QStringLiteral("<code>\\1</code>"));
        html += QStringLiteral("<p>%1</p>").arg(p);
    }
    return html;
}

void LessonsPanel::wrap(QLabel* label)
{
    // Wrapped to the dock's width, whatever the longest word: a label's own minimum width
    // would push the text past the dock's edge.
    label->setWordWrap(true);
    QSizePolicy policy(QSizePolicy::Ignored, QSizePolicy::Minimum);
    policy.setHeightForWidth(true);
    label->setSizePolicy(policy);
}

void LessonsPanel::build()
{
    while (QLayoutItem* item = m_questionsLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_questionLabels.clear();
    m_buttons.clear();
    m_notes.clear();
    const QStringList presets = Presets::names();
    for (int l = 0; l < lessonCount(); ++l) {
        const Lessons::Lesson& lesson = m_lessons.lessons()[std::size_t(l)];
        auto* card = new QFrame;
        card->setFrameShape(QFrame::StyledPanel);
        auto* cardLayout = new QVBoxLayout(card);
        // Bold rather than a larger font: the text keeps following the window's zoom.
        auto* question
            = new QLabel(QStringLiteral("<b>%1</b>").arg(lesson.question.toHtmlEscaped()));
        question->setAccessibleName(lesson.question);
        auto* answer = new QLabel(answerHtml(lesson.answer));
        answer->setTextFormat(Qt::RichText);
        answer->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto* note = new QLabel;
        note->hide();
        cardLayout->addWidget(question);
        cardLayout->addWidget(answer);
        // The first run answers the question; the others show what goes wrong without the
        // mechanism it is about. One button a line: they stay whole in a narrow dock at any zoom.
        std::vector<QPushButton*> row;
        for (int s = 0; s < int(lesson.shows.size()); ++s) {
            const Lessons::Show& show = lesson.shows[std::size_t(s)];
            if (s == 1) {
                auto* wrong = new QLabel(tr("What goes wrong without it:"));
                wrap(wrong);
                cardLayout->addWidget(wrong);
            }
            auto* button = new QPushButton(show.label);
            if (presets.contains(show.preset)) {
                button->setToolTip(
                    tr("Starts the preset %1 and points at where to look").arg(show.preset));
            } else {
                button->setEnabled(false);
                button->setToolTip(tr("This build has no preset named %1, so there is nothing to "
                                      "show yet")
                                       .arg(show.preset));
            }
            connect(button, &QPushButton::clicked, this, [this, l, s] { showMe(l, s); });
            cardLayout->addWidget(button, 0, Qt::AlignLeft);
            row.push_back(button);
        }
        cardLayout->addWidget(note);
        for (QLabel* label : { question, answer, note })
            wrap(label);
        m_questionsLayout->addWidget(card);
        m_questionLabels.push_back(question);
        m_buttons.push_back(row);
        m_notes.push_back(note);
    }
    m_questionsLayout->addStretch(1);
}

QString LessonsPanel::question(int lesson) const
{
    return lesson >= 0 && lesson < lessonCount() ? m_lessons.lessons()[std::size_t(lesson)].question
                                                 : QString();
}

QPushButton* LessonsPanel::showButton(int lesson, int show) const
{
    if (lesson < 0 || lesson >= int(m_buttons.size()))
        return nullptr;
    const auto& row = m_buttons[std::size_t(lesson)];
    return show >= 0 && show < int(row.size()) ? row[std::size_t(show)] : nullptr;
}

bool LessonsPanel::showMe(int lesson, int show, QString* error)
{
    if (!showButton(lesson, show))
        return false;
    const Lessons::Show& s = m_lessons.lessons()[std::size_t(lesson)].shows[std::size_t(show)];
    QLabel* note = m_notes[std::size_t(lesson)];
    QString problem;
    std::optional<Scenario> scenario = Presets::load(s.preset, &problem);
    if (scenario) {
        // A lesson may slow a preset down so that a class can follow it with their eyes.
        if (s.produceRate)
            scenario->produceRate = *s.produceRate;
        if (s.consumeRate)
            scenario->consumeRate = *s.consumeRate;
        if (!m_starter)
            problem = tr("there is no window to show it in");
        else if (!m_starter(*scenario, &problem) && problem.isEmpty())
            problem = tr("%1 could not start").arg(s.preset);
    }
    if (!problem.isEmpty()) {
        note->setText(problem);
        note->show();
        if (error)
            *error = problem;
        return false;
    }
    for (const QPointer<Spotlight>& old : std::as_const(m_spotlights))
        delete old.data();
    m_spotlights.clear();
    QStringList missing;
    for (const QString& name : s.targets) {
        std::optional<Spotlight::Target> target;
        if (m_finder)
            target = m_finder(name);
        Spotlight* spot = target ? Spotlight::point(*target) : nullptr;
        if (spot)
            m_spotlights << spot;
        else
            missing << name;
    }
    QString text = s.note;
    if (!missing.isEmpty())
        text += QStringLiteral(" ")
            + tr("(Not on screen now: %1.)").arg(missing.join(QStringLiteral(", ")));
    note->setText(text);
    note->setVisible(!text.isEmpty());
    return true;
}

QSize LessonsPanel::sizeHint() const
{
    // About 45 characters a line: comfortable to read, and leaves the buffer most of the room.
    return { fontMetrics().averageCharWidth() * 48, 600 };
}

} // namespace pcviz
