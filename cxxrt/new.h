// SPDX-License-Identifier: GPL-2.0
// Placement new and std::nothrow. A hosted build takes them from <new>; a
// freestanding build (the kernel) declares them here, since no C++ library
// exists there.
#pragma once

#if __STDC_HOSTED__
#include <new>
#else

namespace std {
struct nothrow_t {
    explicit nothrow_t() = default;
};
extern const nothrow_t nothrow;
} // namespace std

// Construct into storage the caller owns; never allocates.
inline void* operator new(__SIZE_TYPE__, void* place) noexcept
{
    return place;
}
inline void* operator new[](__SIZE_TYPE__, void* place) noexcept
{
    return place;
}
inline void operator delete(void*, void*) noexcept {}
inline void operator delete[](void*, void*) noexcept {}

// Defined in new.cpp on kmalloc()/kfree(); they return null on failure and
// never throw. Core code uses make<T>() (memory.h) instead: a plain
// new-expression would construct through a null pointer on failure.
void* operator new(__SIZE_TYPE__ size, const std::nothrow_t&) noexcept;
void* operator new[](__SIZE_TYPE__ size, const std::nothrow_t&) noexcept;
void operator delete(void* ptr, const std::nothrow_t&) noexcept;
void operator delete[](void* ptr, const std::nothrow_t&) noexcept;

#endif
