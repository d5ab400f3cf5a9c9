// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for cnxx: what needs the kernel. Private cores through the
 * core ABI - the receive walk, send_mult records and notification requests
 * in exact-size kmalloc() buffers, so that KASAN reports a read past their
 * end, and removal against calls running in other kthreads - and the live
 * module's exported connector API. What needs no kernel is tested on the
 * host (tests/host). Load after cnxx.ko; the suites run on load and their
 * results are in /sys/kernel/debug/kunit/.
 *
 * Every wait is bounded, so a core that deadlocks fails a case instead of
 * hanging the module load.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/connector.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <net/netlink.h>

#include <cnxx/connector.h>

#include "core/cnxx_abi.h"
#include "cntest.h"

static_assert(sizeof(struct cb_id) == sizeof(struct cnxx_cb_id));

/* The private cores' configuration. */
#define KT_HASH_BITS	10
#define KT_GROUPS	32
#define KT_MAX_REQS	4
#define KT_MAX_RANGES	4
#define KT_MAX_PENDING	64

#define KT_MAX_ACKS	16
#define KT_MAX_CALLS	16
#define KT_MAX_THREADS	4
#define KT_MAX_BUFS	8
#define KT_MAX_INFOS	16

/* Anything that should finish at once, with room for a slow emulator. */
#define KT_TIMEOUT	msecs_to_jiffies(5000)
/* How long a blocked callback waits to be released before giving up. */
#define KT_BLOCK_TIMEOUT msecs_to_jiffies(10000)
/* How long a case's threads may take to end before its state is leaked. */
#define KT_EXIT_TIMEOUT	msecs_to_jiffies(15000)

/* Marked slow where KUnit knows the attribute (6.6+), to quiet its note. */
#ifdef KUNIT_CASE_SLOW
#define KT_CASE_SLOW(fn) KUNIT_CASE_SLOW(fn)
#else
#define KT_CASE_SLOW(fn) KUNIT_CASE(fn)
#endif

typedef void (*kt_cb_t)(struct cn_msg *msg, struct netlink_skb_parms *nsp);

struct kt_ack {
	const void *nlh;
	void *rx;
	int err;
};

struct kt_call {
	struct cb_id id;
	u32 seq;
	u16 len;
	bool data_ok;
	void *sender;
};

struct kt_fix;

struct kt_thread {
	struct kt_fix *fix;
	int (*fn)(struct kt_thread *t);
	struct completion done;
	bool running;		/* started and not yet joined */
	int ret;
	void *buf;
	size_t len;
	struct cnxx_cb_id id;
};

/* One test case's private core and everything its ops and callbacks saw. */
struct kt_fix {
	struct kunit *test;
	struct cnxx_core *core;
	struct cnxx_core_config cfg;
	struct netlink_skb_parms sender;	/* the fake sender: all zero */
	int rx_token;				/* its address is the @rx */

	spinlock_t lock;			/* acks, calls */
	unsigned int nacks;
	unsigned int ncalls;
	struct kt_ack acks[KT_MAX_ACKS];
	struct kt_call calls[KT_MAX_CALLS];

	/* cnxx_unregister */
	struct completion entered;
	struct completion release;
	struct completion del_started;
	atomic_t hits;
	atomic_t violations;
	bool deleted;
	bool stop;
	bool release_timed_out;
	int cb_ret[2];

	struct kt_thread threads[KT_MAX_THREADS];
	void *bufs[KT_MAX_BUFS];
	unsigned int nbufs;
};

/* Callbacks get no context: they find the running case's fixture here. */
static struct kt_fix *kt_cur;

static void kt_op_ack(void *ctx, void *rx, const void *nlh, int err)
{
	struct kt_fix *fix = ctx;

	spin_lock(&fix->lock);
	if (fix->nacks < KT_MAX_ACKS) {
		fix->acks[fix->nacks].nlh = nlh;
		fix->acks[fix->nacks].rx = rx;
		fix->acks[fix->nacks].err = err;
	}
	fix->nacks++;
	spin_unlock(&fix->lock);
}

/* No case registers an id that a stored request matches. */
static int kt_op_notify(void *ctx, const void *msg, size_t size, u32 group)
{
	return 0;
}

/* No case sends a control request through the receive path. */
static bool kt_op_capable(void *ctx, void *sender)
{
	return false;
}

static const struct cnxx_core_ops kt_ops = {
	.ack = kt_op_ack,
	.notify = kt_op_notify,
	.sender_capable = kt_op_capable,
};

static int kt_fix_init(struct kunit *test)
{
	struct kt_fix *fix;
	int err;

	/* Not test-managed: a stuck thread may outlive the case. */
	fix = kzalloc(sizeof(*fix), GFP_KERNEL);
	if (!fix)
		return -ENOMEM;
	fix->test = test;
	spin_lock_init(&fix->lock);
	init_completion(&fix->entered);
	init_completion(&fix->release);
	init_completion(&fix->del_started);
	atomic_set(&fix->hits, 0);
	atomic_set(&fix->violations, 0);
	fix->cfg = (struct cnxx_core_config) {
		.hash_bits = KT_HASH_BITS,
		.groups = KT_GROUPS,
		.max_notify_requests = KT_MAX_REQS,
		.max_notify_ranges = KT_MAX_RANGES,
		.max_notify_pending = KT_MAX_PENDING,
		.ops = &kt_ops,
		.ctx = fix,
	};
	err = cnxx_core_create(&fix->cfg, &fix->core);
	if (err) {
		kfree(fix);
		return err;
	}
	test->priv = fix;
	kt_cur = fix;
	return 0;
}

static void kt_fix_exit(struct kunit *test)
{
	struct kt_fix *fix = test->priv;
	bool stuck = false;
	unsigned int i;

	if (!fix)
		return;
	/* Unblock whatever a failed case left waiting. */
	WRITE_ONCE(fix->stop, true);
	complete_all(&fix->release);
	for (i = 0; i < KT_MAX_THREADS; i++) {
		struct kt_thread *t = &fix->threads[i];

		if (t->running &&
		    !wait_for_completion_timeout(&t->done, KT_EXIT_TIMEOUT))
			stuck = true;
	}
	if (stuck) {
		/*
		 * Freeing under a running thread would be worse than a leak;
		 * the thread may still run this module's code, so pin it.
		 */
		kunit_err(test, "a thread is stuck in the core: leaking the core\n");
		__module_get(THIS_MODULE);
		return;
	}
	cnxx_core_destroy(fix->core);
	for (i = 0; i < fix->nbufs; i++)
		kfree(fix->bufs[i]);
	kt_cur = NULL;
	kfree(fix);
	test->priv = NULL;
}

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

/* Exact size, so that KASAN catches any read past @len. */
static void *kt_buf(struct kt_fix *fix, size_t len)
{
	void *buf;

	if (fix->nbufs >= KT_MAX_BUFS)
		return NULL;
	buf = kzalloc(len, GFP_KERNEL);
	if (buf)
		fix->bufs[fix->nbufs++] = buf;
	return buf;
}

static struct cnxx_cb_id kt_id(u32 idx, u32 val)
{
	return (struct cnxx_cb_id) { .idx = idx, .val = val };
}

