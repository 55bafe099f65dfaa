// SPDX-License-Identifier: GPL-3.0-or-later
#include "event.h"

#include <array>

namespace pcviz {

namespace {
constexpr std::array<const char*, EventKindCount> kindNames = {
    "thread_start",
    "thread_exit",
    "produce",
    "put",
    "get",
    "consume",
    "put_wait",
    "get_wait",
    "wake",
    "lock_wait",
    "lock",
    "unlock",
    "sem_wait",
    "sem_acquire",
    "sem_release",
    "cond_wait",
    "cond_signal",
    "cond_broadcast",
    "cond_wake",
    "task_done",
    "join_wait",
    "join_done",
    "violation",
    "deadlock",
    "capacity",
    "timeout",
    "cancel",
    "put_timeout",
    "stall",
    "rate_limited",
    "rate_exceeded",
    "dead_letter",
    "item_raised",
    "poison_pill",
    "append",
    "results",
    "closed",
};
} // namespace

const char* kindName(EventKind kind)
{
    return kindNames[static_cast<std::size_t>(kind)];
}

std::optional<EventKind> kindFromName(QStringView name)
{
    for (int i = 0; i < EventKindCount; ++i) {
        if (name == QLatin1StringView(kindNames[i]))
            return EventKind(i);
    }
    return std::nullopt;
}

QString ThreadRef::name() const
{
    switch (role) {
    case Role::Producer:
        return QStringLiteral("P%1").arg(index);
    case Role::Consumer:
        return QStringLiteral("C%1").arg(index);
    case Role::Main:
        return QStringLiteral("main");
    case Role::Control:
        return QStringLiteral("control");
    case Role::None:
        break;
    }
    return {};
}

std::optional<ThreadRef> ThreadRef::fromName(QStringView name)
{
    if (name == u"main")
        return ThreadRef { Role::Main, 0 };
    if (name == u"control")
        return ThreadRef { Role::Control, 0 };
    if (name.size() < 2 || (name[0] != u'P' && name[0] != u'C'))
        return std::nullopt;
    bool ok = false;
    const uint index = name.mid(1).toUInt(&ok);
    if (!ok || index > 0xffff || name.mid(1).startsWith(u'+'))
        return std::nullopt;
    return ThreadRef { name[0] == u'P' ? Role::Producer : Role::Consumer, std::uint16_t(index) };
}

} // namespace pcviz
