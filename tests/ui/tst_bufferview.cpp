// SPDX-License-Identifier: GPL-3.0-or-later
// The buffer view draws exactly the filled slots the state says, checked on the rendered image
// (offscreen), for a ring, a large grid and an unbounded queue; at slow rates puts and gets
// travel as tweens timed by their events, and busy frames show the buffer without any.

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

const ThreadRef P0 { Role::Producer, 0 };
const ThreadRef P1 { Role::Producer, 1 };
const ThreadRef C0 { Role::Consumer, 0 };

// A scripted run whose events are folded into a state and, frame by frame, handed to the view
// with the frame's moves, as LiveSession does.
class Frames {
public:
    explicit Frames(int capacity, const QString& strategy = QStringLiteral("monitor"))
        : m_mirror(capacity)
    {
        Scenario s;
        s.strategy = strategy;
        s.capacity = capacity;
        m_state = std::make_unique<StateModel>(
            RunInfo { s, StrategyRegistry::create(strategy, capacity)->objects() });
        m_view.resize(640, 420);
        m_view.setTweenDuration(10'000);
        for (ThreadRef t : { P0, P1, C0 })
            on({ .thread = t, .kind = EventKind::ThreadStart });
        show();
    }
    Frames& on(Event e)
    {
        e.seq = m_seq++;
        if (e.tNs == 0)
            e.tNs = m_ns;
        m_ns = std::max(m_ns, e.tNs);
        m_state->apply(e);
        m_moves.add(e);
        return *this;
    }
    // Puts the next item of producer p at time ns.
    std::uint64_t put(ThreadRef p, std::int64_t ns = 0)
    {
        const std::uint64_t item = makeItemId(p.index, m_serial++);
        const int slot = m_mirror.put(item);
        on({ .tNs = ns,
            .item = item,
            .slot = slot,
            .count = m_mirror.count(),
            .thread = p,
            .kind = EventKind::Put });
        return item;
    }
    std::uint64_t get(ThreadRef c, std::int64_t ns = 0)
    {
        int slot = 0;
        const std::uint64_t item = m_mirror.get(&slot);
        on({ .tNs = ns,
            .item = item,
            .slot = slot,
            .count = m_mirror.count(),
            .thread = c,
            .kind = EventKind::Get });
        return item;
    }
    // Moves the run's clock on without touching the buffer.
    void at(std::int64_t ns) { on({ .tNs = ns, .thread = C0, .kind = EventKind::Consume }); }
    // Hands the view the state and the moves since the last frame.
    void show()
    {
        m_view.showState(*m_state, m_moves);
        m_moves.clear();
    }
    QColor pixel(QPointF at)
    {
        QImage image(m_view.size(), QImage::Format_ARGB32);
        m_view.render(&image);
        return image.pixelColor(at.toPoint());
    }
    // A point inside slot i's fill, away from its label.
    QPointF inSlot(int i) const
    {
        const QRectF r = m_view.slotRect(i);
        return r.topLeft() + QPointF(r.width() * 0.25, r.height() * 0.22);
    }
    bool slotLooksFilled(int i) { return pixel(inSlot(i)).saturation() > 60; }
    BufferView& view() { return m_view; }
    StateModel& state() { return *m_state; }

private:
    std::unique_ptr<StateModel> m_state;
    SlotRing<std::uint64_t> m_mirror;
    BufferView m_view;
    FrameMoves m_moves;
    std::uint64_t m_seq = 0;
    std::uint32_t m_serial = 0;
    std::int64_t m_ns = 0;
};

constexpr std::int64_t Second = 1'000'000'000;

// How far p lies from the segment a-b (pixels).
qreal distanceToSegment(QPointF p, QPointF a, QPointF b)
{
    const QPointF ab = b - a;
    const qreal t
        = std::clamp(QPointF::dotProduct(p - a, ab) / QPointF::dotProduct(ab, ab), 0.0, 1.0);
    const QPointF d = p - (a + ab * t);
    return std::hypot(d.x(), d.y());
}

// Counts slots whose fill, sampled away from the label, looks like what is asked.
template <typename LooksLike>
int slotsOnScreen(const BufferView& view, int slots, LooksLike looksLike)
{
    QImage image(view.size(), QImage::Format_ARGB32);
    const_cast<BufferView&>(view).render(&image);
    int matching = 0;
    for (int i = 0; i < slots; ++i) {
        const QRectF r = view.slotRect(i);
        const QPointF probe = r.topLeft() + QPointF(r.width() * 0.25, r.height() * 0.22);
        if (looksLike(image.pixelColor(probe.toPoint())))
            ++matching;
    }
    return matching;
}

// Slots in a producer's colour, not the empty-slot grey.
int filledSlotsOnScreen(const BufferView& view, int slots)
{
    return slotsOnScreen(view, slots, [](const QColor& c) { return c.saturation() > 60; });
}

// Slots in the one neutral colour that stands for items too fast to follow.
int occupiedSlotsOnScreen(const BufferView& view, int slots)
{
    const QColor occupied = view.theme().occupiedSlot();
    return slotsOnScreen(view, slots, [&](const QColor& c) { return c == occupied; });
}
} // namespace

