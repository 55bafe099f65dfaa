// SPDX-License-Identifier: GPL-3.0-or-later
// Pins down the scenario file contract: strict parsing whose errors name the field and what it
// allows, the cross-field rules, file size limits, atomic save and the built-in presets.
#include "presets.h"
#include "rate.h"
#include "scenario.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>
#include <utility>

using namespace pcviz;

namespace {

// A complete, valid scenario object; rows replace or add one field.
QJsonObject validObject()
{
    return QJsonObject {
        { QStringLiteral("format"), QStringLiteral("pcviz-scenario") },
        { QStringLiteral("version"), 1 },
        { QStringLiteral("name"), QStringLiteral("test") },
        { QStringLiteral("strategy"), QStringLiteral("monitor") },
        { QStringLiteral("capacity"), 8 },
        { QStringLiteral("producers"), 2 },
        { QStringLiteral("consumers"), 2 },
        { QStringLiteral("items"), 10 },
        { QStringLiteral("produce_rate"), QStringLiteral("max") },
        { QStringLiteral("consume_rate"), 2.5 },
        { QStringLiteral("distribution"), QStringLiteral("constant") },
        { QStringLiteral("seed"), 1 },
    };
}

QByteArray toBytes(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray withField(const QString& key, const QJsonValue& value)
{
    QJsonObject o = validObject();
    o.insert(key, value);
    return toBytes(o);
}

QByteArray withFields(const QJsonObject& patch)
{
    QJsonObject o = validObject();
    for (auto it = patch.begin(); it != patch.end(); ++it)
        o.insert(it.key(), it.value());
    return toBytes(o);
}

QByteArray withoutField(const QString& key)
{
    QJsonObject o = validObject();
    o.remove(key);
    return toBytes(o);
}

// The seed program's shape, which the cross-field rules allow.
QJsonObject seedShape()
{
    return QJsonObject { { QStringLiteral("strategy"), QStringLiteral("pyqueue") },
        { QStringLiteral("capacity"), 0 }, { QStringLiteral("producers"), 1 },
        { QStringLiteral("main_produces"), true }, { QStringLiteral("join"), true },
        { QStringLiteral("daemon_consumers"), true } };
}

QJsonObject patched(QJsonObject base, const QJsonObject& patch)
{
    for (auto it = patch.begin(); it != patch.end(); ++it)
        base.insert(it.key(), it.value());
    return base;
}

// Sets struct fields by their JSON key, so validate() can be fed values fromJson would refuse.
Scenario scenarioWith(const QVariantMap& fields)
{
    Scenario s;
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const QString& k = it.key();
        const QVariant& v = it.value();
        if (k == u"strategy")
            s.strategy = v.toString();
        else if (k == u"capacity")
            s.capacity = v.toInt();
        else if (k == u"producers")
            s.producers = v.toInt();
        else if (k == u"consumers")
            s.consumers = v.toInt();
        else if (k == u"items")
            s.items = v.toLongLong();
        else if (k == u"produce_rate")
            s.produceRate = v.toDouble();
        else if (k == u"consume_rate")
            s.consumeRate = v.toDouble();
        else if (k == u"seed")
            s.seed = v.toLongLong();
        else if (k == u"main_produces")
            s.mainProduces = v.toBool();
        else if (k == u"join")
            s.join = v.toBool();
        else if (k == u"daemon_consumers")
            s.daemonConsumers = v.toBool();
        else if (k == u"record")
            s.record = v.toBool();
        else if (k == u"schedule")
            s.schedule = v.toStringList();
        else
            qFatal("scenarioWith: unknown field %s", qPrintable(k));
    }
    return s;
}

QVariantMap seedFields()
{
    return QVariantMap { { QStringLiteral("strategy"), QStringLiteral("pyqueue") },
        { QStringLiteral("capacity"), 0 }, { QStringLiteral("producers"), 1 },
        { QStringLiteral("main_produces"), true }, { QStringLiteral("join"), true },
        { QStringLiteral("daemon_consumers"), true } };
}

QVariantMap merged(QVariantMap base, const QVariantMap& patch)
{
    for (auto it = patch.begin(); it != patch.end(); ++it)
        base.insert(it.key(), it.value());
    return base;
}

void verifyContainsAll(const QString& message, const QStringList& fragments)
{
    for (const QString& fragment : fragments) {
        if (!message.contains(fragment)) {
            QFAIL(qPrintable(
                QStringLiteral("message \"%1\" does not contain \"%2\"").arg(message, fragment)));
        }
    }
}

void verifySameScenario(const Scenario& actual, const Scenario& expected)
{
    QCOMPARE(actual.name, expected.name);
    QCOMPARE(actual.description, expected.description);
    QCOMPARE(actual.strategy, expected.strategy);
    QCOMPARE(actual.capacity, expected.capacity);
    QCOMPARE(actual.producers, expected.producers);
    QCOMPARE(actual.consumers, expected.consumers);
    QCOMPARE(actual.items, expected.items);
    QCOMPARE(actual.produceRate, expected.produceRate);
    QCOMPARE(actual.consumeRate, expected.consumeRate);
    QCOMPARE(actual.distribution, expected.distribution);
    QCOMPARE(actual.seed, expected.seed);
    QCOMPARE(actual.mainProduces, expected.mainProduces);
    QCOMPARE(actual.join, expected.join);
    QCOMPARE(actual.daemonConsumers, expected.daemonConsumers);
    QCOMPARE(actual.record, expected.record);
}

const QString capacityRange = QStringLiteral("1..4096");
const QString threadRange = QStringLiteral("1..64");
const QString itemRange = QStringLiteral("1..1000000000");
const QString seedRange = QStringLiteral("0..9007199254740991");

} // namespace

