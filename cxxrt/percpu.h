// SPDX-License-Identifier: GPL-2.0
// PerCpuCounter: a statistics counter for hot paths shared by every CPU.
// An increment touches only the current CPU's copy, with no locked
// instruction and no shared cache line; a read sums the copies.
#pragma once

#include "platform.h"
#include "result.h"
#include "types.h"

namespace cxxrt {

class PerCpuCounter {
public:
    constexpr PerCpuCounter() = default;
    ~PerCpuCounter() { cnxx_pf_percpu_counter_destroy(raw_); }
    PerCpuCounter(const PerCpuCounter&) = delete;
    PerCpuCounter& operator=(const PerCpuCounter&) = delete;

    // Allocates the copies. -ENOMEM when memory is short. May sleep.
    Result<void> create()
    {
        return Result<void>::from_return_code(cnxx_pf_percpu_counter_create(&raw_));
    }

    // Adds one; safe from any context once created.
    void increment() { cnxx_pf_percpu_counter_inc(raw_); }

    // The sum over every CPU, possibly slightly stale; 0 before create().
    u64 read() const { return raw_ ? cnxx_pf_percpu_counter_sum(raw_) : 0; }

private:
    cnxx_percpu_counter* raw_ = nullptr;
};

} // namespace cxxrt
