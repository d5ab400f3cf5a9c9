/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel test and bench modules share (kunit/, tests/vm/,
 * tools/bench/). Public connector API only, so that a module using it
 * still loads with the kernel's cn.ko.
 */
#ifndef CNTEST_H
#define CNTEST_H

#include <linux/connector.h>

#include "cntest_ids.h"

/*
 * cn_netlink_send_mult() with no filter: kernels from 6.6 on take a filter
 * function and its data (CNXX_HAVE_SEND_FILTER, from scripts/Kbuild.probe).
 */
static inline int cntest_send_mult(struct cn_msg *msg, u16 len, u32 portid,
				   u32 group, gfp_t gfp)
{
#ifdef CNXX_HAVE_SEND_FILTER
	return cn_netlink_send_mult(msg, len, portid, group, gfp, NULL, NULL);
#else
	return cn_netlink_send_mult(msg, len, portid, group, gfp);
#endif
}

#endif /* CNTEST_H */
