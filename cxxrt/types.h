// SPDX-License-Identifier: GPL-2.0
// Fixed-width integer names, taken from the compiler so that no libc or
// kernel header is needed.
#pragma once

namespace cxxrt {

using u8 = __UINT8_TYPE__;
using u16 = __UINT16_TYPE__;
using u32 = __UINT32_TYPE__;
using u64 = __UINT64_TYPE__;
using size_t = __SIZE_TYPE__;

} // namespace cxxrt

// Exempts a local from -ftrivial-auto-var-init=zero, which kernels built
// with INIT_STACK_ALL_ZERO pass: only for locals written before any read,
// on hot paths where the fill (a rep stos) would be pure cost.
#if __has_attribute(uninitialized)
#define CXXRT_UNINITIALIZED __attribute__((uninitialized))
#else
#define CXXRT_UNINITIALIZED
#endif
