// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "activitylegend.h"
#include "bufferview.h"
#include "chartspanel.h"
#include "codepanel.h"
#include "controlspanel.h"
#include "eventlistpanel.h"
#include "highcontraststyle.h"
#include "historybar.h"
#include "lessonspanel.h"
#include "livesession.h"
#include "outputfile.h"
#include "primitivesmodel.h"
#include "probecostlabel.h"
#include "resultspanel.h"
#include "strategies/strategyregistry.h"
#include "theme.h"
#include "threadlanesview.h"
#include "tracewriter.h"

#include "presets.h"
#include "securepanel.h"

#include <algorithm>

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <functional>
#include <limits>

namespace pcviz {

MainWindow::MainWindow(LiveSession& session, QWidget* parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_controls(new ControlsPanel(this))
    , m_buffer(new BufferView(this))
    , m_lanes(new ThreadLanesView(this))
    , m_history(new HistoryBar(this))
    , m_banner(new QLabel(this))
    , m_lanesNote(new QLabel(this))
    , m_events(new EventListPanel(this))
    , m_primitives(new PrimitivesModel(this))
    , m_charts(new ChartsPanel(this))
    , m_legend(new ActivityLegend(this))
    , m_code(new CodePanel(this))
    , m_codeDock(new QDockWidget(tr("Code"), this))
    , m_primitivesView(new QTableView)
    , m_lessons(new LessonsPanel(this))
    , m_lessonsDock(new QDockWidget(tr("Lessons"), this))
    , m_results(new ResultsPanel(this))
    , m_resultsDock(new QDockWidget(tr("Results"), this))
    , m_status(new QLabel(this))
    , m_probe(new ProbeCostLabel(session.engine(), this))
{
    QTableView* primitivesView = m_primitivesView;
    primitivesView->setModel(m_primitives);
    primitivesView->horizontalHeader()->setStretchLastSection(true);
    primitivesView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    primitivesView->verticalHeader()->hide();
    primitivesView->setSelectionMode(QAbstractItemView::NoSelection);
    primitivesView->setAccessibleName(tr("Synchronisation objects"));
    auto* left = new QSplitter(Qt::Vertical);
    left->addWidget(m_controls);
    left->addWidget(primitivesView);
    auto* top = new QSplitter(Qt::Horizontal);
    top->addWidget(left);
    top->addWidget(m_buffer);
    top->setStretchFactor(1, 1);
    top->setSizes({ 420, 860 });
    auto* columns = new QSplitter(Qt::Vertical);
    columns->addWidget(top);
    auto* lanesBox = new QWidget;
    auto* lanesLayout = new QVBoxLayout(lanesBox);
    lanesLayout->setContentsMargins(0, 0, 0, 0);
    lanesLayout->setSpacing(0);
    // Shown only when stepping has left every live thread blocked.
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral(
        "QLabel { background: #b71c1c; color: white; font-weight: bold; padding: 6px; }"));
    m_banner->hide();
    lanesLayout->addWidget(m_banner);
    // Too fast to follow, each lane shows the last event the window read of its thread, each
    // caught at another moment: all producers waiting on a full buffer beside all consumers
    // waiting on an empty one. Said, rather than hidden: the waits are real, just not at once.
    m_lanesNote->setObjectName(QStringLiteral("lanesNote"));
    m_lanesNote->setWordWrap(true);
    m_lanesNote->setText(tr("Too fast to follow: each lane shows the last event of its thread "
                            "the window could read, caught at different moments, so the lanes "
                            "may disagree. Slow the run down or pause it to see every wait."));
    m_lanesNote->hide();
    lanesLayout->addWidget(m_lanesNote);
    lanesLayout->addWidget(m_lanes, 1);
    lanesLayout->addWidget(m_legend);
    lanesLayout->addWidget(m_history);
    columns->addWidget(lanesBox);
    columns->addWidget(m_charts);
    columns->setStretchFactor(0, 4);
    columns->setStretchFactor(1, 2);
    columns->setStretchFactor(2, 2);
    setCentralWidget(columns);
    // A dock, so the code can be closed, floated onto a second screen or widened.
    m_codeDock->setObjectName(QStringLiteral("codeDock"));
    m_codeDock->setWidget(m_code);
    addDockWidget(Qt::RightDockWidgetArea, m_codeDock);
    // The course's questions share the code's place, a tab away; the results list sits below
    // both, so final_results grows in sight whichever tab is in front.
    m_resultsDock->setObjectName(QStringLiteral("resultsDock"));
    m_resultsDock->setWidget(m_results);
    splitDockWidget(m_codeDock, m_resultsDock, Qt::Vertical);
    m_lessonsDock->setObjectName(QStringLiteral("lessonsDock"));
    m_lessonsDock->setWidget(m_lessons);
    tabifyDockWidget(m_codeDock, m_lessonsDock);
    m_codeDock->raise();
    m_lessons->setStarter([this](const Scenario& scenario, QString* error) {
        return startScenario(scenario, error);
    });
    m_lessons->setTargetFinder([this](const QString& name) { return spotTarget(name); });
    m_status->setObjectName(QStringLiteral("runStatus"));
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_probe);
    // The event list docks below; hidden at first, View > Events shows it.
    m_eventsDock = new QDockWidget(tr("Events"), this);
    m_eventsDock->setObjectName(QStringLiteral("events"));
    m_eventsDock->setWidget(m_events);
    addDockWidget(Qt::BottomDockWidgetArea, m_eventsDock);
    m_eventsDock->hide();
    // The secure program's switches (question 5), a tab beside the code and the lessons (a
    // fourth panel in that column would leave each too short to read); brought to the front
    // whenever a secure run opens.
    m_secure = new SecurePanel(m_session, this);
    m_secureDock = new QDockWidget(tr("Secure"), this);
    m_secureDock->setObjectName(QStringLiteral("secureDock"));
    m_secureDock->setWidget(m_secure);
    tabifyDockWidget(m_codeDock, m_secureDock);
    m_secureDock->setVisible(m_session.scenario().secure.enabled);
    if (m_session.scenario().secure.enabled)
        m_secureDock->raise();
    else
        m_codeDock->raise();
    connect(m_secure, &SecurePanel::optionsChosen, this, [this](const SecureOptions& options) {
        Scenario s = m_session.scenario();
        s.secure = options;
        QString error;
        if (!startScenario(s, &error))
            QMessageBox::warning(this, tr("Secure"), error);
    });
    connect(m_secure, &SecurePanel::presetRequested, this, [this](const QString& name) {
        QString error;
        if (!openPreset(name, &error))
            QMessageBox::warning(this, tr("Open preset"), error);
    });
    setUpMenus();
    // As large as the panels like, but never larger than a real screen (1024x768 projectors);
    // offscreen rendering has no screen worth fitting, and screenshots keep the full size.
    QSize size(1280, 900);
    if (screen() && QGuiApplication::platformName() != u"offscreen")
        size = size.boundedTo(screen()->availableSize() * 0.95);
    resize(size);
    // The code as wide as its lines, unless that leaves the buffer too little room.
    m_code->setStrategy(m_session.scenario().strategy);
    resizeDocks({ m_codeDock }, { std::min(m_code->sizeHint().width(), int(size.width() * 0.36)) },
        Qt::Horizontal);
    resizeDocks(
        { m_codeDock, m_resultsDock }, { size.height() * 2 / 3, size.height() / 3 }, Qt::Vertical);
    // On a small screen (1024x768) the buffer needs the room: View > Code shows it, and the
    // choice is remembered.
    m_codeDock->setVisible(size.width() >= 1200);
    m_lessonsDock->setVisible(size.width() >= 1200);
    m_resultsDock->setVisible(size.width() >= 1200);
    restoreSettings();

