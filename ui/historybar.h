// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <cstdint>

class QLabel;
class QPushButton;
class QSlider;

namespace pcviz {

/// A timeline over the events the history retains: drag to go back to any of them, "Back to
/// live" to follow the run again. It asks; the window decides what to show.
class HistoryBar : public QWidget {
    Q_OBJECT
public:
    explicit HistoryBar(QWidget* parent = nullptr);

    /// The retained events [begin, end); the handle follows the newest while live.
    void setRange(std::uint64_t begin, std::uint64_t end);
    /// Shows that the views show the state after event seq, described in words.
    void showPast(std::uint64_t seq, const QString& what);
    void showLive();
    bool isLive() const { return m_live; }
    QSlider* slider() const { return m_slider; }

Q_SIGNALS:
    void seekRequested(std::uint64_t seq);
    void liveRequested();

private:
    // The slider holds an int: large histories map onto it in steps.
    std::uint64_t seqAt(int value) const;
    int valueOf(std::uint64_t seq) const;

    QSlider* m_slider;
    QLabel* m_label;
    QPushButton* m_liveButton;
    std::uint64_t m_begin = 0;
    std::uint64_t m_end = 0;
    bool m_live = true;
    bool m_updating = false;
};

} // namespace pcviz
