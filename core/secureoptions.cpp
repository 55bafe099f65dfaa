// SPDX-License-Identifier: GPL-3.0-or-later
#include "secureoptions.h"

#include "inputtext.h"

#include <QStringList>

#include <cmath>

namespace pcviz {

namespace {
const QString Prefix = QStringLiteral("secure.");

QStringList keysOf(QString (*name)(SecureOptions::Switch))
{
    QStringList keys;
    for (const SecureOptions::Switch s : SecureOptions::AllSwitches)
        keys << name(s);
    return keys;
}

// Reads {"name": bool, ...} into flags, naming secure.<group>.<name> in errors.
bool readFlags(const QJsonObject& parent, const QString& group,
    QString (*name)(SecureOptions::Switch), std::array<bool, SecureOptions::SwitchCount>& flags,
    QString* error)
{
    const QJsonValue v = parent.value(group);
    if (v.isUndefined())
        return true;
    const QStringList keys = keysOf(name);
    if (!v.isObject()) {
        *error = QStringLiteral("%1%2: expected an object of true/false flags (allowed keys: %3)")
                     .arg(Prefix, group, keys.join(QStringLiteral(", ")));
        return false;
    }
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const qsizetype index = keys.indexOf(it.key());
        if (index < 0) {
            *error = QStringLiteral("%1%2.%3: unknown field (allowed: %4)")
                         .arg(Prefix, group, quoteInput(it.key()), keys.join(QStringLiteral(", ")));
            return false;
        }
        if (!it.value().isBool()) {
            *error = QStringLiteral("%1%2.%3: expected true or false").arg(Prefix, group, it.key());
            return false;
        }
        flags[std::size_t(index)] = it.value().toBool();
    }
    return true;
}

QJsonObject writeFlags(QString (*name)(SecureOptions::Switch),
    const std::array<bool, SecureOptions::SwitchCount>& flags)
{
    QJsonObject o;
    for (const SecureOptions::Switch s : SecureOptions::AllSwitches)
        o.insert(name(s), flags[std::size_t(s)]);
    return o;
}
} // namespace

QString SecureOptions::switchKey(Switch s)
{
    switch (s) {
    case Switch::Bounded:
        return QStringLiteral("bounded");
    case Switch::Timeouts:
        return QStringLiteral("timeouts");
    case Switch::TaskDoneFinally:
        return QStringLiteral("task_done_finally");
    case Switch::PoisonPill:
        return QStringLiteral("poison_pill");
    case Switch::Validation:
        return QStringLiteral("validation");
    case Switch::RateLimit:
        return QStringLiteral("rate_limit");
    case Switch::LockedResults:
        return QStringLiteral("locked_results");
    }
    return {};
}

QString SecureOptions::faultKey(Switch s)
{
    switch (s) {
    case Switch::Bounded:
        return QStringLiteral("flood");
    case Switch::Timeouts:
        return QStringLiteral("stalled_consumer");
    case Switch::TaskDoneFinally:
        return QStringLiteral("consumer_raises");
    case Switch::PoisonPill:
        return QStringLiteral("stop_now");
    case Switch::Validation:
        return QStringLiteral("malformed_items");
    case Switch::RateLimit:
        return QStringLiteral("burst");
    case Switch::LockedResults:
        return QStringLiteral("concurrent_appends");
    }
    return {};
}

QString SecureOptions::switchTitle(Switch s)
{
    switch (s) {
    case Switch::Bounded:
        return QStringLiteral("Bounded queue (maxsize)");
    case Switch::Timeouts:
        return QStringLiteral("put() with a timeout");
    case Switch::TaskDoneFinally:
        return QStringLiteral("task_done() in finally");
    case Switch::PoisonPill:
        return QStringLiteral("Poison-pill shutdown");
    case Switch::Validation:
        return QStringLiteral("Validate input (dead letters)");
    case Switch::RateLimit:
        return QStringLiteral("Producer rate limit (token bucket)");
    case Switch::LockedResults:
        return QStringLiteral("Append results under a lock");
    }
    return {};
}

QString SecureOptions::faultTitle(Switch s)
{
    switch (s) {
    case Switch::Bounded:
        return QStringLiteral("flood: the producer fills the queue before consumers start");
    case Switch::Timeouts:
        return QStringLiteral("stalled consumer: consumers stop until production ends");
    case Switch::TaskDoneFinally:
        return QStringLiteral("raise: one item makes its consumer raise");
    case Switch::PoisonPill:
        return QStringLiteral("stop now: main exits without join()");
    case Switch::Validation:
        return QStringLiteral("malformed: every 10th item is negative");
    case Switch::RateLimit:
        return QStringLiteral("burst: the producer ignores its pace");
    case Switch::LockedResults:
        return QStringLiteral("concurrent appends: consumers append at once");
    }
    return {};
}

