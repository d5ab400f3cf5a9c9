// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_testmod - a connector user driven from user space, for the VM tests.
 *
 * Uses only the public connector API, so it runs against cnxx.ko and
 * against the kernel's own cn.ko (built with CNXX_TESTMOD_NO_NOTIFY=1,
 * which has no cnxx_notify_request()). Ids, all under TEST_IDX:
 *   {16,1} echo: the same message back to the sender, ack = seq + 1
 *   {16,2} commands: struct cnxx_test_cmd, see cnxx_testproto.h
 *   {16,3} sink: counts what it receives
 * and any id added by CNXX_TEST_OP_REGISTER (counted as well).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/connector.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>

#ifndef CNXX_TESTMOD_NO_NOTIFY
#include <cnxx/cnxx_kernel.h>
#endif

#include "cntest.h"
#include "cnxx_testproto.h"

#define TESTMOD_MAX_DYN		64
#define TESTMOD_MAX_NOTIFY	8

static atomic_t testmod_cnt[CNXX_TEST_NCOUNTERS];

/* Serialises commands; protects everything below. */
static DEFINE_MUTEX(testmod_lock);

static struct cb_id testmod_dyn[TESTMOD_MAX_DYN];
static unsigned int testmod_ndyn;

/* A send from softirq context: the command waits for the timer. */
static struct timer_list testmod_timer;
static DECLARE_COMPLETION(testmod_timer_done);
static struct cn_msg *testmod_timer_msg;
static const struct cnxx_test_cmd *testmod_timer_cmd;
static struct cnxx_test_result *testmod_timer_res;

static void testmod_fill(struct cn_msg *msg)
{
	u16 i;

	for (i = 0; i < msg->len; i++)
		msg->data[i] = (u8)(msg->seq + i);
}

static void testmod_echo(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	struct cn_msg *reply;

	reply = kmemdup(msg, sizeof(*msg) + msg->len, GFP_KERNEL);
	if (!reply)
		return;
	reply->ack = msg->seq + 1;
	atomic_inc(&testmod_cnt[CNXX_TEST_CNT_ECHO]);
	cn_netlink_send(reply, nsp->portid, 0, GFP_KERNEL);
	kfree(reply);
}

/* Also records where it ran: callbacks run in the sender's context. */
static void testmod_sink(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	atomic_set(&testmod_cnt[CNXX_TEST_CNT_SINK_PID], task_tgid_nr(current));
	atomic_set(&testmod_cnt[CNXX_TEST_CNT_SINK_TASK], in_task());
	atomic_add(msg->seq, &testmod_cnt[CNXX_TEST_CNT_SINK_SEQSUM]);
	atomic_set(&testmod_cnt[CNXX_TEST_CNT_SINK_LEN], msg->len);
	atomic_inc(&testmod_cnt[CNXX_TEST_CNT_SINK]);
}

static void testmod_dyn_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	atomic_inc(&testmod_cnt[CNXX_TEST_CNT_DYN]);
}

/* Sends cmd->count copies of @msg with increasing seq; records returns. */
static void testmod_send_loop(struct cn_msg *msg,
			      const struct cnxx_test_cmd *cmd,
			      struct cnxx_test_result *res, gfp_t gfp)
{
	u32 step = cmd->flags & CNXX_TEST_F_EACH_GROUP ? 1 : 0;
	u32 i;
	int rc;

	for (i = 0; i < cmd->count; i++) {
		msg->seq = cmd->seq + i;
		testmod_fill(msg);
		rc = cn_netlink_send(msg, cmd->portid, cmd->group + i * step,
				     gfp);
		if (res->nrc < CNXX_TEST_MAX_RC)
			res->rc[res->nrc++] = rc;
		if (rc >= 0)
			res->done++;
		else if (!res->err)
			res->err = rc;
	}
}

static void testmod_timer_fn(struct timer_list *t)
{
	testmod_send_loop(testmod_timer_msg, testmod_timer_cmd,
			  testmod_timer_res, GFP_ATOMIC);
	complete(&testmod_timer_done);
}

static int testmod_op_send(const struct cnxx_test_cmd *cmd,
			   struct cnxx_test_result *res)
{
	struct cn_msg *msg;

	if (cmd->count > CNXX_TEST_MAX_COUNT ||
	    cmd->size > CONNECTOR_MAX_MSG_SIZE - sizeof(*msg))
		return -EINVAL;

