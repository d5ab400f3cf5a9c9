// SPDX-License-Identifier: GPL-2.0
// Test controls of the host platform (fake_platform.cpp), which implements
// every cnxx_pf_* with the C++ library: a real RCU grace period on a
// background thread, std::mutex locks with lock-order checks, a worker
// thread for work items, and an allocator that fails on request.
#pragma once

#include "kmod/core/cnxx_abi.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

// The kernel objects the ABI passes by pointer, as the host makes them.
// A message's sender: the tests' sender_capable op reads `capable`.
struct netlink_skb_parms {
    bool capable = false;
};
// A received buffer's skb, only handed back with acks.
struct sk_buff {
    int unused = 0;
};

namespace fake {

// Allocation: counts live blocks and fails when told to.
void fail_allocation(int nth);      // the nth next allocation fails (1 = the next)
void fail_all_allocations(bool on); // every allocation fails until turned off
std::int64_t live_allocations();
std::uint64_t allocation_count(); // allocations attempted so far

// Work items: paused, they only run from run_work() on the calling thread.
void pause_work(bool paused);
void run_work();   // runs every queued item now (paused mode)
void drain_work(); // waits until no item is queued or running

// RCU: waits for every callback queued so far (cnxx_pf_rcu_barrier()).
void rcu_barrier();
int rcu_read_depth(); // of the calling thread

// Preemption points: when on, releasing a lock sometimes sleeps a few
// microseconds, so that races hide less behind a loaded scheduler.
void set_preemption(bool on);

// Log lines, kept for assertions; printed when CNXX_TEST_LOG is set.
std::vector<std::string> log_lines();
void clear_log();
bool log_contains(const std::string& text);

// Callbacks registered by tests: the kernel's type.
using Callback = cnxx_callback_t;

} // namespace fake
