// SPDX-License-Identifier: GPL-2.0
// Locks on the platform's primitives, and guards that release them on every
// path out of a scope.
#pragma once

#include "platform.h"
#include "platform_handle.h"
#include "result.h"

namespace cxxrt {

// Owns one platform (sleeping) mutex. Creation can fail, so it is a
// separate step; an uncreated Mutex must not be locked.
class Mutex {
public:
    // Creates the platform mutex in @lock_class.
    // -ENOMEM when memory is short. May sleep.
    Result<void> create(cnxx_lock_class& lock_class)
    {
        return mutex_.create(cnxx_pf_mutex_create, &lock_class);
    }

    // Takes the mutex, sleeping until it is free.
    // Process context only; not recursive.
    void lock() { cnxx_pf_mutex_lock(mutex_.get()); }

    // Releases the mutex taken by this task.
    // Any waiter may then take it.
    void unlock() { cnxx_pf_mutex_unlock(mutex_.get()); }

private:
    PlatformHandle<cnxx_mutex, cnxx_pf_mutex_destroy> mutex_;
};

// Holds @mutex for the lifetime of the guard.
class [[nodiscard]] MutexGuard {
public:
    explicit MutexGuard(Mutex& mutex) : mutex_(mutex) { mutex_.lock(); }
    ~MutexGuard() { mutex_.unlock(); }
    MutexGuard(const MutexGuard&) = delete;
    MutexGuard& operator=(const MutexGuard&) = delete;

private:
    Mutex& mutex_;
};

// An RCU read-side critical section for the lifetime of the guard:
// pointers read inside stay valid until it ends. No sleeping inside.
class [[nodiscard]] RcuReadGuard {
public:
    RcuReadGuard() { cnxx_pf_rcu_read_lock(); }
    ~RcuReadGuard() { cnxx_pf_rcu_read_unlock(); }
    RcuReadGuard(const RcuReadGuard&) = delete;
    RcuReadGuard& operator=(const RcuReadGuard&) = delete;
};

// Holds the bit lock in bit 0 of @word for the lifetime of the guard: a
// spinning one-word lock for a few instructions. No sleeping inside.
class [[nodiscard]] BitLockGuard {
public:
    explicit BitLockGuard(unsigned long& word) : word_(word) { cnxx_pf_bit_lock(&word_); }
    ~BitLockGuard() { cnxx_pf_bit_unlock(&word_); }
    BitLockGuard(const BitLockGuard&) = delete;
    BitLockGuard& operator=(const BitLockGuard&) = delete;

private:
    unsigned long& word_;
};

} // namespace cxxrt
