// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_receive: the walk over the netlink messages of a datagram, in
 * exact-size buffers, so that KASAN (debug kernels) reports any read past
 * the end; the host tests (tests/host/receive_test.cpp) cover the same
 * outcomes in buffers that ASan does not bound as tightly. Every case
 * starts with {KT_IDX, 1} registered as "a".
 */
#include <net/netlink.h>

#include "fixture.h"

#define KT_IDX	10

/* A message to {KT_IDX, 1} with @len_ data bytes. */
#define KT_MSG(seq_, len_, flags_)					\
	{ .idx = KT_IDX, .val = 1, .seq = (seq_), .cn_len = (len_),	\
	  .flags = NLM_F_REQUEST | (flags_) }
/* ... whose nlmsg_len claims @nl_len_ bytes instead of the real length. */
#define KT_CLAIM(seq_, len_, flags_, nl_len_)				\
	{ .idx = KT_IDX, .val = 1, .seq = (seq_), .cn_len = (len_),	\
	  .flags = NLM_F_REQUEST | (flags_), .claim = true,		\
	  .nl_len = (nl_len_) }

static int kt_rx_init(struct kunit *test)
{
	int err = kt_fix_init(test);

	if (err)
		return err;
	return kt_add(test->priv, KT_IDX, 1, "a", kt_record_cb);
}

static void kt_expect_rx(struct kunit *test, struct kt_fix *fix, u64 messages,
			 u64 delivered, u64 invalid)
{
	struct cnxx_stats st = kt_stats(fix);

	KUNIT_EXPECT_EQ(test, st.rx_messages, messages);
	KUNIT_EXPECT_EQ(test, st.rx_delivered, delivered);
	KUNIT_EXPECT_EQ(test, st.rx_invalid, invalid);
}

static void kt_rx_deliver(struct kunit *test)
{
	/* The last one is 39 bytes long: the buffer ends unaligned. */
	static const struct kt_spec s[] = {
		{ .idx = KT_IDX, .val = 1, .seq = 1, .cn_len = 0 },
		{ .idx = KT_IDX, .val = 2, .seq = 2, .cn_len = 5 },
		{ .idx = KT_IDX, .val = 1, .seq = 3, .cn_len = 64 },
		{ .idx = KT_IDX, .val = 2, .seq = 4, .cn_len = 3 },
	};
	struct kt_fix *fix = test->priv;
	size_t len, offs[ARRAY_SIZE(s)];
	struct kt_infos *l;
	unsigned int i;
	u8 *buf;

	KUNIT_ASSERT_EQ(test, kt_add(fix, KT_IDX, 2, "b", kt_record_cb), 0);
	buf = kt_build(test, fix, s, ARRAY_SIZE(s), 0, &len, offs);
	KUNIT_ASSERT_NE(test, len % NLMSG_ALIGNTO, (size_t)0);
	kt_rx(fix, buf, len);

	KUNIT_ASSERT_EQ(test, fix->ncalls, (unsigned int)ARRAY_SIZE(s));
	for (i = 0; i < ARRAY_SIZE(s); i++)
		kt_expect_call(test, fix, i, s[i].idx, s[i].val, s[i].seq,
			       s[i].cn_len);
	KUNIT_EXPECT_EQ(test, fix->nacks, 0U);
	kt_expect_rx(test, fix, 4, 4, 0);
	KUNIT_EXPECT_EQ(test, kt_stats(fix).rx_unknown, 0ULL);
	l = kt_list(test, fix);
	for (i = 1; i <= 2; i++) {
		const struct cnxx_cb_info *info = kt_find(l, KT_IDX, i);

		KUNIT_ASSERT_NOT_NULL(test, info);
		KUNIT_EXPECT_EQ(test, info->delivered, 2ULL);
	}
}

