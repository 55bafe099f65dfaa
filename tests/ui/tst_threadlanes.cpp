// SPDX-License-Identifier: GPL-3.0-or-later
// The lanes follow a scripted run: each thread's words and colour change with its events, and
// the colour on screen is the one the legend gives for that activity.

#include "framemoves.h"
#include "strategies/strategyregistry.h"
#include "threadlanesview.h"

#include <QImage>
#include <QTest>

using namespace pcviz;

namespace {
const ThreadRef P0 { Role::Producer, 0 };
const ThreadRef C0 { Role::Consumer, 0 };
const ThreadRef Main { Role::Main, 0 };

class Script {
public:
    explicit Script(const QString& strategy, int capacity = 2)
    {
        Scenario s;
        s.strategy = strategy;
        s.capacity = capacity;
        m_state = std::make_unique<StateModel>(
            RunInfo { s, StrategyRegistry::create(strategy, capacity)->objects() });
        m_view.resize(800, 200);
    }
    Script& on(Event e)
    {
        e.seq = m_seq++;
        if (e.tNs == 0)
            e.tNs = std::int64_t(m_seq) * 1'000'000;
        m_state->apply(e);
        m_view.showState(*m_state);
        return *this;
    }
    // The activity a lane shows, read back from its colour on screen.
    QColor swatchColour(int lane)
    {
        QImage image(m_view.size(), QImage::Format_ARGB32);
        m_view.render(&image);
        return image.pixelColor(m_view.swatchRect(lane).center().toPoint());
    }
    ThreadLanesView& view() { return m_view; }

private:
    std::unique_ptr<StateModel> m_state;
    ThreadLanesView m_view;
    std::uint64_t m_seq = 0;
};
} // namespace

class TestThreadLanes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void lanesFollowASemaphoreRun();
    void lanesFollowAMonitorRun();
    void joinShowsOnTheMainLane();
    void aWakeUpIsDrawnFromTheWakerToTheWoken();
};

void TestThreadLanes::lanesFollowASemaphoreRun()
{
    Script s(QStringLiteral("semaphore"));
    s.on({ .thread = P0, .kind = EventKind::ThreadStart })
        .on({ .thread = C0, .kind = EventKind::ThreadStart });
    QCOMPARE(s.view().laneCount(), 2);
    QCOMPARE(s.view().laneWords(0), QStringLiteral("producing"));
    QCOMPARE(s.view().laneWords(1), QStringLiteral("getting"));

    // The consumer finds no item: it waits on the semaphore full.
    s.on({ .count = 0, .thread = C0, .kind = EventKind::SemWait, .object = 1 });
    QCOMPARE(s.view().laneWords(1), QStringLiteral("waiting: buffer empty (full)"));
    QCOMPARE(s.swatchColour(1), ThreadActivity::colour(ThreadActivity::WaitingBufferEmpty));

    s.on({ .item = makeItemId(0, 0), .thread = P0, .kind = EventKind::Produce });
    QCOMPARE(s.view().laneWords(0), QStringLiteral("putting"));
    QCOMPARE(s.swatchColour(0), ThreadActivity::colour(ThreadActivity::Putting));
    s.on({ .count = 1, .thread = P0, .kind = EventKind::SemAcquire, .object = 0 })
        .on({ .thread = P0, .kind = EventKind::Lock, .object = 2 })
        .on({ .item = makeItemId(0, 0),
            .slot = 0,
            .count = 1,
            .thread = P0,
            .kind = EventKind::Put })
        .on({ .thread = P0, .kind = EventKind::Unlock, .object = 2 })
        .on({ .value = 1,
            .count = 0,
            .thread = P0,
            .peer = C0,
            .kind = EventKind::SemRelease,
            .object = 1 });
    QCOMPARE(s.view().laneWords(0), QStringLiteral("producing"));
    // Handed the permit, the consumer runs again once it records taking it.
    s.on({ .count = 0, .thread = C0, .kind = EventKind::SemAcquire, .object = 1 });
    QCOMPARE(s.view().laneWords(1), QStringLiteral("getting"));
    s.on({ .item = makeItemId(0, 0), .slot = 0, .count = 0, .thread = C0, .kind = EventKind::Get });
    QCOMPARE(s.view().laneWords(1), QStringLiteral("consuming"));
    QCOMPARE(s.swatchColour(1), ThreadActivity::colour(ThreadActivity::Consuming));
    s.on({ .thread = C0, .kind = EventKind::ThreadExit });
    QCOMPARE(s.view().laneWords(1), QStringLiteral("exited"));
}

