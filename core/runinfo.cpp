// SPDX-License-Identifier: GPL-3.0-or-later
#include "runinfo.h"

#include <QJsonArray>

namespace pcviz {

const ObjectInfo* RunInfo::object(std::uint8_t id) const
{
    for (const ObjectInfo& o : objects) {
        if (o.id == id)
            return &o;
    }
    return nullptr;
}

QString RunInfo::objectName(std::uint8_t id) const
{
    const ObjectInfo* o = object(id);
    return o ? o->name : QString();
}

QJsonObject RunInfo::toJson() const
{
    QJsonObject json;
    json.insert(QStringLiteral("format"), QStringLiteral("pcviz-trace"));
    json.insert(QStringLiteral("version"), 1);
    json.insert(QStringLiteral("scenario"), scenario.toJson());
    QJsonArray list;
    for (const ObjectInfo& o : objects) {
        QJsonObject entry { { QStringLiteral("id"), o.id }, { QStringLiteral("name"), o.name },
            { QStringLiteral("type"), QString::fromLatin1(objectTypeName(o.type)) } };
        if (o.type == ObjectType::Semaphore)
            entry.insert(QStringLiteral("initial"), qint64(o.initial));
        list.append(entry);
    }
    json.insert(QStringLiteral("objects"), list);
    return json;
}

} // namespace pcviz
