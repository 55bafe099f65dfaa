// SPDX-License-Identifier: GPL-3.0-or-later
#include "signalwatcher.h"

#include <QSocketNotifier>
#include <QtGlobal>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <iterator>
#include <unistd.h>
#endif

namespace pcviz {

#ifdef Q_OS_UNIX
namespace {
// Written by the handler, read by the event loop; the handler may use nothing else.
int g_pipe[2] = { -1, -1 };
constexpr int Watched[] = { SIGINT, SIGTERM };
bool g_installed[std::size(Watched)] = {};

extern "C" void onSignal(int number)
{
    const int savedErrno = errno;
    const unsigned char byte = static_cast<unsigned char>(number);
    // Non-blocking: with the pipe full, a quit request is already pending.
    [[maybe_unused]] const ssize_t n = ::write(g_pipe[1], &byte, 1);
    errno = savedErrno;
}
} // namespace
#endif

SignalWatcher::SignalWatcher(QObject* parent)
    : QObject(parent)
{
#ifdef Q_OS_UNIX
    Q_ASSERT(g_pipe[0] < 0);
    // pipe() and fcntl(), not pipe2(): macOS has no pipe2.
    if (::pipe(g_pipe) != 0) {
        qWarning("pcviz: cannot watch for SIGINT and SIGTERM: %s", strerror(errno));
        g_pipe[0] = g_pipe[1] = -1;
        return;
    }
    for (const int fd : g_pipe) {
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    }
    m_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalWatcher::readPipe);
    for (std::size_t i = 0; i < std::size(Watched); ++i) {
        // A signal ignored from the start (a background job, nohup) stays ignored.
        struct sigaction previous = {};
        if (::sigaction(Watched[i], nullptr, &previous) == 0 && previous.sa_handler == SIG_IGN)
            continue;
        struct sigaction action = {};
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        // SA_RESETHAND: the second Ctrl+C ends a shutdown that hangs.
        action.sa_flags = SA_RESTART | SA_RESETHAND;
        g_installed[i] = ::sigaction(Watched[i], &action, nullptr) == 0;
    }
#endif
}

SignalWatcher::~SignalWatcher()
{
#ifdef Q_OS_UNIX
    if (g_pipe[0] < 0)
        return;
    for (std::size_t i = 0; i < std::size(Watched); ++i) {
        if (!g_installed[i])
            continue;
        struct sigaction action = {};
        action.sa_handler = SIG_DFL;
        sigemptyset(&action.sa_mask);
        ::sigaction(Watched[i], &action, nullptr);
        g_installed[i] = false;
    }
    delete m_notifier;
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
#endif
}

bool SignalWatcher::poll()
{
    readPipe();
    return received();
}

void SignalWatcher::readPipe()
{
#ifdef Q_OS_UNIX
    if (g_pipe[0] < 0)
        return;
    unsigned char byte = 0;
    while (::read(g_pipe[0], &byte, 1) == 1) {
        if (m_received == 0) {
            m_received = byte;
            Q_EMIT quitRequested(m_received);
        }
    }
#endif
}

} // namespace pcviz
