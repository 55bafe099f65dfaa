// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario.h"

#include "inputtext.h"
#include "strategies/strategyregistry.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <cmath>

namespace pcviz {

namespace {
const QString FormatName = QStringLiteral("pcviz-scenario");

QString outOfRange(const QString& field, const QString& value, const QString& allowed)
{
    return QStringLiteral("%1: %2 is not allowed (allowed: %3)").arg(field, value, allowed);
}

QString typeName(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

// Reads one field, rejecting wrong types and out-of-range values with a message that
// names the field; the caller adds the source.
class FieldReader {
public:
    explicit FieldReader(const QJsonObject& object)
        : m_object(object)
    {
    }

    bool has(const QString& key) const { return m_object.contains(key); }
    const QString& error() const { return m_error; }

    void integer(const QString& key, qint64 min, qint64 max, qint64& out, const QString& allowed)
    {
        if (!m_error.isEmpty() || !has(key))
            return;
        const QJsonValue v = m_object.value(key);
        const double d = v.toDouble();
        if (!v.isDouble() || std::trunc(d) != d) {
            m_error = QStringLiteral("%1: expected a whole number, got %2 (allowed: %3)")
                          .arg(key, v.isDouble() ? QString::number(d) : typeName(v), allowed);
            return;
        }
        if (d < double(min) || d > double(max)) {
            m_error = outOfRange(key, QString::number(d, 'g', 17), allowed);
            return;
        }
        out = qint64(d);
    }

    void integer(const QString& key, int min, int max, int& out, const QString& allowed)
    {
        qint64 wide = out;
        integer(key, qint64(min), qint64(max), wide, allowed);
        out = int(wide);
    }

    void text(const QString& key, QString& out, const QString& allowed = {})
    {
        if (!m_error.isEmpty() || !has(key))
            return;
        const QJsonValue v = m_object.value(key);
        if (!v.isString()) {
            m_error = QStringLiteral("%1: expected a string, got %2").arg(key, typeName(v));
            if (!allowed.isEmpty())
                m_error += QStringLiteral(" (allowed: %1)").arg(allowed);
            return;
        }
        const QString s = v.toString();
        if (s.size() > Scenario::MaxTextLength) {
            m_error = QStringLiteral("%1: %2 characters is too long (allowed: at most %3)")
                          .arg(key)
                          .arg(s.size())
                          .arg(Scenario::MaxTextLength);
            return;
        }
        for (const QChar c : s) {
            if (c.category() == QChar::Other_Control && c != u'\n' && c != u'\t') {
                m_error = QStringLiteral("%1: contains a control character (allowed: "
                                         "printable text, newlines and tabs)")
                              .arg(key);
                return;
            }
        }
        out = s;
    }

    void boolean(const QString& key, bool& out)
    {
        if (!m_error.isEmpty() || !has(key))
            return;
        const QJsonValue v = m_object.value(key);
        if (!v.isBool()) {
            m_error = QStringLiteral("%1: expected true or false, got %2").arg(key, typeName(v));
            return;
        }
        out = v.toBool();
    }

    void rate(const QString& key, double& out)
    {
        if (!m_error.isEmpty() || !has(key))
            return;
        const QJsonValue v = m_object.value(key);
        std::optional<double> parsed;
        if (v.isString())
            parsed = Scenario::parseRate(v.toString());
        else if (v.isDouble())
            parsed = Scenario::parseRate(QString::number(v.toDouble(), 'g', 17));
        if (!parsed) {
            m_error = outOfRange(key,
                v.isString() ? quoteInput(v.toString())
                             : (v.isDouble() ? QString::number(v.toDouble()) : typeName(v)),
                Scenario::rateRange());
            return;
        }
        out = *parsed;
    }

private:
    const QJsonObject& m_object;
    QString m_error;
};

const QStringList& knownKeys()
{
    static const QStringList keys = { QStringLiteral("format"), QStringLiteral("version"),
        QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("strategy"),
        QStringLiteral("capacity"), QStringLiteral("producers"), QStringLiteral("consumers"),
        QStringLiteral("items"), QStringLiteral("produce_rate"), QStringLiteral("consume_rate"),
        QStringLiteral("distribution"), QStringLiteral("seed"), QStringLiteral("main_produces"),
        QStringLiteral("join"), QStringLiteral("daemon_consumers"), QStringLiteral("schedule"),
        QStringLiteral("record") };
    return keys;
}
} // namespace

QString Scenario::rateRange()
{
    return QStringLiteral("a number of items per second from %1 to %2, or \"max\"")
        .arg(MinRate)
        .arg(MaxRate, 0, 'g', 10);
}

QString Scenario::rateToString(double perSecond)
{
    return perSecond == RateModel::Max ? QStringLiteral("max")
                                       : QString::number(perSecond, 'g', 12);
}

std::optional<double> Scenario::parseRate(const QString& text)
{
    const QString t = text.trimmed();
    if (t.compare(u"max", Qt::CaseInsensitive) == 0)
        return RateModel::Max;
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < MinRate || v > MaxRate)
        return std::nullopt;
    return v;
}

QString Scenario::validate() const
{
    const StrategyInfo* info = StrategyRegistry::find(strategy);
    if (!info) {
        return outOfRange(QStringLiteral("strategy"), quoteInput(strategy),
            StrategyRegistry::names().join(QStringLiteral(", ")));
    }
    const QString capacityRange
        = QStringLiteral("1..%1; 0 = unbounded, pyqueue only").arg(MaxCapacity);
    if (capacity < 0 || capacity > MaxCapacity || (capacity == 0 && !info->allowsUnbounded))
        return outOfRange(QStringLiteral("capacity"), QString::number(capacity), capacityRange);
    const QString threads = QStringLiteral("1..%1").arg(MaxThreads);
    if (producers < 1 || producers > MaxThreads)
        return outOfRange(QStringLiteral("producers"), QString::number(producers), threads);
    if (consumers < 1 || consumers > MaxThreads)
        return outOfRange(QStringLiteral("consumers"), QString::number(consumers), threads);
    if (items < 1 || items > MaxItems)
        return outOfRange(QStringLiteral("items"), QString::number(items),
            QStringLiteral("1..%1 per producer").arg(MaxItems));
    for (const auto& [field, rate] : { std::pair { QStringLiteral("produce_rate"), produceRate },
             std::pair { QStringLiteral("consume_rate"), consumeRate } }) {
        if (rate != RateModel::Max && !(rate >= MinRate && rate <= MaxRate))
            return outOfRange(field, QString::number(rate), rateRange());
    }
    if (seed < 0 || seed > MaxSeed)
        return outOfRange(
            QStringLiteral("seed"), QString::number(seed), QStringLiteral("0..%1").arg(MaxSeed));
    if (mainProduces && producers != 1)
        return outOfRange(QStringLiteral("producers"), QString::number(producers),
            QStringLiteral("1 when main_produces is true"));
    if (join && !info->hasTasks)
        return outOfRange(QStringLiteral("join"), QStringLiteral("true"),
            QStringLiteral("false unless the strategy has task_done (pyqueue)"));
    if (join && !mainProduces)
        return outOfRange(QStringLiteral("join"), QStringLiteral("true"),
            QStringLiteral("false unless main_produces is true (main is the thread that joins)"));
    if (daemonConsumers && !join)
        return outOfRange(QStringLiteral("daemon_consumers"), QStringLiteral("true"),
            QStringLiteral("false unless join is true (nothing else would end the run)"));
    if (!record && !schedule.isEmpty())
        return outOfRange(QStringLiteral("record"), QStringLiteral("false"),
            QStringLiteral("true when there is a schedule (a stepped run shows its events)"));
    if (schedule.size() > MaxScheduleSteps)
        return outOfRange(QStringLiteral("schedule"),
            QStringLiteral("%1 steps").arg(schedule.size()),
            QStringLiteral("at most %1 steps").arg(MaxScheduleSteps));
    for (qsizetype i = 0; i < schedule.size(); ++i) {
        if (!scheduleNames(schedule[i]))
            return outOfRange(
                QStringLiteral("schedule[%1]").arg(i), quoteInput(schedule[i]), scheduleRange());
    }
    return {};
}

bool Scenario::scheduleNames(const QString& name) const
{
    const std::optional<ThreadRef> t = ThreadRef::fromName(name);
    if (!t)
        return false;
    switch (t->role) {
    case Role::Producer:
        return !mainProduces && t->index < producers;
    case Role::Consumer:
        return t->index < consumers;
    case Role::Main:
        return mainProduces && t->index == 0;
    default:
        return false;
    }
}

QString Scenario::scheduleRange() const
{
    const QString producersText
        = mainProduces ? QStringLiteral("main") : QStringLiteral("P0..P%1").arg(producers - 1);
    return QStringLiteral("a thread of this scenario: %1, C0..C%2")
        .arg(producersText)
        .arg(consumers - 1);
}

QJsonObject Scenario::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("format"), FormatName);
    o.insert(QStringLiteral("version"), FormatVersion);
    o.insert(QStringLiteral("name"), name);
    if (!description.isEmpty())
        o.insert(QStringLiteral("description"), description);
    o.insert(QStringLiteral("strategy"), strategy);
    o.insert(QStringLiteral("capacity"), capacity);
    o.insert(QStringLiteral("producers"), producers);
    o.insert(QStringLiteral("consumers"), consumers);
    o.insert(QStringLiteral("items"), items);
    const auto rateValue = [](double r) {
        return r == RateModel::Max ? QJsonValue(QStringLiteral("max")) : QJsonValue(r);
    };
    o.insert(QStringLiteral("produce_rate"), rateValue(produceRate));
    o.insert(QStringLiteral("consume_rate"), rateValue(consumeRate));
    o.insert(QStringLiteral("distribution"), distributionName(distribution));
    o.insert(QStringLiteral("seed"), seed);
    o.insert(QStringLiteral("main_produces"), mainProduces);
    o.insert(QStringLiteral("join"), join);
    o.insert(QStringLiteral("daemon_consumers"), daemonConsumers);
    if (!schedule.isEmpty())
        o.insert(QStringLiteral("schedule"), QJsonArray::fromStringList(schedule));
    if (!record)
        o.insert(QStringLiteral("record"), false);
    return o;
}

