// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_route: the record check that debug builds make on every send
 * (cnxx_send_records_fit(), kmod/netlink_send.h), on the cn_msg records of
 * a cn_netlink_send_mult() in exact-size buffers, so that KASAN (debug
 * kernels) reports a walk that reads past the end. What the exported
 * sends do with such records is api.c's suite and the VM suite's.
 */
#include <kunit/test.h>
#include <linux/connector.h>

#include "fixture.h"
#include "netlink_send.h"

#define KT_IDX	7

/*
 * @n cn_msg records with data lengths @lens back to back, then @extra
 * bytes, in an exact-size buffer. @rec gets each record's address and
 * @len the value for the check: the bytes after the first header.
 */
static struct cn_msg *kt_records(struct kunit *test, const u16 *lens,
				 unsigned int n, size_t extra,
				 struct cn_msg **rec, u16 *len)
{
	size_t size = extra, off = 0;
	unsigned int i;
	u8 *buf;

	for (i = 0; i < n; i++)
		size += sizeof(struct cn_msg) + lens[i];
	buf = kunit_kzalloc(test, size, GFP_KERNEL);
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

static void kt_route_whole(struct kunit *test)
{
	static const u16 three[] = { 4, 0, 9 };
	static const u16 empty[] = { 0 };
	static const u16 biggest[] = { 65535 };
	struct cn_msg *msg;
	u16 len;

	msg = kt_records(test, three, 3, 0, NULL, &len);
	KUNIT_EXPECT_TRUE(test, cnxx_send_records_fit(msg, len));
	/* The first two records alone. */
	KUNIT_EXPECT_TRUE(test, cnxx_send_records_fit(msg, 4 + 20));
	msg = kt_records(test, empty, 1, 0, NULL, &len);
	KUNIT_EXPECT_TRUE(test, cnxx_send_records_fit(msg, len));
	msg = kt_records(test, biggest, 1, 0, NULL, &len);
	KUNIT_EXPECT_TRUE(test, cnxx_send_records_fit(msg, len));
}

static void kt_route_bad_sizes(struct kunit *test)
{
	static const u16 three[] = { 4, 0, 9 };
	static const u16 two[] = { 4, 0 };
	static const u16 one[] = { 4 };
	static const u16 empty[] = { 0 };
	struct cn_msg *msg, *rec[3];
	u16 len;

	/* The last record's len runs one byte past the end ... */
	msg = kt_records(test, three, 3, 0, rec, &len);
	rec[2]->len++;
	KUNIT_EXPECT_FALSE(test, cnxx_send_records_fit(msg, len));
	/* ... or ends one short of it. */
	rec[2]->len -= 2;
	KUNIT_EXPECT_FALSE(test, cnxx_send_records_fit(msg, len));

	/* Two records, then 10 bytes: half a header. */
	msg = kt_records(test, two, 2, 10, NULL, &len);
	KUNIT_EXPECT_FALSE(test, cnxx_send_records_fit(msg, len));

	/* One record with 3 bytes after its data. */
	msg = kt_records(test, one, 1, 3, NULL, &len);
	KUNIT_EXPECT_FALSE(test, cnxx_send_records_fit(msg, len));

	/* The first record alone is longer than @len. */
	msg = kt_records(test, one, 1, 0, rec, &len);
	rec[0]->len = 8;
	KUNIT_EXPECT_FALSE(test, cnxx_send_records_fit(msg, len));

	/* A second record whose len would carry a 16-bit sum past @len. */
	msg = kt_records(test, empty, 1, 20 + 100, NULL, &len);
	((struct cn_msg *)((u8 *)msg + 20))->len = 65535;
	KUNIT_EXPECT_FALSE(test, cnxx_send_records_fit(msg, len));
}

static struct kunit_case kt_route_cases[] = {
	KUNIT_CASE(kt_route_whole),
	KUNIT_CASE(kt_route_bad_sizes),
	{}
};

KT_SUITE(route, NULL, NULL, kt_route_cases);