static int kt_add(struct kt_fix *fix, u32 idx, u32 val, const char *name,
		  kt_cb_t cb)
{
	struct cnxx_cb_id id = kt_id(idx, val);

	return cnxx_core_add(fix->core, &id, name, (cnxx_callback_t)cb);
}

static int kt_del(struct kt_fix *fix, u32 idx, u32 val)
{
	struct cnxx_cb_id id = kt_id(idx, val);

	return cnxx_core_del(fix->core, &id);
}

static struct cnxx_stats kt_stats(struct kt_fix *fix)
{
	struct cnxx_stats st;

	memset(&st, 0, sizeof(st));
	cnxx_core_stats(fix->core, &st);
	return st;
}

struct kt_infos {
	unsigned int n;
	struct cnxx_cb_info info[KT_MAX_INFOS];
};

static void kt_collect(void *arg, const struct cnxx_cb_info *info)
{
	struct kt_infos *l = arg;

	if (l->n < KT_MAX_INFOS)
		l->info[l->n] = *info;
	l->n++;
}

static struct kt_infos *kt_list(struct kunit *test, struct kt_fix *fix)
{
	struct kt_infos *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l);
	cnxx_core_for_each(fix->core, kt_collect, l);
	return l;
}

static const struct cnxx_cb_info *kt_find(const struct kt_infos *l, u32 idx,
					  u32 val)
{
	unsigned int i;

	for (i = 0; i < min_t(unsigned int, l->n, KT_MAX_INFOS); i++)
		if (l->info[i].id.idx == idx && l->info[i].id.val == val)
			return &l->info[i];
	return NULL;
}

static u8 kt_pat(u32 seq, size_t i)
{
	return (u8)(seq * 7 + i);
}

/* Records a delivery and checks the data against the sender's pattern. */
static void kt_record_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	struct kt_fix *fix = kt_cur;
	bool ok = true;
	size_t i;

	for (i = 0; i < msg->len; i++)
		if (msg->data[i] != kt_pat(msg->seq, i))
			ok = false;
	spin_lock(&fix->lock);
	if (fix->ncalls < KT_MAX_CALLS) {
		struct kt_call *c = &fix->calls[fix->ncalls];

		c->id = msg->id;
		c->seq = msg->seq;
		c->len = msg->len;
		c->data_ok = ok;
		c->sender = nsp;
	}
	fix->ncalls++;
	spin_unlock(&fix->lock);
	atomic_inc(&fix->hits);
}

/* One netlink message of a receive buffer. */
struct kt_spec {
	u32 idx;
	u32 val;
	u32 seq;
	u16 cn_len;	/* cn_msg.len */
	u16 flags;	/* nlmsg_flags */
	u32 payload;	/* bytes present after the nlmsghdr; 0: cn_msg + cn_len */
	bool claim;	/* write nl_len as nlmsg_len instead of the real one */
	u32 nl_len;
};

static size_t kt_payload(const struct kt_spec *s)
{
	return s->payload ? s->payload : sizeof(struct cn_msg) + s->cn_len;
}

static void kt_fill(u8 *p, const struct kt_spec *s)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)p;
	struct cn_msg cn = {
		.id = { .idx = s->idx, .val = s->val },
		.seq = s->seq,
		.len = s->cn_len,
	};
	size_t payload = kt_payload(s);
	size_t i;

	nlh->nlmsg_len = s->claim ? s->nl_len : NLMSG_HDRLEN + payload;
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = s->flags;
	nlh->nlmsg_seq = s->seq;
	nlh->nlmsg_pid = 0;
	memcpy(p + NLMSG_HDRLEN, &cn, min(payload, sizeof(cn)));
	for (i = sizeof(cn); i < payload; i++)
		p[NLMSG_HDRLEN + i] = kt_pat(s->seq, i - sizeof(cn));
}

/*
 * Builds @n messages back to back, each aligned as netlink does except the
 * last, which ends the buffer unpadded unless @tail bytes of a partial
 * header follow. @offs gets each message's offset.
 */
static u8 *kt_build(struct kunit *test, struct kt_fix *fix,
		    const struct kt_spec *s, unsigned int n, size_t tail,
		    size_t *lenp, size_t *offs)
{
	size_t len = 0;
	unsigned int i;
	u8 *buf;

	for (i = 0; i < n; i++) {
		offs[i] = len;
		len += NLMSG_HDRLEN + kt_payload(&s[i]);
		if (i + 1 < n || tail)
			len = NLMSG_ALIGN(len);
	}
	buf = kt_buf(fix, len + tail);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < n; i++)
		kt_fill(buf + offs[i], &s[i]);
	/* A partial header that claims more than is there. */
	if (tail >= sizeof(u32))
		*(u32 *)(buf + len) = NLMSG_HDRLEN + sizeof(struct cn_msg);
	*lenp = len + tail;
	return buf;
}

static void kt_rx(struct kt_fix *fix, void *buf, size_t len)
{
	cnxx_core_receive(fix->core, buf, len, &fix->sender, &fix->rx_token);
}

static int kt_thread_main(void *data)
{
	struct kt_thread *t = data;

	t->ret = t->fn(t);
	kthread_complete_and_exit(&t->done, 0);
}

static struct kt_thread *kt_start(struct kunit *test, struct kt_fix *fix,
				  int (*fn)(struct kt_thread *t), void *buf,
				  size_t len, struct cnxx_cb_id id)
{
	struct task_struct *task;
	struct kt_thread *t = NULL;
	unsigned int i;

	for (i = 0; i < KT_MAX_THREADS; i++) {
		if (!fix->threads[i].running) {
			t = &fix->threads[i];
			break;
		}
	}
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->fix = fix;
	t->fn = fn;
	t->buf = buf;
	t->len = len;
	t->id = id;
	init_completion(&t->done);
	task = kthread_run(kt_thread_main, t, "cnxx_kt%u", i);
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	t->running = true;
	return t;
}

/* Waits for @t to end; the completion fires once, so remember it did. */
static bool kt_join(struct kt_thread *t, unsigned long timeout)
{
	if (t->running && wait_for_completion_timeout(&t->done, timeout))
		t->running = false;
	return !t->running;
}

static int kt_rx_fn(struct kt_thread *t)
{
	kt_rx(t->fix, t->buf, t->len);
	return 0;
}

/* Receives in a thread, so that a walk that never ends fails the case. */
static void kt_rx_bounded(struct kunit *test, struct kt_fix *fix, void *buf,
			  size_t len)
{
	struct kt_thread *t = kt_start(test, fix, kt_rx_fn, buf, len,
				       kt_id(0, 0));

	KUNIT_ASSERT_TRUE_MSG(test, kt_join(t, KT_TIMEOUT),
			      "cnxx_core_receive() did not return");
}

/* ---------------------------------------------------------------------- */
/* cnxx_receive                                                           */
/* ---------------------------------------------------------------------- */

