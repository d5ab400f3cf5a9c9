// SPDX-License-Identifier: GPL-2.0
// Debug builds only: deliberate bugs in C++, so that the debug job can
// prove that the kernel's checkers see the C++ objects.
#include "../cnxx_abi.h"

#include "../../../cxxrt/errno.h"

// Reads one byte past a @size-byte allocation: KASAN must report it.
int cnxx_core_selftest_oob_read(cnxx_size_t size)
{
    auto* bytes = static_cast<volatile cnxx_u8*>(cnxx_pf_alloc(size, CNXX_GFP_KERNEL));
    if (!bytes)
        return -ENOMEM;
    const int value = bytes[size];
    cnxx_pf_free(const_cast<cnxx_u8*>(bytes));
    return value;
}