class TestScenario : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fromJsonAcceptsCompleteValidObject();
    void fromJsonFillsDefaultsForOmittedFields();
    void fromJsonRejectsBadInputNamingFieldAndAllowedValues_data();
    void fromJsonRejectsBadInputNamingFieldAndAllowedValues();
    void fromJsonErrorStartsWithTheSource();
    void fromJsonErrorEchoesNoControlCharacters_data();
    void fromJsonErrorEchoesNoControlCharacters();
    void fromJsonAcceptsBoundaryValues_data();
    void fromJsonAcceptsBoundaryValues();
    void validateAcceptsDefaultAndSeedShapes();
    void validateRejectsOutOfRangeAndInconsistentFields_data();
    void validateRejectsOutOfRangeAndInconsistentFields();
    void parseRateAcceptsMaxAndRangeOnly_data();
    void parseRateAcceptsMaxAndRangeOnly();
    void loadRefusesFileOverOneMebibyte();
    void loadAcceptsFileOfExactlyOneMebibyte();
    void loadOfMissingFileNamesThePath();
    void loadOfDirectoryIsRefusedNamingThePath();
    void loadErrorNamesThePathAndTheField();
    void saveThenLoadRoundTripsEveryField_data();
    void saveThenLoadRoundTripsEveryField();
    void saveReplacesAnExistingFile();
    void saveIntoMissingDirectoryFailsAndLeavesNoFile();
    void everyPresetLoadsAndValidates_data();
    void everyPresetLoadsAndValidates();
    void expectedPresetsExist();
    void seedPresetIsThePythonProgram();
    void unknownPresetIsRefusedListingThePresets();
};

void TestScenario::fromJsonAcceptsCompleteValidObject()
{
    QString error;
    const auto s = Scenario::fromJson(toBytes(validObject()), QStringLiteral("test"), &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->name, QStringLiteral("test"));
    QCOMPARE(s->strategy, QStringLiteral("monitor"));
    QCOMPARE(s->capacity, 8);
    QCOMPARE(s->producers, 2);
    QCOMPARE(s->consumers, 2);
    QCOMPARE(s->items, qint64(10));
    QCOMPARE(s->produceRate, RateModel::Max);
    QCOMPARE(s->consumeRate, 2.5);
    QCOMPARE(s->distribution, Distribution::Constant);
    QCOMPARE(s->seed, qint64(1));
    QVERIFY(s->validate().isEmpty());
}

void TestScenario::fromJsonFillsDefaultsForOmittedFields()
{
    QString error;
    const auto s = Scenario::fromJson(
        R"({"format":"pcviz-scenario","version":1})", QStringLiteral("min"), &error);
    QVERIFY2(s, qPrintable(error));
    verifySameScenario(*s, Scenario {});
}

