// SPDX-License-Identifier: GPL-2.0
// ASSERT(): an invariant check. Builds that define CXXRT_DEBUG (the host
// tests, debug kernels) log the failed condition and stop; others compile
// it out, like the kernel's VM_BUG_ON() without CONFIG_DEBUG_VM.
#pragma once

#include "platform.h"

#ifdef CXXRT_DEBUG
#define ASSERT(condition)                                                                          \
    do {                                                                                           \
        if (__builtin_expect(!(condition), 0)) {                                                   \
            cnxx_pf_log(                                                                           \
                CNXX_LOG_ERR, "assertion failed: %s at %s:%d\n", #condition, __FILE__, __LINE__);  \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)
#else
#define ASSERT(condition)                                                                          \
    do {                                                                                           \
        (void)sizeof(condition);                                                                   \
    } while (0)
#endif
