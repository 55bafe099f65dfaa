// SPDX-License-Identifier: GPL-3.0-or-later
// The buffer view draws exactly the filled slots the state says, checked on the rendered image
// (offscreen), for a ring, a large grid and an unbounded queue.

#include "bufferview.h"
#include "strategies/strategyregistry.h"

#include <QImage>
#include <QTest>

using namespace pcviz;

namespace {
// Puts `puts` items and gets `gets` of them, a get coming first whenever the buffer is full,
// as a correct strategy would order them.
StateModel stateWith(const QString& strategy, int capacity, int puts, int gets)
{
    Scenario s;
    s.strategy = strategy;
    s.capacity = capacity;
    StateModel state(RunInfo { s, StrategyRegistry::create(strategy, capacity)->objects() });
    std::uint64_t seq = 0;
    SlotRing<std::uint64_t> mirror(capacity);
    const auto get = [&] {
        int slot = 0;
        const std::uint64_t item = mirror.get(&slot);
        state.apply({ .seq = seq++,
            .item = item,
            .slot = slot,
            .count = mirror.count(),
            .thread = { Role::Consumer, 0 },
            .kind = EventKind::Get });
        --gets;
    };
    for (int i = 0; i < puts; ++i) {
        if (mirror.full())
            get();
        const std::uint64_t item = makeItemId(std::uint32_t(i % 3), std::uint32_t(i));
        const int slot = mirror.put(item);
        state.apply({ .seq = seq++,
            .item = item,
            .slot = slot,
            .count = mirror.count(),
            .thread = { Role::Producer, std::uint16_t(i % 3) },
            .kind = EventKind::Put });
    }
    while (gets > 0)
        get();
    return state;
}

// Counts slots whose fill (sampled away from the label) is not the empty-slot grey.
int filledSlotsOnScreen(const BufferView& view, int slots)
{
    QImage image(view.size(), QImage::Format_ARGB32);
    const_cast<BufferView&>(view).render(&image);
    int filled = 0;
    for (int i = 0; i < slots; ++i) {
        const QRectF r = view.slotRect(i);
        const QPointF probe = r.topLeft() + QPointF(r.width() * 0.25, r.height() * 0.22);
        const QColor c = image.pixelColor(probe.toPoint());
        if (c.saturation() > 60)
            ++filled;
    }
    return filled;
}
} // namespace

class TestBufferView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void drawsTheFilledSlotsTheStateHolds_data();
    void drawsTheFilledSlotsTheStateHolds();
    void filledSlotsAreTheOnesBetweenOutAndIn();
};

void TestBufferView::drawsTheFilledSlotsTheStateHolds_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("puts");
    QTest::addColumn<int>("gets");
    QTest::addColumn<QSize>("size");
    QTest::newRow("ring of 8, 5 filled") << "monitor" << 8 << 5 << 0 << QSize(420, 420);
    QTest::newRow("ring of 8, wrapped") << "monitor" << 8 << 12 << 9 << QSize(420, 420);
    QTest::newRow("capacity 1, full") << "semaphore" << 1 << 1 << 0 << QSize(300, 300);
    QTest::newRow("grid of 256") << "monitor" << 256 << 200 << 31 << QSize(640, 640);
    QTest::newRow("grid of 4096") << "monitor" << 4096 << 3000 << 1000 << QSize(1200, 1200);
    QTest::newRow("unbounded queue") << "pyqueue" << 0 << 40 << 7 << QSize(640, 480);
    QTest::newRow("empty") << "monitor" << 16 << 4 << 4 << QSize(420, 420);
}

void TestBufferView::drawsTheFilledSlotsTheStateHolds()
{
    QFETCH(QString, strategy);
    QFETCH(int, capacity);
    QFETCH(int, puts);
    QFETCH(int, gets);
    QFETCH(QSize, size);
    const StateModel state = stateWith(strategy, capacity, puts, gets);
    QCOMPARE(state.layoutMismatches(), 0u);
    BufferView view;
    view.resize(size);
    view.showState(state);
    const int slots = capacity > 0 ? state.buffer().slots() : std::max(state.buffer().count(), 1);
    QCOMPARE(filledSlotsOnScreen(view, slots), puts - gets);
}

void TestBufferView::filledSlotsAreTheOnesBetweenOutAndIn()
{
    const StateModel state = stateWith(QStringLiteral("monitor"), 8, 10, 6); // slots 6, 7, 0, 1
    BufferView view;
    view.resize(420, 420);
    view.showState(state);
    QImage image(view.size(), QImage::Format_ARGB32);
    view.render(&image);
    for (int slot = 0; slot < 8; ++slot) {
        const QRectF r = view.slotRect(slot);
        const QColor c = image.pixelColor(
            (r.topLeft() + QPointF(r.width() * 0.25, r.height() * 0.22)).toPoint());
        const bool expected = slot == 6 || slot == 7 || slot == 0 || slot == 1;
        QVERIFY2((c.saturation() > 60) == expected, qPrintable(QString::number(slot)));
    }
}

QTEST_MAIN(TestBufferView)
#include "tst_bufferview.moc"
