// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_unregister: cnxx_core_del() against calls running in other
 * kthreads, on the kernel's own completions, RCU and scheduler: it waits
 * for a running call, also of an id its callback already removed; a dying
 * entry takes no new calls; callbacks add and remove ids, their own too;
 * and removals race with dispatch. The host tests
 * (tests/host/lifetime_test.cpp) check the same protocol on a fake
 * platform; here KASAN and lockdep (debug kernels) watch the real one.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>

#include "fixture.h"

/* How long a blocked callback waits to be released before giving up. */
#define KT_BLOCK_TIMEOUT msecs_to_jiffies(10000)

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
		if (cnxx_core_add(fix->core, &t->id, "churn", kt_churn_cb))
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

KT_SUITE(unregister, kt_fix_init, kt_fix_exit, kt_unregister_cases);
