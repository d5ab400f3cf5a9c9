// SPDX-License-Identifier: GPL-2.0
/*
 * cnbench_kmod - the connector side of cnbench.
 *
 * Uses only the public connector API (cn_add_callback(), cn_del_callback(),
 * cn_netlink_send(), cn_netlink_send_mult()), so the same source builds
 * against and loads with the kernel's cn.ko or with cnxx.ko. The protocol
 * is in cnbench_proto.h.
 */

#include <linux/connector.h>
#include <linux/module.h>

#include "cntest.h"

#define CNBENCH_KIND CNBENCH_KIND_CONNECTOR
#include "cnbench_kern.h"

static const struct cb_id cnbench_target_id = { CNBENCH_IDX,
						CNBENCH_VAL_TARGET };

/* Fillers registered (CNBENCH_VAL_FILLER + 0 .. n - 1), and TARGET. */
static u32 cnbench_fillers;
static bool cnbench_target_on;

static int cnbench_send(struct cn_msg *msg, u32 portid, u32 group, gfp_t gfp)
{
	return cn_netlink_send(msg, portid, group, gfp);
}

static int cnbench_send_mult(struct cn_msg *msg, u16 len, u32 portid,
			     u32 group, gfp_t gfp)
{
	return cntest_send_mult(msg, len, portid, group, gfp);
}

static void cnbench_cmd_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	cnbench_command(msg, nsp->portid);
}

static void cnbench_echo_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	cnbench_echo(msg, nsp->portid);
}

static void cnbench_target_cb(struct cn_msg *msg,
			      struct netlink_skb_parms *nsp)
{
	cnbench_count();
}

static void cnbench_target2_cb(struct cn_msg *msg,
			       struct netlink_skb_parms *nsp)
{
	cnbench_count2();
}

/* Fillers only take room in the registry; nobody sends to them. */
static void cnbench_idle_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
}

/* At load; the fillers and TARGET come and go with CNBENCH_OP_IDS. */
static const struct cntest_cb cnbench_cbs[] = {
	{ { CNBENCH_IDX, CNBENCH_VAL_CMD }, "cnbench_cmd", cnbench_cmd_cb },
	{ { CNBENCH_IDX, CNBENCH_VAL_ECHO }, "cnbench_echo", cnbench_echo_cb },
	{ { CNBENCH_IDX, CNBENCH_VAL_TARGET2 }, "cnbench_target2",
	  cnbench_target2_cb },
};

static struct cb_id cnbench_filler(u32 i)
{
	struct cb_id id = { CNBENCH_IDX, CNBENCH_VAL_FILLER + i };

	return id;
}

static int cnbench_set_ids(u32 n)
{
	u32 want = n ? n - 1 : 0;
	struct cb_id id;
	int err = 0;

	if (n > CNBENCH_MAX_IDS)
		return -EINVAL;
	if (cnbench_target_on) {
		cn_del_callback(&cnbench_target_id);
		cnbench_target_on = false;
	}
	/* Oldest first: the in-tree connector finds those at once. */
	for (; want < cnbench_fillers; want++) {
		id = cnbench_filler(want);
		cn_del_callback(&id);
		cond_resched();
	}
	want = n ? n - 1 : 0;
	if (cnbench_fillers > want)
		cnbench_fillers = want;
	while (cnbench_fillers < want) {
		id = cnbench_filler(cnbench_fillers);
		err = cn_add_callback(&id, "cnbench_fill", cnbench_idle_cb);
		if (err)
			return err;
		cnbench_fillers++;
		cond_resched();
	}
	if (n) {
		err = cn_add_callback(&cnbench_target_id, "cnbench_target",
				      cnbench_target_cb);
		cnbench_target_on = !err;
	}
	return err;
}

static int cnbench_add_del(u32 pairs)
{
	struct cb_id id = { CNBENCH_IDX, 0 };
	int err;
	u32 i;

	for (i = 0; i < pairs; i++) {
		id.val = CNBENCH_VAL_ADDDEL + i;
		err = cn_add_callback(&id, "cnbench_adddel", cnbench_idle_cb);
		if (err)
			return err;
		cn_del_callback(&id);
		cond_resched();
	}
	return 0;
}

static int __init cnbench_init(void)
{
	return cntest_add_callbacks(cnbench_cbs, ARRAY_SIZE(cnbench_cbs));
}

/* Commands first, so that none adds ids while they go. */
static void __exit cnbench_exit(void)
{
	cntest_del_callbacks(cnbench_cbs, ARRAY_SIZE(cnbench_cbs));
	mutex_lock(&cnbench_lock);
	cnbench_set_ids(0);
	mutex_unlock(&cnbench_lock);
}

module_init(cnbench_init);
module_exit(cnbench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Connector benchmark: the kernel side, on the connector API");
