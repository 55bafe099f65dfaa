// SPDX-License-Identifier: GPL-3.0-or-later
#include "codelisting.h"

#include "inputtext.h"
#include "strategies/strategyregistry.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace pcviz {

namespace {
const QString FormatName = QStringLiteral("pcviz-code");
constexpr int MaxLines = 2000;
constexpr int MaxLineLength = 200;

struct RoleName {
    const char* name;
    Role role;
};
constexpr RoleName Roles[]
    = { { "producer", Role::Producer }, { "consumer", Role::Consumer }, { "main", Role::Main } };

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
    return QStringLiteral("nothing");
}

QString allActionNames()
{
    QStringList names;
    for (int a = 0; a <= int(GateAction::Start); ++a)
        names << QLatin1String(gateActionName(GateAction(a)));
    return names.join(QStringLiteral(", "));
}

std::optional<GateAction> actionFromName(const QString& name)
{
    for (int a = 0; a <= int(GateAction::Start); ++a) {
        if (name == QLatin1String(gateActionName(GateAction(a))))
            return GateAction(a);
    }
    return std::nullopt;
}

/// The kind of object each action acts on: the instrumented primitives pass their gates so.
std::optional<ObjectType> objectTypeFor(GateAction action)
{
    switch (action) {
    case GateAction::Lock:
    case GateAction::Unlock:
        return ObjectType::Mutex;
    case GateAction::Wait:
    case GateAction::Signal:
        return ObjectType::CondVar;
    case GateAction::Acquire:
    case GateAction::Release:
        return ObjectType::Semaphore;
    case GateAction::Put:
    case GateAction::Get:
    case GateAction::TaskDone:
    case GateAction::Join:
    case GateAction::Start:
    case GateAction::Append:
        break;
    }
    return std::nullopt;
}

/// Reads one field after another and keeps the first problem, with the path to the field.
class Reader {
public:
    const QString& error() const { return m_error; }
    bool failed() const { return !m_error.isEmpty(); }
    void fail(const QString& path, const QString& message)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1: %2").arg(path, message);
    }

    bool onlyKeys(const QJsonObject& o, const QString& path, const QStringList& allowed)
    {
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!allowed.contains(it.key())) {
                fail(path.isEmpty() ? quoteInput(it.key())
                                    : QStringLiteral("%1.%2").arg(path, quoteInput(it.key())),
                    QStringLiteral("unknown field (allowed: %1)")
                        .arg(allowed.join(QStringLiteral(", "))));
                return false;
            }
        }
        return true;
    }

    std::optional<QString> text(const QJsonValue& v, const QString& path, bool required = true)
    {
        if (v.isUndefined() && !required)
            return QString();
        if (!v.isString()) {
            fail(path, QStringLiteral("expected a string, got %1").arg(typeName(v)));
            return std::nullopt;
        }
        const QString s = v.toString();
        if (s.size() > MaxLineLength) {
            fail(path,
                QStringLiteral("%1 characters is too long (allowed: at most %2)")
                    .arg(s.size())
                    .arg(MaxLineLength));
            return std::nullopt;
        }
        for (const QChar c : s) {
            // One entry is one line on screen, and tabs would not line up with the markers.
            if (c.category() == QChar::Other_Control) {
                fail(path,
                    QStringLiteral("contains a control character (allowed: printable text, "
                                   "indented with spaces)"));
                return std::nullopt;
            }
        }
        return s;
    }

private:
    QString m_error;
};
} // namespace

const QStringList& CodeListing::viewNames()
{
    static const QStringList names
        = { QStringLiteral("python"), QStringLiteral("pseudo"), QStringLiteral("cpp") };
    return names;
}

QString CodeListing::viewTitle(const QString& view)
{
    if (view == u"python")
        return QStringLiteral("Python");
    if (view == u"pseudo")
        return QStringLiteral("Pseudo-code");
    if (view == u"cpp")
        return QStringLiteral("C++");
    return view;
}

