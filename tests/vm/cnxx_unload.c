// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_unload - callbacks that an unload must wait for, without letting a
 * sender hold it (driven by the cnunload program; ids in cnxx_unloadproto.h):
 *   SELFDEL removes its own id, then keeps running for 800 ms: rmmod's
 *           cn_del_callback() of the same id must wait for it.
 *   REPLY   answers every message with 4 KiB by a blocking unicast to the
 *           sender, as the connector documentation's example does: a
 *           sender that never reads must not hold rmmod.
 * Uses only the public connector API. At exit it logs what its replies
 * cost, for the test to report.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/connector.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "cntest.h"
#include "cnxx_unloadproto.h"

static atomic_t unload_replies_sent;
static atomic_t unload_replies_failed;
static atomic64_t unload_fail_ns_max;
static atomic64_t unload_fail_ns_total;
static atomic64_t unload_ok_ns_total;

static void unload_selfdel(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	cn_del_callback(&msg->id);
	msleep(UNLOAD_SELFDEL_MS);
	/* Still this module's text: it must not be gone yet. */
	pr_info("self-removed callback returns\n");
}

static void unload_note_failure(s64 ns)
{
	s64 max = atomic64_read(&unload_fail_ns_max);

	atomic_inc(&unload_replies_failed);
	atomic64_add(ns, &unload_fail_ns_total);
	while (ns > max && !atomic64_try_cmpxchg(&unload_fail_ns_max, &max, ns))
		;
}

static void unload_reply(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	struct cn_msg *reply;
	ktime_t start;
	s64 ns;
	int err;

	reply = kzalloc(sizeof(*reply) + UNLOAD_REPLY_SIZE, GFP_KERNEL);
	if (!reply)
		return;
	reply->id = msg->id;
	reply->seq = msg->seq;
	reply->ack = msg->seq + 1;
	reply->len = UNLOAD_REPLY_SIZE;
	start = ktime_get();
	err = cn_netlink_send(reply, nsp->portid, 0, GFP_KERNEL);
	ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	if (err < 0) {
		unload_note_failure(ns);
	} else {
		atomic_inc(&unload_replies_sent);
		atomic64_add(ns, &unload_ok_ns_total);
	}
	kfree(reply);
}

static const struct cntest_cb unload_cbs[] = {
	{ { UNLOAD_IDX, UNLOAD_VAL_SELFDEL }, "cnxx_unload", unload_selfdel },
	{ { UNLOAD_IDX, UNLOAD_VAL_REPLY }, "cnxx_unload", unload_reply },
};

static int __init unload_init(void)
{
	return cntest_add_callbacks(unload_cbs, ARRAY_SIZE(unload_cbs));
}

static void __exit unload_exit(void)
{
	int sent, failed;

	/* The self-removed id is gone already: this must still wait for it. */
	cntest_del_callbacks(unload_cbs, ARRAY_SIZE(unload_cbs));
	sent = atomic_read(&unload_replies_sent);
	failed = atomic_read(&unload_replies_failed);
	pr_info("replies: %d sent (%lld ns each), %d dropped (%lld ns each, longest %lld ns)\n",
		sent, sent ? atomic64_read(&unload_ok_ns_total) / sent : 0,
		failed,
		failed ? atomic64_read(&unload_fail_ns_total) / failed : 0,
		atomic64_read(&unload_fail_ns_max));
}

module_init(unload_init);
module_exit(unload_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Callbacks an unload must wait for, for the cnxx VM tests");
