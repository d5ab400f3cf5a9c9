// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_stress - concurrency and fault-injection stress for a connector.
 *
 * Uses only the public connector API, so it runs on cnxx.ko and on the
 * kernel's own cn.ko. Ids and kinds: see cnxx_stressproto.h.
 *
 * While started ("start" written to debugfs control):
 *  - registrar kthreads add and remove random dynamic ids in a loop;
 *  - sender kthreads broadcast with GFP_KERNEL, with cn_netlink_send_mult
 *    and routed by a dynamic id (group 0);
 *  - a softirq hrtimer broadcasts with GFP_ATOMIC.
 * Callbacks, called by user senders, count deliveries, sometimes sleep,
 * take a mutex, allocate with GFP_KERNEL or reply with cn_netlink_send, as
 * real users do; the control callback adds and removes other ids.
 *
 * Every dynamic id has a "dead" flag, set right after cn_del_callback()
 * returns and cleared right before cn_add_callback(): a callback that
 * starts or ends with it set, or a call still running when
 * cn_del_callback() returns, is a violation of the unregister contract.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/connector.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "cntest.h"
#include "cnxx_stressproto.h"

#define STRESS_MAX_THREADS	8
#define STRESS_AT_MOST		", at most " __stringify(STRESS_MAX_THREADS)
/* id used by the systematic fault walk; not among the dynamic ids */
#define STRESS_VAL_FAULT	50
#define STRESS_FAULT_MAX_POINTS	256

CNTEST_UINT_PARAM(registrars, 2, "kthreads adding and removing ids" STRESS_AT_MOST);
CNTEST_UINT_PARAM(senders, 1, "kthreads sending broadcasts" STRESS_AT_MOST);
CNTEST_UINT_PARAM(timer_us, 1000, "period of the softirq sender in us, 0 for none");
CNTEST_UINT_PARAM(gap_us, 300, "pause of the kthreads between operations in us");

enum stress_counter {
	SC_ADD_OK,
	SC_ADD_ENOMEM,
	SC_ADD_EINVAL,
	SC_ADD_OTHER,
	SC_DEL,
	SC_BUSY,
	SC_CTRL_ADD,
	SC_CTRL_DEL,
	SC_CTRL_BAD,
	SC_SINK,
	SC_CTRL,
	SC_ECHO,
	SC_DYN,
	SC_BAD_ID,
	SC_CB_SLEEP,
	SC_CB_MUTEX,
	SC_CB_ALLOC,
	SC_CB_ALLOC_FAIL,
	SC_ECHO_FAIL,
	SC_TIMER,
	SC_VIOL_CALL_AFTER_DEL,
	SC_VIOL_RUNNING_AT_DEL,
	SC_VIOL_DEL_DURING_CALL,
	SC_FAULT_ADD_POINTS,
	SC_FAULT_ADD_INJECTED,
	SC_FAULT_ADD_ENOMEM,
	SC_FAULT_ADD_BAD,
	SC_FAULT_SEND_POINTS,
	SC_FAULT_SEND_INJECTED,
	SC_FAULT_SEND_ENOMEM,
	SC_FAULT_SEND_BAD,
	SC_NR,
};