void TestScenario::fromJsonRejectsBadInputNamingFieldAndAllowedValues_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("fragments");

    const QString rateMax = QStringLiteral("\"max\"");
    const QString rateMin = QStringLiteral("0.01");

    // Document level.
    QTest::newRow("invalid JSON") << QByteArray(R"({"format": "pcviz-scenario",)")
                                  << QStringList { "not valid JSON" };
    QTest::newRow("empty input") << QByteArray() << QStringList { "JSON" };
    QTest::newRow("array, not an object")
        << QByteArray("[1, 2]") << QStringList { "JSON object", "pcviz-scenario" };
    // Qt's parser refuses a top-level scalar as invalid JSON; either way it is refused.
    QTest::newRow("string, not an object")
        << QByteArray(R"("pcviz-scenario")") << QStringList { "JSON" };
    QTest::newRow("over 1 MiB") << (withField(QStringLiteral("name"), QStringLiteral("x"))
        + QByteArray(Scenario::MaxFileBytes, ' '))
                                << QStringList { "too large", "1048576" };

    // Format and version.
    QTest::newRow("missing format")
        << withoutField(QStringLiteral("format")) << QStringList { "format", "pcviz-scenario" };
    QTest::newRow("wrong format") << withField(
        QStringLiteral("format"), QStringLiteral("pcviz-trace"))
                                  << QStringList { "format", "pcviz-scenario" };
    QTest::newRow("format as number")
        << withField(QStringLiteral("format"), 1) << QStringList { "format", "pcviz-scenario" };
    QTest::newRow("missing version")
        << withoutField(QStringLiteral("version")) << QStringList { "version", "expected 1" };
    QTest::newRow("version 2") << withField(QStringLiteral("version"), 2)
                               << QStringList { "version", "expected 1" };
    QTest::newRow("version 0") << withField(QStringLiteral("version"), 0)
                               << QStringList { "version", "expected 1" };
    QTest::newRow("version as string") << withField(QStringLiteral("version"), QStringLiteral("1"))
                                       << QStringList { "version", "expected 1" };

    // Unknown keys list what is allowed.
    QTest::newRow("unknown key") << withField(QStringLiteral("capacty"), 8)
                                 << QStringList { "capacty", "unknown field", "capacity",
                                        "produce_rate", "daemon_consumers" };
    QTest::newRow("camelCase key") << withField(QStringLiteral("produceRate"),
        3) << QStringList { "produceRate", "unknown field", "produce_rate" };

    // Strategy and distribution.
    QTest::newRow("unknown strategy")
        << withField(QStringLiteral("strategy"), QStringLiteral("nosuch"))
        << QStringList { "strategy", "nosuch", "monitor", "semaphore", "pyqueue" };
    QTest::newRow("strategy with wrong case") << withField(QStringLiteral("strategy"),
        QStringLiteral("Monitor")) << QStringList { "strategy", "monitor, semaphore, pyqueue" };
    QTest::newRow("empty strategy") << withField(QStringLiteral("strategy"), QString())
                                    << QStringList { "strategy", "monitor, semaphore, pyqueue" };
    QTest::newRow("strategy as number")
        << withField(QStringLiteral("strategy"), 1) << QStringList { "strategy", "string" };
    QTest::newRow("unknown distribution")
        << withField(QStringLiteral("distribution"), QStringLiteral("nosuch"))
        << QStringList { "distribution", "nosuch", "constant", "exponential", "bursty" };
    QTest::newRow("distribution as number")
        << withField(QStringLiteral("distribution"), 2) << QStringList { "distribution", "string" };

    // Capacity.
    QTest::newRow("capacity as string") << withField(QStringLiteral("capacity"),
        QStringLiteral("8")) << QStringList { "capacity", "whole number", capacityRange };
    QTest::newRow("capacity fractional") << withField(QStringLiteral("capacity"),
        2.5) << QStringList { "capacity", "whole number", capacityRange };
    QTest::newRow("capacity null") << withField(QStringLiteral("capacity"), QJsonValue::Null)
                                   << QStringList { "capacity", capacityRange };
    QTest::newRow("capacity array") << withField(QStringLiteral("capacity"), QJsonArray { 8 })
                                    << QStringList { "capacity", capacityRange };
    QTest::newRow("capacity -1") << withField(QStringLiteral("capacity"), -1)
                                 << QStringList { "capacity", "-1", capacityRange };
    QTest::newRow("capacity 4097") << withField(QStringLiteral("capacity"), 4097)
                                   << QStringList { "capacity", "4097", capacityRange };
    QTest::newRow("capacity 0 with monitor") << withField(
        QStringLiteral("capacity"), 0) << QStringList { "capacity", capacityRange, "pyqueue" };
    QTest::newRow("capacity 0 with semaphore")
        << withFields({ { "strategy", "semaphore" }, { "capacity", 0 } })
        << QStringList { "capacity", capacityRange, "pyqueue" };

    // Thread counts.
    QTest::newRow("producers 0") << withField(QStringLiteral("producers"), 0)
                                 << QStringList { "producers", threadRange };
    QTest::newRow("producers 65") << withField(QStringLiteral("producers"), 65)
                                  << QStringList { "producers", "65", threadRange };
    QTest::newRow("producers as string") << withField(QStringLiteral("producers"),
        QStringLiteral("3")) << QStringList { "producers", "whole number", threadRange };
    QTest::newRow("producers fractional") << withField(QStringLiteral("producers"),
        1.5) << QStringList { "producers", "whole number", threadRange };
    QTest::newRow("producers boolean") << withField(QStringLiteral("producers"), true)
                                       << QStringList { "producers", "whole number", threadRange };
    QTest::newRow("consumers 0") << withField(QStringLiteral("consumers"), 0)
                                 << QStringList { "consumers", threadRange };
    QTest::newRow("consumers 65") << withField(QStringLiteral("consumers"), 65)
                                  << QStringList { "consumers", threadRange };
    QTest::newRow("consumers huge") << withField(QStringLiteral("consumers"), 1e300)
                                    << QStringList { "consumers", threadRange };

    // Items and seed.
    QTest::newRow("items 0") << withField(QStringLiteral("items"), 0)
                             << QStringList { "items", itemRange };
    QTest::newRow("items over 1e9")
        << withField(QStringLiteral("items"), 1000000001.0) << QStringList { "items", itemRange };
    QTest::newRow("items fractional") << withField(QStringLiteral("items"), 10.5)
                                      << QStringList { "items", "whole number", itemRange };
    QTest::newRow("items as string") << withField(QStringLiteral("items"), QStringLiteral("100"))
                                     << QStringList { "items", itemRange };
    QTest::newRow("seed -1") << withField(QStringLiteral("seed"), -1)
                             << QStringList { "seed", seedRange };
    QTest::newRow("seed 2^53") << withField(QStringLiteral("seed"), 9007199254740992.0)
                               << QStringList { "seed", seedRange };
    QTest::newRow("seed fractional") << withField(QStringLiteral("seed"), 0.5)
                                     << QStringList { "seed", "whole number", seedRange };

    // Rates.
    QTest::newRow("produce_rate 0") << withField(QStringLiteral("produce_rate"), 0)
                                    << QStringList { "produce_rate", rateMin, rateMax };
    QTest::newRow("produce_rate -1") << withField(QStringLiteral("produce_rate"), -1)
                                     << QStringList { "produce_rate", rateMin, rateMax };
    QTest::newRow("produce_rate below 0.01") << withField(QStringLiteral("produce_rate"), 0.005)
                                             << QStringList { "produce_rate", rateMin, rateMax };
    QTest::newRow("produce_rate above 1e9") << withField(QStringLiteral("produce_rate"), 2e9)
                                            << QStringList { "produce_rate", rateMin, rateMax };
    QTest::newRow("produce_rate \"fast\"") << withField(QStringLiteral("produce_rate"),
        QStringLiteral("fast")) << QStringList { "produce_rate", "fast", rateMin, rateMax };
    QTest::newRow("produce_rate \"inf\"") << withField(QStringLiteral("produce_rate"),
        QStringLiteral("inf")) << QStringList { "produce_rate", rateMin, rateMax };
    QTest::newRow("produce_rate boolean") << withField(QStringLiteral("produce_rate"), true)
                                          << QStringList { "produce_rate", rateMin, rateMax };
    QTest::newRow("consume_rate null") << withField(QStringLiteral("consume_rate"),
        QJsonValue::Null) << QStringList { "consume_rate", rateMin, rateMax };
    QTest::newRow("consume_rate empty string") << withField(QStringLiteral("consume_rate"),
        QString()) << QStringList { "consume_rate", rateMin, rateMax };
    QTest::newRow("consume_rate \"nan\"") << withField(QStringLiteral("consume_rate"),
        QStringLiteral("nan")) << QStringList { "consume_rate", rateMin, rateMax };

    // Booleans.
    QTest::newRow("main_produces as number") << withField(QStringLiteral("main_produces"), 1)
                                             << QStringList { "main_produces", "true or false" };
    QTest::newRow("join as string") << withField(QStringLiteral("join"), QStringLiteral("true"))
                                    << QStringList { "join", "true or false" };
    QTest::newRow("daemon_consumers null") << withField(QStringLiteral("daemon_consumers"),
        QJsonValue::Null) << QStringList { "daemon_consumers", "true or false" };

    // Text fields.
    const QString control = QStringLiteral("control character");
    QTest::newRow("name with NUL")
        << withField(QStringLiteral("name"), QStringLiteral("a") + QChar(0) + QStringLiteral("b"))
        << QStringList { "name", control, "printable" };
    QTest::newRow("name with escape") << withField(QStringLiteral("name"),
        QStringLiteral("\x1b[31mred")) << QStringList { "name", control, "printable" };
    QTest::newRow("name with carriage return") << withField(QStringLiteral("name"),
        QStringLiteral("a\rb")) << QStringList { "name", control };
    QTest::newRow("description with DEL") << withField(QStringLiteral("description"),
        QStringLiteral("a\x7f")) << QStringList { "description", control, "printable" };
    QTest::newRow("description with bell") << withField(QStringLiteral("description"),
        QStringLiteral("ding\a")) << QStringList { "description", control };
    QTest::newRow("name too long")
        << withField(QStringLiteral("name"), QString(Scenario::MaxTextLength + 1, u'n'))
        << QStringList { "name", "2001", "at most 2000" };
    QTest::newRow("description too long") << withField(QStringLiteral("description"),
        QString(100000, u'd')) << QStringList { "description", "at most 2000" };
    QTest::newRow("name as number")
        << withField(QStringLiteral("name"), 5) << QStringList { "name", "string" };
    QTest::newRow("description as object") << withField(QStringLiteral("description"),
        QJsonObject {}) << QStringList { "description", "string" };

    // Cross-field rules reach the user through fromJson too.
    QTest::newRow("main_produces with 2 producers")
        << withFields(patched(seedShape(), { { "producers", 2 } }))
        << QStringList { "producers", "main_produces" };
    QTest::newRow("join with monitor")
        << withFields({ { "main_produces", true }, { "producers", 1 }, { "join", true } })
        << QStringList { "join", "pyqueue" };
    QTest::newRow("join without main_produces") << withFields(
        patched(seedShape(), { { "main_produces", false }, { "daemon_consumers", false } }))
                                                << QStringList { "join", "main_produces" };
    QTest::newRow("daemon_consumers without join")
        << withFields(patched(seedShape(), { { "join", false } }))
        << QStringList { "daemon_consumers", "join" };
}

