// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_stress: the callbacks, and the dynamic ids they check the
 * unregister contract on.
 *
 * Every dynamic id has a "dead" flag, set right after cn_del_callback()
 * returns and cleared right before cn_add_callback(): a callback that
 * starts or ends with it set, or a call still running when
 * cn_del_callback() returns, is a violation of the unregister contract.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cntest.h"
#include "cnxx_stress.h"

#define STRESS_BUSY	0

struct stress_dyn {
	struct cb_id id;
	unsigned long flags;	/* STRESS_BUSY: an add or remove runs */
	bool registered;	/* changed only with STRESS_BUSY held */
	int dead;		/* cn_del_callback() returned, no add since */
	atomic_t running;	/* calls of the callback in progress */
};

static struct stress_dyn stress_dyn[STRESS_NDYN];

/* Callbacks take it sometimes, as drivers serialise on a device lock. */
static DEFINE_MUTEX(stress_cb_lock);

/* What real callbacks do between receiving and returning. */
static void stress_cb_work(struct cn_msg *msg)
{
	struct stress_small reply;
	void *p;

	switch (get_random_u32() % 8) {
	case 0:
		stress_inc(SC_CB_SLEEP);
		usleep_range(20, 100);
		break;
	case 1:
		stress_inc(SC_CB_MUTEX);
		mutex_lock(&stress_cb_lock);
		udelay(5);
		mutex_unlock(&stress_cb_lock);
		break;
	case 2:
		stress_inc(SC_CB_ALLOC);
		p = kmalloc(256 + msg->len, GFP_KERNEL);
		if (!p) {
			stress_inc(SC_CB_ALLOC_FAIL);
			break;
		}
		memcpy(p, msg->data, msg->len);
		kfree(p);
		break;
	case 3:
		stress_fill(&reply, STRESS_VAL_B_REPLY);
		reply.msg.ack = msg->seq;
		stress_account(STRESS_VAL_B_REPLY,
			       cn_netlink_send(&reply.msg, 0, STRESS_IDX,
					       GFP_KERNEL));
		break;
	default:
		break;
	}
}

static void stress_sink_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	stress_inc(SC_SINK);
	stress_cb_work(msg);
}

/* Replies atomically: a blocking unicast would wait for a full socket. */
static void stress_echo_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	struct cn_msg *reply;

	stress_inc(SC_ECHO);
	reply = kmemdup(msg, sizeof(*msg) + msg->len, GFP_KERNEL);
	if (!reply) {
		stress_inc(SC_ECHO_FAIL);
		return;
	}
	reply->ack = msg->seq + 1;
	if (cn_netlink_send(reply, nsp->portid, 0, GFP_ATOMIC) < 0)
		stress_inc(SC_ECHO_FAIL);
	kfree(reply);
}

static struct stress_dyn *stress_dyn_of(const struct cb_id *id)
{
	u32 slot = id->val - STRESS_VAL_DYN;

	if (id->idx != STRESS_IDX || slot >= STRESS_NDYN)
		return NULL;
	return &stress_dyn[slot];
}

static void stress_dyn_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	struct stress_dyn *d = stress_dyn_of(&msg->id);

	if (!d) {
		stress_inc(SC_BAD_ID);
		return;
	}
	atomic_inc(&d->running);
	/* pairs with stress_del(): it sees running, or we see dead */
	smp_mb__after_atomic();
	if (READ_ONCE(d->dead)) {
		stress_inc(SC_VIOL_CALL_AFTER_DEL);
		pr_err_ratelimited("callback of %u:%u called after cn_del_callback returned\n",
				   d->id.idx, d->id.val);
	}
	stress_inc(SC_DYN);
	stress_cb_work(msg);
	if (READ_ONCE(d->dead)) {
		stress_inc(SC_VIOL_DEL_DURING_CALL);
		pr_err_ratelimited("cn_del_callback of %u:%u returned while its callback ran\n",
				   d->id.idx, d->id.val);
	}
	/* the dead check above happens before the call counts as done */
	smp_mb__before_atomic();
	atomic_dec(&d->running);
}