	msg = kzalloc(sizeof(*msg) + cmd->size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	msg->id.idx = cmd->idx;
	msg->id.val = cmd->val;
	msg->len = cmd->size;

	if (cmd->flags & CNXX_TEST_F_TIMER) {
		testmod_timer_msg = msg;
		testmod_timer_cmd = cmd;
		testmod_timer_res = res;
		reinit_completion(&testmod_timer_done);
		mod_timer(&testmod_timer, jiffies + 1);
		wait_for_completion(&testmod_timer_done);
	} else {
		testmod_send_loop(msg, cmd, res,
				  cmd->flags & CNXX_TEST_F_ATOMIC ?
				  GFP_ATOMIC : GFP_KERNEL);
	}

	kfree(msg);
	return res->err;
}

static int testmod_op_send_mult(const struct cnxx_test_cmd *cmd,
				struct cnxx_test_result *res)
{
	size_t rec = sizeof(struct cn_msg) + cmd->size;
	size_t total, alloc;
	struct cn_msg *m;
	long len;
	u8 *buf;
	u32 i;
	int rc;

	if (!cmd->count || cmd->count > CNXX_TEST_MAX_COUNT ||
	    cmd->size > U16_MAX || cmd->count * rec > U16_MAX)
		return -EINVAL;
	total = cmd->count * rec;
	len = (long)total - (long)sizeof(struct cn_msg) + cmd->extra;
	if (len < 0 || len > U16_MAX)
		return -EINVAL;

	/* Slack: a connector that trusts a wrong len reads zeroes, not past. */
	alloc = max_t(size_t, total, sizeof(struct cn_msg) + len) + 64;
	buf = kzalloc(alloc, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < cmd->count; i++) {
		m = (struct cn_msg *)(buf + i * rec);
		m->id.idx = cmd->idx;
		m->id.val = cmd->val;
		m->seq = cmd->seq + i;
		m->ack = i;
		m->len = cmd->size;
		testmod_fill(m);
	}

