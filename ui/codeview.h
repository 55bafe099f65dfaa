// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "codelisting.h"
#include "codetracker.h"
#include "theme.h"

#include <QWidget>

#include <optional>
#include <vector>

namespace pcviz {

/// A read-only code listing in a monospace font, with a marker per paused thread on the line
/// it runs next: a filled one in the thread's colour when it is parked there, a hatched and
/// hollow one when it is blocked in that line's wait. Several threads on one line stand side
/// by side, each with its name.
class CodeView : public QWidget {
    Q_OBJECT
public:
    explicit CodeView(QWidget* parent = nullptr);

    void setListing(const CodeListing* listing);
    const CodeListing* listing() const { return m_listing; }
    void setMarkers(const std::vector<CodeTracker::Marker>& markers);
    const std::vector<CodeTracker::Marker>& markers() const { return m_markers; }
    void setTheme(const Theme& theme);

    /// The line thread's marker is on, if it has one here.
    std::optional<int> markerLine(ThreadRef thread) const;
    /// Line i's strip, its gutter where the markers stand, and thread's marker.
    QRect lineRect(int line) const;
    QRect gutterRect(int line) const;
    QRect tagRect(ThreadRef thread) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// A click on a thread's marker: the student chooses it to move next.
    void markerClicked(pcviz::ThreadRef thread);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    QFont codeFont() const;
    QFont tagFont() const;
    int lineHeight() const;
    int numberWidth() const;
    int textLeft() const;
    int tagWidth(ThreadRef thread) const;
    /// The markers on line, in the order they are drawn.
    std::vector<const CodeTracker::Marker*> markersOn(int line) const;
    std::optional<ThreadRef> threadAt(QPoint pos) const;
    QString describe(const CodeTracker::Marker& marker) const;
    void relayout();

    const CodeListing* m_listing = nullptr;
    std::vector<CodeTracker::Marker> m_markers;
    Theme m_theme;
    QSize m_content;
    int m_gutterWidth = 0;
};

} // namespace pcviz
