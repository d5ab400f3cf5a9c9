// SPDX-License-Identifier: GPL-2.0
// The errno values the core returns, as the kernel defines them for x86 and
// the generic ABI; kmod/platform.c checks them against the kernel's own at
// build time. The plain names are defined only where nothing else did, so
// that a hosted build that also includes the C library's <errno.h> works.
#pragma once

#define CXXRT_EPERM 1
#define CXXRT_ENOENT 2
#define CXXRT_ESRCH 3
#define CXXRT_E2BIG 7
#define CXXRT_EAGAIN 11
#define CXXRT_ENOMEM 12
#define CXXRT_EEXIST 17
#define CXXRT_ENODEV 19
#define CXXRT_EINVAL 22
#define CXXRT_ENOSPC 28
#define CXXRT_EMSGSIZE 90
#define CXXRT_ENOBUFS 105

// X(name) for each value above: the build-time check walks this list.
#define CXXRT_ERRNO_LIST(X) \
	X(EPERM) \
	X(ENOENT) \
	X(ESRCH) \
	X(E2BIG) \
	X(EAGAIN) \
	X(ENOMEM) \
	X(EEXIST) \
	X(ENODEV) \
	X(EINVAL) \
	X(ENOSPC) \
	X(EMSGSIZE) \
	X(ENOBUFS)

#ifndef EPERM
#define EPERM CXXRT_EPERM
#endif
#ifndef ENOENT
#define ENOENT CXXRT_ENOENT
#endif
#ifndef ESRCH
#define ESRCH CXXRT_ESRCH
#endif
#ifndef E2BIG
#define E2BIG CXXRT_E2BIG
#endif
#ifndef EAGAIN
#define EAGAIN CXXRT_EAGAIN
#endif
#ifndef ENOMEM
#define ENOMEM CXXRT_ENOMEM
#endif
#ifndef EEXIST
#define EEXIST CXXRT_EEXIST
#endif
#ifndef ENODEV
#define ENODEV CXXRT_ENODEV
#endif
#ifndef EINVAL
#define EINVAL CXXRT_EINVAL
#endif
#ifndef ENOSPC
#define ENOSPC CXXRT_ENOSPC
#endif
#ifndef EMSGSIZE
#define EMSGSIZE CXXRT_EMSGSIZE
#endif
#ifndef ENOBUFS
#define ENOBUFS CXXRT_ENOBUFS
#endif
