// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_kunit: KUnit suites for cnxx, one file per suite. Private cores
 * through the core ABI, on the fixture of this file: the receive walk
 * (receive.c) and the send_mult records (route.c) in exact-size buffers
 * for KASAN, removal against running calls (unregister.c), malformed
 * notification requests (notify.c); and the live module's exported
 * connector API (api.c). What needs no kernel is tested on the host
 * (tests/host). Load after cnxx.ko; the suites run on load and their
 * results are in /sys/kernel/debug/kunit/.
 */
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/version.h>
#include <net/netlink.h>

#include "fixture.h"

static_assert(sizeof(struct cb_id) == sizeof(struct cnxx_cb_id));

/* Bounds for the notification requests of notify.c. */
#define KT_MAX_REQS	4
#define KT_MAX_RANGES	4
#define KT_MAX_PENDING	64

/* How long a case's threads may take to end before its state is leaked. */
#define KT_EXIT_TIMEOUT	msecs_to_jiffies(15000)

struct kt_fix *kt_cur;

static void kt_op_ack(void *ctx, struct sk_buff *rx,
		      const struct nlmsghdr *nlh, int err)
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
static int kt_op_notify(void *ctx, const struct cn_msg *msg, size_t size,
			u32 group)
{
	return 0;
}

/* No case sends a control request through the receive path. */
static bool kt_op_capable(void *ctx, const struct netlink_skb_parms *sender)
{
	return false;
}

static const struct cnxx_core_ops kt_ops = {
	.ack = kt_op_ack,
	.notify = kt_op_notify,
	.sender_capable = kt_op_capable,
};

int kt_fix_init(struct kunit *test)
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

void kt_fix_exit(struct kunit *test)
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

void *kt_buf(struct kt_fix *fix, size_t len)
{
	void *buf;

	if (fix->nbufs >= KT_MAX_BUFS)
		return NULL;
	buf = kzalloc(len, GFP_KERNEL);
	if (buf)
		fix->bufs[fix->nbufs++] = buf;
	return buf;
}

int kt_add(struct kt_fix *fix, u32 idx, u32 val, const char *name,
	   cnxx_callback_t cb)
{
	struct cnxx_cb_id id = kt_id(idx, val);

	return cnxx_core_add(fix->core, &id, name, cb);
}

int kt_del(struct kt_fix *fix, u32 idx, u32 val)
{
	struct cnxx_cb_id id = kt_id(idx, val);

	return cnxx_core_del(fix->core, &id);
}

struct cnxx_stats kt_stats(struct kt_fix *fix)
{
	struct cnxx_stats st;

	memset(&st, 0, sizeof(st));
	cnxx_core_stats(fix->core, &st);
	return st;
}

static void kt_collect(void *arg, const struct cnxx_cb_info *info)
{
	struct kt_infos *l = arg;

	if (l->n < KT_MAX_INFOS)
		l->info[l->n] = *info;
	l->n++;
}

struct kt_infos *kt_list(struct kunit *test, struct kt_fix *fix)
{
	struct kt_infos *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l);
	cnxx_core_for_each(fix->core, kt_collect, l);
	return l;
}

const struct cnxx_cb_info *kt_find(const struct kt_infos *l, u32 idx,
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

void kt_record_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
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

u8 *kt_build(struct kunit *test, struct kt_fix *fix, const struct kt_spec *s,
	     unsigned int n, size_t tail, size_t *lenp, size_t *offs)
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

void kt_rx(struct kt_fix *fix, void *buf, size_t len)
{
	cnxx_core_receive(fix->core, buf, len, &fix->sender, &fix->rx_token);
}

static int kt_thread_main(void *data)
{
	struct kt_thread *t = data;

	t->ret = t->fn(t);
	kthread_complete_and_exit(&t->done, 0);
}

struct kt_thread *kt_start(struct kunit *test, struct kt_fix *fix,
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
bool kt_join(struct kt_thread *t, unsigned long timeout)
{
	if (t->running && wait_for_completion_timeout(&t->done, timeout))
		t->running = false;
	return !t->running;
}

int kt_rx_fn(struct kt_thread *t)
{
	kt_rx(t->fix, t->buf, t->len);
	return 0;
}

void kt_rx_bounded(struct kunit *test, struct kt_fix *fix, void *buf,
		   size_t len)
{
	struct kt_thread *t = kt_start(test, fix, kt_rx_fn, buf, len,
				       kt_id(0, 0));

	KUNIT_ASSERT_TRUE_MSG(test, kt_join(t, KT_TIMEOUT),
			      "cnxx_core_receive() did not return");
}

void kt_expect_call(struct kunit *test, struct kt_fix *fix, unsigned int i,
		    u32 idx, u32 val, u32 seq, u16 len)
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

void kt_expect_ack(struct kunit *test, struct kt_fix *fix, unsigned int i,
		   const u8 *nlh, int err)
{
	const struct kt_ack *a = &fix->acks[i];

	KUNIT_ASSERT_LT(test, i, min_t(unsigned int, fix->nacks,
				       KT_MAX_ACKS));
	KUNIT_EXPECT_PTR_EQ(test, (const void *)a->nlh, (const void *)nlh);
	KUNIT_EXPECT_EQ_MSG(test, a->err, err, "ack %u", i);
	KUNIT_EXPECT_PTR_EQ(test, a->rx, &fix->rx_token);
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the cnxx connector core and API");
/* The core ABI, which cnxx exports for KUnit only (kmod/api.c). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
#else	/* a bare identifier up to 6.12 */
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
#endif