    connect(m_controls, &ControlsPanel::startPauseClicked, &m_session, &LiveSession::togglePause);
    connect(m_controls, &ControlsPanel::resetClicked, &m_session, &LiveSession::reset);
    connect(m_controls, &ControlsPanel::resetClicked, m_charts, &ChartsPanel::clear);
    connect(m_controls, &ControlsPanel::strategyChosen, this, &MainWindow::changeStrategy);
    connect(m_controls, &ControlsPanel::presetChosen, this, [this](const QString& name) {
        QString error;
        if (!openPreset(name, &error))
            QMessageBox::warning(this, tr("Open preset"), error);
    });
    Engine& engine = m_session.engine();
    connect(m_controls, &ControlsPanel::producersChosen, &engine, &Engine::setProducers);
    connect(m_controls, &ControlsPanel::consumersChosen, &engine, &Engine::setConsumers);
    connect(m_controls, &ControlsPanel::capacityChosen, &engine, &Engine::setCapacity);
    connect(m_controls, &ControlsPanel::produceRateChosen, &engine, &Engine::setProduceRate);
    connect(m_controls, &ControlsPanel::consumeRateChosen, &engine, &Engine::setConsumeRate);
    connect(m_controls, &ControlsPanel::distributionChosen, &engine, &Engine::setDistribution);
    // Once per folded frame (showState also runs on other occasions).
    connect(&m_session, &LiveSession::stateChanged, this, [this] {
        if (m_lanesRun != m_session.runNumber()) {
            m_lanes->clear(); // before this run's first wake-ups
            m_lanesRun = m_session.runNumber();
        }
        m_lanes->addWakes(m_session.frameMoves().wakes);
    });
    connect(&m_session, &LiveSession::stateChanged, this, &MainWindow::showState);
    connect(m_lanes, &ThreadLanesView::laneClicked, this,
        [this](ThreadRef thread) { stepThread(thread); });
    connect(m_lanes, &ThreadLanesView::laneShiftClicked, this, [this](ThreadRef thread) {
        backToLive();
        const QString problem = m_session.runUntilMoves(thread);
        if (!problem.isEmpty())
            statusBar()->showMessage(problem, 4000);
        showState();
    });
    connect(m_history, &HistoryBar::seekRequested, this, &MainWindow::seek);
    connect(m_events, &EventListPanel::eventChosen, this, &MainWindow::seek);
    connect(m_history, &HistoryBar::liveRequested, this, &MainWindow::backToLive);
    connect(
        m_code, &CodePanel::markerClicked, this, [this](ThreadRef thread) { stepThread(thread); });
    connect(m_code, &CodePanel::viewChosen, this,
        [](const QString& view) { QSettings().setValue(QStringLiteral("code/view"), view); });
    connect(&m_session, &LiveSession::runStateChanged, m_controls, &ControlsPanel::showRunState);
    // A run can end with no event after the last frame (daemons die silently): the lanes must
    // not keep the "next: ..." of a thread that was parked at its gate when it ended.
    connect(&m_session, &LiveSession::runStateChanged, this, &MainWindow::showState);
    m_textsDue.setSingleShot(true);
    connect(&m_textsDue, &QTimer::timeout, this, &MainWindow::showTexts);
    showScenario();
    showState();
}

