// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rate.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace pcviz {

/// Everything that defines a run, as saved in a scenario file and overridden on the CLI.
struct Scenario {
    static constexpr int MaxThreads = 64;
    static constexpr int MaxCapacity = 4096;
    static constexpr qint64 MaxItems = 1'000'000'000;
    static constexpr double MinRate = 0.01;
    static constexpr double MaxRate = 1e9;
    static constexpr qint64 MaxSeed = (qint64(1) << 53) - 1; // exact in a JSON number
    static constexpr qint64 MaxFileBytes = 1 << 20;
    static constexpr int MaxTextLength = 2000;
    static constexpr int FormatVersion = 1;

    QString name = QStringLiteral("custom");
    QString description;
    QString strategy = QStringLiteral("monitor");
    int capacity = 8; // 0 = unbounded (pyqueue only)
    int producers = 1;
    int consumers = 1;
    qint64 items = 100; // per producer
    double produceRate = RateModel::Max; // items/s per thread
    double consumeRate = RateModel::Max;
    Distribution distribution = Distribution::Constant;
    qint64 seed = 1;
    /// The seed program's shape: the main thread is the one producer and joins the queue;
    /// consumers are daemons that the end of the program leaves blocked.
    bool mainProduces = false;
    bool join = false;
    bool daemonConsumers = false;
    /// Off: the threads keep only their counters, no events, which measures what observing
    /// them costs. Nothing can then be shown, stepped or checked.
    bool record = true;
    /// A stepped run's schedule: which thread moves at each step (P0, C1, main, ...). Empty:
    /// the threads run freely.
    QStringList schedule;
    static constexpr qsizetype MaxScheduleSteps = 1'000'000;

    /// The first problem, naming the field and what it allows; empty when the scenario is valid.
    QString validate() const;
    /// Whether name is a thread this scenario starts (a schedule may name only those).
    bool scheduleNames(const QString& name) const;
    QString scheduleRange() const;

    QJsonObject toJson() const;
    /// Strict parse: unknown keys, wrong types and values out of range are errors that name the
    /// source, the field and the allowed values.
    static std::optional<Scenario> fromJson(
        const QByteArray& json, const QString& source, QString* error);
    static std::optional<Scenario> load(const QString& path, QString* error);
    /// Writes atomically: the old file stays intact if anything fails.
    bool save(const QString& path, QString* error) const;

    static QString rateToString(double perSecond);
    /// "max" or a number in MinRate..MaxRate.
    static std::optional<double> parseRate(const QString& text);
    static QString rateRange();
};

} // namespace pcviz
