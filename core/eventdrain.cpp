// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventdrain.h"

namespace pcviz {

EventDrain::EventDrain(EventLog& log, bool lossless)
    : m_log(log)
    , m_lossless(lossless)
    , m_generation(log.generation())
    , m_batch(std::size_t(1) << 14)
{
    if (m_lossless)
        m_log.setLossless(true);
}

EventDrain::~EventDrain()
{
    if (m_lossless)
        m_log.setLossless(false);
}

} // namespace pcviz
