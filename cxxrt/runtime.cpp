// SPDX-License-Identifier: GPL-2.0
// The C++ ABI hooks that compiled code may reference. Exceptions, RTTI and
// static destructors are disabled, so only the virtual-call traps remain.

#include "platform.h"
#include "rcu_reclaim.h"

extern "C" {
void __cxa_pure_virtual();
void __cxa_deleted_virtual();
}

// Reached only through a vtable slot of an object under construction or
// destruction: a bug, and the kernel cannot unwind, so stop here.
void __cxa_pure_virtual()
{
    cnxx_pf_log(CNXX_LOG_ERR, "pure virtual function called\n");
    __builtin_trap();
}

void __cxa_deleted_virtual()
{
    cnxx_pf_log(CNXX_LOG_ERR, "deleted virtual function called\n");
    __builtin_trap();
}

// The platform's call_rcu() callback calls this, a direct call.
void cnxx_rcu_reclaim(struct cnxx_rcu_head* head)
{
    cxxrt::RcuReclaimableBase::reclaim(head);
}