static const char *const stress_counter_names[SC_NR] = {
	[SC_ADD_OK] = "add_ok",
	[SC_ADD_ENOMEM] = "add_enomem",
	[SC_ADD_EINVAL] = "add_einval",
	[SC_ADD_OTHER] = "add_other",
	[SC_DEL] = "del",
	[SC_BUSY] = "busy",
	[SC_CTRL_ADD] = "ctrl_add",
	[SC_CTRL_DEL] = "ctrl_del",
	[SC_CTRL_BAD] = "ctrl_bad",
	[SC_SINK] = "sink",
	[SC_CTRL] = "ctrl",
	[SC_ECHO] = "echo",
	[SC_DYN] = "dyn",
	[SC_BAD_ID] = "bad_id",
	[SC_CB_SLEEP] = "cb_sleep",
	[SC_CB_MUTEX] = "cb_mutex",
	[SC_CB_ALLOC] = "cb_alloc",
	[SC_CB_ALLOC_FAIL] = "cb_alloc_fail",
	[SC_ECHO_FAIL] = "echo_fail",
	[SC_TIMER] = "timer",
	[SC_VIOL_CALL_AFTER_DEL] = "viol_call_after_del",
	[SC_VIOL_RUNNING_AT_DEL] = "viol_running_at_del",
	[SC_VIOL_DEL_DURING_CALL] = "viol_del_during_call",
	[SC_FAULT_ADD_POINTS] = "fault_add_points",
	[SC_FAULT_ADD_INJECTED] = "fault_add_injected",
	[SC_FAULT_ADD_ENOMEM] = "fault_add_enomem",
	[SC_FAULT_ADD_BAD] = "fault_add_bad",
	[SC_FAULT_SEND_POINTS] = "fault_send_points",
	[SC_FAULT_SEND_INJECTED] = "fault_send_injected",
	[SC_FAULT_SEND_ENOMEM] = "fault_send_enomem",
	[SC_FAULT_SEND_BAD] = "fault_send_bad",
};

/* results of sends, per broadcast kind */
enum stress_tx {
	TX_OK,
	TX_ENOBUFS,
	TX_ESRCH,
	TX_ENOMEM,
	TX_ENODEV,
	TX_OTHER,
	TX_NR,
};

static const char *const stress_tx_names[TX_NR] = {
	"ok", "enobufs", "esrch", "enomem", "enodev", "other",
};

static const char *const stress_kind_names[STRESS_B_KINDS] = {
	"thread", "timer", "reply", "mult", "routed",
};

static atomic64_t stress_cnt[SC_NR];
static atomic64_t stress_tx_cnt[STRESS_B_KINDS][TX_NR];

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

/* Serialises start, stop and the fault walks. */
static DEFINE_MUTEX(stress_ctl_lock);
static struct task_struct *stress_threads[2 * STRESS_MAX_THREADS];
static unsigned int stress_nthreads;
static bool stress_running;
static struct hrtimer stress_timer;
static bool stress_timer_active;
static int stress_timer_stop;
/* "fail on": the kthreads set make_it_fail, for failslab's task filter */
static int stress_fail;
static atomic_t stress_seq;

static struct dentry *stress_dir;

static void stress_inc(enum stress_counter c)
{
	atomic64_inc(&stress_cnt[c]);
}

static void stress_account(unsigned int kind, int rc)
{
	enum stress_tx r;

	switch (rc) {
	case 0:
		r = TX_OK;
		break;
	case -ENOBUFS:
		r = TX_ENOBUFS;
		break;
	case -ESRCH:
		r = TX_ESRCH;
		break;
	case -ENOMEM:
		r = TX_ENOMEM;
		break;
	case -ENODEV:
		r = TX_ENODEV;
		break;
	default:
		r = rc > 0 ? TX_OK : TX_OTHER;
		break;
	}
	atomic64_inc(&stress_tx_cnt[kind][r]);
}

/* A small message for a broadcast; @buf holds a cn_msg and 8 data bytes. */
struct stress_small {
	struct cn_msg msg;
	u8 data[8];
};

static void stress_fill(struct stress_small *s, u32 val)
{
	memset(s, 0, sizeof(*s));
	s->msg.id.idx = STRESS_IDX;
	s->msg.id.val = val;
	s->msg.seq = atomic_inc_return(&stress_seq);
	s->msg.len = sizeof(s->data);
	memcpy(s->data, "cnstress", sizeof(s->data));
}

