// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine.h"

#include "pacer.h"
#include "strategies/pyqueuestrategy.h"
#include "strategies/strategyregistry.h"

#include <QMetaMethod>

#include <algorithm>

#ifdef __linux__
#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace pcviz {

namespace {
void lowerThisThreadsPriority(int niceness)
{
#ifdef __linux__
    if (niceness <= 0)
        return;
    // Relative to the process (its main thread's nice value); raising it needs no privilege.
    errno = 0;
    const int base = getpriority(PRIO_PROCESS, 0);
    if (errno == 0)
        setpriority(PRIO_PROCESS, id_t(gettid()), std::min(base + niceness, 19));
#else
    Q_UNUSED(niceness);
#endif
}
} // namespace

struct alignas(64) Engine::Worker {
    ThreadRef ref;
    qint64 quota = 0;
    bool daemon = false;
    bool exited = false; // guarded by Engine::m_control
    std::atomic<bool> retire { false };
    std::atomic<bool> leave { false };
    // Written on every item by this thread alone: its own cache line spares the readers of the
    // fields above.
    alignas(64) std::atomic<std::uint64_t> done { 0 };
    ThreadContext ctx;
    std::unique_ptr<Pacer> pacer;
    std::thread thread;

    bool isProducer() const { return ref.role == Role::Producer || ref.role == Role::Main; }
    bool isLive() const { return !exited && !retire.load(std::memory_order_relaxed); }
    void countOne()
    {
        done.store(done.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }
};

Engine::Engine(std::size_t logCapacity, QObject* parent)
    : QObject(parent)
    , m_log(logCapacity)
{
    qRegisterMetaType<pcviz::Event>();
    m_pollTimer.setInterval(10);
    connect(&m_pollTimer, &QTimer::timeout, this, &Engine::poll);
}

Engine::~Engine()
{
    stop();
}

bool Engine::setScenario(const Scenario& scenario, QString* error)
{
    if (const QString problem = scenario.validate(); !problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    m_scenario = scenario;
    return true;
}

std::vector<ObjectInfo> Engine::objects() const
{
    if (m_strategy)
        return m_strategy->objects();
    const auto preview = StrategyRegistry::create(m_scenario.strategy, m_scenario.runCapacity());
    return preview ? preview->objects() : std::vector<ObjectInfo> {};
}

void Engine::start(StartMode mode)
{
    if (isActive())
        stop();
    joinAll();
    m_workers.clear();
    // Workers read the run's shape from this copy: setScenario() may change m_scenario meanwhile.
    m_run = m_scenario;
    m_secure.reset();
    m_strategy = StrategyRegistry::create(m_run.strategy, m_run.runCapacity());
    Q_ASSERT(m_strategy);
    m_strategy->setRecording(m_run.record);
    m_strategy->setSparsePolling(!m_run.record && m_sparsePollingAllowed);
    if (m_run.secure.enabled) {
        // Scenario::validate() allows a secure run on pyqueue only.
        auto* queue = dynamic_cast<PyQueueStrategy*>(m_strategy.get());
        Q_ASSERT(queue);
        m_secure = std::make_unique<SecureWorkload>(m_run, *queue);
    }
    m_log.reset();
    m_gate.reset();
    m_controlGate.reset();
    m_stop.store(false);
    m_userStopped = false;
    m_closed = false;
    std::fill(std::begin(m_nextIndex), std::end(m_nextIndex), 0);
    m_commands.clear();
    m_produceRate.set(m_run.produceRate, m_run.distribution);
    m_consumeRate.set(m_run.consumeRate, m_run.distribution);
    if (isSignalConnected(QMetaMethod::fromSignal(&Engine::transition)))
        m_log.setTap([this](const Event& e) { Q_EMIT transition(e); });
    else
        m_log.setTap({});

    m_controlThread = std::thread([this] { controlMain(); });
    if (mode == StartMode::Stepping)
        m_gate.pause(); // every thread parks at its start gate
    {
        // Consumers first, as the seed program starts its daemons before producing.
        std::lock_guard lock(m_control);
        for (int i = 0; i < m_run.consumers; ++i)
            spawn(Role::Consumer);
        if (m_run.mainProduces) {
            spawn(Role::Main);
        } else {
            for (int i = 0; i < m_run.producers; ++i)
                spawn(Role::Producer);
        }
    }
    setRunState(mode == StartMode::Stepping ? RunState::Paused : RunState::Running);
    m_pollTimer.start();
}

void Engine::spawn(Role role)
{
    auto owned = std::make_unique<Worker>();
    Worker& w = *owned;
    w.ref = { role, m_nextIndex[int(role)]++ };
    w.quota = m_run.items;
    w.daemon = role == Role::Consumer && m_run.consumersAreDaemons();
    // Daemons die with the program wherever they are, as Python's do: once the run stops they
    // record nothing, not even their exit.
    const std::atomic<bool>* mute = !m_run.record ? &m_silenced : w.daemon ? &m_stop : nullptr;
    // Streaming: a worker blocks only in waits that park its lane.
    w.ctx = ThreadContext { w.ref, &m_log, &m_gate, &m_stop, &w.leave, mute, true };
    // Known to the gate before it runs, so a step waits for it to reach its first gate.
    w.ctx.setGateSlot(m_gate.slotFor(w.ref));
    // Consumers that join after the producers finished only drain what is left.
    w.leave.store(role == Role::Consumer && m_closed);
    const std::uint64_t seed
        = std::uint64_t(m_run.seed) * 0x9E3779B97F4A7C15ull ^ (std::uint64_t(w.ref.packed()) + 1);
    w.pacer = std::make_unique<Pacer>(
        role == Role::Consumer ? m_consumeRate : m_produceRate, seed, m_stop, w.retire);
    m_threadsAlive.fetch_add(1, std::memory_order_acq_rel);
    m_workers.push_back(std::move(owned));
    w.thread = std::thread([this, &w, niceness = m_workerNiceness] {
        lowerThisThreadsPriority(niceness);
        if (w.isProducer())
            producerMain(w);
        else
            consumerMain(w);
    });
}

void Engine::producerMain(Worker& w)
{
    const ThreadContext& ctx = w.ctx;
    ctx.pass(GateAction::Start);
    ctx.record({ .kind = EventKind::ThreadStart });
    for (qint64 serial = 0; serial < w.quota; ++serial) {
        if (w.retire.load(std::memory_order_acquire) || ctx.stopping())
            break;
        const bool paced = !(m_secure && m_secure->ignoresPace());
        if ((paced && !w.pacer->pace(ctx)) || w.retire.load(std::memory_order_acquire))
            break;
        const Item item = m_secure
            ? m_secure->makeItem(w.ref.index, serial)
            : Item { makeItemId(w.ref.index, std::uint32_t(serial)), serial };
        if (m_secure && !m_secure->admit(ctx, item))
            break;
        // Built only when recorded: an event is a dozen stores, which an unrecorded run's
        // producer makes per item for nothing (lockfree-spsc --record off: 46M to 65M items/s).
        if (!ctx.muted())
            ctx.record({ .item = item.id, .value = item.value, .kind = EventKind::Produce });
        if ((m_secure ? m_secure->put(ctx, item) : m_strategy->put(ctx, item)) != OpStatus::Ok)
            break;
        w.countOne();
    }
    if (m_secure)
        m_secure->finishProducing(ctx, liveConsumers());
    else if (w.ref.role == Role::Main && m_run.join && !ctx.stopping())
        m_strategy->join(ctx);
    ctx.record({ .kind = EventKind::ThreadExit });
    ctx.close();
    workerExited(w);
}

void Engine::consumerMain(Worker& w)
{
    const ThreadContext& ctx = w.ctx;
    ctx.pass(GateAction::Start);
    ctx.record({ .kind = EventKind::ThreadStart });
    if (m_secure)
        m_secure->holdConsumer(ctx);
    Item item;
    const bool tasks = m_strategy->hasTasks(); // a strategy's kind: asked once, not per item
    while (!w.retire.load(std::memory_order_acquire) && !ctx.stopping()) {
        if (m_strategy->get(ctx, item) != OpStatus::Ok)
            break;
        // A retire cuts the work short but the item is still finished: nothing is lost.
        if (!w.pacer->pace(ctx) && ctx.stopping())
            break;
        if (m_secure) {
            bool consumed = false;
            const SecureWorkload::Next next = m_secure->process(ctx, item, consumed);
            if (consumed)
                w.countOne();
            if (next == SecureWorkload::Next::Exit)
                break;
            continue;
        }
        if (!ctx.muted()) { // built only when recorded, as the producer's Produce
            ctx.record({ .item = item.id,
                .value = item.value,
                .result = item.value * item.value,
                .kind = EventKind::Consume });
        }
        w.countOne();
        if (tasks && m_strategy->taskDone(ctx) != OpStatus::Ok)
            break;
    }
    ctx.record({ .kind = EventKind::ThreadExit });
    ctx.close();
    workerExited(w);
}

void Engine::workerExited(Worker& w)
{
    bool wake = false;
    bool closing = false;
    {
        std::lock_guard lock(m_control);
        w.exited = true;
        const bool producersLeft = std::any_of(m_workers.begin(), m_workers.end(),
            [](const auto& other) { return other->isProducer() && !other->exited; });
        if (w.isProducer() && !producersLeft && !m_closed) {
            m_closed = true;
            wake = true;
            if (m_run.join) {
                // main has returned from join(): the program ends when only daemons are left.
                // Non-daemon consumers keep waiting in get(), as Python's would: the run hangs
                // and the deadlock detector says so.
                const bool onlyDaemons = std::all_of(m_workers.begin(), m_workers.end(),
                    [](const auto& other) { return other->exited || other->daemon; });
                if (onlyDaemons) {
                    m_stop.store(true);
                    m_gate.release();
                }
            } else {
                closing = true;
            }
        }
    }
    if (closing) {
        // No more items will come: consumers drain what is left, then leave. Recorded first,
        // outside m_control (a full lane waits for a reader that may want it), so the checker
        // never sees consumers waiting for an item that nobody will bring without knowing.
        recordEngineEvent({ .kind = EventKind::Closed });
        std::lock_guard lock(m_control);
        for (const auto& other : m_workers) {
            if (other->ref.role == Role::Consumer)
                other->leave.store(true);
        }
    }
    // Outside m_control: a wake-up may wait for a primitive's lock, and whoever holds that may
    // be waiting for a reader that wants m_control.
    if (wake) {
        m_strategy->wakeAll();
        m_produceRate.interrupt();
        m_consumeRate.interrupt();
    }
    // Last: until the consumers are told, this thread still counts as one that can move.
    m_threadsAlive.fetch_sub(1, std::memory_order_acq_rel);
}

void Engine::controlMain()
{
    std::unique_lock lock(m_control);
    for (;;) {
        m_commandReady.wait(lock, [this] { return !m_commands.empty() || m_stop.load(); });
        if (m_stop.load())
            return;
        auto command = std::move(m_commands.front());
        m_commands.pop_front();
        lock.unlock();
        command();
        lock.lock();
    }
}

void Engine::post(std::function<void()> command)
{
    {
        std::lock_guard lock(m_control);
        m_commands.push_back(std::move(command));
    }
    m_commandReady.notify_all();
}

void Engine::pause()
{
    if (m_runState != RunState::Running)
        return;
    m_gate.pause();
    // Sleepers in a pacer wake and go to their gates: while paused the steps set the pace.
    m_produceRate.interrupt();
    m_consumeRate.interrupt();
    setRunState(RunState::Paused);
}

Gate::StepResult Engine::step(ThreadRef thread)
{
    if (m_runState != RunState::Paused)
        return Gate::StepResult::NotParked;
    // A thread woken by the last step may still be on its way to its gate.
    m_gate.waitQuiescent(StepTimeout);
    return m_gate.step(thread, StepTimeout);
}

bool Engine::waitUntilSettled()
{
    return m_gate.waitQuiescent(StepTimeout);
}

void Engine::resume()
{
    if (m_runState != RunState::Paused)
        return;
    m_gate.resume();
    setRunState(RunState::Running);
}

void Engine::stop()
{
    if (!isActive()) {
        joinAll();
        return;
    }
    m_userStopped = !threadsDone();
    m_stop.store(true);
    // First, before any lock: a writer waiting for a lossless reader may hold a primitive's
    // internal lock that the wake-ups below need.
    m_log.abandon();
    m_gate.release();
    m_controlGate.release();
    {
        std::lock_guard lock(m_control);
    }
    m_commandReady.notify_all();
    m_strategy->wakeAll();
    if (m_secure)
        m_secure->wakeAll();
    m_produceRate.interrupt();
    m_consumeRate.interrupt();
    joinAll();
    m_pollTimer.stop();
    setRunState(m_userStopped ? RunState::Stopped : RunState::Finished);
    if (!m_userStopped)
        Q_EMIT runFinished();
}

void Engine::joinAll()
{
    // A wake-up can slip past a thread that is just about to block; while stopping, keep waking
    // until every worker has left, then join.
    while (m_stop.load() && !threadsDone()) {
        if (m_strategy)
            m_strategy->wakeAll();
        if (m_secure)
            m_secure->wakeAll();
        m_produceRate.interrupt();
        m_consumeRate.interrupt();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::vector<std::thread*> threads;
    {
        std::lock_guard lock(m_control);
        for (const auto& w : m_workers)
            threads.push_back(&w->thread);
    }
    for (std::thread* t : threads) {
        if (t->joinable())
            t->join();
    }
    if (m_controlThread.joinable()) {
        {
            std::lock_guard lock(m_control);
            m_stop.store(true);
        }
        m_commandReady.notify_all();
        m_controlThread.join();
    }
}

void Engine::poll()
{
    if (!isActive() || !threadsDone())
        return;
    stop();
}

void Engine::setRunState(RunState state)
{
    if (m_runState == state)
        return;
    m_runState = state;
    Q_EMIT runStateChanged(state);
}

void Engine::setProduceRate(double perSecond)
{
    m_scenario.produceRate = perSecond;
    m_produceRate.setPerSecond(perSecond);
}

void Engine::setConsumeRate(double perSecond)
{
    m_scenario.consumeRate = perSecond;
    m_consumeRate.setPerSecond(perSecond);
}

void Engine::setDistribution(Distribution distribution)
{
    m_scenario.distribution = distribution;
    m_produceRate.setDistribution(distribution);
    m_consumeRate.setDistribution(distribution);
}

int Engine::maxThreadsPerRole() const
{
    const StrategyInfo* info = StrategyRegistry::find((isActive() ? m_run : m_scenario).strategy);
    return info ? info->threadLimit(Scenario::MaxThreads) : Scenario::MaxThreads;
}

void Engine::setProducers(int count)
{
    // A strategy made for one producer (lockfree-spsc) never gets a second.
    count = std::clamp(count, 1, maxThreadsPerRole());
    if ((isActive() ? m_run : m_scenario).mainProduces)
        return;
    m_scenario.producers = count;
    if (!isActive())
        return;
    std::lock_guard lock(m_control);
    std::vector<Worker*> live;
    for (const auto& w : m_workers) {
        if (w->ref.role == Role::Producer && w->isLive())
            live.push_back(w.get());
    }
    for (int n = int(live.size()); n < count && !m_closed; ++n)
        spawn(Role::Producer);
    // The newest go first; a retired producer puts the item in hand, then exits.
    for (int n = int(live.size()); n > count; --n) {
        live[std::size_t(n - 1)]->retire.store(true);
        m_produceRate.interrupt();
    }
}

void Engine::setConsumers(int count)
{
    count = std::clamp(count, 1, maxThreadsPerRole());
    m_scenario.consumers = count;
    if (!isActive())
        return;
    bool retired = false;
    {
        std::lock_guard lock(m_control);
        std::vector<Worker*> live;
        for (const auto& w : m_workers) {
            if (w->ref.role == Role::Consumer && w->isLive())
                live.push_back(w.get());
        }
        for (int n = int(live.size()); n < count; ++n)
            spawn(Role::Consumer);
        for (int n = int(live.size()); n > count; --n) {
            Worker* w = live[std::size_t(n - 1)];
            w->retire.store(true);
            w->leave.store(true);
            retired = true;
        }
    }
    // On the control thread: waking may wait for a primitive's lock, and the caller may be
    // the very reader that the lock's holder waits for.
    if (retired) {
        post([this] {
            m_strategy->wakeAll();
            m_consumeRate.interrupt();
        });
    }
}

bool Engine::setCapacity(int capacity)
{
    const StrategyInfo* info = StrategyRegistry::find((isActive() ? m_run : m_scenario).strategy);
    const Scenario& shape = isActive() ? m_run : m_scenario;
    if (capacity < 0 || capacity > Scenario::MaxCapacity
        || (capacity == 0 && !(info && info->allowsUnbounded))
        || (capacity == 0 && shape.secure.enabled))
        return false;
    m_scenario.capacity = capacity;
    // A secure run without its bound keeps the queue unbounded: the capacity is its budget.
    if (!isActive() || shape.runCapacity() == 0)
        return true;
    // Applied on the control thread: the strategy's lock may be held by a thread parked at a
    // gate, and the caller (often the GUI) must never wait for that.
    post([this, capacity] {
        const ThreadContext ctx { { Role::Control, 0 }, &m_log, &m_controlGate, &m_stop, nullptr,
            m_run.record ? nullptr : &m_silenced };
        m_strategy->setCapacity(ctx, capacity);
    });
    return true;
}

std::uint64_t Engine::produced() const
{
    std::lock_guard lock(m_control);
    std::uint64_t total = 0;
    for (const auto& w : m_workers) {
        if (w->isProducer())
            total += w->done.load(std::memory_order_relaxed);
    }
    return total;
}

std::uint64_t Engine::consumed() const
{
    std::lock_guard lock(m_control);
    std::uint64_t total = 0;
    for (const auto& w : m_workers) {
        if (!w->isProducer())
            total += w->done.load(std::memory_order_relaxed);
    }
    return total;
}

int Engine::liveProducers() const
{
    std::lock_guard lock(m_control);
    return int(std::count_if(m_workers.begin(), m_workers.end(),
        [](const auto& w) { return w->isProducer() && w->isLive(); }));
}

int Engine::liveConsumers() const
{
    std::lock_guard lock(m_control);
    return int(std::count_if(m_workers.begin(), m_workers.end(),
        [](const auto& w) { return !w->isProducer() && w->isLive(); }));
}

void Engine::recordEngineEvent(Event event)
{
    event.thread = { Role::Control, 0 };
    m_log.record(event);
}

} // namespace pcviz
