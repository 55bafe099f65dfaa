// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QLabel;

namespace pcviz {

class BufferView;
class ChartsPanel;
class ControlsPanel;
class LiveSession;
class PrimitivesModel;
class ThreadLanesView;

/// The window that holds the panels and wires them to the live session; each panel paints or
/// edits one thing.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(LiveSession& session, QWidget* parent = nullptr);

    ControlsPanel* controls() const { return m_controls; }
    BufferView* bufferView() const { return m_buffer; }
    ThreadLanesView* lanes() const { return m_lanes; }
    PrimitivesModel* primitives() const { return m_primitives; }
    ChartsPanel* charts() const { return m_charts; }
    /// Renders the window into a PNG; false with the reason when it cannot be written.
    bool saveScreenshot(const QString& path, QString* error);

private:
    void showState();
    void showScenario();
    void changeStrategy(const QString& strategy);
    void setUpMenus();

    LiveSession& m_session;
    ControlsPanel* m_controls;
    BufferView* m_buffer;
    ThreadLanesView* m_lanes;
    PrimitivesModel* m_primitives;
    ChartsPanel* m_charts;
    QLabel* m_status;
};

} // namespace pcviz
