// SPDX-License-Identifier: GPL-2.0
// Placement new. A hosted build takes it from <new>; a freestanding build
// (the kernel) declares it here, since no C++ library exists there.
//
// There is no global operator new or delete: objects are made with
// make<T>() (memory.h), and a plain new-expression, which would construct
// through a null pointer when memory is short, fails to link.
#pragma once

#if __STDC_HOSTED__
#include <new>
#else

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

#endif