class TestBufferView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void drawsTheFilledSlotsTheStateHolds_data();
    void drawsTheFilledSlotsTheStateHolds();
    void filledSlotsAreTheOnesBetweenOutAndIn();
    void aRoughCountStandsInForTheFoldsWhileItIsApproximate();
    void ringSlotsNeverOverlap_data();
    void ringSlotsNeverOverlap();
    void aSlowPutTravelsFromItsProducerIntoItsSlot();
    void aSlowGetTravelsFromItsSlotToItsConsumer();
    void tweensAreTimedByTheirEvents();
    void aTweenLandsAndTheItemShowsInItsSlot();
    void anItemLeavesOnlyAfterItHasLanded();
    void anArrivingItemFollowsItsQueueWhenTheHeadLeaves();
    void aBusyFrameShowsTheBufferAtOnceAndKeepsTweensOff();
    void liveTweensAreCapped();
    void animationCanBeTurnedOff();
    void tweensSurviveEveryLayout_data();
    void tweensSurviveEveryLayout();
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

// Once events were skipped the fold knows only the count the last event it read reported; the
// window then passes a count worked out from the engine's counters, and the view draws that.
void TestBufferView::aRoughCountStandsInForTheFoldsWhileItIsApproximate()
{
    StateModel state = stateWith(QStringLiteral("monitor"), 16, 12, 2);
    BufferView view;
    view.resize(420, 420);
    view.showState(state, FrameMoves {}, 3);
    QCOMPARE(filledSlotsOnScreen(view, 16), 10); // exact: the fold's own slots
    QCOMPARE(occupiedSlotsOnScreen(view, 16), 0);

    state.missedEvents();
    view.showState(state, FrameMoves {}, 3);
    QCOMPARE(occupiedSlotsOnScreen(view, 16), 3);
    view.showState(state, FrameMoves {}, 40); // consumers' items too: never past the ring
    QCOMPARE(occupiedSlotsOnScreen(view, 16), 16);
    view.showState(state);
    QCOMPARE(occupiedSlotsOnScreen(view, 16), 10);
}

void TestBufferView::ringSlotsNeverOverlap_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<QSize>("size");
    for (int capacity : { 2, 3, 5, 8, 12, 20, 48 }) {
        QTest::addRow("%d slots, square", capacity) << capacity << QSize(420, 420);
        QTest::addRow("%d slots, wide", capacity) << capacity << QSize(860, 580);
        QTest::addRow("%d slots, narrow", capacity) << capacity << QSize(200, 500);
    }
}

void TestBufferView::ringSlotsNeverOverlap()
{
    QFETCH(int, capacity);
    QFETCH(QSize, size);
    const StateModel state = stateWith(QStringLiteral("monitor"), capacity, capacity, 0);
    BufferView view;
    view.resize(size);
    view.showState(state);
    for (int i = 0; i < capacity; ++i) {
        QVERIFY(QRectF(view.rect()).contains(view.slotRect(i)));
        for (int j = i + 1; j < capacity; ++j)
            QVERIFY2(!view.slotRect(i).intersects(view.slotRect(j)),
                qPrintable(QStringLiteral("%1 and %2").arg(i).arg(j)));
    }
}

void TestBufferView::aSlowPutTravelsFromItsProducerIntoItsSlot()
{
    Frames run(8);
    run.put(P1, 1 * Second);
    run.at(6 * Second); // the put is half a (10 s) tween old when the frame shows it
    run.show();
    BufferView& view = run.view();
    QCOMPARE(view.activeTweenCount(), 1);
    QCOMPARE(view.tweensStarted(), 1u);
    // Halfway (the easing is symmetric) between P1's tag and slot 0, in P1's colour.
    const QRectF tag = view.threadRect(P1);
    QVERIFY(!tag.isEmpty());
    const QPointF from(tag.right(), tag.center().y());
    const QPointF to = view.slotRect(0).center();
    const QRectF chip = view.tweenRect(0);
    QVERIFY(!chip.isEmpty());
    QVERIFY2(std::hypot(chip.center().x() - (from.x() + to.x()) / 2,
                 chip.center().y() - (from.y() + to.y()) / 2)
            < 3,
        qPrintable(QStringLiteral("chip at %1,%2").arg(chip.center().x()).arg(chip.center().y())));
    QCOMPARE(run.pixel(chip.topLeft() + QPointF(chip.width() * 0.2, chip.height() * 0.2)).rgb(),
        BufferView::producerColour(1).rgb());
    // The slot fills when the item lands, not before.
    QVERIFY(!run.slotLooksFilled(0));
}