void TestScenario::fromJsonRejectsBadInputNamingFieldAndAllowedValues()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, fragments);

    QString error;
    const auto s = Scenario::fromJson(json, QStringLiteral("bad.json"), &error);
    QVERIFY2(!s, json.left(300).constData());
    QVERIFY(!error.isEmpty());
    verifyContainsAll(error, fragments);
    // Messages are one readable line, whatever the input held.
    QVERIFY2(error.size() < 600, qPrintable(error.left(200)));
    QVERIFY2(!error.contains(u'\n') && !error.contains(QChar(0x1b)) && !error.contains(QChar(0)),
        qPrintable(error));
}

void TestScenario::fromJsonErrorStartsWithTheSource()
{
    QString error;
    QVERIFY(!Scenario::fromJson(
        withField(QStringLiteral("producers"), 0), QStringLiteral("my-file.json"), &error));
    QVERIFY2(error.startsWith(QStringLiteral("my-file.json: ")), qPrintable(error));
    // A null error pointer is allowed.
    QVERIFY(!Scenario::fromJson(QByteArray("{"), QStringLiteral("x"), nullptr));
}

void TestScenario::fromJsonErrorEchoesNoControlCharacters_data()
{
    QTest::addColumn<QByteArray>("json");

    const QString escape = QStringLiteral("x\x1b[2J\x1b[31my");
    QTest::newRow("unknown key with escape") << withField(escape, 1);
    QTest::newRow("unknown key with newline") << withField(QStringLiteral("two\nlines"), 1);
    QTest::newRow("strategy with escape") << withField(QStringLiteral("strategy"), escape);
    QTest::newRow("distribution with escape") << withField(QStringLiteral("distribution"), escape);
    QTest::newRow("rate with escape") << withField(QStringLiteral("produce_rate"), escape);
}