static void kt_rx_acks(struct kunit *test)
{
	const u32 max = CONNECTOR_MAX_MSG_SIZE;
	const u16 hdr = sizeof(struct cn_msg);
	const struct kt_spec s[] = {
		KT_MSG(10, 4, NLM_F_ACK),
		/* payload shorter than a cn_msg */
		{ .idx = KT_IDX, .val = 1, .seq = 11, .payload = 8,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
		/* cn_msg.len claims more than is there */
		{ .idx = KT_IDX, .val = 1, .seq = 12, .cn_len = 40,
		  .payload = hdr + 16, .flags = NLM_F_REQUEST | NLM_F_ACK },
		/* one byte over CONNECTOR_MAX_MSG_SIZE */
		KT_MSG(13, max + 1 - hdr, NLM_F_ACK),
		/* nobody registered */
		{ .idx = KT_IDX + 1, .val = 1, .seq = 14, .cn_len = 4,
		  .flags = NLM_F_REQUEST | NLM_F_ACK },
		/* exactly CONNECTOR_MAX_MSG_SIZE */
		KT_MSG(15, max - hdr, NLM_F_ACK),
		/* no ack asked */
		KT_MSG(16, 2, 0),
	};
	static const int errs[] = {
		0, -EINVAL, -EINVAL, -EMSGSIZE, -ENODEV, 0,
	};
	struct kt_fix *fix = test->priv;
	size_t len, offs[ARRAY_SIZE(s)];
	struct cnxx_stats st;
	unsigned int i;
	u8 *buf;

	buf = kt_build(test, fix, s, ARRAY_SIZE(s), 0, &len, offs);
	kt_rx(fix, buf, len);

	KUNIT_EXPECT_EQ(test, fix->nacks, (unsigned int)ARRAY_SIZE(errs));
	for (i = 0; i < ARRAY_SIZE(errs); i++)
		kt_expect_ack(test, fix, i, buf + offs[i], errs[i]);

	KUNIT_ASSERT_EQ(test, fix->ncalls, 3U);
	kt_expect_call(test, fix, 0, KT_IDX, 1, 10, 4);
	kt_expect_call(test, fix, 1, KT_IDX, 1, 15, max - hdr);
	kt_expect_call(test, fix, 2, KT_IDX, 1, 16, 2);

	kt_expect_rx(test, fix, 7, 3, 2);
	st = kt_stats(fix);
	KUNIT_EXPECT_EQ(test, st.rx_oversize, 1ULL);
	KUNIT_EXPECT_EQ(test, st.rx_unknown, 1ULL);
	KUNIT_EXPECT_EQ(test, st.rx_control, 0ULL);
}

static void kt_rx_truncated_header(struct kunit *test)
{
	static const struct kt_spec s[] = { KT_MSG(20, 4, NLM_F_ACK) };
	struct kt_fix *fix = test->priv;
	size_t len, offs[ARRAY_SIZE(s)];
	u8 *buf;

	/* A trailing header one byte short. */
	buf = kt_build(test, fix, s, ARRAY_SIZE(s), NLMSG_HDRLEN - 1, &len,
		       offs);
	kt_rx_bounded(test, fix, buf, len);

	KUNIT_EXPECT_EQ(test, fix->ncalls, 1U);
	kt_expect_call(test, fix, 0, KT_IDX, 1, 20, 4);
	KUNIT_EXPECT_EQ(test, fix->nacks, 1U);
	kt_expect_ack(test, fix, 0, buf + offs[0], 0);
	/* The fragment is no message, but a malformed buffer. */
	kt_expect_rx(test, fix, 1, 1, 1);
}

static void kt_rx_len_beyond(struct kunit *test)
{
	/* The second header claims 200 bytes; 40 follow it. */
	static const struct kt_spec s[] = {
		KT_MSG(21, 4, NLM_F_ACK),
		KT_CLAIM(22, 20, 0, 200),
	};
	/* The same claim first: nothing after it can be found. */
	static const struct kt_spec s2[] = {
		KT_CLAIM(23, 20, 0, 200),
		KT_MSG(24, 4, NLM_F_ACK),
	};
	struct kt_fix *fix = test->priv;
	size_t len, offs[2];
	u8 *buf;

	buf = kt_build(test, fix, s, ARRAY_SIZE(s), 0, &len, offs);
	KUNIT_ASSERT_LT(test, len, (size_t)200);
	kt_rx_bounded(test, fix, buf, len);
	KUNIT_EXPECT_EQ(test, fix->ncalls, 1U);
	kt_expect_call(test, fix, 0, KT_IDX, 1, 21, 4);
	KUNIT_EXPECT_EQ(test, fix->nacks, 1U);
	kt_expect_ack(test, fix, 0, buf + offs[0], 0);

	buf = kt_build(test, fix, s2, ARRAY_SIZE(s2), 0, &len, offs);
	kt_rx_bounded(test, fix, buf, len);
	KUNIT_EXPECT_EQ(test, fix->ncalls, 1U);
	KUNIT_EXPECT_EQ(test, fix->nacks, 1U);
	kt_expect_rx(test, fix, 1, 1, 2);
}

static void kt_rx_short_nlmsg_len(struct kunit *test)
{
	/* nlmsg_len 0 and 8: no length to step by, so the walk must stop. */
	static const struct kt_spec s[2][2] = {
		{ KT_CLAIM(30, 4, NLM_F_ACK, 0), KT_MSG(31, 4, NLM_F_ACK) },
		{ KT_CLAIM(32, 4, NLM_F_ACK, 8), KT_MSG(33, 4, NLM_F_ACK) },
	};
	struct kt_fix *fix = test->priv;
	size_t len, offs[2];
	unsigned int i;
	u8 *buf;

	for (i = 0; i < ARRAY_SIZE(s); i++) {
		buf = kt_build(test, fix, s[i], ARRAY_SIZE(s[i]), 0, &len,
			       offs);
		kt_rx_bounded(test, fix, buf, len);
	}
	KUNIT_EXPECT_EQ(test, fix->ncalls, 0U);
	kt_expect_rx(test, fix, 0, 0, 2);
}

static struct kunit_case kt_receive_cases[] = {
	KUNIT_CASE(kt_rx_deliver),
	KUNIT_CASE(kt_rx_acks),
	KUNIT_CASE(kt_rx_truncated_header),
	KUNIT_CASE(kt_rx_len_beyond),
	KUNIT_CASE(kt_rx_short_nlmsg_len),
	{}
};

KT_SUITE(receive, kt_rx_init, kt_fix_exit, kt_receive_cases);
