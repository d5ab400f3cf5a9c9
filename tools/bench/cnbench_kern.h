/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel side of cnbench that does not depend on who owns
 * NETLINK_CONNECTOR: commands, the counter, echo and broadcast bursts.
 * Included once by each bench module, which first defines the hooks below.
 */
#ifndef CNBENCH_KERN_H
#define CNBENCH_KERN_H

#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/connector.h>
#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "cnbench_proto.h"

/*
 * Hooks of the including module:
 *   cnbench_send()      cn_netlink_send() or its raw equivalent
 *   cnbench_send_mult() cn_netlink_send_mult() or its raw equivalent
 *   cnbench_set_ids()   see CNBENCH_OP_IDS
 *   cnbench_add_del()   see CNBENCH_OP_ADDDEL
 *   CNBENCH_KIND        enum cnbench_kind
 */
static int cnbench_send(struct cn_msg *msg, u32 portid, u32 group, gfp_t gfp);
static int cnbench_send_mult(struct cn_msg *msg, u16 len, u32 portid,
			     u32 group, gfp_t gfp);
static int cnbench_set_ids(u32 n);
static int cnbench_add_del(u32 pairs);

/* One cache line each: two senders to two callbacks share nothing here. */
static atomic64_t cnbench_hits ____cacheline_aligned_in_smp;
static atomic64_t cnbench_hits2 ____cacheline_aligned_in_smp;
/* Serialises commands. */
static DEFINE_MUTEX(cnbench_lock);

/* All a dispatch costs on the bench side: one atomic increment. */
static void cnbench_count(void)
{
	atomic64_inc(&cnbench_hits);
}

static void cnbench_count2(void)
{
	atomic64_inc(&cnbench_hits2);
}

static void cnbench_echo(const struct cn_msg *msg, u32 portid)
{
	struct cn_msg reply = {
		.id = msg->id,
		.seq = msg->seq,
		.ack = msg->seq + 1,
	};

	cnbench_send(&reply, portid, 0, GFP_ATOMIC);
}

/* cnxx loaded with more groups measures a burst to a group above 32. */
static unsigned int bcast_group = CNBENCH_GROUP;
module_param(bcast_group, uint, 0444);
MODULE_PARM_DESC(bcast_group, "Netlink group of the broadcast bursts");

/*
 * Sends @count messages of @records records of @size bytes each to
 * bcast_group; only the send loop is timed.
 */
static int cnbench_bcast(u32 count, u32 size, u32 records, u64 *ns, u64 *sent)
{
	size_t rec = sizeof(struct cn_msg) + size;
	struct cn_msg *buf, *m;
	u32 i, r;
	u64 start;
	int err = 0;
	u8 *data;

	if (count > CNBENCH_MAX_BURST || size > CNBENCH_MAX_PAYLOAD ||
	    !records || records > CNBENCH_MAX_RECORDS ||
	    rec * records > U16_MAX)
		return -EINVAL;
	buf = kmalloc(rec * records, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (r = 0; r < records; r++) {
		m = (struct cn_msg *)((u8 *)buf + r * rec);
		m->id.idx = CNBENCH_IDX;
		m->id.val = CNBENCH_VAL_TARGET;
		m->seq = 0;
		m->ack = r;
		m->len = size;
		data = m->data;
		for (i = 0; i < size; i++)
			data[i] = (u8)(r + i);
	}

	start = ktime_get_ns();
	for (i = 0; i < count; i++) {
		for (r = 0; r < records; r++)
			((struct cn_msg *)((u8 *)buf + r * rec))->seq = i;
		if (records == 1)
			err = cnbench_send(buf, 0, bcast_group, GFP_KERNEL);
		else
			err = cnbench_send_mult(buf, rec * records - sizeof(*buf),
						0, bcast_group, GFP_KERNEL);
		if (err)
			break;
		/* No preemption in the test kernels: let the reader run. */
		cond_resched();
	}
	*ns = ktime_get_ns() - start;
	*sent = i;
	kfree(buf);
	return err;
}

static void cnbench_command(const struct cn_msg *msg, u32 portid)
{
	const struct cnbench_cmd *cmd = (const struct cnbench_cmd *)msg->data;
	u8 out[sizeof(struct cn_msg) + sizeof(struct cnbench_reply)] __aligned(8);
	struct cn_msg *hdr = (struct cn_msg *)out;
	struct cnbench_reply *rep = (struct cnbench_reply *)hdr->data;
	u64 start;

	memset(out, 0, sizeof(out));
	hdr->id = msg->id;
	hdr->seq = msg->seq;
	hdr->ack = msg->seq + 1;
	hdr->len = sizeof(*rep);
	if (msg->len < sizeof(*cmd)) {
		rep->status = -EINVAL;
		goto reply;
	}
	rep->op = cmd->op;

	mutex_lock(&cnbench_lock);
	start = ktime_get_ns();
	switch (cmd->op) {
	case CNBENCH_OP_HELLO:
		rep->count = CNBENCH_KIND;
		rep->aux = CNBENCH_VERSION;
		break;
	case CNBENCH_OP_HITS:
		rep->count = atomic64_xchg(&cnbench_hits, 0);
		rep->aux = atomic64_xchg(&cnbench_hits2, 0);
		break;
	case CNBENCH_OP_IDS:
		rep->status = cnbench_set_ids(cmd->arg[0]);
		rep->ns = ktime_get_ns() - start;
		break;
	case CNBENCH_OP_BCAST:
		rep->status = cnbench_bcast(cmd->arg[0], cmd->arg[1],
					    cmd->arg[2], &rep->ns, &rep->count);
		break;
	case CNBENCH_OP_ADDDEL:
		rep->status = cnbench_add_del(cmd->arg[0]);
		rep->ns = ktime_get_ns() - start;
		rep->count = cmd->arg[0];
		break;
	default:
		rep->status = -EOPNOTSUPP;
		break;
	}
	mutex_unlock(&cnbench_lock);
reply:
	/* Never blocks: a full socket would wait on the very task sending. */
	cnbench_send(hdr, portid, 0, GFP_ATOMIC);
}

#endif /* CNBENCH_KERN_H */