// Messages reach a terminal: input echoed in them must not carry escapes or line breaks.
void TestScenario::fromJsonErrorEchoesNoControlCharacters()
{
    QFETCH(QByteArray, json);
    QString error;
    QVERIFY(!Scenario::fromJson(json, QStringLiteral("bad.json"), &error));
    for (const QChar c : std::as_const(error)) {
        QVERIFY2(c.category() != QChar::Other_Control,
            qPrintable(
                QStringLiteral("U+%1 in: %2")
                    .arg(c.unicode(), 4, 16, QLatin1Char('0'))
                    .arg(QString::fromLatin1(error.toUtf8().toPercentEncoding(" :\"'(),.-/")))));
    }
}

void TestScenario::fromJsonAcceptsBoundaryValues_data()
{
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("capacity 1") << withField(QStringLiteral("capacity"), 1);
    QTest::newRow("capacity 4096") << withField(QStringLiteral("capacity"), 4096);
    QTest::newRow("capacity 0 with pyqueue")
        << withFields({ { "strategy", "pyqueue" }, { "capacity", 0 } });
    QTest::newRow("capacity 8.0 is whole") << withField(QStringLiteral("capacity"), 8.0);
    QTest::newRow("producers 1") << withField(QStringLiteral("producers"), 1);
    QTest::newRow("producers 64") << withField(QStringLiteral("producers"), 64);
    QTest::newRow("consumers 64") << withField(QStringLiteral("consumers"), 64);
    QTest::newRow("items 1") << withField(QStringLiteral("items"), 1);
    QTest::newRow("items 1e9") << withField(QStringLiteral("items"), 1e9);
    QTest::newRow("seed 0") << withField(QStringLiteral("seed"), 0);
    QTest::newRow("seed 2^53-1") << withField(QStringLiteral("seed"), 9007199254740991.0);
    QTest::newRow("rate 0.01") << withField(QStringLiteral("produce_rate"), 0.01);
    QTest::newRow("rate 1e9") << withField(QStringLiteral("produce_rate"), 1e9);
    QTest::newRow("rate as numeric string")
        << withField(QStringLiteral("consume_rate"), QStringLiteral("2.5"));
    QTest::newRow("rate \"MAX\"") << withField(
        QStringLiteral("consume_rate"), QStringLiteral("MAX"));
    QTest::newRow("distribution exponential")
        << withField(QStringLiteral("distribution"), QStringLiteral("exponential"));
    QTest::newRow("distribution bursty")
        << withField(QStringLiteral("distribution"), QStringLiteral("bursty"));
    QTest::newRow("name of 2000 characters")
        << withField(QStringLiteral("name"), QString(Scenario::MaxTextLength, u'n'));
    QTest::newRow("description with newline and tab")
        << withField(QStringLiteral("description"), QStringLiteral("line one\n\tline two"));
    QTest::newRow("description with non-ASCII")
        << withField(QStringLiteral("description"), QStringLiteral("Dijkstra’s ünïcode 生产者"));
    QTest::newRow("seed shape") << withFields(seedShape());
    QTest::newRow("main_produces without join")
        << withFields({ { "producers", 1 }, { "main_produces", true } });
}

void TestScenario::fromJsonAcceptsBoundaryValues()
{
    QFETCH(QByteArray, json);
    QString error;
    const auto s = Scenario::fromJson(json, QStringLiteral("ok.json"), &error);
    QVERIFY2(s, qPrintable(error));
    QVERIFY2(s->validate().isEmpty(), qPrintable(s->validate()));
}

void TestScenario::validateAcceptsDefaultAndSeedShapes()
{
    QVERIFY2(Scenario {}.validate().isEmpty(), qPrintable(Scenario {}.validate()));
    const Scenario seed = scenarioWith(seedFields());
    QVERIFY2(seed.validate().isEmpty(), qPrintable(seed.validate()));
}

