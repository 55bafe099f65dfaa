// SPDX-License-Identifier: GPL-3.0-or-later
#include "lessons.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace pcviz {

namespace {
constexpr double MaxRate = 1e6;

bool fail(QString* error, const QString& source, const QString& message)
{
    if (error)
        *error = QStringLiteral("%1: %2").arg(source, message);
    return false;
}

bool onlyKnownKeys(const QJsonObject& object, const QSet<QString>& known, const QString& where,
    const QString& source, QString* error)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(error, source,
                QStringLiteral("%1\"%2\": unknown field (allowed: %3)")
                    .arg(where, it.key(), QStringList(known.begin(), known.end()).join(u", ")));
    }
    return true;
}

bool text(const QJsonObject& object, const QString& key, bool required, const QString& where,
    const QString& source, QString* error, QString* out)
{
    const QJsonValue v = object.value(key);
    if (v.isUndefined() && !required)
        return true;
    if (!v.isString() || v.toString().trimmed().isEmpty())
        return fail(
            error, source, QStringLiteral("%1%2: expected a non-empty string").arg(where, key));
    *out = v.toString();
    return true;
}

bool rate(const QJsonObject& object, const QString& key, const QString& where,
    const QString& source, QString* error, std::optional<double>* out)
{
    const QJsonValue v = object.value(key);
    if (v.isUndefined())
        return true;
    if (!v.isDouble() || !(v.toDouble() > 0) || v.toDouble() > MaxRate)
        return fail(error, source,
            QStringLiteral("%1%2: expected a number of items/s above 0 and at most %3")
                .arg(where, key)
                .arg(MaxRate, 0, 'f', 0));
    *out = v.toDouble();
    return true;
}
} // namespace

std::optional<Lessons> Lessons::fromJson(
    const QByteArray& json, const QString& source, QString* error)
{
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parse);
    if (parse.error != QJsonParseError::NoError || !doc.isObject()) {
        fail(error, source, QStringLiteral("not valid JSON (%1)").arg(parse.errorString()));
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    if (!onlyKnownKeys(root,
            { QStringLiteral("format"), QStringLiteral("version"), QStringLiteral("lessons") }, {},
            source, error))
        return std::nullopt;
    if (root.value(u"format").toString() != u"pcviz-lessons") {
        fail(error, source, QStringLiteral("format: expected \"pcviz-lessons\""));
        return std::nullopt;
    }
    if (root.value(u"version").toInt(-1) != FormatVersion) {
        fail(error, source, QStringLiteral("version: expected %1").arg(FormatVersion));
        return std::nullopt;
    }
    const QJsonValue list = root.value(u"lessons");
    if (!list.isArray() || list.toArray().isEmpty()) {
        fail(error, source, QStringLiteral("lessons: expected a non-empty array"));
        return std::nullopt;
    }
    Lessons out;
    const QJsonArray lessons = list.toArray();
    for (qsizetype i = 0; i < lessons.size(); ++i) {
        const QString where = QStringLiteral("lessons[%1].").arg(i);
        if (!lessons[i].isObject()) {
            fail(error, source, where.chopped(1) + QStringLiteral(": expected an object"));
            return std::nullopt;
        }
        const QJsonObject o = lessons[i].toObject();
        Lesson lesson;
        if (!onlyKnownKeys(o,
                { QStringLiteral("question"), QStringLiteral("answer"), QStringLiteral("shows") },
                where, source, error)
            || !text(o, QStringLiteral("question"), true, where, source, error, &lesson.question))
            return std::nullopt;
        const QJsonValue answer = o.value(u"answer");
        if (!answer.isArray() || answer.toArray().isEmpty()) {
            fail(error, source, where + QStringLiteral("answer: expected an array of paragraphs"));
            return std::nullopt;
        }
        for (const QJsonValue& paragraph : answer.toArray()) {
            if (!paragraph.isString() || paragraph.toString().trimmed().isEmpty()) {
                fail(error, source, where + QStringLiteral("answer: each paragraph is a string"));
                return std::nullopt;
            }
            lesson.answer << paragraph.toString();
        }
        const QJsonValue shows = o.value(u"shows");
        if (!shows.isArray() || shows.toArray().isEmpty()) {
            fail(error, source, where + QStringLiteral("shows: expected a non-empty array"));
            return std::nullopt;
        }
        const QJsonArray showList = shows.toArray();
        for (qsizetype j = 0; j < showList.size(); ++j) {
            const QString at = where + QStringLiteral("shows[%1].").arg(j);
            const QJsonObject s = showList[j].toObject();
            Show show;
            if (!showList[j].isObject()
                || !onlyKnownKeys(s,
                    { QStringLiteral("label"), QStringLiteral("preset"),
                        QStringLiteral("produce_rate"), QStringLiteral("consume_rate"),
                        QStringLiteral("targets"), QStringLiteral("note") },
                    at, source, error)
                || !text(s, QStringLiteral("label"), true, at, source, error, &show.label)
                || !text(s, QStringLiteral("preset"), true, at, source, error, &show.preset)
                || !text(s, QStringLiteral("note"), false, at, source, error, &show.note)
                || !rate(s, QStringLiteral("produce_rate"), at, source, error, &show.produceRate)
                || !rate(s, QStringLiteral("consume_rate"), at, source, error, &show.consumeRate)) {
                if (!showList[j].isObject())
                    fail(error, source, at.chopped(1) + QStringLiteral(": expected an object"));
                return std::nullopt;
            }
            const QJsonValue targets = s.value(u"targets");
            if (!targets.isArray()) {
                fail(error, source, at + QStringLiteral("targets: expected an array of names"));
                return std::nullopt;
            }
            for (const QJsonValue& t : targets.toArray()) {
                if (!t.isString() || t.toString().isEmpty()) {
                    fail(error, source, at + QStringLiteral("targets: each target is a name"));
                    return std::nullopt;
                }
                show.targets << t.toString();
            }
            lesson.shows.push_back(show);
        }
        out.m_lessons.push_back(lesson);
    }
    return out;
}

const Lessons& Lessons::builtIn()
{
    static const Lessons lessons = [] {
        const QString path = QStringLiteral(":/lessons/lessons.json");
        QFile file(path);
        QString error;
        std::optional<Lessons> parsed;
        if (file.open(QIODevice::ReadOnly))
            parsed = fromJson(file.readAll(), path, &error);
        else
            error = QStringLiteral("%1: %2").arg(path, file.errorString());
        // Built in and checked by the tests: a broken file is a build defect, shown, not hidden.
        if (!parsed)
            qWarning("%s", qPrintable(error));
        return parsed.value_or(Lessons {});
    }();
    return lessons;
}

} // namespace pcviz