std::optional<Scenario> Scenario::fromJson(
    const QByteArray& json, const QString& source, QString* error)
{
    const auto fail = [&](const QString& message) -> std::optional<Scenario> {
        if (error)
            *error = QStringLiteral("%1: %2").arg(source, message);
        return std::nullopt;
    };
    if (json.size() > MaxFileBytes)
        return fail(QStringLiteral("%1 bytes is too large (allowed: at most %2 bytes)")
                        .arg(json.size())
                        .arg(MaxFileBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("not valid JSON at byte %1: %2")
                        .arg(parseError.offset)
                        .arg(parseError.errorString()));
    if (!doc.isObject())
        return fail(
            QStringLiteral("expected a JSON object with \"format\": \"%1\"").arg(FormatName));
    const QJsonObject o = doc.object();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!knownKeys().contains(it.key()))
            return fail(QStringLiteral("%1: unknown field (allowed: %2)")
                            .arg(quoteInput(it.key()), knownKeys().join(QStringLiteral(", "))));
    }
    if (o.value(QStringLiteral("format")) != QJsonValue(FormatName))
        return fail(QStringLiteral("format: expected \"%1\"").arg(FormatName));
    if (o.value(QStringLiteral("version")) != QJsonValue(FormatVersion))
        return fail(QStringLiteral("version: expected %1").arg(FormatVersion));

    Scenario s;
    FieldReader r(o);
    r.text(QStringLiteral("name"), s.name);
    r.text(QStringLiteral("description"), s.description);
    r.text(QStringLiteral("strategy"), s.strategy,
        StrategyRegistry::names().join(QStringLiteral(", ")));
    r.integer(QStringLiteral("capacity"), 0, MaxCapacity, s.capacity,
        QStringLiteral("1..%1; 0 = unbounded, pyqueue only").arg(MaxCapacity));
    r.integer(QStringLiteral("producers"), 1, MaxThreads, s.producers,
        QStringLiteral("1..%1").arg(MaxThreads));
    r.integer(QStringLiteral("consumers"), 1, MaxThreads, s.consumers,
        QStringLiteral("1..%1").arg(MaxThreads));
    r.integer(QStringLiteral("items"), qint64(1), MaxItems, s.items,
        QStringLiteral("1..%1 per producer").arg(MaxItems));
    r.rate(QStringLiteral("produce_rate"), s.produceRate);
    r.rate(QStringLiteral("consume_rate"), s.consumeRate);
    QString distribution = distributionName(s.distribution);
    r.text(QStringLiteral("distribution"), distribution,
        QStringLiteral("constant, exponential, bursty"));
    r.integer(
        QStringLiteral("seed"), qint64(0), MaxSeed, s.seed, QStringLiteral("0..%1").arg(MaxSeed));
    r.boolean(QStringLiteral("main_produces"), s.mainProduces);
    r.boolean(QStringLiteral("join"), s.join);
    r.boolean(QStringLiteral("daemon_consumers"), s.daemonConsumers);
    r.boolean(QStringLiteral("record"), s.record);
    if (!r.error().isEmpty())
        return fail(r.error());
    if (const QJsonValue schedule = o.value(QStringLiteral("schedule")); !schedule.isUndefined()) {
        const QString allowed = QStringLiteral("an array of thread names such as \"P0\", \"C1\"");
        if (!schedule.isArray())
            return fail(QStringLiteral("schedule: expected %1").arg(allowed));
        const QJsonArray steps = schedule.toArray();
        if (steps.size() > MaxScheduleSteps)
            return fail(
                outOfRange(QStringLiteral("schedule"), QStringLiteral("%1 steps").arg(steps.size()),
                    QStringLiteral("at most %1 steps").arg(MaxScheduleSteps)));
        for (qsizetype i = 0; i < steps.size(); ++i) {
            if (!steps[i].isString())
                return fail(
                    QStringLiteral("schedule[%1]: expected a thread name such as \"P0\"").arg(i));
            s.schedule.append(steps[i].toString());
        }
    }
    const auto d = distributionFromName(distribution);
    if (!d)
        return fail(outOfRange(QStringLiteral("distribution"), quoteInput(distribution),
            QStringLiteral("constant, exponential, bursty")));
    s.distribution = *d;
    if (const QString problem = s.validate(); !problem.isEmpty())
        return fail(problem);
    return s;
}

std::optional<Scenario> Scenario::load(const QString& path, QString* error)
{
    QFile file(path);
    const QFileInfo info(path);
    const auto fail = [&](const QString& message) -> std::optional<Scenario> {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, message);
        return std::nullopt;
    };
    if (!info.exists())
        return fail(QStringLiteral("no such file"));
    if (!info.isFile())
        return fail(QStringLiteral("not a regular file"));
    if (info.size() > MaxFileBytes)
        return fail(QStringLiteral("%1 bytes is too large (allowed: at most %2 bytes)")
                        .arg(info.size())
                        .arg(MaxFileBytes));
    if (!file.open(QIODevice::ReadOnly))
        return fail(file.errorString());
    // Read one byte past the limit so a file that grew since the check is still refused.
    const QByteArray data = file.read(MaxFileBytes + 1);
    return fromJson(data, path, error);
}

bool Scenario::save(const QString& path, QString* error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace pcviz