	rc = cntest_send_mult((struct cn_msg *)buf, len, cmd->portid,
			      cmd->group, GFP_KERNEL);
	kfree(buf);
	res->rc[0] = rc;
	res->nrc = 1;
	if (rc < 0)
		return rc;
	res->done = 1;
	return 0;
}

static int testmod_find_dyn(const struct cb_id *id)
{
	unsigned int i;

	for (i = 0; i < testmod_ndyn; i++)
		if (testmod_dyn[i].idx == id->idx &&
		    testmod_dyn[i].val == id->val)
			return i;
	return -1;
}

static int testmod_op_register(const struct cnxx_test_cmd *cmd)
{
	struct cb_id id = { cmd->idx, cmd->val };
	int err;

	if (testmod_ndyn == TESTMOD_MAX_DYN)
		return -ENOSPC;
	err = cn_add_callback(&id, "cnxx_test_dyn", testmod_dyn_cb);
	if (err)
		return err;
	testmod_dyn[testmod_ndyn++] = id;
	return 0;
}

/* Only ids this module added: the fixed ones stay. */
static int testmod_op_unregister(const struct cnxx_test_cmd *cmd)
{
	struct cb_id id = { cmd->idx, cmd->val };
	int i = testmod_find_dyn(&id);

	if (i < 0)
		return -ENOENT;
	cn_del_callback(&id);
	testmod_dyn[i] = testmod_dyn[--testmod_ndyn];
	return 0;
}

#ifndef CNXX_TESTMOD_NO_NOTIFY
/* Kernel notification requests still active: range[4], group. */
static u32 testmod_notify[TESTMOD_MAX_NOTIFY][5];
static unsigned int testmod_nnotify;

/* One idx range, one val range; the request is copied, so the stack will do. */
static int testmod_notify_request(const u32 *range, u32 group)
{
	struct {
		struct cn_ctl_msg ctl;
		struct cn_notify_req req[2];
	} r = {
		.ctl = {
			.idx_notify_num = 1,
			.val_notify_num = 1,
			.group = group,
			.len = sizeof(r.req),
		},
		.req = {
			{ .first = range[0], .range = range[1] },
			{ .first = range[2], .range = range[3] },
		},
	};

	return cnxx_notify_request(&r.ctl, sizeof(r));
}

static int testmod_op_notify(const struct cnxx_test_cmd *cmd)
{
	unsigned int i;
	int err;

	if (cmd->group && testmod_nnotify == TESTMOD_MAX_NOTIFY)
		return -ENOSPC;
	err = testmod_notify_request(cmd->range, cmd->group);
	if (err)
		return err;

	if (cmd->group) {
		memcpy(testmod_notify[testmod_nnotify], cmd->range,
		       sizeof(cmd->range));
		testmod_notify[testmod_nnotify++][4] = cmd->group;
		return 0;
	}
	for (i = 0; i < testmod_nnotify; i++) {
		if (!memcmp(testmod_notify[i], cmd->range,
			    sizeof(cmd->range))) {
			memcpy(testmod_notify[i],
			       testmod_notify[--testmod_nnotify],
			       sizeof(testmod_notify[i]));
			break;
		}
	}
	return 0;
}

static void testmod_notify_cleanup(void)
{
	while (testmod_nnotify)
		testmod_notify_request(testmod_notify[--testmod_nnotify], 0);
}
#else
static int testmod_op_notify(const struct cnxx_test_cmd *cmd)
{
	return -EOPNOTSUPP;
}

static void testmod_notify_cleanup(void)
{
}
#endif

static void testmod_op_counters(struct cnxx_test_result *res)
{
	int i;

	for (i = 0; i < CNXX_TEST_NCOUNTERS; i++)
		res->val[i] = atomic_read(&testmod_cnt[i]);
	res->val[CNXX_TEST_CNT_DYN_IDS] = testmod_ndyn;
}

static int testmod_run(const struct cnxx_test_cmd *cmd,
		       struct cnxx_test_result *res)
{
	switch (cmd->op) {
	case CNXX_TEST_OP_SEND:
		return testmod_op_send(cmd, res);
	case CNXX_TEST_OP_SEND_MULT:
		return testmod_op_send_mult(cmd, res);
	case CNXX_TEST_OP_REGISTER:
		return testmod_op_register(cmd);
	case CNXX_TEST_OP_UNREGISTER:
		return testmod_op_unregister(cmd);
	case CNXX_TEST_OP_COUNTERS:
		testmod_op_counters(res);
		return 0;
	case CNXX_TEST_OP_NOTIFY:
		return testmod_op_notify(cmd);
	}
	return -EOPNOTSUPP;
}

static void testmod_cmd(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	struct cnxx_test_result *res;
	struct cnxx_test_cmd cmd;
	struct cn_msg *reply;
	int err;

	reply = kzalloc(sizeof(*reply) + sizeof(*res), GFP_KERNEL);
	if (!reply)
		return;
	res = (struct cnxx_test_result *)reply->data;

	if (msg->len < sizeof(cmd)) {
		res->err = -EINVAL;
	} else {
		memcpy(&cmd, msg->data, sizeof(cmd));
		res->op = cmd.op;
		mutex_lock(&testmod_lock);
		err = testmod_run(&cmd, res);
		mutex_unlock(&testmod_lock);
		if (err && !res->err)
			res->err = err;
	}
	atomic_inc(&testmod_cnt[CNXX_TEST_CNT_CMDS]);

	reply->id = msg->id;
	reply->seq = msg->seq;
	reply->ack = msg->seq + 1;
	reply->len = sizeof(*res);
	err = cn_netlink_send(reply, nsp->portid, 0, GFP_KERNEL);
	if (err < 0)
		pr_warn("reply to port %u failed: %d\n", nsp->portid, err);
	kfree(reply);
}

/*
 * Commands last: once they arrive, everything else is in place; and
 * removed first, so that nothing adds ids or arms the timer afterwards.
 */
static const struct cntest_cb testmod_cbs[] = {
	{ { TEST_IDX, TEST_VAL_ECHO }, "cnxx_test_echo", testmod_echo },
	{ { TEST_IDX, TEST_VAL_SINK }, "cnxx_test_sink", testmod_sink },
	{ { TEST_IDX, TEST_VAL_CMD }, "cnxx_test_cmd", testmod_cmd },
};

static int __init testmod_init(void)
{
	int err;

	timer_setup(&testmod_timer, testmod_timer_fn, 0);
	err = cntest_add_callbacks(testmod_cbs, ARRAY_SIZE(testmod_cbs));
	if (err)
		pr_err("cn_add_callback failed: %d\n", err);
	return err;
}

static void __exit testmod_exit(void)
{
	cntest_del_callbacks(testmod_cbs, ARRAY_SIZE(testmod_cbs));

	/*
	 * No command runs any more, so no lock: holding testmod_lock, which
	 * the command callback takes, while waiting for callbacks is what
	 * lockdep reports as a deadlock.
	 */
	while (testmod_ndyn)
		cn_del_callback(&testmod_dyn[--testmod_ndyn]);
	testmod_notify_cleanup();

	del_timer_sync(&testmod_timer);
}

module_init(testmod_init);
module_exit(testmod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Connector test module for the cnxx VM tests");