static int stress_add(struct stress_dyn *d)
{
	int rc;

	WRITE_ONCE(d->dead, 0);
	/* cleared before any call of the new registration can look */
	smp_mb();
	rc = cn_add_callback(&d->id, "cnxx_stress", stress_dyn_cb);
	switch (rc) {
	case 0:
		d->registered = true;
		stress_inc(SC_ADD_OK);
		return 0;
	case -ENOMEM:
		stress_inc(SC_ADD_ENOMEM);
		break;
	case -EINVAL:
		/* Not registered by us: a failed add left an entry behind? */
		stress_inc(SC_ADD_EINVAL);
		break;
	default:
		stress_inc(SC_ADD_OTHER);
		break;
	}
	WRITE_ONCE(d->dead, 1);
	return rc;
}

static void stress_del(struct stress_dyn *d)
{
	cn_del_callback(&d->id);
	WRITE_ONCE(d->dead, 1);
	/* pairs with stress_dyn_cb(): we see running, or it sees dead */
	smp_mb();
	if (atomic_read(&d->running)) {
		stress_inc(SC_VIOL_RUNNING_AT_DEL);
		pr_err_ratelimited("cn_del_callback of %u:%u returned with %d calls running\n",
				   d->id.idx, d->id.val,
				   atomic_read(&d->running));
	}
	d->registered = false;
	stress_inc(SC_DEL);
}

/*
 * Adds or removes dynamic id STRESS_VAL_DYN + @slot % STRESS_NDYN unless
 * someone else is doing so; returns what it did, STRESS_ADD or STRESS_DEL,
 * or 0.
 */
int stress_change_slot(u32 slot, enum stress_op op)
{
	struct stress_dyn *d = &stress_dyn[slot % STRESS_NDYN];
	int done = 0;

	if (test_and_set_bit_lock(STRESS_BUSY, &d->flags)) {
		stress_inc(SC_BUSY);
		return 0;
	}
	if (d->registered && op != STRESS_ADD) {
		stress_del(d);
		done = STRESS_DEL;
	} else if (!d->registered && op != STRESS_DEL) {
		if (!stress_add(d))
			done = STRESS_ADD;
	}
	clear_bit_unlock(STRESS_BUSY, &d->flags);
	return done;
}

/* Adds or removes another id from inside a callback. */
static void stress_ctrl_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	struct stress_ctrl ctrl;
	enum stress_op op;
	int done;

	stress_inc(SC_CTRL);
	if (msg->len < sizeof(ctrl)) {
		stress_inc(SC_CTRL_BAD);
		return;
	}
	memcpy(&ctrl, msg->data, sizeof(ctrl));
	if (ctrl.op == STRESS_CTRL_ADD) {
		op = STRESS_ADD;
	} else if (ctrl.op == STRESS_CTRL_DEL) {
		op = STRESS_DEL;
	} else {
		stress_inc(SC_CTRL_BAD);
		return;
	}
	done = stress_change_slot(ctrl.slot, op);
	if (done == STRESS_ADD)
		stress_inc(SC_CTRL_ADD);
	else if (done == STRESS_DEL)
		stress_inc(SC_CTRL_DEL);
}

unsigned int stress_registered(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < STRESS_NDYN; i++)
		n += READ_ONCE(stress_dyn[i].registered);
	return n;
}

/* The control callback last, and removed first: it adds dynamic ids. */
static const struct cntest_cb stress_cbs[] = {
	{ { STRESS_IDX, STRESS_VAL_SINK }, "cnxx_stress", stress_sink_cb },
	{ { STRESS_IDX, STRESS_VAL_ECHO }, "cnxx_stress", stress_echo_cb },
	{ { STRESS_IDX, STRESS_VAL_CTRL }, "cnxx_stress", stress_ctrl_cb },
};

int stress_callbacks_add(void)
{
	unsigned int i;

	for (i = 0; i < STRESS_NDYN; i++) {
		stress_dyn[i].id.idx = STRESS_IDX;
		stress_dyn[i].id.val = STRESS_VAL_DYN + i;
		stress_dyn[i].dead = 1;
	}
	return cntest_add_callbacks(stress_cbs, ARRAY_SIZE(stress_cbs));
}

/* Once the kthreads have stopped: nothing else adds or removes ids. */
void stress_callbacks_del(void)
{
	unsigned int i;

	cntest_del_callbacks(stress_cbs, ARRAY_SIZE(stress_cbs));
	for (i = 0; i < STRESS_NDYN; i++)
		if (stress_dyn[i].registered)
			stress_del(&stress_dyn[i]);
}