void TestScenario::validateRejectsOutOfRangeAndInconsistentFields_data()
{
    QTest::addColumn<QVariantMap>("fields");
    QTest::addColumn<QStringList>("fragments");

    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();

    QTest::newRow("unknown strategy")
        << QVariantMap { { "strategy", "nosuch" } }
        << QStringList { "strategy", "nosuch", "monitor, semaphore, pyqueue" };
    QTest::newRow("empty strategy") << QVariantMap { { "strategy", "" } }
                                    << QStringList { "strategy", "monitor, semaphore, pyqueue" };
    QTest::newRow("recording off with a schedule") << QVariantMap { { "record", false },
        { "schedule", QStringList { "P0" } } } << QStringList { "record", "schedule" };
    QTest::newRow("capacity -1") << QVariantMap { { "capacity", -1 } }
                                 << QStringList { "capacity", capacityRange };
    QTest::newRow("capacity 4097")
        << QVariantMap { { "capacity", 4097 } } << QStringList { "capacity", capacityRange };
    QTest::newRow("capacity 0 with monitor")
        << QVariantMap { { "capacity", 0 } } << QStringList { "capacity", "pyqueue" };
    QTest::newRow("capacity 0 with semaphore") << QVariantMap { { "strategy", "semaphore" },
        { "capacity", 0 } } << QStringList { "capacity", "pyqueue" };
    QTest::newRow("producers 0") << QVariantMap { { "producers", 0 } }
                                 << QStringList { "producers", threadRange };
    QTest::newRow("producers 65") << QVariantMap { { "producers", 65 } }
                                  << QStringList { "producers", threadRange };
    QTest::newRow("producers negative")
        << QVariantMap { { "producers", -3 } } << QStringList { "producers", threadRange };
    QTest::newRow("consumers 0") << QVariantMap { { "consumers", 0 } }
                                 << QStringList { "consumers", threadRange };
    QTest::newRow("consumers 65") << QVariantMap { { "consumers", 65 } }
                                  << QStringList { "consumers", threadRange };
    QTest::newRow("items 0") << QVariantMap { { "items", 0 } }
                             << QStringList { "items", itemRange };
    QTest::newRow("items 1e9+1") << QVariantMap { { "items", qint64(1'000'000'001) } }
                                 << QStringList { "items", itemRange };
    QTest::newRow("produce_rate 0.001") << QVariantMap { { "produce_rate", 0.001 } }
                                        << QStringList { "produce_rate", "0.01", "\"max\"" };
    QTest::newRow("produce_rate 0") << QVariantMap { { "produce_rate", 0.0 } }
                                    << QStringList { "produce_rate", "0.01", "\"max\"" };
    QTest::newRow("produce_rate NaN") << QVariantMap { { "produce_rate", nan } }
                                      << QStringList { "produce_rate", "0.01", "\"max\"" };
    QTest::newRow("produce_rate -inf") << QVariantMap { { "produce_rate", -inf } }
                                       << QStringList { "produce_rate", "0.01", "\"max\"" };
    QTest::newRow("consume_rate 2e9") << QVariantMap { { "consume_rate", 2e9 } }
                                      << QStringList { "consume_rate", "0.01", "\"max\"" };
    QTest::newRow("consume_rate -1") << QVariantMap { { "consume_rate", -1.0 } }
                                     << QStringList { "consume_rate", "0.01", "\"max\"" };
    QTest::newRow("seed -1") << QVariantMap { { "seed", qint64(-1) } }
                             << QStringList { "seed", seedRange };
    QTest::newRow("seed 2^53") << QVariantMap { { "seed", qint64(1) << 53 } }
                               << QStringList { "seed", seedRange };

    // Cross-field rules.
    QTest::newRow("main_produces with 2 producers") << merged(seedFields(),
        { { "producers", 2 } }) << QStringList { "producers", "1 when main_produces" };
    QTest::newRow("main_produces with 2 producers, no join") << QVariantMap { { "producers", 2 },
        { "main_produces", true } } << QStringList { "producers", "main_produces" };
    QTest::newRow("join with monitor") << QVariantMap { { "main_produces", true },
        { "join", true } } << QStringList { "join", "pyqueue" };
    QTest::newRow("join with semaphore")
        << QVariantMap { { "strategy", "semaphore" }, { "main_produces", true }, { "join", true } }
        << QStringList { "join", "pyqueue" };
    QTest::newRow("join without main_produces") << QVariantMap { { "strategy", "pyqueue" },
        { "join", true } } << QStringList { "join", "main_produces" };
    QTest::newRow("daemon_consumers without join") << merged(seedFields(), { { "join", false } })
                                                   << QStringList { "daemon_consumers", "join" };
    QTest::newRow("daemon_consumers alone") << QVariantMap { { "daemon_consumers", true } }
                                            << QStringList { "daemon_consumers", "join" };
}

void TestScenario::validateRejectsOutOfRangeAndInconsistentFields()
{
    QFETCH(QVariantMap, fields);
    QFETCH(QStringList, fragments);

    const QString error = scenarioWith(fields).validate();
    QVERIFY2(!error.isEmpty(), "validate() accepted an invalid scenario");
    verifyContainsAll(error, fragments);
}

void TestScenario::parseRateAcceptsMaxAndRangeOnly_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("expected");

    const double max = RateModel::Max;
    QTest::newRow("max") << "max" << true << max;
    QTest::newRow("MAX with spaces") << "  MAX " << true << max;
    QTest::newRow("0.01") << "0.01" << true << 0.01;
    QTest::newRow("1e9") << "1e9" << true << 1e9;
    QTest::newRow("fractional") << "2.75" << true << 2.75;
    QTest::newRow("0.009") << "0.009" << false << 0.0;
    QTest::newRow("0") << "0" << false << 0.0;
    QTest::newRow("-1") << "-1" << false << 0.0;
    QTest::newRow("1e9 plus one") << "1000000001" << false << 0.0;
    QTest::newRow("inf") << "inf" << false << 0.0;
    QTest::newRow("nan") << "nan" << false << 0.0;
    QTest::newRow("fast") << "fast" << false << 0.0;
    QTest::newRow("empty") << "" << false << 0.0;
    QTest::newRow("maximum") << "maximum" << false << 0.0;
}

void TestScenario::parseRateAcceptsMaxAndRangeOnly()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(double, expected);

    const auto rate = Scenario::parseRate(text);
    QCOMPARE(rate.has_value(), valid);
    if (valid) {
        QCOMPARE(*rate, expected);
        // The text form parses back to the same rate.
        const auto again = Scenario::parseRate(Scenario::rateToString(*rate));
        QVERIFY(again.has_value());
        QCOMPARE(*again, *rate);
    }
}

void TestScenario::loadRefusesFileOverOneMebibyte()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("big.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    // Valid JSON padded with whitespace, one byte over the limit: only its size is wrong.
    QByteArray data = toBytes(validObject());
    data.append(QByteArray(Scenario::MaxFileBytes + 1 - data.size(), ' '));
    QCOMPARE(qint64(data.size()), Scenario::MaxFileBytes + 1);
    QCOMPARE(file.write(data), qint64(data.size()));
    file.close();

    QString error;
    QVERIFY(!Scenario::load(path, &error));
    verifyContainsAll(error, { path, QStringLiteral("too large"), QStringLiteral("1048576") });
}

void TestScenario::loadAcceptsFileOfExactlyOneMebibyte()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("limit.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QByteArray data = toBytes(validObject());
    data.append(QByteArray(Scenario::MaxFileBytes - data.size(), ' '));
    QCOMPARE(file.write(data), Scenario::MaxFileBytes);
    file.close();

    QString error;
    QVERIFY2(Scenario::load(path, &error), qPrintable(error));
}

void TestScenario::loadOfMissingFileNamesThePath()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("does-not-exist.json"));
    QString error;
    QVERIFY(!Scenario::load(path, &error));
    verifyContainsAll(error, { path, QStringLiteral("no such file") });
}

