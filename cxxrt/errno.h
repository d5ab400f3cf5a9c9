// SPDX-License-Identifier: GPL-2.0
// The errno values the core returns, as the kernel defines them for x86 and
// the generic ABI. Macros, so that a hosted build that also includes the C
// library's <errno.h> sees identical redefinitions instead of a clash.
#pragma once

#ifndef EPERM
#define EPERM 1
#endif
#ifndef ENOENT
#define ENOENT 2
#endif
#ifndef ESRCH
#define ESRCH 3
#endif
#ifndef E2BIG
#define E2BIG 7
#endif
#ifndef EAGAIN
#define EAGAIN 11
#endif
#ifndef ENOMEM
#define ENOMEM 12
#endif
#ifndef EEXIST
#define EEXIST 17
#endif
#ifndef ENODEV
#define ENODEV 19
#endif
#ifndef EINVAL
#define EINVAL 22
#endif
#ifndef ENOSPC
#define ENOSPC 28
#endif
#ifndef EMSGSIZE
#define EMSGSIZE 90
#endif
#ifndef ENOBUFS
#define ENOBUFS 105
#endif