void MainWindow::setUpMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open scenario..."), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open scenario"), QString(), tr("pcviz scenarios (*.json)"));
        QString error;
        if (!path.isEmpty() && !openScenario(path, &error))
            QMessageBox::warning(this, tr("Open scenario"), error);
    });
    QMenu* presets = file->addMenu(tr("Open &preset"));
    for (const QString& name : Presets::names()) {
        presets->addAction(name, this, [this, name] {
            QString error;
            if (!openPreset(name, &error))
                QMessageBox::warning(this, tr("Open preset"), error);
        });
    }
    file->addAction(tr("&Save scenario as..."), QKeySequence::SaveAs, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save scenario"),
            m_session.scenario().suggestedFileName(), tr("pcviz scenarios (*.json)"));
        QString error;
        if (!path.isEmpty() && !saveScenario(path, &error))
            QMessageBox::warning(this, tr("Save scenario"), error);
    });
    file->addAction(tr("&Export screenshot..."), this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export screenshot"), QStringLiteral("pcviz.png"), tr("PNG images (*.png)"));
        QString error;
        if (!path.isEmpty() && !saveScreenshot(path, &error))
            QMessageBox::warning(this, tr("Export screenshot"), error);
    });
    file->addAction(tr("Export &trace..."), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export trace"),
            QStringLiteral("pcviz-trace.json"),
            tr("Chrome trace for Perfetto (*.json);;JSON Lines (*.jsonl);;CSV (*.csv)"));
        QString error;
        if (!path.isEmpty() && !exportTrace(path, &error))
            QMessageBox::warning(this, tr("Export trace"), error);
    });
    file->addSeparator();
    // Help promises Ctrl+Q; the standard Quit key is unbound on some platforms (Windows, and
    // offscreen), so it is named outright (Qt::CTRL is Cmd on macOS).
    file->addAction(tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q), this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* fullScreen = view->addAction(tr("&Full screen"), QKeySequence(Qt::Key_F11), this,
        [this] { setWindowState(windowState() ^ Qt::WindowFullScreen); });
    fullScreen->setCheckable(false);
    m_presentationAction = view->addAction(tr("&Presentation mode"));
    m_presentationAction->setCheckable(true);
    m_presentationAction->setShortcut(QKeySequence(Qt::Key_F5));
    connect(m_presentationAction, &QAction::toggled, this, &MainWindow::setPresentationMode);
    m_darkAction = view->addAction(tr("&Dark theme"));
    m_darkAction->setCheckable(true);
    connect(m_darkAction, &QAction::toggled, this, &MainWindow::setDarkTheme);
    m_animateAction = view->addAction(tr("&Animate items"));
    m_animateAction->setCheckable(true);
    m_animateAction->setChecked(true);
    m_animateAction->setToolTip(tr("At slow rates, items travel from their producer into their "
                                   "slot and from their slot to their consumer"));
    connect(m_animateAction, &QAction::toggled, this, &MainWindow::setAnimateItems);
    QAction* events = m_eventsDock->toggleViewAction();
    events->setText(tr("&Events"));
    events->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    view->addAction(events);
    QAction* code = m_codeDock->toggleViewAction();
    code->setText(tr("&Code"));
    code->setStatusTip(tr("The code each thread runs, with a marker on the line it runs next"));
    view->addAction(code);
    // Not the dock's toggle: behind the code's tab the dock counts as shown, and a toggle would
    // close it where the user asked to see it.
    QAction* lessons
        = view->addAction(tr("&Lessons"), QKeySequence(Qt::CTRL | Qt::Key_L), this, [this] {
              if (m_lessonsDock->isVisible() && !m_lessonsDock->visibleRegion().isEmpty()) {
                  m_lessonsDock->close();
              } else {
                  m_lessonsDock->show();
                  m_lessonsDock->raise();
              }
          });
    lessons->setObjectName(QStringLiteral("lessonsAction"));
    lessons->setStatusTip(tr("The course activity's questions, answered by showing them"));
    QAction* results = m_resultsDock->toggleViewAction();
    results->setText(tr("&Results"));
    results->setStatusTip(tr("The consumers' results, in the order they were consumed"));
    view->addAction(results);
    QAction* secure = m_secureDock->toggleViewAction();
    secure->setText(tr("&Secure"));
    secure->setStatusTip(tr("The secure producer-consumer's switches, faults and outcomes"));
    view->addAction(secure);
    view->addSeparator();
    view->addAction(tr("Zoom &in"), QKeySequence::ZoomIn, this, [this] { zoom(+1); });
    view->addAction(tr("Zoom &out"), QKeySequence::ZoomOut, this, [this] { zoom(-1); });
    view->addAction(
        tr("&Reset zoom"), QKeySequence(Qt::CTRL | Qt::Key_0), this, [this] { zoom(-m_zoom); });

    QMenu* stepMenu = menuBar()->addMenu(tr("&Step"));
    QAction* step
        = stepMenu->addAction(tr("&Step one thread"), QKeySequence(Qt::Key_Right), this, [this] {
              // Looking back, Right goes forward through the history; at its end, back to live.
              if (m_past) {
                  if (m_pastSeq + 1 < m_session.history().end())
                      seek(m_pastSeq + 1);
                  else
                      backToLive();
                  return;
              }
              stepThread({});
          });
    QAction* back = stepMenu->addAction(tr("Step &back one event"), QKeySequence(Qt::Key_Left),
        this, &MainWindow::stepBackOneEvent);
    QAction* live = stepMenu->addAction(
        tr("Back to &live"), QKeySequence(Qt::Key_End), this, &MainWindow::backToLive);
    step->setStatusTip(tr("Pause, then move one thread (chosen by the policy) to its next gate"));
    // Number keys step the thread in that lane: the student is the scheduler.
    for (int lane = 0; lane < 9; ++lane) {
        auto* byKey = new QAction(this);
        byKey->setShortcut(QKeySequence(Qt::Key_1 + lane));
        connect(byKey, &QAction::triggered, this, [this, lane] {
            if (const std::optional<ThreadRef> thread = m_lanes->laneThread(lane))
                stepThread(thread);
        });
        addAction(byKey);
    }
    m_playAction = stepMenu->addAction(tr("&Play steps"), QKeySequence(Qt::Key_P));
    m_playAction->setCheckable(true);
    // The same actions on a toolbar, where a class sees them on the projector.
    QToolBar* stepping = addToolBar(tr("Stepping"));
    stepping->setObjectName(QStringLiteral("stepping"));
    stepping->setToolButtonStyle(Qt::ToolButtonTextOnly);
    step->setIconText(tr("Step ▶"));
    back->setIconText(tr("◀ Back"));
    live->setIconText(tr("Live"));
    m_playAction->setIconText(tr("Play"));
    stepping->addAction(back);
    stepping->addAction(step);
    stepping->addAction(m_playAction);
    stepping->addAction(live);
    m_playTimer.setInterval(500);
    connect(&m_playTimer, &QTimer::timeout, this, [this] {
        const QString problem = m_session.step();
        showState();
        if (!problem.isEmpty()) {
            m_playAction->setChecked(false);
            statusBar()->showMessage(problem, 4000);
        }
    });
    connect(m_playAction, &QAction::toggled, this, [this](bool on) {
        if (on) {
            backToLive();
            m_playTimer.start();
        } else {
            m_playTimer.stop();
        }
    });
    QMenu* speed = stepMenu->addMenu(tr("Play &speed"));
    auto* speeds = new QActionGroup(this);
    for (const int perSecond : { 1, 2, 5, 10, 25 }) {
        QAction* choice = speed->addAction(tr("%n step(s) per second", nullptr, perSecond));
        choice->setCheckable(true);
        choice->setChecked(perSecond == 2);
        speeds->addAction(choice);
        connect(choice, &QAction::triggered, this,
            [this, perSecond] { m_playTimer.setInterval(1000 / perSecond); });
    }
    QMenu* until = stepMenu->addMenu(tr("Run &until"));
    const auto addUntil = [&](const QString& text, LiveSession::Until condition) {
        until->addAction(text, this, [this, condition] {
            backToLive();
            const QString problem = m_session.runUntil(condition);
            showState();
            if (!problem.isEmpty())
                statusBar()->showMessage(problem, 4000);
        });
    };
    addUntil(tr("a thread &blocks"), LiveSession::Until::NextBlock);
    addUntil(tr("the buffer is &full"), LiveSession::Until::BufferFull);
    addUntil(tr("the buffer is &empty"), LiveSession::Until::BufferEmpty);
    until->addSeparator();
    until->addAction(tr("a thread moves: Shift+click its lane"))->setEnabled(false);
    stepMenu->addAction(tr("S&tart stepped from the beginning"), this, [this] {
        backToLive();
        m_charts->clear();
        m_session.startStepped();
        statusBar()->showMessage(tr("Every thread waits at its start: step them; Save scenario "
                                    "keeps the steps as a schedule that replays exactly"),
            6000);
        showState();
    });
    stepMenu->addSeparator();
    auto* policies = new QActionGroup(this);
    for (const StepPolicy::Kind kind : { StepPolicy::Kind::RoundRobin, StepPolicy::Kind::Random }) {
        QAction* choice = stepMenu->addAction(kind == StepPolicy::Kind::RoundRobin
                ? tr("Policy: &round-robin")
                : tr("Policy: r&andom (from the seed)"));
        choice->setCheckable(true);
        choice->setChecked(kind == m_session.stepPolicy());
        policies->addAction(choice);
        connect(choice, &QAction::triggered, this, [this, kind] { m_session.setStepPolicy(kind); });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), this, [this] {
        QMessageBox::information(this, tr("Keyboard shortcuts"),
            tr("<table>"
               "<tr><td><b>Space</b></td><td>start / pause</td></tr>"
               "<tr><td><b>R</b></td><td>reset the run</td></tr>"
               "<tr><td><b>Right</b></td><td>step: move one thread to its next gate</td></tr>"
               "<tr><td><b>1</b> … <b>9</b>, or a click on a lane</td><td>step that "
               "thread</td></tr>"
               "<tr><td><b>Left</b> / <b>Right</b></td><td>back / forward one event in the "
               "history</td></tr>"
               "<tr><td><b>End</b></td><td>back to live</td></tr>"
               "<tr><td><b>F11</b></td><td>full screen</td></tr>"
               "<tr><td><b>F5</b></td><td>presentation mode (full screen, larger text, "
               "high contrast)</td></tr>"
               "<tr><td><b>Ctrl +</b> / <b>Ctrl -</b></td><td>zoom in / out</td></tr>"
               "<tr><td><b>Ctrl O</b> / <b>Ctrl Shift S</b></td><td>open / save a "
               "scenario</td></tr>"
               "<tr><td><b>Ctrl Q</b></td><td>quit</td></tr></table>"));
    });
    help->addAction(tr("&About pcviz"), this, [this] {
        QMessageBox::about(this, tr("About pcviz"),
            tr("<p><b>pcviz %1</b></p><p>The producer-consumer problem with real threads: every "
               "synchronisation step is recorded and drawn.</p><p>GPL-3.0-or-later.</p>")
                .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::zoom(int steps)
{
    // Zoom scales the application font, which every panel's text follows: readable from the
    // back of a lecture hall at a few steps in.
    if (m_baseFontPixels == 0)
        m_baseFontPixels = QFontInfo(QApplication::font()).pixelSize();
    m_zoom = std::clamp(m_zoom + steps, -3, 8);
    QFont font = QApplication::font();
    font.setPixelSize(std::max(8, int(m_baseFontPixels * (1.0 + 0.15 * m_zoom))));
    QApplication::setFont(font);
}

void MainWindow::setDarkTheme(bool dark)
{
    m_darkTheme = dark;
    const QSignalBlocker blocker(m_darkAction);
    m_darkAction->setChecked(dark);
    applyTheme();
}

void MainWindow::setHighContrast(bool on)
{
    m_highContrast = on;
    applyTheme();
}

void MainWindow::applyTheme()
{
    // One theme for every panel: the palette for the standard widgets, the theme itself for
    // the views that paint their own colours.
    const Theme theme(m_darkTheme, m_highContrast);
    // The style first: installing one resets the application palette.
    HighContrastStyle::setHighContrast(this, m_highContrast);
    QApplication::setPalette(theme.palette(QApplication::style()->standardPalette()));
    m_buffer->setTheme(theme);
    m_lanes->setTheme(theme);
    m_legend->setTheme(theme);
    m_charts->setTheme(theme);
    m_code->setTheme(theme);
}

void MainWindow::setPresentationMode(bool on)
{
    if (on == m_presentation)
        return;
    m_presentation = on;
    const QSignalBlocker blocker(m_presentationAction);
    m_presentationAction->setChecked(on);
    if (on) {
        // For a projector: the whole screen, text readable from the back, full contrast in
        // whichever theme the lecturer chose.
        m_stateBeforePresentation = windowState();
        m_geometryBeforePresentation = normalGeometry();
        setWindowState(windowState() | Qt::WindowFullScreen);
        const int before = m_zoom;
        zoom(+3);
        m_presentationZoom = m_zoom - before;
    } else {
        setWindowState(m_stateBeforePresentation);
        // Not every platform puts a window back where it was after full screen.
        if (m_stateBeforePresentation == Qt::WindowNoState
            && m_geometryBeforePresentation.isValid())
            setGeometry(m_geometryBeforePresentation);
        zoom(-m_presentationZoom);
        m_presentationZoom = 0;
    }
    setHighContrast(on);
}

void MainWindow::setAnimateItems(bool on)
{
    m_buffer->setAnimated(on);
    const QSignalBlocker blocker(m_animateAction);
    m_animateAction->setChecked(on);
    QSettings().setValue(QStringLiteral("view/animateItems"), on);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_code->setPreferredView(settings.value(QStringLiteral("code/view")).toString());
    zoom(settings.value(QStringLiteral("window/zoom"), 0).toInt());
    const bool animate = settings.value(QStringLiteral("view/animateItems"), true).toBool();
    m_buffer->setAnimated(animate);
    const QSignalBlocker blocker(m_animateAction);
    m_animateAction->setChecked(animate);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    if (m_presentation)
        setPresentationMode(false); // remember the window and zoom as they are outside it
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/zoom"), m_zoom);
    m_session.stop();
    QMainWindow::closeEvent(event);
}

bool MainWindow::startScenario(const Scenario& scenario, QString* error)
{
    if (!m_session.setScenario(scenario, error))
        return false;
    if (scenario.secure.enabled) {
        m_secureDock->show();
        m_secureDock->raise();
    }
    showScenario();
    m_charts->clear();
    m_session.start();
    return true;
}

bool MainWindow::openScenario(const QString& path, QString* error)
{
    const auto scenario = Scenario::load(path, error);
    if (!scenario || !startScenario(*scenario, error))
        return false;
    QSettings().setValue(QStringLiteral("scenario/last"), path);
    return true;
}

bool MainWindow::openPreset(const QString& name, QString* error)
{
    const auto scenario = Presets::load(name, error);
    if (!scenario || !startScenario(*scenario, error))
        return false;
    QSettings().setValue(QStringLiteral("scenario/last"), QStringLiteral("preset:") + name);
    return true;
}

bool MainWindow::reopenLastScenario()
{
    const QString last = QSettings().value(QStringLiteral("scenario/last")).toString();
    if (last.isEmpty())
        return false;
    QString error;
    if (last.startsWith(u"preset:"))
        return openPreset(last.mid(7), &error);
    return openScenario(last, &error);
}

bool MainWindow::saveScenario(const QString& path, QString* error)
{
    // A run started stepped saves its steps: opening the file replays them exactly.
    Scenario s = m_session.scenario();
    s.schedule = m_session.schedule();
    // Threads added or retired while stepping are not in the steps: a schedule naming a thread
    // this scenario does not start cannot replay, and the file would not open again.
    if (!s.validate().isEmpty()) {
        Scenario withoutSteps = s;
        withoutSteps.schedule.clear();
        if (withoutSteps.validate().isEmpty()) {
            s = withoutSteps;
            statusBar()->showMessage(tr("Saved without the steps: the thread counts changed "
                                        "while stepping, so the steps cannot replay"),
                8000);
        }
    }
    return s.save(path, error);
}

void MainWindow::showScenario()
{
    const Scenario& s = m_session.scenario();
    setWindowTitle(tr("%1 — pcviz").arg(s.name));
    m_controls->showScenario(s);
    m_code->setStrategy(s.strategy);
}

void MainWindow::changeStrategy(const QString& strategy)
{
    // A strategy is the buffer's implementation: changing it starts the run afresh.
    Scenario s = m_session.scenario();
    s.strategy = strategy;
    const StrategyInfo* info = StrategyRegistry::find(strategy);
    // Keep what the new strategy can do; drop what it cannot (unbounded, task_done/join).
    if (s.capacity == 0 && !(info && info->allowsUnbounded))
        s.capacity = Scenario().capacity;
    if (s.join && !(info && info->hasTasks)) {
        s.join = false;
        s.daemonConsumers = false;
    }
    if (info) {
        // lockfree-spsc serves one producer and one consumer; the controls say so.
        const int most = info->threadLimit(Scenario::MaxThreads);
        s.producers = std::min(s.producers, most);
        s.consumers = std::min(s.consumers, most);
    }
    if (!(info && info->hasTasks && info->allowsUnbounded))
        s.secure.enabled = false; // the secure program is a Python queue's

    QString error;
    if (!startScenario(s, &error)) {
        QMessageBox::warning(this, tr("Strategy"), error);
        showScenario();
    }
}

void MainWindow::stepThread(std::optional<ThreadRef> thread)
{
    const QString problem = m_session.step(thread);
    if (!problem.isEmpty())
        statusBar()->showMessage(problem, 4000);
    else
        statusBar()->clearMessage();
    showState(); // the lanes show what each thread will do next
}

void MainWindow::seek(std::uint64_t seq)
{
    const EventHistory& history = m_session.history();
    if (history.empty())
        return;
    seq = std::clamp(seq, history.begin(), history.end() - 1);
    m_past = history.stateAfter(seq);
    m_pastSeq = seq;
    m_pastRun = m_session.runNumber();
    m_events->showSeq(seq);
    const Event& e = history.at(seq);
    m_history->showPast(seq,
        tr("event %1: %2 %3 %4")
            .arg(seq)
            .arg(e.thread.name(), QLatin1String(kindName(e.kind)),
                e.item != NoItem
                    ? m_past->itemLabel(e.item)
                    : (e.object != NoObject ? m_past->info().objectName(e.object) : QString())));
    showState();
}

const StateModel& MainWindow::shownState() const
{
    return m_past ? *m_past : m_session.state();
}

void MainWindow::backToLive()
{
    m_past.reset();
    m_history->showLive();
    showState();
}

void MainWindow::stepBackOneEvent()
{
    const EventHistory& history = m_session.history();
    if (history.empty())
        return;
    if (!m_past) {
        // Going back freezes the picture; the run itself pauses so it waits for the student.
        if (m_session.engine().runState() == Engine::RunState::Running)
            m_session.togglePause();
        seek(history.end() - 1 > history.begin() ? history.end() - 2 : history.begin());
    } else if (m_pastSeq > history.begin()) {
        seek(m_pastSeq - 1);
    }
}

void MainWindow::showState()
{
    const EventHistory& history = m_session.history();
    m_history->setRange(history.begin(), history.end());
    if (m_eventsDock->isVisible())
        m_events->follow(&history, &m_session.state());
    else
        m_events->follow(nullptr, nullptr); // a hidden list need not keep up
    if (m_past && (m_pastSeq < history.begin() || m_pastRun != m_session.runNumber())) {
        // That event is no longer retained, or belongs to a run that has been replaced.
        m_past.reset();
        m_history->showLive();
    }
    const bool live = !m_past;
    const StateModel& state = shownState();
    if (m_lanesRun != m_session.runNumber()) {
        // Another run: lanes of threads it does not have would say they are still busy.
        m_lanes->clear();
        m_lanesRun = m_session.runNumber();
    }
    // Too fast to fold every event, the buffer shows roughly what the status bar does: what
    // the engine's exact counters say, not the count of the last event the fold read.
    std::optional<int> roughCount;
    if (live && state.bufferApproximate())
        roughCount = int(std::min<std::uint64_t>(
            m_session.roughlyInBuffer(), std::uint64_t(std::numeric_limits<int>::max())));
    m_buffer->showState(state, live ? m_session.frameMoves() : FrameMoves {}, roughCount);
    m_lanes->showState(state);
    m_lanes->showNextActions(live ? m_session.nextActions() : QHash<std::uint32_t, QString> {});
    m_primitives->showState(state);
    m_results->follow(history, m_session.state(), m_session.runNumber(), m_session.skippedEvents());
    const QString deadlock = live ? m_session.deadlockText() : QString();
    m_banner->setText(deadlock);
    m_banner->setVisible(!deadlock.isEmpty());
    // Markers only while paused: a running thread stays on no line.
    const bool paused = m_session.engine().runState() == Engine::RunState::Paused;
    m_code->showThreads(
        paused && live ? m_session.engine().gate().threads() : std::vector<Gate::ThreadState> {},
        state, paused);
    // Charts follow the run's own time, so a paused run leaves them as they were. Their rates
    // come from the session's counts: when the window falls behind, the fold's alone showed a
    // tenth of the real throughput.
    const bool running = m_session.engine().runState() == Engine::RunState::Running;
    if (live && running)
        m_charts->sample(state, m_session.produced(), m_session.consumed());
    // For the rest of the run, as the status bar's "about": a lane whose thread has recorded
    // nothing since the skip still shows what it did before it, however long ago.
    const bool sampled = live && running && m_session.skippedEvents() > 0;
    if (m_lanesNote->isHidden() == sampled)
        m_lanesNote->setVisible(sampled);
    if (running && m_textsShown.isValid() && !m_textsShown.hasExpired(TextRefreshMs)) {
        if (!m_textsDue.isActive())
            m_textsDue.start(int(std::max<qint64>(TextRefreshMs - m_textsShown.elapsed(), 1)));
        return;
    }
    showTexts();
}

void MainWindow::showTexts()
{
    m_textsDue.stop();
    m_textsShown.start();
    m_results->showTitle();
    const StateModel& state = shownState();
    const bool live = !m_past;
    const double elapsed = m_session.elapsedSeconds();
    const double perSecond = elapsed > 0 ? 1.0 / elapsed : 0.0;
    const Checker& checker = m_session.checker();
    // Behind the threads, the window shows the engine's exact counts, and what is in the buffer
    // can only be told from them roughly.
    const bool behind = live && m_session.skippedEvents() > 0;
    QString text
        = tr("produced %1   consumed %2   in buffer %3   %4 items/s   %5 events/s   %6 s   ")
              .arg(live ? m_session.produced() : state.produced())
              .arg(live ? m_session.consumed() : state.consumed())
              .arg(behind ? tr("about %1").arg(m_session.roughlyInBuffer())
                          : QString::number(state.count()))
              .arg(double(m_session.engine().consumed()) * perSecond, 0, 'f', 1)
              .arg(double(m_session.engine().log().recorded()) * perSecond, 0, 'f', 0)
              .arg(elapsed, 0, 'f', 1);
    // The count join() waits for, beside the counts it is made of (puts minus task_done()s).
    if (const StrategyInfo* info = StrategyRegistry::find(m_session.scenario().strategy);
        info && info->hasTasks)
        text += tr("unfinished tasks %1   ").arg(state.unfinishedTasks());
    text += checker.complete() ? tr("violations %1").arg(checker.violations())
                               : tr("violations: not checked (too fast to read every event)");
    m_status->setText(text);
}

std::optional<Spotlight::Target> MainWindow::spotTarget(const QString& name) const
{
    const auto whole = [&](QWidget* widget) { return Spotlight::Target { widget, {}, name }; };
    if (name == u"buffer")
        return whole(m_buffer);
    if (name == u"lanes")
        return whole(m_lanes);
    if (name == u"results")
        return whole(m_results->view());
    if (name == u"status")
        return whole(m_status);
    if (name == u"code")
        return whole(m_code);
    if (name == u"charts")
        return whole(m_charts);
    if (name == u"deadlock") // the lanes with the banner that names the cycle when it comes
        return whole(m_lanes->parentWidget());
    if (name == u"secure") {
        auto* dock = findChild<QDockWidget*>(QStringLiteral("secureDock"));
        return dock ? std::optional(whole(dock)) : std::nullopt;
    }
    if (name == u"counter:unfinished") {
        // A row of the objects table; asked again as the table fills in.
        return Spotlight::Target { m_primitivesView,
            [this] {
                const int row = m_primitives->rowOf(PrimitivesModel::tr("unfinished tasks"));
                if (row < 0)
                    return QRect();
                QRect r = m_primitivesView->visualRect(m_primitives->index(row, 0));
                r.setLeft(0);
                r.setRight(m_primitivesView->viewport()->width());
                return r.translated(m_primitivesView->viewport()->pos());
            },
            name };
    }
    // A group of lanes: asked again, as lanes appear once their threads start.
    const auto lanes = [&](std::function<bool(Role)> wanted) {
        return Spotlight::Target { m_lanes,
            [this, wanted] {
                QRect r;
                for (int i = 0; i < m_lanes->laneCount(); ++i) {
                    const std::optional<ThreadRef> t = m_lanes->laneThread(i);
                    if (t && wanted(t->role))
                        r |= m_lanes->laneRect(*t);
                }
                return r;
            },
            name };
    };
    if (name == u"lane:main")
        return lanes([](Role r) { return r == Role::Main; });
    if (name == u"lanes:producers")
        return lanes([](Role r) { return r == Role::Producer || r == Role::Main; });
    if (name == u"lanes:consumers")
        return lanes([](Role r) { return r == Role::Consumer; });
    return std::nullopt;
}

bool MainWindow::exportTrace(const QString& path, QString* error)
{
    if (!TraceWriter::isTraceFileName(path)) {
        if (error)
            *error = tr("%1: the name must end in .json, .jsonl or .csv").arg(path);
        return false;
    }
    const EventHistory& history = m_session.history();
    TraceWriter writer(path, m_session.state().info());
    if (!writer.open(error))
        return false;
    for (std::uint64_t seq = history.begin(); seq < history.end(); ++seq)
        writer.write(history.at(seq));
    if (!writer.finish(error))
        return false;
    if (m_session.skippedEvents() > 0)
        statusBar()->showMessage(tr("Exported %1 events; %2 were too fast to read and are not in "
                                    "it (export a slower run, or step it, for every event)")
                                     .arg(history.end() - history.begin())
                                     .arg(m_session.skippedEvents()),
            8000);
    return true;
}

bool MainWindow::saveScreenshot(const QString& path, QString* error)
{
    const QImage image = grab().toImage();
    OutputFile file(path);
    if (!file.open() || !image.save(file.device(), "PNG") || !file.commit()) {
        if (error)
            *error = file.error();
        return false;
    }
    return true;
}

} // namespace pcviz
