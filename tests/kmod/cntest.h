/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel test and bench modules share (kunit/, tests/vm/,
 * tools/bench/): the one place that knows both signatures of
 * cn_netlink_send_mult(), tables of callbacks added and removed together,
 * and module parameters that state their default once. Public connector
 * API only, so that a module using it still loads with the kernel's cn.ko.
 */
#ifndef CNTEST_H
#define CNTEST_H

#include <linux/connector.h>
#include <linux/moduleparam.h>
#include <linux/stringify.h>

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

/* A callback a module registers for its whole life. */
struct cntest_cb {
	struct cb_id id;
	const char *name;
	void (*fn)(struct cn_msg *msg, struct netlink_skb_parms *nsp);
};

/* Removes the @n callbacks of @cbs, the last one first. May sleep. */
static inline void cntest_del_callbacks(const struct cntest_cb *cbs,
					unsigned int n)
{
	while (n--)
		cn_del_callback(&cbs[n].id);
}

/*
 * Adds the @n callbacks of @cbs in order, so that the last one, which may
 * use the others, comes last. On a failure removes what it added and
 * returns the error. May sleep.
 */
static inline int cntest_add_callbacks(const struct cntest_cb *cbs,
				       unsigned int n)
{
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		err = cn_add_callback(&cbs[i].id, cbs[i].name, cbs[i].fn);
		if (err) {
			cntest_del_callbacks(cbs, i);
			return err;
		}
	}
	return 0;
}

/* A read-only uint parameter whose description ends with its default. */
#define CNTEST_UINT_PARAM(name, def, desc)				\
	static unsigned int name = def;					\
	module_param(name, uint, 0444);					\
	MODULE_PARM_DESC(name, desc " (default " __stringify(def) ")")

#endif /* CNTEST_H */
