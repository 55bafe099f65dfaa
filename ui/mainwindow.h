// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"
#include "spotlight.h"
#include "statemodel.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QTimer>

#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QTableView;

namespace pcviz {

class ActivityLegend;
class BufferView;
class ChartsPanel;
class CodePanel;
class ControlsPanel;
class LiveSession;
class PrimitivesModel;
class EventListPanel;
class HistoryBar;
class ProbeCostLabel;
class LessonsPanel;
class ResultsPanel;
class SecurePanel;
class ThreadLanesView;
struct Scenario;

/// The window that holds the panels and wires them to the live session; each panel paints or
/// edits one thing.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(LiveSession& session, QWidget* parent = nullptr);

    ControlsPanel* controls() const { return m_controls; }
    BufferView* bufferView() const { return m_buffer; }
    ThreadLanesView* lanes() const { return m_lanes; }
    HistoryBar* historyBar() const { return m_history; }
    QLabel* deadlockBanner() const { return m_banner; }
    /// Shown while the lanes are a sample: the window fell behind a run flat out.
    QLabel* lanesNote() const { return m_lanesNote; }
    EventListPanel* eventList() const { return m_events; }
    QDockWidget* eventsDock() const { return m_eventsDock; }
    /// The state the views show: the live one, or the one looked back at.
    const StateModel& shownState() const;
    PrimitivesModel* primitives() const { return m_primitives; }
    ChartsPanel* charts() const { return m_charts; }
    CodePanel* code() const { return m_code; }
    QDockWidget* codeDock() const { return m_codeDock; }
    ProbeCostLabel* probeCost() const { return m_probe; }
    LessonsPanel* lessons() const { return m_lessons; }
    QDockWidget* lessonsDock() const { return m_lessonsDock; }
    ResultsPanel* results() const { return m_results; }
    /// The part of the window a lesson points at, by name: buffer, lanes, lane:main,
    /// lanes:producers, lanes:consumers, counter:unfinished, results, status, deadlock, code,
    /// charts, secure. Nothing for a name the window does not have (yet).
    std::optional<Spotlight::Target> spotTarget(const QString& name) const;
    SecurePanel* securePanel() const { return m_secure; }
    QDockWidget* secureDock() const { return m_secureDock; }
    /// Renders the window into a PNG; false with the reason when it cannot be written.
    bool saveScreenshot(const QString& path, QString* error);
    /// Writes the retained history as a trace (.json for Perfetto, .jsonl or .csv).
    bool exportTrace(const QString& path, QString* error);
    /// Loads a scenario file (or a preset) and starts it; false with the reason.
    bool openScenario(const QString& path, QString* error);
    bool openPreset(const QString& name, QString* error);
    /// Starts a scenario (a preset a lesson may have slowed down); false with the reason.
    bool startScenario(const Scenario& scenario, QString* error);
    /// Reopens the scenario or preset opened last time, if there is one and it still loads.
    bool reopenLastScenario();
    /// Saves the current settings, live changes included, as a scenario file.
    bool saveScenario(const QString& path, QString* error);
    void zoom(int steps);
    void setDarkTheme(bool dark);
    bool darkTheme() const { return m_darkTheme; }
    /// Full contrast (black on white, or white on black in the dark theme) for every panel.
    void setHighContrast(bool on);
    bool highContrast() const { return m_highContrast; }
    /// For a projector: full screen, larger text and high contrast; off restores all three.
    void setPresentationMode(bool on);
    bool presentationMode() const { return m_presentation; }
    /// Whether items travel to and from their slots at slow rates; remembered.
    void setAnimateItems(bool on);
    int zoomSteps() const { return m_zoom; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void showState();
    /// The status bar's counts and the results list's title: every TextRefreshMs while a
    /// run goes, at once otherwise (and once more after the last frame that changed them).
    void showTexts();
    /// Steps thread (or the policy's choice); says in the status bar why one cannot move.
    void stepThread(std::optional<ThreadRef> thread);
    /// Shows the run as it was right after the retained event seq (the run goes on).
    void seek(std::uint64_t seq);
    void backToLive();
    void stepBackOneEvent();
    void showScenario();
    void changeStrategy(const QString& strategy);
    void setUpMenus();
    void restoreSettings();
    void applyTheme();

    LiveSession& m_session;
    ControlsPanel* m_controls;
    BufferView* m_buffer;
    ThreadLanesView* m_lanes;
    HistoryBar* m_history;
    QLabel* m_banner; // the deadlock, with who waits for what
    QLabel* m_lanesNote;
    EventListPanel* m_events;
    QDockWidget* m_eventsDock = nullptr;
    QAction* m_playAction = nullptr;
    QTimer m_playTimer;
    // Text that changes on every frame of a run is shown four times a second: readable, and
    // the window's thread does not shape and lay it out sixty times a second (with 32 threads
    // flat out that was a fifth of its time, and frames came late).
    static constexpr int TextRefreshMs = 250;
    QElapsedTimer m_textsShown;
    QTimer m_textsDue;
    // While looking back: the state after event m_pastSeq; empty while live.
    std::optional<StateModel> m_past;
    std::uint64_t m_pastSeq = 0;
    std::uint64_t m_pastRun = 0; // the session's run m_past belongs to
    std::uint64_t m_lanesRun = 0; // the session's run the lanes show
    PrimitivesModel* m_primitives;
    ChartsPanel* m_charts;
    ActivityLegend* m_legend;
    CodePanel* m_code;
    QDockWidget* m_codeDock;
    QTableView* m_primitivesView;
    LessonsPanel* m_lessons;
    QDockWidget* m_lessonsDock;
    ResultsPanel* m_results;
    QDockWidget* m_resultsDock;
    SecurePanel* m_secure = nullptr;
    QDockWidget* m_secureDock = nullptr;
    QLabel* m_status;
    ProbeCostLabel* m_probe;
    QAction* m_presentationAction = nullptr;
    QAction* m_darkAction = nullptr;
    QAction* m_animateAction = nullptr;
    int m_zoom = 0;
    int m_presentationZoom = 0; // the zoom steps presentation mode added
    Qt::WindowStates m_stateBeforePresentation;
    QRect m_geometryBeforePresentation;
    bool m_darkTheme = false;
    bool m_highContrast = false;
    bool m_presentation = false;
    int m_baseFontPixels = 0;
};

} // namespace pcviz
