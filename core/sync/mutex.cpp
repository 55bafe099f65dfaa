// SPDX-License-Identifier: GPL-3.0-or-later
#include "mutex.h"

#include <chrono>

namespace pcviz {

bool Mutex::lock(const ThreadContext& ctx)
{
    ctx.pass(GateAction::Lock);
    if (!m_mutex.try_lock()) {
        ctx.record({ .peer = owner(), .kind = EventKind::LockWait, .object = m_id });
        // Waiting in slices keeps stop prompt even if a broken strategy deadlocks on locks.
        while (!m_mutex.try_lock_for(std::chrono::milliseconds(20))) {
            if (ctx.stopping())
                return false;
        }
    }
    m_owner.store(ctx.self.packed(), std::memory_order_relaxed);
    ctx.record({ .kind = EventKind::Lock, .object = m_id });
    return true;
}

void Mutex::unlock(const ThreadContext& ctx)
{
    ctx.pass(GateAction::Unlock);
    unlockForWait(ctx);
}

void Mutex::unlockForWait(const ThreadContext& ctx)
{
    // Recorded while still held, so no later lock event can precede it in seq order.
    ctx.record({ .kind = EventKind::Unlock, .object = m_id });
    m_owner.store(0, std::memory_order_relaxed);
    m_mutex.unlock();
}

} // namespace pcviz
