// SPDX-License-Identifier: GPL-2.0
// Global operator new/delete for the kernel, on kmalloc()/kfree(). A hosted
// build keeps the C++ library's, so this file compiles to nothing there.

#if !__STDC_HOSTED__

#include "new.h"
#include "platform.h"

namespace std {
const nothrow_t nothrow{};
} // namespace std

// Replaceable allocation functions: no exceptions in the kernel, so failure
// is a null pointer, as with the nothrow forms.
void* operator new(__SIZE_TYPE__ size)
{
    return cnxx_pf_alloc(size, CNXX_GFP_KERNEL);
}

void* operator new[](__SIZE_TYPE__ size)
{
    return cnxx_pf_alloc(size, CNXX_GFP_KERNEL);
}

void* operator new(__SIZE_TYPE__ size, const std::nothrow_t&) noexcept
{
    return cnxx_pf_alloc(size, CNXX_GFP_KERNEL);
}

void* operator new[](__SIZE_TYPE__ size, const std::nothrow_t&) noexcept
{
    return cnxx_pf_alloc(size, CNXX_GFP_KERNEL);
}

void operator delete(void* ptr) noexcept
{
    cnxx_pf_free(ptr);
}

void operator delete[](void* ptr) noexcept
{
    cnxx_pf_free(ptr);
}

void operator delete(void* ptr, __SIZE_TYPE__) noexcept
{
    cnxx_pf_free(ptr);
}

void operator delete[](void* ptr, __SIZE_TYPE__) noexcept
{
    cnxx_pf_free(ptr);
}

void operator delete(void* ptr, const std::nothrow_t&) noexcept
{
    cnxx_pf_free(ptr);
}

void operator delete[](void* ptr, const std::nothrow_t&) noexcept
{
    cnxx_pf_free(ptr);
}

#endif