static void kt_expect_call(struct kunit *test, struct kt_fix *fix,
			   unsigned int i, u32 idx, u32 val, u32 seq, u16 len)
{
	const struct kt_call *c = &fix->calls[i];

	KUNIT_ASSERT_LT(test, i, min_t(unsigned int, fix->ncalls,
				       KT_MAX_CALLS));
	KUNIT_EXPECT_EQ_MSG(test, c->id.idx, idx, "call %u", i);
	KUNIT_EXPECT_EQ_MSG(test, c->id.val, val, "call %u", i);
	KUNIT_EXPECT_EQ_MSG(test, c->seq, seq, "call %u", i);
	KUNIT_EXPECT_EQ_MSG(test, c->len, len, "call %u", i);
	KUNIT_EXPECT_TRUE_MSG(test, c->data_ok, "call %u data", i);
	KUNIT_EXPECT_PTR_EQ(test, c->sender, (void *)&fix->sender);
}

static void kt_expect_ack(struct kunit *test, struct kt_fix *fix,
			  unsigned int i, const u8 *nlh, int err)
{
	const struct kt_ack *a = &fix->acks[i];

	KUNIT_ASSERT_LT(test, i, min_t(unsigned int, fix->nacks,
				       KT_MAX_ACKS));
	KUNIT_EXPECT_PTR_EQ(test, a->nlh, (const void *)nlh);
	KUNIT_EXPECT_EQ_MSG(test, a->err, err, "ack %u", i);
	KUNIT_EXPECT_PTR_EQ(test, a->rx, (void *)&fix->rx_token);
}

static void kt_rx_deliver(struct kunit *test)
{
	/* The last one is 39 bytes long: the buffer ends unaligned. */
	static const struct kt_spec s[] = {
		{ .idx = 10, .val = 1, .seq = 1, .cn_len = 0 },
		{ .idx = 10, .val = 2, .seq = 2, .cn_len = 5 },
		{ .idx = 10, .val = 1, .seq = 3, .cn_len = 64 },
		{ .idx = 10, .val = 2, .seq = 4, .cn_len = 3 },
	};
	struct kt_fix *fix = test->priv;
	const struct cnxx_cb_info *info;
	size_t len, offs[ARRAY_SIZE(s)];
	struct cnxx_stats st;
	struct kt_infos *l;
	unsigned int i;
	u8 *buf;

	KUNIT_ASSERT_EQ(test, kt_add(fix, 10, 1, "a", kt_record_cb), 0);
	KUNIT_ASSERT_EQ(test, kt_add(fix, 10, 2, "b", kt_record_cb), 0);
	buf = kt_build(test, fix, s, ARRAY_SIZE(s), 0, &len, offs);
	KUNIT_ASSERT_NE(test, len % NLMSG_ALIGNTO, (size_t)0);
	kt_rx(fix, buf, len);

	KUNIT_ASSERT_EQ(test, fix->ncalls, (unsigned int)ARRAY_SIZE(s));
	for (i = 0; i < ARRAY_SIZE(s); i++)
		kt_expect_call(test, fix, i, s[i].idx, s[i].val, s[i].seq,
			       s[i].cn_len);
	KUNIT_EXPECT_EQ(test, fix->nacks, 0U);

	st = kt_stats(fix);
	KUNIT_EXPECT_EQ(test, st.rx_messages, 4ULL);
	KUNIT_EXPECT_EQ(test, st.rx_delivered, 4ULL);
	KUNIT_EXPECT_EQ(test, st.rx_invalid, 0ULL);
	KUNIT_EXPECT_EQ(test, st.rx_unknown, 0ULL);
	l = kt_list(test, fix);
	info = kt_find(l, 10, 1);
	KUNIT_ASSERT_NOT_NULL(test, info);
	KUNIT_EXPECT_EQ(test, info->delivered, 2ULL);
	info = kt_find(l, 10, 2);
	KUNIT_ASSERT_NOT_NULL(test, info);
	KUNIT_EXPECT_EQ(test, info->delivered, 2ULL);
}

