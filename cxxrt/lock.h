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

// An atomic section (cxxrt/platform.h) for the lifetime of the guard: an
// RCU read section in which the task is not preempted, so that bit locks
// can be taken inside. No sleeping inside. Opening one costs one platform
// call, which also yields the running task.
class [[nodiscard]] AtomicSection {
public:
    AtomicSection() : task_(cnxx_pf_atomic_enter()) {}
    ~AtomicSection() { cnxx_pf_atomic_exit(); }
    AtomicSection(const AtomicSection&) = delete;
    AtomicSection& operator=(const AtomicSection&) = delete;

    // The task that opened the section (current).
    const task_struct* task() const { return task_; }

private:
    const task_struct* const task_;
};

// Holds the bit lock in bit 0 of @word for the lifetime of the guard: a
// spinning one-word lock for a few instructions, taken only inside an
// atomic section (the constructor asks for one), where the holder cannot
// be preempted. The lock is inline, with no platform call: the same
// atomic test-and-set and release store as the kernel's bit_spin_lock()
// and __bit_spin_unlock(), whose preemption handling the section does.
// @word holds nothing but the lock, so the release may be a plain store.
class [[nodiscard]] BitLockGuard {
public:
    BitLockGuard(unsigned long& word, const AtomicSection&) : word_(word)
    {
        while (__builtin_expect(__atomic_fetch_or(&word_, 1UL, __ATOMIC_ACQUIRE) & 1UL, 0)) {
            while (__atomic_load_n(&word_, __ATOMIC_RELAXED) & 1UL)
                cnxx_pf_cpu_relax();
        }
    }
    ~BitLockGuard() { __atomic_store_n(&word_, 0UL, __ATOMIC_RELEASE); }
    BitLockGuard(const BitLockGuard&) = delete;
    BitLockGuard& operator=(const BitLockGuard&) = delete;

private:
    unsigned long& word_;
};

// A spinning lock for a few instructions, embedded in the object it guards:
// nothing to allocate, so nothing can fail. Taken only inside an atomic
// section (the guard asks for one), never across a sleep. Where the kernel
// checks locks (lockdep) it is the platform's raw spinlock, in a lock
// class like the mutexes, so that its ordering is checked: Kbuild defines
// CXXRT_PLATFORM_SPINLOCK there. Elsewhere it is a bit lock, inline on the
// receive path: the section already keeps the holder from being preempted
// (on PREEMPT_RT too), and the platform's lock would cost three calls out
// of line for each lock and unlock.
class Spinlock {
public:
#ifdef CXXRT_PLATFORM_SPINLOCK
    explicit Spinlock(cnxx_lock_class& lock_class) { cnxx_pf_spin_init(&lock_, &lock_class); }
#else
    explicit Spinlock(cnxx_lock_class&) {}
#endif
    Spinlock(const Spinlock&) = delete;
    Spinlock& operator=(const Spinlock&) = delete;

private:
    friend class SpinlockGuard;
#ifdef CXXRT_PLATFORM_SPINLOCK
    cnxx_spinlock lock_;
#else
    unsigned long word_ = 0;
#endif
};

// Holds @lock for the lifetime of the guard, inside an atomic section.
class [[nodiscard]] SpinlockGuard {
public:
#ifdef CXXRT_PLATFORM_SPINLOCK
    SpinlockGuard(Spinlock& lock, const AtomicSection&) : lock_(lock)
    {
        cnxx_pf_spin_lock(&lock_.lock_);
    }
    ~SpinlockGuard() { cnxx_pf_spin_unlock(&lock_.lock_); }
#else
    SpinlockGuard(Spinlock& lock, const AtomicSection& section) : bit_(lock.word_, section) {}
#endif
    SpinlockGuard(const SpinlockGuard&) = delete;
    SpinlockGuard& operator=(const SpinlockGuard&) = delete;

private:
#ifdef CXXRT_PLATFORM_SPINLOCK
    Spinlock& lock_;
#else
    BitLockGuard bit_;
#endif
};

} // namespace cxxrt