void TestBufferView::aSlowGetTravelsFromItsSlotToItsConsumer()
{
    Frames run(8);
    run.put(P0, 1 * Second); // too long ago to be animated
    run.get(C0, 12 * Second);
    run.at(17 * Second);
    run.show();
    BufferView& view = run.view();
    QCOMPARE(view.activeTweenCount(), 1);
    const QRectF tag = view.threadRect(C0);
    const QPointF from = view.slotRect(0).center();
    const QPointF to(tag.left(), tag.center().y());
    const QRectF chip = view.tweenRect(0);
    QVERIFY(!chip.isEmpty());
    QVERIFY(to.x() > from.x()); // consumers sit to the right
    QVERIFY(std::abs(chip.center().x() - (from.x() + to.x()) / 2) < 3);
    QVERIFY(distanceToSegment(chip.center(), from, to) < 1);
    QCOMPARE(run.pixel(chip.topLeft() + QPointF(chip.width() * 0.2, chip.height() * 0.2)).rgb(),
        BufferView::producerColour(0).rgb());
    QVERIFY(!run.slotLooksFilled(0));
}

void TestBufferView::tweensAreTimedByTheirEvents()
{
    // Two puts 4 s apart in one frame: the older one has come further.
    Frames run(8);
    run.put(P0, 1 * Second);
    run.put(P1, 5 * Second);
    run.at(6 * Second);
    run.show();
    BufferView& view = run.view();
    QCOMPARE(view.activeTweenCount(), 2);
    const auto progress = [&](int i, ThreadRef producer, int slot) {
        const QRectF tag = view.threadRect(producer);
        const QPointF from(tag.right(), tag.center().y());
        const QPointF to = view.slotRect(slot).center();
        const QPointF at = view.tweenRect(i).center();
        return QPointF::dotProduct(at - from, to - from)
            / QPointF::dotProduct(to - from, to - from);
    };
    QVERIFY(progress(0, P0, 0) > 0.5); // 5 s of 10, eased
    QVERIFY(progress(1, P1, 1) < 0.05); // 1 s of 10, eased
    // A put older than a whole tween is not animated at all.
    run.put(P0, 7 * Second);
    run.at(30 * Second);
    run.show();
    QCOMPARE(view.tweensStarted(), 2u);
}

void TestBufferView::aTweenLandsAndTheItemShowsInItsSlot()
{
    Frames run(8);
    run.view().setTweenDuration(150);
    run.put(P1, 1 * Second);
    run.show();
    QCOMPARE(run.view().activeTweenCount(), 1);
    QVERIFY(!run.slotLooksFilled(0));
    QTRY_COMPARE_WITH_TIMEOUT(run.view().activeTweenCount(), 0, 2000);
    QVERIFY(run.slotLooksFilled(0));
    QVERIFY(run.view().tweenRect(0).isEmpty());
}

void TestBufferView::anItemLeavesOnlyAfterItHasLanded()
{
    Frames run(1);
    run.put(P0, 1 * Second);
    run.get(C0, 1 * Second);
    run.show();
    BufferView& view = run.view();
    QCOMPARE(view.activeTweenCount(), 2);
    QVERIFY(!view.tweenRect(0).isEmpty()); // arriving
    QVERIFY(view.tweenRect(1).isEmpty()); // waits for the arrival to land
}

void TestBufferView::anArrivingItemFollowsItsQueueWhenTheHeadLeaves()
{
    // An unbounded queue is drawn oldest first: when the head leaves, everything moves up one.
    Frames run(0, QStringLiteral("pyqueue"));
    run.put(P0, 1 * Second);
    run.put(P0, 1 * Second);
    run.at(30 * Second); // both long ago: no tweens
    run.show();
    run.put(P1, 30 * Second);
    run.show();
    BufferView& view = run.view();
    QCOMPARE(view.activeTweenCount(), 1);
    QVERIFY(run.slotLooksFilled(1));
    QVERIFY(!run.slotLooksFilled(2)); // P1's item, on its way in
    run.get(C0, 31 * Second);
    run.show();
    // P1's item is now drawn second, and that is where it is still awaited.
    QVERIFY(run.slotLooksFilled(0));
    QVERIFY(!run.slotLooksFilled(1));
    const QRectF tag = view.threadRect(P1);
    QVERIFY(distanceToSegment(view.tweenRect(0).center(), QPointF(tag.right(), tag.center().y()),
                view.slotRect(1).center())
        < 1);
}