static void kt_rx_acks(struct kunit *test)
{
	const u32 max = CONNECTOR_MAX_MSG_SIZE;
	const u16 hdr = sizeof(struct cn_msg);
	const struct kt_spec s[] = {
		{ .idx = 10, .val = 1, .seq = 10, .cn_len = 4,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
		/* payload shorter than a cn_msg */
		{ .idx = 10, .val = 1, .seq = 11, .payload = 8,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
		/* cn_msg.len claims more than is there */
		{ .idx = 10, .val = 1, .seq = 12, .cn_len = 40,
		  .payload = hdr + 16, .flags = NLM_F_REQUEST | NLM_F_ACK },
		/* one byte over CONNECTOR_MAX_MSG_SIZE */
		{ .idx = 10, .val = 1, .seq = 13, .cn_len = max + 1 - hdr,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
		/* nobody registered */
		{ .idx = 11, .val = 1, .seq = 14, .cn_len = 4,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
		/* exactly CONNECTOR_MAX_MSG_SIZE */
		{ .idx = 10, .val = 1, .seq = 15, .cn_len = max - hdr,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
		/* no ack asked */
		{ .idx = 10, .val = 1, .seq = 16, .cn_len = 2,
		  .flags = NLM_F_REQUEST },
	};
	static const int errs[] = {
		0, -EINVAL, -EINVAL, -EMSGSIZE, -ENODEV, 0,
	};
	struct kt_fix *fix = test->priv;
	size_t len, offs[ARRAY_SIZE(s)];
	struct cnxx_stats st;
	unsigned int i;
	u8 *buf;

	KUNIT_ASSERT_EQ(test, kt_add(fix, 10, 1, "a", kt_record_cb), 0);
	buf = kt_build(test, fix, s, ARRAY_SIZE(s), 0, &len, offs);
	kt_rx(fix, buf, len);

	KUNIT_EXPECT_EQ(test, fix->nacks, (unsigned int)ARRAY_SIZE(errs));
	for (i = 0; i < ARRAY_SIZE(errs); i++)
		kt_expect_ack(test, fix, i, buf + offs[i], errs[i]);

	KUNIT_ASSERT_EQ(test, fix->ncalls, 3U);
	kt_expect_call(test, fix, 0, 10, 1, 10, 4);
	kt_expect_call(test, fix, 1, 10, 1, 15, max - hdr);
	kt_expect_call(test, fix, 2, 10, 1, 16, 2);

	st = kt_stats(fix);
	KUNIT_EXPECT_EQ(test, st.rx_messages, 7ULL);
	KUNIT_EXPECT_EQ(test, st.rx_delivered, 3ULL);
	KUNIT_EXPECT_EQ(test, st.rx_invalid, 2ULL);
	KUNIT_EXPECT_EQ(test, st.rx_oversize, 1ULL);
	KUNIT_EXPECT_EQ(test, st.rx_unknown, 1ULL);
	KUNIT_EXPECT_EQ(test, st.rx_control, 0ULL);
}

static void kt_rx_truncated_header(struct kunit *test)
{
	static const struct kt_spec s[] = {
		{ .idx = 10, .val = 1, .seq = 20, .cn_len = 4,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
	};
	struct kt_fix *fix = test->priv;
	size_t len, offs[ARRAY_SIZE(s)];
	struct cnxx_stats st;
	u8 *buf;

	KUNIT_ASSERT_EQ(test, kt_add(fix, 10, 1, "a", kt_record_cb), 0);
	/* A trailing header one byte short. */
	buf = kt_build(test, fix, s, ARRAY_SIZE(s), NLMSG_HDRLEN - 1, &len,
		       offs);
	kt_rx_bounded(test, fix, buf, len);

	KUNIT_EXPECT_EQ(test, fix->ncalls, 1U);
	kt_expect_call(test, fix, 0, 10, 1, 20, 4);
	KUNIT_EXPECT_EQ(test, fix->nacks, 1U);
	kt_expect_ack(test, fix, 0, buf + offs[0], 0);
	/* The fragment is no message, but a malformed buffer. */
	st = kt_stats(fix);
	KUNIT_EXPECT_EQ(test, st.rx_messages, 1ULL);
	KUNIT_EXPECT_EQ(test, st.rx_delivered, 1ULL);
	KUNIT_EXPECT_EQ(test, st.rx_invalid, 1ULL);
}

static void kt_rx_len_beyond(struct kunit *test)
{
	/* The second header claims 200 bytes; 40 follow it. */
	static const struct kt_spec s[] = {
		{ .idx = 10, .val = 1, .seq = 21, .cn_len = 4,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
		{ .idx = 10, .val = 1, .seq = 22, .cn_len = 20,
		  .flags = NLM_F_REQUEST, .claim = true, .nl_len = 200 },
	};
	/* The same claim first: nothing after it can be found. */
	static const struct kt_spec s2[] = {
		{ .idx = 10, .val = 1, .seq = 23, .cn_len = 20,
		  .flags = NLM_F_REQUEST, .claim = true, .nl_len = 200 },
		{ .idx = 10, .val = 1, .seq = 24, .cn_len = 4,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
	};
	struct kt_fix *fix = test->priv;
	size_t len, offs[2];
	struct cnxx_stats st;
	u8 *buf;

	KUNIT_ASSERT_EQ(test, kt_add(fix, 10, 1, "a", kt_record_cb), 0);
	buf = kt_build(test, fix, s, ARRAY_SIZE(s), 0, &len, offs);
	KUNIT_ASSERT_LT(test, len, (size_t)200);
	kt_rx_bounded(test, fix, buf, len);
	KUNIT_EXPECT_EQ(test, fix->ncalls, 1U);
	kt_expect_call(test, fix, 0, 10, 1, 21, 4);
	KUNIT_EXPECT_EQ(test, fix->nacks, 1U);
	kt_expect_ack(test, fix, 0, buf + offs[0], 0);

	buf = kt_build(test, fix, s2, ARRAY_SIZE(s2), 0, &len, offs);
	kt_rx_bounded(test, fix, buf, len);
	KUNIT_EXPECT_EQ(test, fix->ncalls, 1U);
	KUNIT_EXPECT_EQ(test, fix->nacks, 1U);
	st = kt_stats(fix);
	KUNIT_EXPECT_EQ(test, st.rx_messages, 1ULL);
	KUNIT_EXPECT_EQ(test, st.rx_delivered, 1ULL);
	KUNIT_EXPECT_EQ(test, st.rx_invalid, 2ULL);
}

static void kt_rx_short_nlmsg_len(struct kunit *test)
{
	/* nlmsg_len 0 and 8: no length to step by, so the walk must stop. */
	static const struct kt_spec s[] = {
		{ .idx = 10, .val = 1, .seq = 30, .cn_len = 4,
		  .flags = NLM_F_REQUEST | NLM_F_ACK, .claim = true,
		  .nl_len = 0 },
		{ .idx = 10, .val = 1, .seq = 31, .cn_len = 4,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
	};
	static const struct kt_spec s2[] = {
		{ .idx = 10, .val = 1, .seq = 32, .cn_len = 4,
		  .flags = NLM_F_REQUEST | NLM_F_ACK, .claim = true,
		  .nl_len = 8 },
		{ .idx = 10, .val = 1, .seq = 33, .cn_len = 4,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
	};
	struct kt_fix *fix = test->priv;
	size_t len, offs[2];
	struct cnxx_stats st;
	u8 *buf;

	KUNIT_ASSERT_EQ(test, kt_add(fix, 10, 1, "a", kt_record_cb), 0);
	buf = kt_build(test, fix, s, ARRAY_SIZE(s), 0, &len, offs);
	kt_rx_bounded(test, fix, buf, len);
	buf = kt_build(test, fix, s2, ARRAY_SIZE(s2), 0, &len, offs);
	kt_rx_bounded(test, fix, buf, len);
	KUNIT_EXPECT_EQ(test, fix->ncalls, 0U);
	st = kt_stats(fix);
	KUNIT_EXPECT_EQ(test, st.rx_messages, 0ULL);
	KUNIT_EXPECT_EQ(test, st.rx_delivered, 0ULL);
	KUNIT_EXPECT_EQ(test, st.rx_invalid, 2ULL);
}

static struct kunit_case kt_receive_cases[] = {
	KUNIT_CASE(kt_rx_deliver),
	KUNIT_CASE(kt_rx_acks),
	KUNIT_CASE(kt_rx_truncated_header),
	KUNIT_CASE(kt_rx_len_beyond),
	KUNIT_CASE(kt_rx_short_nlmsg_len),
	{}
};

static struct kunit_suite kt_receive_suite = {
	.name = "cnxx_receive",
	.init = kt_fix_init,
	.exit = kt_fix_exit,
	.test_cases = kt_receive_cases,
};

/* ---------------------------------------------------------------------- */
/* cnxx_route                                                             */
/* ---------------------------------------------------------------------- */

/*
 * @n cn_msg records with data lengths @lens back to back, then @extra
 * bytes, in an exact-size buffer. @rec gets each record's address and
 * @len the value for cnxx_core_route(): the bytes after the first header.
 */
static struct cn_msg *kt_records(struct kunit *test, struct kt_fix *fix,
				 const u16 *lens, unsigned int n,
				 size_t extra, struct cn_msg **rec, u16 *len)
{
	size_t size = extra, off = 0;
	unsigned int i;
	u8 *buf;

	for (i = 0; i < n; i++)
		size += sizeof(struct cn_msg) + lens[i];
	buf = kt_buf(fix, size);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < n; i++) {
		struct cn_msg *m = (struct cn_msg *)(buf + off);

		m->id = (struct cb_id) { .idx = 7, .val = 1 };
		m->seq = i;
		m->len = lens[i];
		if (rec)
			rec[i] = m;
		off += sizeof(*m) + lens[i];
	}
	*len = size - sizeof(struct cn_msg);
	return (struct cn_msg *)buf;
}

static void kt_route_bad_sizes(struct kunit *test)
{
	static const u16 three[] = { 4, 0, 9 };
	static const u16 two[] = { 4, 0 };
	static const u16 one[] = { 4 };
	struct kt_fix *fix = test->priv;
	struct cn_msg *msg, *rec[3];
	u16 len;
	u32 dst;

	KUNIT_ASSERT_EQ(test, kt_add(fix, 7, 1, "seven", kt_record_cb), 0);

	/* The last record's len runs one byte past the end. */
	msg = kt_records(test, fix, three, 3, 0, rec, &len);
	rec[2]->len++;
	KUNIT_EXPECT_EQ(test, cnxx_core_route(fix->core, msg, len, 0, 3, &dst),
			-EINVAL);
	/* ... or one short of it. */
	rec[2]->len -= 2;
	KUNIT_EXPECT_EQ(test, cnxx_core_route(fix->core, msg, len, 0, 3, &dst),
			-EINVAL);

	/* Two records, then 10 bytes: half a header. */
	msg = kt_records(test, fix, two, 2, 10, NULL, &len);
	KUNIT_EXPECT_EQ(test, cnxx_core_route(fix->core, msg, len, 0, 3, &dst),
			-EINVAL);

	/* One record with 3 bytes after its data. */
	msg = kt_records(test, fix, one, 1, 3, NULL, &len);
	KUNIT_EXPECT_EQ(test, cnxx_core_route(fix->core, msg, len, 0, 3, &dst),
			-EINVAL);

	/* The first record alone is longer than @len. */
	msg = kt_records(test, fix, one, 1, 0, rec, &len);
	rec[0]->len = 8;
	KUNIT_EXPECT_EQ(test, cnxx_core_route(fix->core, msg, len, 0, 3, &dst),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, cnxx_core_route(fix->core, msg, len, 0, 0, &dst),
			-EINVAL);
}

static struct kunit_case kt_route_cases[] = {
	KUNIT_CASE(kt_route_bad_sizes),
	{}
};

static struct kunit_suite kt_route_suite = {
	.name = "cnxx_route",
	.init = kt_fix_init,
	.exit = kt_fix_exit,
	.test_cases = kt_route_cases,
};

/* ---------------------------------------------------------------------- */
/* cnxx_unregister                                                        */
/* ---------------------------------------------------------------------- */

/* Blocks until released; bounded so a broken del cannot hang forever. */
static void kt_block_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	struct kt_fix *fix = kt_cur;

	atomic_inc(&fix->hits);
	complete(&fix->entered);
	if (!wait_for_completion_timeout(&fix->release, KT_BLOCK_TIMEOUT))
		WRITE_ONCE(fix->release_timed_out, true);
}

static int kt_del_fn(struct kt_thread *t)
{
	complete(&t->fix->del_started);
	return cnxx_core_del(t->fix->core, &t->id);
}

/* One message for {@idx,@val}, with or without NLM_F_ACK. */
static u8 *kt_one(struct kunit *test, struct kt_fix *fix, u32 idx, u32 val,
		  u32 seq, u16 flags, size_t *len)
{
	struct kt_spec s = {
		.idx = idx, .val = val, .seq = seq, .cn_len = 4,
		.flags = NLM_F_REQUEST | flags,
	};
	size_t off;

	return kt_build(test, fix, &s, 1, 0, len, &off);
}

static void kt_unreg_waits(struct kunit *test)
{
	struct kt_fix *fix = test->priv;
	struct kt_thread *rx, *del;
	size_t len, len2;
	u8 *buf, *buf2;

	KUNIT_ASSERT_EQ(test, kt_add(fix, 20, 1, "block", kt_block_cb), 0);
	buf = kt_one(test, fix, 20, 1, 1, 0, &len);
	buf2 = kt_one(test, fix, 20, 1, 2, NLM_F_ACK, &len2);

	rx = kt_start(test, fix, kt_rx_fn, buf, len, kt_id(0, 0));
	KUNIT_ASSERT_TRUE_MSG(test, wait_for_completion_timeout(&fix->entered,
								KT_TIMEOUT),
			      "callback not entered");
	del = kt_start(test, fix, kt_del_fn, NULL, 0, kt_id(20, 1));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&fix->del_started,
							    KT_TIMEOUT));
	KUNIT_EXPECT_FALSE_MSG(test, kt_join(del, msecs_to_jiffies(200)),
			       "del returned while the callback runs");

	/* A dying entry takes no new calls, so del cannot be starved. */
	reinit_completion(&fix->entered);
	kt_rx(fix, buf2, len2);
	KUNIT_EXPECT_EQ(test, atomic_read(&fix->hits), 1);
	KUNIT_EXPECT_EQ(test, fix->nacks, 1U);
	if (fix->nacks >= 1)
		KUNIT_EXPECT_EQ(test, fix->acks[0].err, -ENODEV);

	complete_all(&fix->release);
	KUNIT_ASSERT_TRUE_MSG(test, kt_join(del, KT_TIMEOUT),
			      "del did not return after the callback did");
	KUNIT_EXPECT_EQ(test, del->ret, 0);
	KUNIT_ASSERT_TRUE(test, kt_join(rx, KT_TIMEOUT));
	KUNIT_EXPECT_FALSE(test, READ_ONCE(fix->release_timed_out));
	KUNIT_EXPECT_EQ(test, kt_del(fix, 20, 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, kt_stats(fix).callbacks, 0ULL);
}

static void kt_self_del_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	struct kt_fix *fix = kt_cur;
	struct cnxx_cb_id id = kt_id(msg->id.idx, msg->id.val);

	atomic_inc(&fix->hits);
	fix->cb_ret[0] = cnxx_core_del(fix->core, &id);
}

static void kt_unreg_self(struct kunit *test)
{
	static const struct kt_spec s[] = {
		{ .idx = 21, .val = 1, .seq = 1, .cn_len = 4,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
		{ .idx = 21, .val = 1, .seq = 2, .cn_len = 4,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
	};
	struct kt_fix *fix = test->priv;
	size_t len, offs[ARRAY_SIZE(s)];
	u8 *buf;

	fix->cb_ret[0] = 1;
	KUNIT_ASSERT_EQ(test, kt_add(fix, 21, 1, "self", kt_self_del_cb), 0);
	buf = kt_build(test, fix, s, ARRAY_SIZE(s), 0, &len, offs);
	kt_rx_bounded(test, fix, buf, len);

	KUNIT_EXPECT_EQ(test, atomic_read(&fix->hits), 1);
	KUNIT_EXPECT_EQ(test, fix->cb_ret[0], 0);
	/* The second message finds the id gone. */
	KUNIT_EXPECT_EQ(test, fix->nacks, 2U);
	kt_expect_ack(test, fix, 0, buf + offs[0], 0);
	kt_expect_ack(test, fix, 1, buf + offs[1], -ENODEV);
	KUNIT_EXPECT_EQ(test, kt_del(fix, 21, 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, kt_stats(fix).callbacks, 0ULL);
	KUNIT_EXPECT_EQ(test, kt_list(test, fix)->n, 0U);

	/* The id can be used again. */
	KUNIT_ASSERT_EQ(test, kt_add(fix, 21, 1, "again", kt_record_cb), 0);
	buf = kt_one(test, fix, 21, 1, 3, 0, &len);
	kt_rx(fix, buf, len);
	KUNIT_EXPECT_EQ(test, fix->ncalls, 1U);
}

/* Removes its own id, then keeps running until released. */
static void kt_self_del_block_cb(struct cn_msg *msg,
				 struct netlink_skb_parms *nsp)
{
	struct kt_fix *fix = kt_cur;
	struct cnxx_cb_id id = kt_id(msg->id.idx, msg->id.val);

	fix->cb_ret[0] = cnxx_core_del(fix->core, &id);
	kt_block_cb(msg, nsp);
}

/*
 * The module's exit removes an id its callback already removed: the id is
 * gone, but the call still runs the module's code, so del must wait.
 */
static void kt_unreg_self_then_del(struct kunit *test)
{
	struct kt_fix *fix = test->priv;
	struct kt_thread *rx, *del, *del2;
	size_t len;
	u8 *buf;

	fix->cb_ret[0] = 1;
	KUNIT_ASSERT_EQ(test, kt_add(fix, 24, 1, "selfblock",
				     kt_self_del_block_cb), 0);
	buf = kt_one(test, fix, 24, 1, 1, 0, &len);
	rx = kt_start(test, fix, kt_rx_fn, buf, len, kt_id(0, 0));
	KUNIT_ASSERT_TRUE_MSG(test, wait_for_completion_timeout(&fix->entered,
								KT_TIMEOUT),
			      "callback not entered");
	KUNIT_EXPECT_EQ(test, fix->cb_ret[0], 0);

	/* Two removers of the gone id: both must wait. */
	del = kt_start(test, fix, kt_del_fn, NULL, 0, kt_id(24, 1));
	del2 = kt_start(test, fix, kt_del_fn, NULL, 0, kt_id(24, 1));
	KUNIT_EXPECT_FALSE_MSG(test, kt_join(del, msecs_to_jiffies(300)),
			       "del of a self-removed id returned while its callback runs");
	KUNIT_EXPECT_FALSE_MSG(test, kt_join(del2, msecs_to_jiffies(50)),
			       "a second del returned while the callback runs");

	complete_all(&fix->release);
	KUNIT_ASSERT_TRUE(test, kt_join(rx, KT_TIMEOUT));
	KUNIT_ASSERT_TRUE(test, kt_join(del, KT_TIMEOUT));
	KUNIT_ASSERT_TRUE(test, kt_join(del2, KT_TIMEOUT));
	KUNIT_EXPECT_EQ(test, del->ret, -ENOENT);
	KUNIT_EXPECT_EQ(test, del2->ret, -ENOENT);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(fix->release_timed_out));
}

static void kt_others_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	struct kt_fix *fix = kt_cur;

	atomic_inc(&fix->hits);
	fix->cb_ret[0] = kt_add(fix, 22, 3, "inner", kt_record_cb);
	fix->cb_ret[1] = kt_del(fix, 22, 2);
}

static void kt_unreg_others(struct kunit *test)
{
	struct kt_fix *fix = test->priv;
	struct kt_infos *l;
	size_t len;
	u8 *buf;

	fix->cb_ret[0] = 1;
	fix->cb_ret[1] = 1;
	KUNIT_ASSERT_EQ(test, kt_add(fix, 22, 1, "outer", kt_others_cb), 0);
	KUNIT_ASSERT_EQ(test, kt_add(fix, 22, 2, "victim", kt_record_cb), 0);
	buf = kt_one(test, fix, 22, 1, 1, 0, &len);
	kt_rx_bounded(test, fix, buf, len);

	KUNIT_EXPECT_EQ(test, atomic_read(&fix->hits), 1);
	KUNIT_EXPECT_EQ(test, fix->cb_ret[0], 0);
	KUNIT_EXPECT_EQ(test, fix->cb_ret[1], 0);
	/* The outer id, then the one it added. */
	l = kt_list(test, fix);
	KUNIT_ASSERT_EQ(test, l->n, 2U);
	KUNIT_EXPECT_EQ(test, l->info[0].id.val, 1U);
	KUNIT_EXPECT_EQ(test, l->info[1].id.val, 3U);
	KUNIT_EXPECT_NULL(test, kt_find(l, 22, 2));

	/* The new id receives, the removed one does not. */
	buf = kt_one(test, fix, 22, 3, 2, NLM_F_ACK, &len);
	kt_rx(fix, buf, len);
	buf = kt_one(test, fix, 22, 2, 3, NLM_F_ACK, &len);
	kt_rx(fix, buf, len);
	KUNIT_EXPECT_EQ(test, fix->ncalls, 1U);
	KUNIT_ASSERT_EQ(test, fix->nacks, 2U);
	KUNIT_EXPECT_EQ(test, fix->acks[0].err, 0);
	KUNIT_EXPECT_EQ(test, fix->acks[1].err, -ENODEV);
}

/* Flags a call that runs, or is still running, once del has returned. */
static void kt_churn_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
	struct kt_fix *fix = kt_cur;

	smp_mb();	/* read the flag only after the call has started */
	if (READ_ONCE(fix->deleted))
		atomic_inc(&fix->violations);
	/* Sleep now and then, so del often has a running call to wait for. */
	if (!(atomic_inc_return(&fix->hits) % 4))
		usleep_range(10, 30);
	smp_mb();	/* read the flag after the sleep, not before */
	if (READ_ONCE(fix->deleted))
		atomic_inc(&fix->violations);
}

/* Dispatches until told to stop; the time bound only backs that up. */
static int kt_dispatch_fn(struct kt_thread *t)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(20000);

	while (!READ_ONCE(t->fix->stop) && time_before(jiffies, deadline)) {
		kt_rx(t->fix, t->buf, t->len);
		cond_resched();
	}
	return 0;
}

#define KT_CHURN_ROUNDS	300

static int kt_churn_fn(struct kt_thread *t)
{
	struct kt_fix *fix = t->fix;
	unsigned long deadline = jiffies + msecs_to_jiffies(4000);
	int bad = 0, i;

	for (i = 0; i < KT_CHURN_ROUNDS && time_before(jiffies, deadline);
	     i++) {
		if (cnxx_core_del(fix->core, &t->id))
			bad++;
		WRITE_ONCE(fix->deleted, true);
		smp_mb();	/* flag visible before the next calls can start */
		usleep_range(20, 50);
		WRITE_ONCE(fix->deleted, false);
		smp_mb();	/* flag cleared before the id can be found */
		if (cnxx_core_add(fix->core, &t->id, "churn",
				  (cnxx_callback_t)kt_churn_cb))
			bad++;
		usleep_range(20, 50);
	}
	fix->cb_ret[0] = bad;
	fix->cb_ret[1] = i;
	return 0;
}

static void kt_unreg_concurrent(struct kunit *test)
{
	struct kt_fix *fix = test->priv;
	struct kt_thread *d1, *d2, *churn;
	struct cnxx_stats st;
	size_t len1, len2;
	u8 *buf1, *buf2;

	KUNIT_ASSERT_EQ(test, kt_add(fix, 23, 1, "churn", kt_churn_cb), 0);
	buf1 = kt_one(test, fix, 23, 1, 1, 0, &len1);
	buf2 = kt_one(test, fix, 23, 1, 2, 0, &len2);
	d1 = kt_start(test, fix, kt_dispatch_fn, buf1, len1, kt_id(0, 0));
	d2 = kt_start(test, fix, kt_dispatch_fn, buf2, len2, kt_id(0, 0));
	churn = kt_start(test, fix, kt_churn_fn, NULL, 0, kt_id(23, 1));

	KUNIT_EXPECT_TRUE_MSG(test, kt_join(churn, msecs_to_jiffies(15000)),
			      "del/add loop did not finish");
	WRITE_ONCE(fix->stop, true);
	KUNIT_ASSERT_TRUE(test, kt_join(d1, KT_TIMEOUT));
	KUNIT_ASSERT_TRUE(test, kt_join(d2, KT_TIMEOUT));
	KUNIT_ASSERT_TRUE(test, kt_join(churn, KT_TIMEOUT));

	KUNIT_EXPECT_EQ(test, fix->cb_ret[0], 0);
	KUNIT_EXPECT_GE(test, fix->cb_ret[1], 20);
	KUNIT_EXPECT_EQ(test, atomic_read(&fix->violations), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&fix->hits), 0);
	st = kt_stats(fix);
	KUNIT_EXPECT_EQ(test, st.rx_delivered, (u64)atomic_read(&fix->hits));
	KUNIT_EXPECT_EQ(test, st.rx_messages, st.rx_delivered + st.rx_unknown);
	KUNIT_EXPECT_EQ(test, st.callbacks, 1ULL);
	kunit_info(test, "%d rounds, %d calls, %llu unknown\n",
		   fix->cb_ret[1], atomic_read(&fix->hits), st.rx_unknown);
}

static struct kunit_case kt_unregister_cases[] = {
	KUNIT_CASE(kt_unreg_waits),
	KUNIT_CASE(kt_unreg_self),
	KUNIT_CASE(kt_unreg_self_then_del),
	KUNIT_CASE(kt_unreg_others),
	KT_CASE_SLOW(kt_unreg_concurrent),
	{}
};

static struct kunit_suite kt_unregister_suite = {
	.name = "cnxx_unregister",
	.init = kt_fix_init,
	.exit = kt_fix_exit,
	.test_cases = kt_unregister_cases,
};

/* ---------------------------------------------------------------------- */
/* cnxx_notify                                                            */
/* ---------------------------------------------------------------------- */

#define KT_GROUP	5

/*
 * A struct cn_ctl_msg with @ni idx and @nv val ranges; @size gets its
 * length. The core copies it, so a test-managed allocation will do.
 */
static struct cn_ctl_msg *kt_ctl(struct kunit *test, u32 group,
				 const struct cn_notify_req *idx, u32 ni,
				 const struct cn_notify_req *val, u32 nv,
				 size_t *size)
{
	size_t len = (ni + nv) * sizeof(struct cn_notify_req);
	struct cn_ctl_msg *ctl;

	ctl = kunit_kzalloc(test, sizeof(*ctl) + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctl);
	ctl->idx_notify_num = ni;
	ctl->val_notify_num = nv;
	ctl->group = group;
	ctl->len = len;
	if (ni)
		memcpy(ctl->data, idx, ni * sizeof(*idx));
	if (nv)
		memcpy(ctl->data + ni * sizeof(*idx), val, nv * sizeof(*val));
	*size = sizeof(*ctl) + len;
	return ctl;
}

static const struct cn_notify_req kt_idx[] = { { 100, 10 } };
static const struct cn_notify_req kt_val[] = { { 1, 1 }, { 50, 10 } };

static void kt_notify_rejects(struct kunit *test)
{
	static const struct cn_notify_req zero[] = { { 100, 0 } };
	static const struct cn_notify_req wrap[] = { { 0xfffffff0, 0x11 } };
	static const struct cn_notify_req top[] = { { 0xfffffff0, 0x10 } };
	struct kt_fix *fix = test->priv;
	struct cn_ctl_msg *ctl;
	size_t size;

	ctl = kt_ctl(test, KT_GROUP, kt_idx, 1, kt_val, 2, &size);
	/* size is not sizeof(*ctl) + ctl->len */
	KUNIT_EXPECT_EQ(test, cnxx_core_notify_request(fix->core, ctl,
						       size - 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, cnxx_core_notify_request(fix->core, ctl, 8),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, cnxx_core_notify_request(fix->core, ctl, 0),
			-EINVAL);
	/* ctl->len does not match the counts */
	ctl->val_notify_num = 1;
	KUNIT_EXPECT_EQ(test, cnxx_core_notify_request(fix->core, ctl, size),
			-EINVAL);
	/* counts whose byte size wraps to ctl->len in 32 bits */
	ctl = kt_ctl(test, KT_GROUP, NULL, 0, NULL, 0, &size);
	ctl->idx_notify_num = 0x20000000;
	ctl->val_notify_num = 0x20000000;
	KUNIT_EXPECT_TRUE(test, cnxx_core_notify_request(fix->core, ctl,
							 size) < 0);
	ctl->idx_notify_num = 0xffffffff;
	ctl->val_notify_num = 1;
	KUNIT_EXPECT_TRUE(test, cnxx_core_notify_request(fix->core, ctl,
							 size) < 0);

	/* empty ranges */
	ctl = kt_ctl(test, KT_GROUP, zero, 1, kt_val, 2, &size);
	KUNIT_EXPECT_EQ(test, cnxx_core_notify_request(fix->core, ctl, size),
			-EINVAL);
	ctl = kt_ctl(test, KT_GROUP, kt_idx, 1, zero, 1, &size);
	KUNIT_EXPECT_EQ(test, cnxx_core_notify_request(fix->core, ctl, size),
			-EINVAL);
	/* past 2^32; ending exactly there is fine */
	ctl = kt_ctl(test, KT_GROUP, wrap, 1, kt_val, 2, &size);
	KUNIT_EXPECT_EQ(test, cnxx_core_notify_request(fix->core, ctl, size),
			-EINVAL);
	ctl = kt_ctl(test, KT_GROUP, kt_idx, 1, wrap, 1, &size);
	KUNIT_EXPECT_EQ(test, cnxx_core_notify_request(fix->core, ctl, size),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kt_stats(fix).notify_requests, 0ULL);
	ctl = kt_ctl(test, KT_GROUP, top, 1, top, 1, &size);
	KUNIT_EXPECT_EQ(test, cnxx_core_notify_request(fix->core, ctl, size),
			0);
	ctl->group = 0;
	KUNIT_EXPECT_EQ(test, cnxx_core_notify_request(fix->core, ctl, size),
			0);

	/* groups: up to config.groups */
	ctl = kt_ctl(test, KT_GROUPS + 1, kt_idx, 1, kt_val, 2, &size);
	KUNIT_EXPECT_EQ(test, cnxx_core_notify_request(fix->core, ctl, size),
			-EINVAL);
	ctl->group = KT_GROUPS;
	KUNIT_EXPECT_EQ(test, cnxx_core_notify_request(fix->core, ctl, size),
			0);
	ctl->group = 0;
	KUNIT_EXPECT_EQ(test, cnxx_core_notify_request(fix->core, ctl, size),
			0);
	KUNIT_EXPECT_EQ(test, kt_stats(fix).notify_requests, 0ULL);
}

static struct kunit_case kt_notify_cases[] = {
	KUNIT_CASE(kt_notify_rejects),
	{}
};

static struct kunit_suite kt_notify_suite = {
	.name = "cnxx_notify",
	.init = kt_fix_init,
	.exit = kt_fix_exit,
	.test_cases = kt_notify_cases,
};

/* ---------------------------------------------------------------------- */
/* cnxx_api: the loaded module's exported connector API                   */
/* ---------------------------------------------------------------------- */

/* Ids far above the groups, so group-0 sends reach no listener. */
#define KT_API_IDX	0x434e5854
#define KT_API_GROUP	CNTEST_GROUP_UNHEARD

static const struct cb_id kt_api_ids[] = {
	{ KT_API_IDX, 1 }, { KT_API_IDX, 2 }, { KT_API_IDX, 3 },
};

struct kt_api {
	struct timer_list timer;
	bool timer_ready;
	struct completion fired;
	struct cn_msg *known;
	struct cn_msg *unknown;
	int ret[3];
	bool in_softirq;
};

static void kt_api_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
}

static struct cn_msg *kt_api_msg(struct kunit *test, u32 val, u16 len)
{
	struct cn_msg *msg;

	msg = kunit_kzalloc(test, sizeof(*msg) + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	msg->id.idx = KT_API_IDX;
	msg->id.val = val;
	msg->len = len;
	return msg;
}

static int kt_api_init(struct kunit *test)
{
	struct kt_api *api = kzalloc(sizeof(*api), GFP_KERNEL);

	if (!api)
		return -ENOMEM;
	init_completion(&api->fired);
	test->priv = api;
	return 0;
}

static void kt_api_exit(struct kunit *test)
{
	struct kt_api *api = test->priv;
	unsigned int i;

	if (!api)
		return;
	if (api->timer_ready)
		timer_delete_sync(&api->timer);
	/* Harmless for ids a case did not register. */
	for (i = 0; i < ARRAY_SIZE(kt_api_ids); i++)
		cn_del_callback(&kt_api_ids[i]);
	kfree(api);
}

static void kt_api_add_del(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, cn_add_callback(&kt_api_ids[0], "cnxx_kunit",
					      kt_api_cb), 0);
	KUNIT_EXPECT_EQ(test, cn_add_callback(&kt_api_ids[0], "cnxx_kunit",
					      kt_api_cb), -EINVAL);
	cn_del_callback(&kt_api_ids[0]);
	/* Gone: it can be added again. */
	KUNIT_EXPECT_EQ(test, cn_add_callback(&kt_api_ids[0], "cnxx_kunit",
					      kt_api_cb), 0);
	cn_del_callback(&kt_api_ids[0]);
}

static void kt_api_send_errors(struct kunit *test)
{
	struct cn_msg *msg = kt_api_msg(test, 2, 8);
	struct cn_msg *big = kt_api_msg(test, 2, 12);

	KUNIT_EXPECT_EQ(test, cn_netlink_send(msg, 0, KT_API_GROUP,
					      GFP_KERNEL), -ESRCH);
	KUNIT_EXPECT_EQ(test, cn_netlink_send(msg, 0, 0, GFP_KERNEL), -ENODEV);
	KUNIT_EXPECT_EQ(test, cntest_send_mult(msg, 8, 0, KT_API_GROUP,
					       GFP_KERNEL), -ESRCH);

	/* 12 bytes after a header that says 8; 4 after one that says 8 */
	big->len = 8;
	KUNIT_EXPECT_EQ(test, cntest_send_mult(big, 12, 0, KT_API_GROUP,
					       GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, cntest_send_mult(msg, 4, 0, KT_API_GROUP,
					       GFP_KERNEL), -EINVAL);

	/* Registered: group 0 routes to group KT_API_IDX, where nobody is. */
	KUNIT_ASSERT_EQ(test, cn_add_callback(&kt_api_ids[1], "cnxx_kunit",
					      kt_api_cb), 0);
	KUNIT_EXPECT_EQ(test, cn_netlink_send(msg, 0, 0, GFP_KERNEL), -ESRCH);
	cn_del_callback(&kt_api_ids[1]);
	KUNIT_EXPECT_EQ(test, cn_netlink_send(msg, 0, 0, GFP_KERNEL), -ENODEV);
}

static void kt_api_timer_fn(struct timer_list *t)
{
	struct kt_api *api = from_timer(api, t, timer);

	api->in_softirq = in_softirq();
	api->ret[0] = cn_netlink_send(api->unknown, 0, KT_API_GROUP,
				      GFP_ATOMIC);
	/* The group-0 lookup by id, in softirq context. */
	api->ret[1] = cn_netlink_send(api->known, 0, 0, GFP_ATOMIC);
	api->ret[2] = cn_netlink_send(api->unknown, 0, 0, GFP_ATOMIC);
	complete(&api->fired);
}

static void kt_api_atomic_send(struct kunit *test)
{
	struct kt_api *api = test->priv;

	api->known = kt_api_msg(test, 3, 4);
	api->unknown = kt_api_msg(test, 2, 4);
	KUNIT_ASSERT_EQ(test, cn_add_callback(&kt_api_ids[2], "cnxx_kunit",
					      kt_api_cb), 0);
	timer_setup(&api->timer, kt_api_timer_fn, 0);
	api->timer_ready = true;
	mod_timer(&api->timer, jiffies + 1);
	KUNIT_ASSERT_TRUE_MSG(test, wait_for_completion_timeout(&api->fired,
								KT_TIMEOUT),
			      "timer did not fire");
	KUNIT_EXPECT_TRUE(test, api->in_softirq);
	KUNIT_EXPECT_EQ(test, api->ret[0], -ESRCH);
	KUNIT_EXPECT_EQ(test, api->ret[1], -ESRCH);
	KUNIT_EXPECT_EQ(test, api->ret[2], -ENODEV);
}

static void kt_api_del_unknown(struct kunit *test)
{
	static const struct cb_id never = { KT_API_IDX, 0x7777 };

	KUNIT_ASSERT_EQ(test, cn_add_callback(&kt_api_ids[0], "cnxx_kunit",
					      kt_api_cb), 0);
	cn_del_callback(&never);
	cn_del_callback(&never);
	/* The registered one is untouched. */
	KUNIT_EXPECT_EQ(test, cn_add_callback(&kt_api_ids[0], "cnxx_kunit",
					      kt_api_cb), -EINVAL);
	cn_del_callback(&kt_api_ids[0]);
	KUNIT_EXPECT_EQ(test, cn_add_callback(&kt_api_ids[0], "cnxx_kunit",
					      kt_api_cb), 0);
	cn_del_callback(&kt_api_ids[0]);
}

static struct kunit_case kt_api_cases[] = {
	KUNIT_CASE(kt_api_add_del),
	KUNIT_CASE(kt_api_send_errors),
	KUNIT_CASE(kt_api_atomic_send),
	KUNIT_CASE(kt_api_del_unknown),
	{}
};

static struct kunit_suite kt_api_suite = {
	.name = "cnxx_api",
	.init = kt_api_init,
	.exit = kt_api_exit,
	.test_cases = kt_api_cases,
};

kunit_test_suites(&kt_receive_suite, &kt_route_suite, &kt_unregister_suite,
		  &kt_notify_suite, &kt_api_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the cnxx connector core and API");
MODULE_IMPORT_NS(CNXX_INTERNAL);
