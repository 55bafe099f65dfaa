// SPDX-License-Identifier: GPL-3.0-or-later
#include "theme.h"

#include <cmath>

namespace pcviz {

namespace {
// Okabe and Ito's palette: distinguishable with every common colour-vision deficiency.
const QColor Orange(0xe6, 0x9f, 0x00);
const QColor SkyBlue(0x56, 0xb4, 0xe9);
const QColor BluishGreen(0x00, 0x9e, 0x73);
const QColor Yellow(0xf0, 0xe4, 0x42);
const QColor Blue(0x00, 0x72, 0xb2);
const QColor Vermillion(0xd5, 0x5e, 0x00);
const QColor ReddishPurple(0xcc, 0x79, 0xa7);
const QColor Black(0, 0, 0);
const QColor White(0xff, 0xff, 0xff);

double luminance(const QColor& c)
{
    // WCAG relative luminance.
    const auto channel
        = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}
} // namespace

Theme::Theme(bool dark, bool highContrast)
    : m_dark(dark)
    , m_highContrast(highContrast)
{
}

QPalette Theme::palette(const QPalette& standard) const
{
    QPalette p = standard;
    const auto set
        = [&p](QPalette::ColorRole role, const QColor& colour) { p.setColor(role, colour); };
    if (m_highContrast) {
        const QColor fg = text();
        const QColor bg = background();
        for (QPalette::ColorRole role : { QPalette::Window, QPalette::Base, QPalette::Button,
                 QPalette::ToolTipBase, QPalette::Light })
            set(role, bg);
        for (QPalette::ColorRole role : { QPalette::WindowText, QPalette::Text,
                 QPalette::ButtonText, QPalette::ToolTipText, QPalette::Dark, QPalette::Shadow })
            set(role, fg);
        set(QPalette::AlternateBase, m_dark ? QColor(0x1f, 0x1f, 0x1f) : QColor(0xeb, 0xeb, 0xeb));
        set(QPalette::Midlight, m_dark ? QColor(0x40, 0x40, 0x40) : QColor(0xd0, 0xd0, 0xd0));
        set(QPalette::Mid, m_dark ? QColor(0xb0, 0xb0, 0xb0) : QColor(0x50, 0x50, 0x50));
        set(QPalette::Highlight, m_dark ? SkyBlue : Blue);
        set(QPalette::HighlightedText, m_dark ? Black : White);
        set(QPalette::Link, m_dark ? SkyBlue : Blue);
        set(QPalette::BrightText, m_dark ? Orange : Vermillion);
        set(QPalette::PlaceholderText,
            m_dark ? QColor(0xbf, 0xbf, 0xbf) : QColor(0x40, 0x40, 0x40));
        // Disabled text still reads at 4.5:1.
        const QColor disabled = m_dark ? QColor(0x8c, 0x8c, 0x8c) : QColor(0x76, 0x76, 0x76);
        for (QPalette::ColorRole role :
            { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
            p.setColor(QPalette::Disabled, role, disabled);
        return p;
    }
    if (m_dark) {
        set(QPalette::Window, QColor(0x26, 0x32, 0x38));
        set(QPalette::WindowText, QColor(0xec, 0xef, 0xf1));
        set(QPalette::Base, QColor(0x1c, 0x25, 0x29));
        set(QPalette::AlternateBase, QColor(0x26, 0x32, 0x38));
        set(QPalette::Text, QColor(0xec, 0xef, 0xf1));
        set(QPalette::Button, QColor(0x37, 0x47, 0x4f));
        set(QPalette::ButtonText, QColor(0xec, 0xef, 0xf1));
        set(QPalette::Highlight, QColor(0x42, 0xa5, 0xf5));
    }
    return p;
}

QColor Theme::background() const
{
    if (m_highContrast)
        return m_dark ? Black : White;
    return m_dark ? QColor(0x26, 0x32, 0x38) : QColor(0xef, 0xef, 0xef);
}

QColor Theme::text() const
{
    if (m_highContrast)
        return m_dark ? White : Black;
    return m_dark ? QColor(0xec, 0xef, 0xf1) : Black;
}

QColor Theme::producer(std::uint32_t index) const
{
    if (m_highContrast) {
        static const QColor Cycle[]
            = { Orange, SkyBlue, BluishGreen, Yellow, ReddishPurple, Blue, Vermillion };
        return Cycle[index % std::size(Cycle)];
    }
    // Well-separated hues (golden angle), saturated enough to read on a projector.
    const int hue = int(std::fmod(index * 137.508, 360.0));
    return QColor::fromHsv(hue, 150, 225);
}

QColor Theme::consumer() const
{
    // At full contrast consumers take no hue at all, so no producer's colour is mistaken for one.
    if (m_highContrast)
        return text();
    return QColor(0x26, 0xa6, 0x9a);
}

QColor Theme::thread(ThreadRef thread) const
{
    switch (thread.role) {
    case Role::Producer:
        return producer(thread.index);
    case Role::Main:
        return producer(0);
    default:
        return consumer();
    }
}

QColor Theme::textOn(const QColor& background)
{
    // The luminance at which black and white have the same contrast ratio.
    return luminance(background) > 0.179 ? Black : White;
}

QColor Theme::emptySlot() const
{
    if (m_highContrast)
        return background();
    return m_dark ? QColor(0x37, 0x47, 0x4f) : QColor(0xf2, 0xf2, 0xf2);
}

QColor Theme::slotOutline() const
{
    if (m_highContrast)
        return text();
    return m_dark ? QColor(0x78, 0x90, 0x9c) : QColor(0x9e, 0x9e, 0x9e);
}

QColor Theme::occupiedSlot() const
{
    if (m_highContrast)
        return m_dark ? QColor(0xa0, 0xa0, 0xa0) : QColor(0x60, 0x60, 0x60);
    return m_dark ? QColor(0x90, 0xa4, 0xae) : QColor(0x78, 0x90, 0x9c);
}

QColor Theme::inMark() const
{
    // Where producers put: blue at full contrast, as the producers' lines in the charts.
    if (m_highContrast)
        return m_dark ? SkyBlue : Blue;
    return m_dark ? QColor(0x66, 0xbb, 0x6a) : QColor(0x2e, 0x7d, 0x32);
}

QColor Theme::outMark() const
{
    if (m_highContrast)
        return m_dark ? Orange : Vermillion;
    return m_dark ? QColor(0xef, 0x53, 0x50) : QColor(0xc6, 0x28, 0x28);
}

QColor Theme::inOutMark() const
{
    if (m_highContrast)
        return text();
    return m_dark ? QColor(0xb0, 0xbe, 0xc5) : QColor(0x45, 0x5a, 0x64);
}

QColor Theme::activity(ThreadActivity::Kind kind) const
{
    if (!m_highContrast)
        return ThreadActivity::colour(kind);
    // Working states are greens and blues, blocked ones orange, vermillion and purple, as in
    // the ordinary colours, but from a palette that colour-blind viewers can tell apart.
    switch (kind) {
    case ThreadActivity::NotStarted:
    case ThreadActivity::Exited:
        return m_dark ? QColor(0x59, 0x59, 0x59) : QColor(0xc8, 0xc8, 0xc8);
    case ThreadActivity::Producing:
        return BluishGreen;
    case ThreadActivity::Putting:
    case ThreadActivity::Getting:
    case ThreadActivity::Running:
        return SkyBlue;
    case ThreadActivity::Consuming:
        return Blue;
    case ThreadActivity::WaitingForMutex:
        return Orange;
    case ThreadActivity::WaitingBufferFull:
        return Vermillion;
    case ThreadActivity::WaitingBufferEmpty:
        return ReddishPurple;
    case ThreadActivity::WaitingOnCondition:
    case ThreadActivity::WaitingOnSemaphore:
        return Yellow;
    case ThreadActivity::Joining:
        return text();
    case ThreadActivity::KindCount:
        break;
    }
    return text();
}

QColor Theme::series(Series series) const
{
    if (m_highContrast) {
        // Producers blue and consumers vermillion in every chart; occupancy in the text colour.
        switch (series) {
        case Series::Produced:
        case Series::ProducersBlocked:
            return m_dark ? SkyBlue : Blue;
        case Series::Consumed:
        case Series::ConsumersBlocked:
            return m_dark ? Orange : Vermillion;
        case Series::Occupancy:
            return text();
        }
    }
    // The same colours as the lanes' legend, whatever the chart theme.
    switch (series) {
    case Series::Produced:
        return QColor(0x43, 0xa0, 0x47);
    case Series::Consumed:
        return QColor(0x1e, 0x88, 0xe5);
    case Series::Occupancy:
        return QColor(0x8d, 0x6e, 0x63);
    case Series::ProducersBlocked:
        return QColor(0xe5, 0x39, 0x35);
    case Series::ConsumersBlocked:
        return QColor(0xab, 0x47, 0xbc);
    }
    return text();
}

QColor Theme::gridLine() const
{
    if (m_highContrast)
        return m_dark ? QColor(0x8c, 0x8c, 0x8c) : QColor(0x76, 0x76, 0x76);
    return m_dark ? QColor(0x54, 0x6e, 0x7a) : QColor(0xd0, 0xd0, 0xd0);
}

} // namespace pcviz