void TestScenario::loadOfDirectoryIsRefusedNamingThePath()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    QVERIFY(!Scenario::load(dir.path(), &error));
    verifyContainsAll(error, { dir.path(), QStringLiteral("not a regular file") });
}

void TestScenario::loadErrorNamesThePathAndTheField()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("bad.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(withField(QStringLiteral("consumers"), 100));
    file.close();

    QString error;
    QVERIFY(!Scenario::load(path, &error));
    QVERIFY2(error.startsWith(path + QStringLiteral(": ")), qPrintable(error));
    verifyContainsAll(error, { QStringLiteral("consumers"), threadRange });
}

void TestScenario::saveThenLoadRoundTripsEveryField_data()
{
    QTest::addColumn<QVariantMap>("fields");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("description");
    QTest::addColumn<int>("distribution");

    const double max = RateModel::Max;
    QTest::newRow("defaults") << QVariantMap {} << QStringLiteral("custom") << QString()
                              << int(Distribution::Constant);
    QTest::newRow("max rates") << QVariantMap { { "strategy", "semaphore" }, { "capacity", 4096 },
        { "producers", 64 }, { "consumers", 63 }, { "items", qint64(1'000'000'000) },
        { "produce_rate", max }, { "consume_rate", max }, { "seed", qint64(0) } }
                               << QStringLiteral("all max")
                               << QStringLiteral("Every limit at once.")
                               << int(Distribution::Bursty);
    QTest::newRow("fractional rates")
        << QVariantMap { { "capacity", 3 }, { "producers", 5 }, { "consumers", 7 },
               { "items", qint64(123) }, { "produce_rate", 0.37 }, { "consume_rate", 1234.5678 },
               { "seed", (qint64(1) << 53) - 1 } }
        << QStringLiteral("fractions") << QStringLiteral("line one\n\tline two, “quoted” ünïcode")
        << int(Distribution::Exponential);
    QTest::newRow("rate limits") << QVariantMap { { "produce_rate", 0.01 },
        { "consume_rate", 1e9 } } << QStringLiteral("limits")
                                 << QString() << int(Distribution::Constant);
    QTest::newRow("one max, one fractional")
        << QVariantMap { { "produce_rate", max }, { "consume_rate", 1.0 / 3.0 } }
        << QStringLiteral("mixed") << QStringLiteral("d") << int(Distribution::Exponential);
    QTest::newRow("recording off")
        << QVariantMap { { "record", false } } << QStringLiteral("counters only") << QString()
        << int(Distribution::Constant);
    QTest::newRow("seed shape") << seedFields() << QStringLiteral("seed-like")
                                << QStringLiteral("main puts, daemons get")
                                << int(Distribution::Constant);
}

void TestScenario::saveThenLoadRoundTripsEveryField()
{
    QFETCH(QVariantMap, fields);
    QFETCH(QString, name);
    QFETCH(QString, description);
    QFETCH(int, distribution);

    Scenario original = scenarioWith(fields);
    original.name = name;
    original.description = description;
    original.distribution = Distribution(distribution);
    QVERIFY2(original.validate().isEmpty(), qPrintable(original.validate()));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("scenario.json"));
    QString error;
    QVERIFY2(original.save(path, &error), qPrintable(error));
    QVERIFY(error.isEmpty());

    const auto loaded = Scenario::load(path, &error);
    QVERIFY2(loaded, qPrintable(error));
    verifySameScenario(*loaded, original);
    if (QTest::currentTestFailed())
        return;

    // The file is the documented format, not just something load() happens to accept.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(json.value(QStringLiteral("format")).toString(), QStringLiteral("pcviz-scenario"));
    QCOMPARE(json.value(QStringLiteral("version")).toInt(), 1);
    if (original.produceRate == RateModel::Max)
        QCOMPARE(json.value(QStringLiteral("produce_rate")).toString(), QStringLiteral("max"));
    else
        QCOMPARE(json.value(QStringLiteral("produce_rate")).toDouble(), original.produceRate);
}

void TestScenario::saveReplacesAnExistingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("scenario.json"));
    Scenario first;
    first.producers = 3;
    Scenario second;
    second.producers = 7;
    QString error;
    QVERIFY2(first.save(path, &error), qPrintable(error));
    QVERIFY2(second.save(path, &error), qPrintable(error));
    const auto loaded = Scenario::load(path, &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->producers, 7);
    // No temporary file is left next to it.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
        QStringList { QStringLiteral("scenario.json") });
}

