// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_route: the cn_msg records of a cn_netlink_send_mult() whose sizes
 * do not add up, in exact-size buffers, so that KASAN (debug kernels)
 * reports a walk that reads past the end. The routing outcomes themselves
 * are host tests (tests/host/route_test.cpp).
 */
#include "fixture.h"

#define KT_IDX	7

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

		m->id = (struct cb_id) { .idx = KT_IDX, .val = 1 };
		m->seq = i;
		m->len = lens[i];
		if (rec)
			rec[i] = m;
		off += sizeof(*m) + lens[i];
	}
	*len = size - sizeof(struct cn_msg);
	return (struct cn_msg *)buf;
}

/* To a group, and by the id's callback (group 0): both must refuse. */
static void kt_expect_refused(struct kunit *test, struct kt_fix *fix,
			      struct cn_msg *msg, u16 len)
{
	u32 dst;

	KUNIT_EXPECT_EQ(test, cnxx_core_route(fix->core, msg, len, 0, 3, &dst),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, cnxx_core_route(fix->core, msg, len, 0, 0, &dst),
			-EINVAL);
}

static void kt_route_bad_sizes(struct kunit *test)
{
	static const u16 three[] = { 4, 0, 9 };
	static const u16 two[] = { 4, 0 };
	static const u16 one[] = { 4 };
	struct kt_fix *fix = test->priv;
	struct cn_msg *msg, *rec[3];
	u16 len;

	KUNIT_ASSERT_EQ(test, kt_add(fix, KT_IDX, 1, "seven", kt_record_cb),
			0);

	/* The last record's len runs one byte past the end ... */
	msg = kt_records(test, fix, three, 3, 0, rec, &len);
	rec[2]->len++;
	kt_expect_refused(test, fix, msg, len);
	/* ... or ends one short of it. */
	rec[2]->len -= 2;
	kt_expect_refused(test, fix, msg, len);

	/* Two records, then 10 bytes: half a header. */
	msg = kt_records(test, fix, two, 2, 10, NULL, &len);
	kt_expect_refused(test, fix, msg, len);

	/* One record with 3 bytes after its data. */
	msg = kt_records(test, fix, one, 1, 3, NULL, &len);
	kt_expect_refused(test, fix, msg, len);

	/* The first record alone is longer than @len. */
	msg = kt_records(test, fix, one, 1, 0, rec, &len);
	rec[0]->len = 8;
	kt_expect_refused(test, fix, msg, len);
}

static struct kunit_case kt_route_cases[] = {
	KUNIT_CASE(kt_route_bad_sizes),
	{}
};

KT_SUITE(route, kt_fix_init, kt_fix_exit, kt_route_cases);
