// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSocketNotifier;

namespace pcviz {

/// Turns SIGINT and SIGTERM into a Qt signal: the handler only writes the signal's number to a
/// pipe, and a socket notifier reads it in the event loop, where quitting cleanly is allowed.
/// A second signal of the same kind takes the default action, so a stuck shutdown can still be
/// ended by hand. One instance per process; inert on systems without POSIX signals.
class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

    /// True once SIGINT or SIGTERM arrived (and was read by the event loop).
    bool received() const { return m_received != 0; }
    int signalNumber() const { return m_received; }
    /// For owners without an event loop (the headless runner): reads what the handler wrote,
    /// now; true once SIGINT or SIGTERM arrived.
    bool poll();

Q_SIGNALS:
    /// Emitted once, in the event loop, for the first SIGINT or SIGTERM.
    void quitRequested(int signalNumber);

private:
    void readPipe();

    QSocketNotifier* m_notifier = nullptr;
    int m_received = 0;
};

} // namespace pcviz
