/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Ids of cnxx_unload.ko, shared with the cnunload program: what an unload
 * must survive (tests/vm/README).
 */
#ifndef CNXX_UNLOADPROTO_H
#define CNXX_UNLOADPROTO_H

#include "../kmod/cntest_ids.h"

#define UNLOAD_IDX		CNTEST_IDX_UNLOAD
/* removes its own id, then sleeps UNLOAD_SELFDEL_MS and returns */
#define UNLOAD_VAL_SELFDEL	1
/* answers each message with UNLOAD_REPLY_SIZE bytes to the sender's port */
#define UNLOAD_VAL_REPLY	2

#define UNLOAD_SELFDEL_MS	800
#define UNLOAD_REPLY_SIZE	4096

#endif /* CNXX_UNLOADPROTO_H */
