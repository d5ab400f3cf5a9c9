// SPDX-License-Identifier: GPL-2.0
// Loads of native-endian integers from any address. Netlink data
// comes from user space and is only as aligned as the sender made it.
#pragma once

#include "types.h"

namespace cxxrt {

// Reads a T from @bytes, which need not be aligned for T.
// T must be trivially copyable.
template <typename T>
inline T load_unaligned(const void* bytes)
{
    CXXRT_UNINITIALIZED T value;
    __builtin_memcpy(&value, bytes, sizeof(T));
    return value;
}

} // namespace cxxrt
