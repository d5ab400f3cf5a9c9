// SPDX-License-Identifier: GPL-2.0
// Atomic<T>: a value accessed only through the compiler's __atomic builtins.
// Every access names its memory order, so that a reader sees what each one
// pairs with.
#pragma once

#include "types.h"

namespace cxxrt {

enum class MemoryOrder : int {
    Relaxed = __ATOMIC_RELAXED,
    Acquire = __ATOMIC_ACQUIRE,
    Release = __ATOMIC_RELEASE,
    AcquireRelease = __ATOMIC_ACQ_REL,
    SequentiallyConsistent = __ATOMIC_SEQ_CST,
};

template <typename T>
class Atomic {
public:
    constexpr Atomic() noexcept : value_() {}
    constexpr explicit Atomic(T value) noexcept : value_(value) {}
    Atomic(const Atomic&) = delete;
    Atomic& operator=(const Atomic&) = delete;

    // Reads the value.
    // Acquire pairs with a Release store or read-modify-write of the writer.
    T load(MemoryOrder order) const noexcept
    {
        return __atomic_load_n(&value_, static_cast<int>(order));
    }

    // Writes the value.
    // Release publishes every earlier write to an Acquire reader.
    void store(T value, MemoryOrder order) noexcept
    {
        __atomic_store_n(&value_, value, static_cast<int>(order));
    }

    // Adds @delta and returns the previous value, atomically.
    // Integers only; wraps on overflow like unsigned arithmetic.
    T fetch_add(T delta, MemoryOrder order) noexcept
    {
        return __atomic_fetch_add(&value_, delta, static_cast<int>(order));
    }

    // Subtracts @delta and returns the previous value, atomically.
    // Integers only; wraps on overflow like unsigned arithmetic.
    T fetch_sub(T delta, MemoryOrder order) noexcept
    {
        return __atomic_fetch_sub(&value_, delta, static_cast<int>(order));
    }

    // Stores @desired if the value is @expected, else loads it into
    // @expected. Returns whether it stored. May fail spuriously.
    bool compare_exchange_weak(T& expected, T desired, MemoryOrder order) noexcept
    {
        return __atomic_compare_exchange_n(&value_, &expected, desired, true,
            static_cast<int>(order), __ATOMIC_RELAXED);
    }

private:
    T value_;
};

// A fence of @order between the accesses before and after it.
// SequentiallyConsistent is a full barrier.
inline void atomic_thread_fence(MemoryOrder order) noexcept
{
    __atomic_thread_fence(static_cast<int>(order));
}

// A statistics counter: atomic, but ordered with nothing.
class Counter {
public:
    constexpr Counter() noexcept = default;

    // Adds one; safe from any context.
    // Relaxed: counters never publish other data.
    void increment() noexcept { value_.fetch_add(1, MemoryOrder::Relaxed); }

    // Adds @delta; safe from any context.
    void add(u64 delta) noexcept { value_.fetch_add(delta, MemoryOrder::Relaxed); }

    // Adds one when every writer holds the same lock: a plain load and
    // store, no locked instruction. Readers still need no lock.
    void increment_serialized() noexcept
    {
        value_.store(value_.load(MemoryOrder::Relaxed) + 1, MemoryOrder::Relaxed);
    }

    // The current count, possibly slightly stale.
    // Relaxed: callers only report it.
    u64 read() const noexcept { return value_.load(MemoryOrder::Relaxed); }

private:
    Atomic<u64> value_;
};

} // namespace cxxrt