void TestScenario::saveIntoMissingDirectoryFailsAndLeavesNoFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missingDir = dir.filePath(QStringLiteral("no/such/dir"));
    const QString path = missingDir + QStringLiteral("/scenario.json");
    QString error;
    QVERIFY(!Scenario {}.save(path, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(!QFileInfo::exists(path));
    QVERIFY(!QFileInfo::exists(missingDir));
    QVERIFY(QDir(dir.path())
                .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)
                .isEmpty());
}

void TestScenario::everyPresetLoadsAndValidates_data()
{
    QTest::addColumn<QString>("preset");
    const QStringList names = Presets::names();
    QVERIFY(!names.isEmpty());
    for (const QString& name : names)
        QTest::newRow(qPrintable(name)) << name;
}

void TestScenario::everyPresetLoadsAndValidates()
{
    QFETCH(QString, preset);
    QString error;
    const auto s = Presets::load(preset, &error);
    QVERIFY2(s, qPrintable(error));
    QVERIFY2(s->validate().isEmpty(), qPrintable(s->validate()));
    QVERIFY2(!s->description.isEmpty(), "every preset explains itself in --list-presets");

    // What a preset saves is what it loads.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(preset + QStringLiteral(".json"));
    QVERIFY2(s->save(path, &error), qPrintable(error));
    const auto again = Scenario::load(path, &error);
    QVERIFY2(again, qPrintable(error));
    verifySameScenario(*again, *s);
}

void TestScenario::expectedPresetsExist()
{
    QStringList names = Presets::names();
    for (const char* expected : { "seed", "classic-semaphores", "qt-waitconditions", "default",
             "race", "if-not-while", "deadlock", "lost-wakeup" })
        QVERIFY2(names.contains(QLatin1StringView(expected)), expected);
    QCOMPARE(int(names.removeDuplicates()), 0);
}

void TestScenario::seedPresetIsThePythonProgram()
{
    QString error;
    const auto s = Presets::load(QStringLiteral("seed"), &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->strategy, QStringLiteral("pyqueue"));
    QCOMPARE(s->capacity, 0);
    QCOMPARE(s->producers, 1);
    QCOMPARE(s->consumers, 5);
    QCOMPARE(s->items, qint64(100));
    QCOMPARE(s->mainProduces, true);
    QCOMPARE(s->join, true);
    QCOMPARE(s->daemonConsumers, true);
}

void TestScenario::unknownPresetIsRefusedListingThePresets()
{
    QString error;
    QVERIFY(!Presets::load(QStringLiteral("nosuch"), &error));
    verifyContainsAll(error,
        { QStringLiteral("preset"), QStringLiteral("nosuch"), QStringLiteral("seed"),
            QStringLiteral("default") });
    // A path is not a preset name.
    QVERIFY(!Presets::load(QStringLiteral("../presets/seed"), &error));
}

QTEST_GUILESS_MAIN(TestScenario)
#include "tst_scenario.moc"
