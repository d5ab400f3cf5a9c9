// SPDX-License-Identifier: GPL-2.0
// The runtime's entry point for the platform. Exceptions, RTTI, static
// destructors and virtual functions are not used, so no C++ ABI hook
// (__cxa_*) is needed: a use of one fails to link.

#include "platform.h"
#include "rcu_reclaim.h"

// The platform's call_rcu() callback calls this, a direct call.
void cnxx_rcu_reclaim(struct cnxx_rcu_head* head)
{
    cxxrt::RcuReclaimableBase::reclaim(head);
}