QString SecureOptions::weakness(Switch s)
{
    switch (s) {
    case Switch::Bounded:
        return QStringLiteral("CWE-770/CWE-400: allocation without limits; an unbounded queue "
                              "grows until memory runs out");
    case Switch::Timeouts:
        return QStringLiteral("CWE-833 deadlock: a put that waits for ever on a consumer that "
                              "waits for the producer");
    case Switch::TaskDoneFinally:
        return QStringLiteral("CWE-460 no cleanup on a thrown exception, so join() never "
                              "returns (CWE-833 deadlock)");
    case Switch::PoisonPill:
        return QStringLiteral("CWE-404 improper shutdown: daemon threads killed at exit lose the "
                              "items in flight");
    case Switch::Validation:
        return QStringLiteral("CWE-20 improper input validation: malformed items reach the "
                              "results");
    case Switch::RateLimit:
        return QStringLiteral("CWE-770/CWE-400: no throttling; one producer floods the service");
    case Switch::LockedResults:
        return QStringLiteral("CWE-362 race condition (CWE-667 improper locking): concurrent "
                              "appends lose results");
    }
    return {};
}

QString SecureOptions::validate() const
{
    if (!enabled)
        return {};
    if (timeoutMs < MinTimeoutMs || timeoutMs > MaxTimeoutMs)
        return QStringLiteral("%1timeout_ms: %2 is not allowed (allowed: %3..%4)")
            .arg(Prefix)
            .arg(timeoutMs)
            .arg(MinTimeoutMs)
            .arg(MaxTimeoutMs);
    if (!(rateLimit >= MinRateLimit && rateLimit <= MaxRateLimit))
        return QStringLiteral("%1rate_limit: %2 is not allowed (allowed: %3..%4 items per second)")
            .arg(Prefix)
            .arg(rateLimit)
            .arg(MinRateLimit)
            .arg(MaxRateLimit, 0, 'g', 10);
    if (burst < 1 || burst > MaxBurst)
        return QStringLiteral("%1burst: %2 is not allowed (allowed: 1..%3)")
            .arg(Prefix)
            .arg(burst)
            .arg(MaxBurst);
    return {};
}

QJsonObject SecureOptions::toJson() const
{
    return { { QStringLiteral("switches"), writeFlags(&switchKey, switches) },
        { QStringLiteral("faults"), writeFlags(&faultKey, faults) },
        { QStringLiteral("timeout_ms"), timeoutMs }, { QStringLiteral("rate_limit"), rateLimit },
        { QStringLiteral("burst"), burst } };
}

std::optional<SecureOptions> SecureOptions::fromJson(const QJsonValue& value, QString* error)
{
    QString problem;
    const auto fail = [&](const QString& message) -> std::optional<SecureOptions> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QStringList known = { QStringLiteral("switches"), QStringLiteral("faults"),
        QStringLiteral("timeout_ms"), QStringLiteral("rate_limit"), QStringLiteral("burst") };
    if (!value.isObject())
        return fail(QStringLiteral("secure: expected an object (allowed keys: %1)")
                        .arg(known.join(QStringLiteral(", "))));
    const QJsonObject o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(QStringLiteral("%1%2: unknown field (allowed: %3)")
                            .arg(Prefix, quoteInput(it.key()), known.join(QStringLiteral(", "))));
    }
    SecureOptions s;
    s.enabled = true;
    if (!readFlags(o, QStringLiteral("switches"), &switchKey, s.switches, &problem)
        || !readFlags(o, QStringLiteral("faults"), &faultKey, s.faults, &problem))
        return fail(problem);
    const auto wholeNumber = [&](const QString& key, int min, int max, int& out) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return true;
        const double d = v.toDouble();
        if (!v.isDouble() || std::trunc(d) != d || d < min || d > max) {
            problem = QStringLiteral("%1%2: expected a whole number from %3 to %4")
                          .arg(Prefix, key)
                          .arg(min)
                          .arg(max);
            return false;
        }
        out = int(d);
        return true;
    };
    if (!wholeNumber(QStringLiteral("timeout_ms"), MinTimeoutMs, MaxTimeoutMs, s.timeoutMs)
        || !wholeNumber(QStringLiteral("burst"), 1, MaxBurst, s.burst))
        return fail(problem);
    if (const QJsonValue v = o.value(QStringLiteral("rate_limit")); !v.isUndefined()) {
        if (!v.isDouble() || !(v.toDouble() >= MinRateLimit && v.toDouble() <= MaxRateLimit))
            return fail(QStringLiteral("%1rate_limit: expected a number of items per second from "
                                       "%2 to %3")
                            .arg(Prefix)
                            .arg(MinRateLimit)
                            .arg(MaxRateLimit, 0, 'g', 10));
        s.rateLimit = v.toDouble();
    }
    return s;
}

} // namespace pcviz