static void stress_set_fail(void)
{
#ifdef CONFIG_FAULT_INJECTION
	current->make_it_fail = READ_ONCE(stress_fail);
#endif
}

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
		stress_account(STRESS_VAL_B_REPLY - STRESS_B_FIRST,
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

enum stress_op { STRESS_TOGGLE, STRESS_ADD, STRESS_DEL };

/* Adds or removes one dynamic id unless someone else is doing so. */
static int stress_change(struct stress_dyn *d, enum stress_op op)
{
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
	done = stress_change(&stress_dyn[ctrl.slot % STRESS_NDYN], op);
	if (done == STRESS_ADD)
		stress_inc(SC_CTRL_ADD);
	else if (done == STRESS_DEL)
		stress_inc(SC_CTRL_DEL);
}

static void stress_pause(void)
{
	usleep_range(gap_us, 2 * gap_us + 10);
}

static int stress_registrar(void *arg)
{
	while (!kthread_should_stop()) {
		stress_set_fail();
		stress_change(&stress_dyn[get_random_u32() % STRESS_NDYN],
			      STRESS_TOGGLE);
		stress_pause();
	}
	return 0;
}

static int stress_sender(void *arg)
{
	struct stress_small rec[3];
	unsigned int i = 0, k;
	int rc;

	while (!kthread_should_stop()) {
		stress_set_fail();
		switch (i++ % 3) {
		case 0:
			stress_fill(&rec[0], STRESS_VAL_B_THREAD);
			rc = cn_netlink_send(&rec[0].msg, 0, STRESS_IDX,
					     GFP_KERNEL);
			stress_account(STRESS_VAL_B_THREAD - STRESS_B_FIRST,
				       rc);
			break;
		case 1:
			/* records are packed: cn_msg, 8 data bytes, ... */
			for (k = 0; k < ARRAY_SIZE(rec); k++)
				stress_fill(&rec[k], STRESS_VAL_B_MULT);
			rc = cntest_send_mult(&rec[0].msg,
					      sizeof(rec) - sizeof(rec[0].msg),
					      0, STRESS_IDX, GFP_KERNEL);
			stress_account(STRESS_VAL_B_MULT - STRESS_B_FIRST, rc);
			break;
		default:
			/* group 0: the group of the id's callback, if any */
			stress_fill(&rec[0], STRESS_VAL_DYN +
				    get_random_u32() % STRESS_NDYN);
			rc = cn_netlink_send(&rec[0].msg, 0, 0, GFP_KERNEL);
			stress_account(STRESS_VAL_B_ROUTED - STRESS_B_FIRST,
				       rc);
			break;
		}
		stress_pause();
	}
	return 0;
}

static enum hrtimer_restart stress_timer_fn(struct hrtimer *t)
{
	struct stress_small s;

	stress_inc(SC_TIMER);
	stress_fill(&s, STRESS_VAL_B_TIMER);
	stress_account(STRESS_VAL_B_TIMER - STRESS_B_FIRST,
		       cn_netlink_send(&s.msg, 0, STRESS_IDX, GFP_ATOMIC));
	if (READ_ONCE(stress_timer_stop))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime((u64)timer_us * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static void stress_reset(void)
{
	unsigned int i, j;

	for (i = 0; i < SC_NR; i++)
		atomic64_set(&stress_cnt[i], 0);
	for (i = 0; i < STRESS_B_KINDS; i++)
		for (j = 0; j < TX_NR; j++)
			atomic64_set(&stress_tx_cnt[i][j], 0);
}

static void stress_stop_locked(void)
{
	unsigned int i;

	if (stress_timer_active) {
		WRITE_ONCE(stress_timer_stop, 1);
		hrtimer_cancel(&stress_timer);
		stress_timer_active = false;
	}
	for (i = 0; i < stress_nthreads; i++)
		kthread_stop(stress_threads[i]);
	stress_nthreads = 0;
	stress_running = false;
}

static int stress_start_locked(void)
{
	struct task_struct *t;
	unsigned int i, nreg, nsend;

	if (stress_running)
		return -EBUSY;
	stress_reset();
	nreg = min(registrars, STRESS_MAX_THREADS);
	nsend = min(senders, STRESS_MAX_THREADS);
	for (i = 0; i < nreg + nsend; i++) {
		if (i < nreg)
			t = kthread_run(stress_registrar, NULL, "cnxx_sreg/%u", i);
		else
			t = kthread_run(stress_sender, NULL, "cnxx_ssend/%u",
					i - nreg);
		if (IS_ERR(t)) {
			stress_stop_locked();
			return PTR_ERR(t);
		}
		stress_threads[stress_nthreads++] = t;
	}
	if (timer_us) {
		WRITE_ONCE(stress_timer_stop, 0);
		hrtimer_start(&stress_timer,
			      ns_to_ktime((u64)timer_us * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_SOFT);
		stress_timer_active = true;
	}
	stress_running = true;
	return 0;
}

#ifdef CONFIG_FAULT_INJECTION
static void stress_nop_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
}

/*
 * Runs @fn with the n-th slab allocation of this task failing, for
 * n = 1, 2, ... until @fn makes fewer than n allocations (fail-nth),
 * and lets @check judge each result.
 */
static void stress_fault_walk(int (*fn)(void), enum stress_counter points,
			      void (*check)(int rc, bool injected))
{
	unsigned int n, left;
	int rc;

	for (n = 1; n <= STRESS_FAULT_MAX_POINTS; n++) {
		WRITE_ONCE(current->fail_nth, n);
		rc = fn();
		left = READ_ONCE(current->fail_nth);
		WRITE_ONCE(current->fail_nth, 0);
		stress_inc(points);
		check(rc, !left);
		if (left)
			break;
	}
}

static const struct cb_id stress_fault_id = { STRESS_IDX, STRESS_VAL_FAULT };

static int stress_fault_add_one(void)
{
	return cn_add_callback(&stress_fault_id, "cnxx_stress_f",
			       stress_nop_cb);
}

/* A failed add must leave nothing behind: adding again must work. */
static void stress_fault_add_check(int rc, bool injected)
{
	if (injected)
		stress_inc(SC_FAULT_ADD_INJECTED);
	if (rc == -ENOMEM) {
		stress_inc(SC_FAULT_ADD_ENOMEM);
		rc = stress_fault_add_one();
	}
	if (rc) {
		stress_inc(SC_FAULT_ADD_BAD);
		pr_err("fault walk: cn_add_callback returned %d\n", rc);
		return;
	}
	cn_del_callback(&stress_fault_id);
}

static int stress_fault_send_one(void)
{
	struct stress_small rec[2];
	int rc;

	stress_fill(&rec[0], STRESS_VAL_B_THREAD);
	rc = cn_netlink_send(&rec[0].msg, 0, STRESS_IDX, GFP_KERNEL);
	stress_account(STRESS_VAL_B_THREAD - STRESS_B_FIRST, rc);
	if (rc)
		return rc;
	/* group 0: routed through the sink's registration */
	stress_fill(&rec[0], STRESS_VAL_SINK);
	rc = cn_netlink_send(&rec[0].msg, 0, 0, GFP_KERNEL);
	if (rc)
		return rc;
	stress_fill(&rec[0], STRESS_VAL_B_MULT);
	stress_fill(&rec[1], STRESS_VAL_B_MULT);
	rc = cntest_send_mult(&rec[0].msg, sizeof(rec) - sizeof(rec[0].msg),
			      0, STRESS_IDX, GFP_KERNEL);
	stress_account(STRESS_VAL_B_MULT - STRESS_B_FIRST, rc);
	return rc;
}

static void stress_fault_send_check(int rc, bool injected)
{
	if (injected)
		stress_inc(SC_FAULT_SEND_INJECTED);
	if (rc == -ENOMEM) {
		stress_inc(SC_FAULT_SEND_ENOMEM);
	} else if (rc) {
		stress_inc(SC_FAULT_SEND_BAD);
		pr_err("fault walk: send returned %d\n", rc);
	}
}

static int stress_fault(bool send)
{
	if (send)
		stress_fault_walk(stress_fault_send_one, SC_FAULT_SEND_POINTS,
				  stress_fault_send_check);
	else
		stress_fault_walk(stress_fault_add_one, SC_FAULT_ADD_POINTS,
				  stress_fault_add_check);
	return 0;
}
#else
static int stress_fault(bool send)
{
	return -EOPNOTSUPP;
}
#endif

static ssize_t stress_control_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	char buf[32];
	char *cmd;
	int rc;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	cmd = strim(buf);

	mutex_lock(&stress_ctl_lock);
	if (!strcmp(cmd, "start")) {
		rc = stress_start_locked();
	} else if (!strcmp(cmd, "stop")) {
		stress_stop_locked();
		rc = 0;
	} else if (!strcmp(cmd, "reset")) {
		stress_reset();
		rc = 0;
	} else if (!strcmp(cmd, "fail on")) {
		WRITE_ONCE(stress_fail, 1);
		rc = 0;
	} else if (!strcmp(cmd, "fail off")) {
		WRITE_ONCE(stress_fail, 0);
		rc = 0;
	} else if (!strcmp(cmd, "faultadd")) {
		rc = stress_fault(false);
	} else if (!strcmp(cmd, "faultsend")) {
		rc = stress_fault(true);
	} else {
		rc = -EINVAL;
	}
	mutex_unlock(&stress_ctl_lock);
	return rc ? rc : count;
}

static const struct file_operations stress_control_fops = {
	.owner = THIS_MODULE,
	.write = stress_control_write,
	.llseek = noop_llseek,
};

static int stress_stats_show(struct seq_file *m, void *v)
{
	unsigned int i, j, registered = 0;

	for (i = 0; i < SC_NR; i++)
		seq_printf(m, "%s %lld\n", stress_counter_names[i],
			   (long long)atomic64_read(&stress_cnt[i]));
	for (i = 0; i < STRESS_B_KINDS; i++)
		for (j = 0; j < TX_NR; j++)
			seq_printf(m, "tx_%s_%s %lld\n", stress_kind_names[i],
				   stress_tx_names[j],
				   (long long)atomic64_read(&stress_tx_cnt[i][j]));
	for (i = 0; i < STRESS_NDYN; i++)
		registered += READ_ONCE(stress_dyn[i].registered);
	seq_printf(m, "registered %u\n", registered);
	seq_printf(m, "running %d\n", READ_ONCE(stress_running));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stress_stats);

/* The control callback last, and removed first: it adds dynamic ids. */
static const struct cntest_cb stress_cbs[] = {
	{ { STRESS_IDX, STRESS_VAL_SINK }, "cnxx_stress", stress_sink_cb },
	{ { STRESS_IDX, STRESS_VAL_ECHO }, "cnxx_stress", stress_echo_cb },
	{ { STRESS_IDX, STRESS_VAL_CTRL }, "cnxx_stress", stress_ctrl_cb },
};

static int __init stress_init(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < STRESS_NDYN; i++) {
		stress_dyn[i].id.idx = STRESS_IDX;
		stress_dyn[i].id.val = STRESS_VAL_DYN + i;
		stress_dyn[i].dead = 1;
	}
	hrtimer_init(&stress_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	stress_timer.function = stress_timer_fn;

	rc = cntest_add_callbacks(stress_cbs, ARRAY_SIZE(stress_cbs));
	if (rc)
		return rc;

	stress_dir = debugfs_create_dir("cnxx_stress", NULL);
	debugfs_create_file("control", 0200, stress_dir, NULL,
			    &stress_control_fops);
	debugfs_create_file("stats", 0444, stress_dir, NULL,
			    &stress_stats_fops);
	return 0;
}

static void __exit stress_exit(void)
{
	unsigned int i;

	debugfs_remove_recursive(stress_dir);
	mutex_lock(&stress_ctl_lock);
	stress_stop_locked();
	mutex_unlock(&stress_ctl_lock);
	/* No control callback runs after this: nothing adds ids any more. */
	cntest_del_callbacks(stress_cbs, ARRAY_SIZE(stress_cbs));
	for (i = 0; i < STRESS_NDYN; i++)
		if (stress_dyn[i].registered)
			stress_del(&stress_dyn[i]);
}

module_init(stress_init);
module_exit(stress_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Concurrency and fault-injection stress for the kernel connector");
MODULE_AUTHOR("cnxx developers");