void TestBufferView::aBusyFrameShowsTheBufferAtOnceAndKeepsTweensOff()
{
    Frames run(16);
    run.put(P0, 1 * Second);
    run.show();
    QCOMPARE(run.view().activeTweenCount(), 1);
    // As at max rate: more moves in one frame than anyone could follow.
    for (int i = 0; i <= BufferView::MaxMovesPerFrame; ++i)
        run.put(i % 2 ? P1 : P0, 1 * Second + i);
    run.show();
    QCOMPARE(run.view().activeTweenCount(), 0);
    QCOMPARE(run.view().tweensStarted(), 1u);
    for (int i = 0; i <= BufferView::MaxMovesPerFrame + 1; ++i)
        QVERIFY2(run.slotLooksFilled(i), qPrintable(QString::number(i)));
    // The next quiet frame still jumps: tweens come back only after a calm spell.
    run.get(C0, 2 * Second);
    run.show();
    QCOMPARE(run.view().activeTweenCount(), 0);
    QCOMPARE(run.view().tweensStarted(), 1u);
}

void TestBufferView::liveTweensAreCapped()
{
    Frames run(64);
    // Five frames of eight puts: under the per-frame limit, at the per-second one.
    const int frames = BufferView::MaxMovesPerSecond / BufferView::MaxMovesPerFrame;
    for (int f = 0; f < frames; ++f) {
        for (int i = 0; i < BufferView::MaxMovesPerFrame; ++i)
            run.put(i % 2 ? P1 : P0, 1 * Second);
        run.show();
        QVERIFY(run.view().activeTweenCount() <= BufferView::MaxLiveTweens);
    }
    QCOMPARE(run.view().activeTweenCount(), BufferView::MaxLiveTweens);
    // One more frame and the rate is too high to animate: everything lands at once.
    run.put(P0, 1 * Second);
    run.show();
    QCOMPARE(run.view().activeTweenCount(), 0);
}

void TestBufferView::animationCanBeTurnedOff()
{
    Frames run(8);
    run.view().setAnimated(false);
    run.put(P1, 1 * Second);
    run.show();
    QCOMPARE(run.view().activeTweenCount(), 0);
    QVERIFY(run.slotLooksFilled(0));
    run.view().setAnimated(true);
    run.put(P1, 1 * Second);
    run.show();
    QCOMPARE(run.view().activeTweenCount(), 1);
}

void TestBufferView::tweensSurviveEveryLayout_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<int>("capacity");
    QTest::addColumn<QSize>("size");
    for (int capacity : { 1, 2, 3, 4, 48, 49, 4096 }) {
        QTest::addRow("capacity %d", capacity) << "monitor" << capacity << QSize(640, 420);
        QTest::addRow("capacity %d, tiny", capacity) << "monitor" << capacity << QSize(12, 9);
    }
    QTest::newRow("unbounded") << "pyqueue" << 0 << QSize(640, 420);
    QTest::newRow("unbounded, tiny") << "pyqueue" << 0 << QSize(20, 20);
    QTest::newRow("no size") << "monitor" << 8 << QSize(0, 0);
}

void TestBufferView::tweensSurviveEveryLayout()
{
    QFETCH(QString, strategy);
    QFETCH(int, capacity);
    QFETCH(QSize, size);
    Frames run(capacity, strategy);
    run.view().resize(size);
    // Slow frames of a put and a get each, growing an unbounded queue past its first ring.
    const int rounds = capacity == 0 ? 20 : std::min(capacity, 6);
    std::int64_t ns = Second;
    for (int i = 0; i < rounds; ++i) {
        run.put(i % 2 ? P1 : P0, ns);
        if (capacity != 0 && i % 2)
            run.get(C0, ns);
        run.show();
        ns += Second / 4;
        for (int k = 0; k < run.view().activeTweenCount(); ++k)
            run.view().tweenRect(k);
        QImage image(run.view().size().expandedTo(QSize(1, 1)), QImage::Format_ARGB32);
        run.view().render(&image);
    }
    QVERIFY(run.view().tweensStarted() > 0);
    QVERIFY(run.view().activeTweenCount() <= BufferView::MaxLiveTweens);
    // The capacity shrinks under live tweens: the tweens whose slots went away are not drawn.
    if (capacity > 1) {
        while (run.state().count() > 1)
            run.get(C0, ns);
        run.on(
            { .tNs = ns, .value = 1, .thread = { Role::Control, 0 }, .kind = EventKind::Capacity });
        run.show();
        QCOMPARE(run.state().capacity(), 1);
        QImage image(run.view().size().expandedTo(QSize(1, 1)), QImage::Format_ARGB32);
        run.view().render(&image);
        for (int k = 0; k < run.view().activeTweenCount(); ++k) {
            const QRectF r = run.view().tweenRect(k);
            QVERIFY(r.isEmpty()
                || QRectF(run.view().rect()).adjusted(-200, -200, 200, 200).contains(r));
        }
    }
}

QTEST_MAIN(TestBufferView)
#include "tst_bufferview.moc"
