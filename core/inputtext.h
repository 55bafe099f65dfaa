// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

namespace pcviz {

/// Text a user typed, made safe to echo in a message: in double quotes, control and other
/// non-printable characters escaped as \uXXXX, cut to maxChars with an ellipsis.
QString quoteInput(QStringView text, int maxChars = 40);

} // namespace pcviz
