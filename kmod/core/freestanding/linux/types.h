/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The __u8 .. __u64 of <linux/types.h>, from the compiler. The core is
 * built without kernel or libc headers; this directory is on its include
 * path so that it can read the project's uapi header
 * (include/uapi/cnxx/cnxx_wire.h), which is plain C on these names, instead
 * of keeping a copy of it.
 */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

typedef __UINT8_TYPE__ __u8;
typedef __UINT16_TYPE__ __u16;
typedef __UINT32_TYPE__ __u32;
typedef __INT32_TYPE__ __s32;
typedef unsigned long long __u64; /* as the kernel's int-ll64.h */

#endif /* _LINUX_TYPES_H */