std::optional<CodeListing> CodeListing::fromJson(
    const QByteArray& json, const QString& source, QString* error)
{
    const auto fail = [&](const QString& message) -> std::optional<CodeListing> {
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
    Reader r;
    if (!r.onlyKeys(o, {},
            { QStringLiteral("format"), QStringLiteral("version"), QStringLiteral("strategy"),
                QStringLiteral("view"), QStringLiteral("title"), QStringLiteral("lines") }))
        return fail(r.error());
    if (o.value(QStringLiteral("format")) != QJsonValue(FormatName))
        return fail(QStringLiteral("format: expected \"%1\"").arg(FormatName));
    if (o.value(QStringLiteral("version")) != QJsonValue(FormatVersion))
        return fail(QStringLiteral("version: expected %1").arg(FormatVersion));

    CodeListing listing;
    const QString strategies = StrategyRegistry::names().join(QStringLiteral(", "));
    const auto strategy = r.text(o.value(QStringLiteral("strategy")), QStringLiteral("strategy"));
    if (!strategy)
        return fail(r.error() + QStringLiteral(" (allowed: %1)").arg(strategies));
    const auto instance = StrategyRegistry::create(*strategy, 1);
    if (!instance)
        return fail(QStringLiteral("strategy: %1 is not a strategy (allowed: %2)")
                        .arg(quoteInput(*strategy), strategies));
    listing.m_strategy = *strategy;
    const auto view = r.text(o.value(QStringLiteral("view")), QStringLiteral("view"));
    if (!view || !viewNames().contains(*view))
        return fail(QStringLiteral("view: %1 is not a view (allowed: %2)")
                        .arg(view ? quoteInput(*view) : typeName(o.value(QStringLiteral("view"))),
                            viewNames().join(QStringLiteral(", "))));
    listing.m_view = *view;
    const auto title = r.text(o.value(QStringLiteral("title")), QStringLiteral("title"));
    if (!title)
        return fail(r.error());
    if (title->trimmed().isEmpty())
        return fail(QStringLiteral("title: expected a title, got an empty string"));
    listing.m_title = *title;

    const QJsonValue lines = o.value(QStringLiteral("lines"));
    if (!lines.isArray() || lines.toArray().isEmpty())
        return fail(QStringLiteral("lines: expected a non-empty array of lines, got %1")
                        .arg(lines.isArray() ? QStringLiteral("an empty array") : typeName(lines)));
    if (lines.toArray().size() > MaxLines)
        return fail(QStringLiteral("lines: %1 lines is too many (allowed: at most %2)")
                        .arg(lines.toArray().size())
                        .arg(MaxLines));

    const std::vector<ObjectInfo> objects = instance->objects();
    QStringList objectNames;
    for (const ObjectInfo& info : objects)
        objectNames << info.name;
    QStringList roleNames;
    for (const RoleName& role : Roles)
        roleNames << QLatin1String(role.name);

    const QJsonArray lineArray = lines.toArray();
    for (qsizetype i = 0; i < lineArray.size(); ++i) {
        const QString linePath = QStringLiteral("lines[%1]").arg(i);
        if (!lineArray[i].isObject())
            return fail(QStringLiteral("%1: expected an object with \"text\", got %2")
                            .arg(linePath, typeName(lineArray[i])));
        const QJsonObject lineObject = lineArray[i].toObject();
        if (!r.onlyKeys(lineObject, linePath, { QStringLiteral("text"), QStringLiteral("gates") }))
            return fail(r.error());
        Line line;
        const auto text
            = r.text(lineObject.value(QStringLiteral("text")), linePath + QStringLiteral(".text"));
        if (!text)
            return fail(r.error());
        line.text = *text;
        const QJsonValue gates = lineObject.value(QStringLiteral("gates"));
        if (!gates.isUndefined() && !gates.isArray())
            return fail(QStringLiteral("%1.gates: expected an array of gates, got %2")
                            .arg(linePath, typeName(gates)));
        const QJsonArray gateArray = gates.toArray();
        for (qsizetype g = 0; g < gateArray.size(); ++g) {
            const QString path = QStringLiteral("%1.gates[%2]").arg(linePath).arg(g);
            if (!gateArray[g].isObject())
                return fail(QStringLiteral("%1: expected an object with \"role\" and \"action\", "
                                           "got %2")
                                .arg(path, typeName(gateArray[g])));
            const QJsonObject gate = gateArray[g].toObject();
            if (!r.onlyKeys(gate, path,
                    { QStringLiteral("role"), QStringLiteral("action"), QStringLiteral("object"),
                        QStringLiteral("holding") }))
                return fail(r.error());
            LineGate parsed;

            // role: one name or a list of them.
            const QJsonValue role = gate.value(QStringLiteral("role"));
            QJsonArray roles;
            if (role.isString())
                roles.append(role);
            else if (role.isArray())
                roles = role.toArray();
            if (roles.isEmpty())
                return fail(QStringLiteral("%1.role: expected a role or a non-empty array of "
                                           "roles, got %2 (allowed: %3)")
                                .arg(path, typeName(role), roleNames.join(QStringLiteral(", "))));
            for (const QJsonValue& name : roles) {
                const auto known = std::find_if(std::begin(Roles), std::end(Roles),
                    [&](const RoleName& r) { return name.toString() == QLatin1String(r.name); });
                if (!name.isString() || known == std::end(Roles))
                    return fail(
                        QStringLiteral("%1.role: %2 is not a role (allowed: %3)")
                            .arg(path,
                                name.isString() ? quoteInput(name.toString()) : typeName(name),
                                roleNames.join(QStringLiteral(", "))));
                parsed.roles |= std::uint8_t(1u << unsigned(known->role));
            }

            const QJsonValue action = gate.value(QStringLiteral("action"));
            const std::optional<GateAction> known
                = action.isString() ? actionFromName(action.toString()) : std::nullopt;
            if (!known)
                return fail(
                    QStringLiteral("%1.action: %2 is not a gate action (allowed: %3)")
                        .arg(path,
                            action.isString() ? quoteInput(action.toString()) : typeName(action),
                            allActionNames()));
            parsed.action = *known;

            const QJsonValue object = gate.value(QStringLiteral("object"));
            const std::optional<ObjectType> wanted = objectTypeFor(parsed.action);
            const QString actionName = QLatin1String(gateActionName(parsed.action));
            if (object.isUndefined()) {
                if (wanted)
                    return fail(QStringLiteral("%1.object: %2 acts on a %3: name it (allowed: %4)")
                                    .arg(path, actionName, QLatin1String(objectTypeName(*wanted)),
                                        objectNames.join(QStringLiteral(", "))));
            } else {
                if (!wanted)
                    return fail(QStringLiteral("%1.object: %2 acts on no object: leave the field "
                                               "out")
                                    .arg(path, actionName));
                const auto info = std::find_if(objects.begin(), objects.end(),
                    [&](const ObjectInfo& o) { return object.toString() == o.name; });
                if (!object.isString() || info == objects.end())
                    return fail(
                        QStringLiteral("%1.object: %2 is not an object of %3 (allowed: %4)")
                            .arg(path,
                                object.isString() ? quoteInput(object.toString())
                                                  : typeName(object),
                                listing.m_strategy, objectNames.join(QStringLiteral(", "))));
                // A lock-free ring's back-off is waited in as a condition is.
                const bool backoffWait
                    = *wanted == ObjectType::CondVar && info->type == ObjectType::Backoff;
                if (info->type != *wanted && !backoffWait)
                    return fail(
                        QStringLiteral("%1.object: %2 is a %3, but %4 acts on a %5")
                            .arg(path, info->name, QLatin1String(objectTypeName(info->type)),
                                actionName, QLatin1String(objectTypeName(*wanted))));
                parsed.object = info->name;
            }

            const QJsonValue holding = gate.value(QStringLiteral("holding"));
            if (!holding.isUndefined()) {
                if (!holding.isBool())
                    return fail(QStringLiteral("%1.holding: expected true or false, got %2")
                                    .arg(path, typeName(holding)));
                parsed.holding = holding.toBool();
            }
            line.gates.push_back(parsed);
        }
        listing.m_lines.push_back(std::move(line));
    }
    return listing;
}

std::optional<CodeListing> CodeListing::load(const QString& path, QString* error)
{
    QFile file(path);
    const auto fail = [&](const QString& message) -> std::optional<CodeListing> {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, message);
        return std::nullopt;
    };
    if (!QFileInfo(path).isFile())
        return fail(QStringLiteral("no such file"));
    if (!file.open(QIODevice::ReadOnly))
        return fail(file.errorString());
    return fromJson(file.read(MaxFileBytes + 1), path, error);
}

std::optional<CodeListing::Match> CodeListing::find(Role role, GateAction action,
    QStringView object, std::optional<bool> holding, std::optional<int> from) const
{
    std::optional<Match> first;
    for (int i = 0; i < int(m_lines.size()); ++i) {
        const std::vector<LineGate>& gates = m_lines[std::size_t(i)].gates;
        for (int g = 0; g < int(gates.size()); ++g) {
            const LineGate& gate = gates[std::size_t(g)];
            if (!gate.covers(role) || gate.action != action || gate.object != object)
                continue;
            if (holding && gate.holding && *gate.holding != *holding)
                continue;
            if (!first)
                first = Match { i, g };
            if (!from || i >= *from)
                return Match { i, g };
        }
    }
    return first;
}

} // namespace pcviz
