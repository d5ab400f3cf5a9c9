// SPDX-License-Identifier: GPL-2.0
// PerCpuCounter: a statistics counter for hot paths shared by every CPU.
// An increment touches only the current CPU's copy, with no locked
// instruction and no shared cache line; a read sums the copies.
#pragma once

#include "platform.h"
#include "platform_handle.h"
#include "result.h"
#include "types.h"

namespace cxxrt {

class PerCpuCounter {
public:
    // Allocates the copies. -ENOMEM when memory is short. May sleep.
    Result<void> create() { return counter_.create(cnxx_pf_percpu_counter_create); }

    // Adds one; safe from any context once created.
    void increment() { cnxx_pf_percpu_counter_inc(counter_.get()); }

    // The sum over every CPU, possibly slightly stale; 0 before create().
    u64 read() const { return counter_.get() ? cnxx_pf_percpu_counter_sum(counter_.get()) : 0; }

private:
    PlatformHandle<cnxx_percpu_counter, cnxx_pf_percpu_counter_destroy> counter_;
};

} // namespace cxxrt
