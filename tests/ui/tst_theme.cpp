// SPDX-License-Identifier: GPL-3.0-or-later
// The high-contrast theme keeps its promises: text at full contrast, item and series colours
// that stand out from the background and from each other, labels legible on every item.

#include "bufferview.h"
#include "theme.h"

#include <QTest>

#include <cmath>

using namespace pcviz;

namespace {
double luminance(const QColor& c)
{
    const auto channel
        = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

// WCAG contrast ratio, 1..21.
double contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}
} // namespace

class TestTheme : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void highContrastTextIsBlackOnWhiteOrWhiteOnBlack_data();
    void highContrastTextIsBlackOnWhiteOrWhiteOnBlack();
    void highContrastColoursStandOutAndLabelsStayLegible_data();
    void highContrastColoursStandOutAndLabelsStayLegible();
    void ordinaryThemeKeepsTheBufferViewsColours();
};

void TestTheme::highContrastTextIsBlackOnWhiteOrWhiteOnBlack_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestTheme::highContrastTextIsBlackOnWhiteOrWhiteOnBlack()
{
    QFETCH(bool, dark);
    const QPalette p = Theme(dark, true).palette(QPalette());
    for (const auto& [back, fore] : { std::pair { QPalette::Window, QPalette::WindowText },
             std::pair { QPalette::Base, QPalette::Text },
             std::pair { QPalette::Button, QPalette::ButtonText },
             std::pair { QPalette::Highlight, QPalette::HighlightedText } }) {
        const double ratio = contrast(p.color(back), p.color(fore));
        QVERIFY2(ratio >= 4.5, qPrintable(QString::number(ratio)));
    }
    QCOMPARE(contrast(p.color(QPalette::Window), p.color(QPalette::WindowText)), 21.0);
    QVERIFY(contrast(p.color(QPalette::Disabled, QPalette::Text), p.color(QPalette::Base)) >= 4.5);
    // The ordinary themes do not reach full contrast: presentation mode changes something.
    const QPalette ordinary = Theme(dark, false).palette(QPalette());
    QVERIFY(ordinary.color(QPalette::Window) != p.color(QPalette::Window));
}

void TestTheme::highContrastColoursStandOutAndLabelsStayLegible_data()
{
    highContrastTextIsBlackOnWhiteOrWhiteOnBlack_data();
}

void TestTheme::highContrastColoursStandOutAndLabelsStayLegible()
{
    QFETCH(bool, dark);
    const Theme theme(dark, true);
    const QColor background = theme.background();
    for (std::uint32_t i = 0; i < 7; ++i) {
        const QColor item = theme.producer(i);
        // Each item's label reads at 4.5:1 at least, and items differ from one another.
        QVERIFY2(contrast(item, Theme::textOn(item)) >= 4.5, qPrintable(item.name()));
        for (std::uint32_t j = 0; j < i; ++j)
            QVERIFY(theme.producer(j) != item);
    }
    QVERIFY(contrast(theme.consumer(), background) >= 3);
    QVERIFY(contrast(theme.slotOutline(), background) >= 3);
    // Lines and marks stand out from the background (3:1, the bar for graphics).
    for (Theme::Series s :
        { Theme::Series::Produced, Theme::Series::Consumed, Theme::Series::Occupancy,
            Theme::Series::ProducersBlocked, Theme::Series::ConsumersBlocked })
        QVERIFY2(contrast(theme.series(s), background) >= 3, qPrintable(theme.series(s).name()));
    QVERIFY(contrast(theme.inMark(), background) >= 3);
    QVERIFY(contrast(theme.outMark(), background) >= 3);
    QVERIFY(theme.series(Theme::Series::Produced) != theme.series(Theme::Series::Consumed));
    QVERIFY(theme.outlineWidth() > Theme(dark, false).outlineWidth());
    QVERIFY(theme.seriesWidth() > Theme(dark, false).seriesWidth());
}

void TestTheme::ordinaryThemeKeepsTheBufferViewsColours()
{
    for (std::uint32_t i = 0; i < 10; ++i)
        QCOMPARE(Theme().producer(i), BufferView::producerColour(i));
    QCOMPARE(Theme::textOn(QColor(0xf0, 0xe4, 0x42)), QColor(Qt::black));
    QCOMPARE(Theme::textOn(QColor(0x00, 0x72, 0xb2)), QColor(Qt::white));
}

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
