// SPDX-License-Identifier: GPL-2.0
// RcuReclaimable<T>: a base class that lets an object destroy itself after
// an RCU grace period, when no reader can still hold a pointer to it.
#pragma once

#include "memory.h"
#include "platform.h"

namespace cxxrt {

template <typename T>
class RcuReclaimable {
public:
    RcuReclaimable() = default;
    RcuReclaimable(const RcuReclaimable&) = delete;
    RcuReclaimable& operator=(const RcuReclaimable&) = delete;

    // Destroys the T (made with make()) once every current RCU reader is
    // done. Any context; the destructor runs in softirq context.
    void destroy_after_grace_period() { cnxx_pf_call_rcu(&head_, &reclaim); }

private:
    static void reclaim(cnxx_rcu_head* head)
    {
        // head_ is the first member of this standard-layout base, so the two
        // addresses are interconvertible.
        auto* self = reinterpret_cast<RcuReclaimable*>(head);
        destroy(static_cast<T*>(self));
    }

    cnxx_rcu_head head_;
};

} // namespace cxxrt
