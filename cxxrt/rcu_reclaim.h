// SPDX-License-Identifier: GPL-2.0
// RcuReclaimable<T>: a base class that lets an object destroy itself after
// an RCU grace period, when no reader can still hold a pointer to it.
//
// The kernel calls no C++ function: the platform's own C function runs
// after the grace period and calls cnxx_rcu_reclaim() directly, which
// dispatches to the T through a pointer set by C++ (kCFI sees only C
// prototypes at the boundary).
#pragma once

#include "memory.h"
#include "platform.h"

namespace cxxrt {

class RcuReclaimableBase {
public:
    RcuReclaimableBase(const RcuReclaimableBase&) = delete;
    RcuReclaimableBase& operator=(const RcuReclaimableBase&) = delete;

    // Runs the destroyer of the object that embeds @head.
    // Softirq context, after the grace period.
    static void reclaim(cnxx_rcu_head* head)
    {
        // head_ is the first member of this standard-layout base, so the
        // two addresses are interconvertible.
        auto* self = reinterpret_cast<RcuReclaimableBase*>(head);
        self->destroyer_(self);
    }

protected:
    using Destroyer = void (*)(RcuReclaimableBase*);

    explicit RcuReclaimableBase(Destroyer destroyer) : destroyer_(destroyer) {}
    ~RcuReclaimableBase() = default;

    void start_grace_period() { cnxx_pf_call_rcu(&head_); }

private:
    cnxx_rcu_head head_;
    const Destroyer destroyer_;
};

template <typename T>
class RcuReclaimable : public RcuReclaimableBase {
public:
    RcuReclaimable() : RcuReclaimableBase(&destroy_object) {}

    // Destroys the T (made with make()) once every current RCU reader is
    // done. Any context; the destructor runs in softirq context.
    void destroy_after_grace_period() { start_grace_period(); }

private:
    static void destroy_object(RcuReclaimableBase* base)
    {
        destroy(static_cast<T*>(static_cast<RcuReclaimable*>(base)));
    }
};

} // namespace cxxrt
