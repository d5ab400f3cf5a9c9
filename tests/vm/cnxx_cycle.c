// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_cycle - a small connector user for load/unload cycles with
 * messages in flight.
 *
 * Registers {CYCLE_IDX, 1 .. CYCLE_NIDS}. Its callback sleeps on most calls
 * and sometimes replies to group CYCLE_IDX, so that an rmmod often finds a
 * call running: cn_del_callback() in the exit function must wait for it,
 * or the call returns into freed module text.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/connector.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "cntest.h"
#include "cnxx_stressproto.h"

CNTEST_UINT_PARAM(sleep_us, 200, "how long a call sleeps, at most, in us");

static struct cb_id cycle_ids[CYCLE_NIDS];
static unsigned int cycle_nids;

static void cycle_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	struct cn_msg *reply;
	u32 r = get_random_u32();

	if (r % 4)
		usleep_range(sleep_us / 2 + 1, sleep_us + 2);
	if (r % 8)
		return;
	reply = kzalloc(sizeof(*reply) + msg->len, GFP_KERNEL);
	if (!reply)
		return;
	*reply = *msg;
	memcpy(reply->data, msg->data, msg->len);
	reply->ack = msg->seq + 1;
	cn_netlink_send(reply, 0, CYCLE_IDX, GFP_KERNEL);
	kfree(reply);
}

static void cycle_del_all(void)
{
	while (cycle_nids)
		cn_del_callback(&cycle_ids[--cycle_nids]);
}

static int __init cycle_init(void)
{
	int rc;

	for (cycle_nids = 0; cycle_nids < CYCLE_NIDS; cycle_nids++) {
		cycle_ids[cycle_nids].idx = CYCLE_IDX;
		cycle_ids[cycle_nids].val = cycle_nids + 1;
		rc = cn_add_callback(&cycle_ids[cycle_nids], "cnxx_cycle",
				     cycle_cb);
		if (rc) {
			cycle_del_all();
			return rc;
		}
	}
	return 0;
}

static void __exit cycle_exit(void)
{
	cycle_del_all();
}

module_init(cycle_init);
module_exit(cycle_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Connector user for load/unload cycles under traffic");
MODULE_AUTHOR("cnxx developers");
