// SPDX-License-Identifier: GPL-2.0
// make<T>() / destroy(): object creation on the platform allocator, where
// failure is a null pointer rather than an exception.
#pragma once

#include "new.h"
#include "platform.h"
#include "types.h"
#include "utility.h"

namespace cxxrt {

// kmalloc() guarantees this alignment; types needing more cannot be made.
constexpr size_t allocation_alignment = 8;

// Allocates with @gfp and constructs a T from @args.
// Returns nullptr when memory is short; nothing is constructed then.
template <typename T, typename... Args>
T* make(cnxx_gfp gfp, Args&&... args)
{
    static_assert(alignof(T) <= allocation_alignment, "over-aligned type");
    void* storage = cnxx_pf_alloc(sizeof(T), gfp);
    if (!storage)
        return nullptr;
    return new (storage) T(forward<Args>(args)...);
}

// As make(), with @extra bytes after the object for a trailing array that
// the object itself knows how to reach.
template <typename T, typename... Args>
T* make_with_trailing(cnxx_gfp gfp, size_t extra, Args&&... args)
{
    static_assert(alignof(T) <= allocation_alignment, "over-aligned type");
    if (extra > ~size_t(0) - sizeof(T))
        return nullptr;
    void* storage = cnxx_pf_alloc(sizeof(T) + extra, gfp);
    if (!storage)
        return nullptr;
    return new (storage) T(forward<Args>(args)...);
}

// Destroys an object from make() and frees its memory.
// Accepts nullptr, like kfree().
template <typename T>
void destroy(T* object)
{
    if (!object)
        return;
    object->~T();
    cnxx_pf_free(object);
}

} // namespace cxxrt
