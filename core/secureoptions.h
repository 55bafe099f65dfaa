// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>

namespace pcviz {

/// The secure producer-consumer's switches, each with the fault it defends against: a value
/// type in Scenario ("secure" in a scenario file), read by the engine's SecureWorkload.
struct SecureOptions {
    /// One defence each; the fault of the same index is what it defends against.
    enum class Switch : std::uint8_t {
        Bounded, // fault: flood
        Timeouts, // fault: stalled consumer
        TaskDoneFinally, // fault: a consumer raises
        PoisonPill, // fault: stop now
        Validation, // fault: malformed items
        RateLimit, // fault: burst
        LockedResults, // fault: concurrent appends
    };
    static constexpr int SwitchCount = int(Switch::LockedResults) + 1;
    static constexpr std::array<Switch, SwitchCount> AllSwitches
        = { Switch::Bounded, Switch::Timeouts, Switch::TaskDoneFinally, Switch::PoisonPill,
              Switch::Validation, Switch::RateLimit, Switch::LockedResults };

    static constexpr int MinTimeoutMs = 1;
    static constexpr int MaxTimeoutMs = 60'000;
    static constexpr double MinRateLimit = 1;
    static constexpr double MaxRateLimit = 1e6;
    static constexpr int MaxBurst = 100'000;
    /// The results list is allocated up front, one slot per item.
    static constexpr qint64 MaxItems = 1'000'000;
    /// Every MalformedEvery-th item is malformed under the malformed-items fault.
    static constexpr qint64 MalformedEvery = 10;

    /// False: the scenario is not a secure run and the rest is ignored.
    bool enabled = false;
    std::array<bool, SwitchCount> switches {};
    std::array<bool, SwitchCount> faults {};
    int timeoutMs = 200; // a put's timeout
    double rateLimit = 200; // items per second the producer may make
    int burst = 10; // items it may make at once after a pause

    bool on(Switch s) const { return enabled && switches[std::size_t(s)]; }
    bool fault(Switch s) const { return enabled && faults[std::size_t(s)]; }
    void setOn(Switch s, bool value) { switches[std::size_t(s)] = value; }
    void setFault(Switch s, bool value) { faults[std::size_t(s)] = value; }

    /// "bounded", "timeouts", ...: the key in "switches".
    static QString switchKey(Switch s);
    /// "flood", "stalled_consumer", ...: the key in "faults".
    static QString faultKey(Switch s);
    /// What the switch does and what its fault does, in a few words each, for the GUI.
    static QString switchTitle(Switch s);
    static QString faultTitle(Switch s);
    /// The weakness the switch addresses, with its CWE number, in one line.
    static QString weakness(Switch s);

    /// The producer makes an item whose value this rejects under the malformed-items fault.
    static bool isValidValue(std::int64_t value) { return value >= 0; }
    /// The serial number of the one item that raises under the consumer-raises fault.
    static qint64 raisingSerial(qint64 items) { return items / 2; }

    /// Empty when valid, else the first problem naming the field (secure.timeout_ms, ...).
    QString validate() const;
    QJsonObject toJson() const;
    /// Strict: unknown keys and wrong types are errors naming secure.field.
    static std::optional<SecureOptions> fromJson(const QJsonValue& value, QString* error);

    friend bool operator==(const SecureOptions&, const SecureOptions&) = default;
};

} // namespace pcviz