void TestThreadLanes::lanesFollowAMonitorRun()
{
    Script s(QStringLiteral("monitor"), 1);
    s.on({ .thread = P0, .kind = EventKind::ThreadStart })
        .on({ .thread = C0, .kind = EventKind::ThreadStart });
    s.on({ .thread = C0, .kind = EventKind::Lock, .object = 0 })
        .on({ .count = 0, .thread = C0, .kind = EventKind::GetWait })
        .on({ .count = 1, .thread = C0, .kind = EventKind::CondWait, .object = 2 })
        .on({ .thread = C0, .kind = EventKind::Unlock, .object = 0 });
    QCOMPARE(s.view().laneWords(1), QStringLiteral("waiting: buffer empty (not_empty)"));
    s.on({ .thread = P0, .kind = EventKind::Lock, .object = 0 });
    s.on({ .thread = C0, .peer = P0, .kind = EventKind::LockWait, .object = 0 });
    QCOMPARE(s.view().laneWords(1), QStringLiteral("waiting for the mutex (mutex)"));
    QCOMPARE(s.swatchColour(1), ThreadActivity::colour(ThreadActivity::WaitingForMutex));
}

void TestThreadLanes::joinShowsOnTheMainLane()
{
    Script s(QStringLiteral("pyqueue"), 0);
    s.on({ .thread = Main, .kind = EventKind::ThreadStart })
        .on({ .count = 3, .thread = Main, .kind = EventKind::JoinWait })
        .on({ .count = 1, .thread = Main, .kind = EventKind::CondWait, .object = 3 });
    QCOMPARE(s.view().laneWords(0), QStringLiteral("joined, waiting for tasks (all_tasks_done)"));
    QCOMPARE(s.swatchColour(0), ThreadActivity::colour(ThreadActivity::Joining));
}

void TestThreadLanes::aWakeUpIsDrawnFromTheWakerToTheWoken()
{
    Script s(QStringLiteral("semaphore"));
    s.on({ .thread = P0, .kind = EventKind::ThreadStart })
        .on({ .thread = C0, .kind = EventKind::ThreadStart })
        .on({ .count = 0, .thread = C0, .kind = EventKind::SemWait, .object = 1 });
    // Pixels of the link colour on the row between the two lanes, in the strip's half.
    const auto linkPixels = [&] {
        QImage image(s.view().size(), QImage::Format_ARGB32);
        s.view().render(&image);
        const int y = int(s.view().swatchRect(0).bottom()) + 2;
        const QColor ink = s.view().palette().color(QPalette::Text);
        int n = 0;
        for (int x = image.width() / 2; x < image.width() - 8; ++x) {
            const QColor c = image.pixelColor(x, y);
            n += std::abs(c.red() - ink.red()) + std::abs(c.green() - ink.green())
                    + std::abs(c.blue() - ink.blue())
                < 60;
        }
        return n;
    };
    const Event release { .tNs = 3'000'000'000,
        .count = 0,
        .thread = P0,
        .peer = C0,
        .kind = EventKind::SemRelease,
        .object = 1 };
    s.on(release);
    s.on({ .tNs = 6'000'000'000, .thread = P0, .kind = EventKind::Produce });
    QCOMPARE(linkPixels(), 0);
    FrameMoves frame;
    frame.add(release);
    frame.add({ .thread = P0, .kind = EventKind::Produce }); // not a wake-up
    QCOMPARE(frame.wakes.size(), 1);
    s.view().addWakes(frame.wakes);
    QCOMPARE(s.view().wakeCount(), 1);
    QVERIFY(linkPixels() > 0);
    // Once the wake-up is older than the window, it goes.
    s.on({ .tNs = 20'000'000'000, .thread = P0, .kind = EventKind::Produce });
    s.view().addWakes({});
    QCOMPARE(s.view().wakeCount(), 0);
    QCOMPARE(linkPixels(), 0);
}

QTEST_MAIN(TestThreadLanes)
#include "tst_threadlanes.moc"
