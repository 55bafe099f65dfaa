// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>

namespace pcviz {

/// A translucent outline drawn over a part of the window for a few seconds, to point a class at
/// what answers a question. It follows its target as the layout moves and lets every click
/// through.
class Spotlight : public QWidget {
    Q_OBJECT
public:
    /// What to point at: a widget, or a part of it (in the widget's coordinates) that area
    /// gives, asked again as the widget repaints; an empty answer means the whole widget.
    struct Target {
        QPointer<QWidget> widget;
        std::function<QRect()> area;
        QString name;
    };

    static constexpr int DefaultMs = 5000;

    /// Shows the target's dock (and tab) if it was hidden, and outlines it for ms; the
    /// outline deletes itself afterwards. Null when there is no widget to point at.
    static Spotlight* point(const Target& target, int ms = DefaultMs);
    /// The outlines on window now.
    static QList<Spotlight*> shownOn(QWidget* window);

    const QString& targetName() const { return m_target.name; }
    QWidget* targetWidget() const { return m_target.widget; }
    /// The part of the window pointed at, in the window's coordinates (the outline is drawn
    /// just outside it).
    QRect targetRect() const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    Spotlight(const Target& target, QWidget* window);
    static void reveal(QWidget* widget);
    void follow();

    Target m_target;
    QTimer m_follow;
};

} // namespace pcviz
