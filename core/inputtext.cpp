// SPDX-License-Identifier: GPL-3.0-or-later
#include "inputtext.h"

namespace pcviz {

QString quoteInput(QStringView text, int maxChars)
{
    QString out = QStringLiteral("\"");
    const QStringView shown = text.left(maxChars);
    for (const QChar c : shown) {
        if (c.isPrint() && c != u'"' && c != u'\\')
            out += c;
        else if (c == u'"' || c == u'\\')
            out += u'\\', out += c;
        else
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
    }
    if (text.size() > maxChars)
        out += QStringLiteral("...");
    out += u'"';
    return out;
}

} // namespace pcviz
