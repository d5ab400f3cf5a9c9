// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_notify: malformed registration-notification requests, each in an
 * exact-size buffer, so that KASAN (debug kernels) reports a parser that
 * trusts a count or a length and reads past the end. Matching, storing
 * and sending notifications are tested on the host
 * (tests/host/notify_test.cpp) and end to end in the VM (vmtest's notify
 * group).
 */
#include <linux/string.h>

#include <cnxx/cnxx_kernel.h>

#include "fixture.h"

#define KT_GROUP	5

static const struct cn_notify_req kt_range = { 100, 10 };

/* One idx and one val range to @group, in exactly its @size bytes. */
static struct cn_ctl_msg *kt_ctl(struct kunit *test, u32 group,
				 struct cn_notify_req idx,
				 struct cn_notify_req val, size_t *size)
{
	struct cn_notify_req req[2] = { idx, val };
	struct cn_ctl_msg *ctl;

	*size = sizeof(*ctl) + sizeof(req);
	ctl = kunit_kzalloc(test, *size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctl);
	ctl->idx_notify_num = 1;
	ctl->val_notify_num = 1;
	ctl->group = group;
	ctl->len = sizeof(req);
	memcpy(ctl->data, req, sizeof(req));
	return ctl;
}

static int kt_submit(struct kt_fix *fix, const struct cn_ctl_msg *ctl,
		     size_t size)
{
	return cnxx_core_notify_request(fix->core, ctl, size);
}

static void kt_notify_rejects(struct kunit *test)
{
	static const struct {
		struct cn_notify_req idx, val;
		int err;
	} ranges[] = {
		{ { 100, 0 }, { 1, 1 }, -EINVAL },		/* empty */
		{ { 100, 10 }, { 1, 0 }, -EINVAL },
		{ { 0xfffffff0, 0x11 }, { 1, 1 }, -EINVAL },	/* past 2^32 */
		{ { 100, 10 }, { 0xfffffff0, 0x11 }, -EINVAL },
		{ { 0xfffffff0, 0x10 }, { 0xfffffff0, 0x10 }, 0 }, /* to it */
	};
	struct kt_fix *fix = test->priv;
	struct cn_ctl_msg *ctl;
	unsigned int i;
	size_t size;

	ctl = kt_ctl(test, KT_GROUP, kt_range, kt_range, &size);
	/* size is not sizeof(*ctl) + ctl->len */
	KUNIT_EXPECT_EQ(test, kt_submit(fix, ctl, size - 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kt_submit(fix, ctl, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kt_submit(fix, ctl, 0), -EINVAL);
	/* counts that ask for more ranges than ctl->len holds ... */
	ctl->val_notify_num = 2;
	KUNIT_EXPECT_EQ(test, kt_submit(fix, ctl, size), -EINVAL);
	/* ... also where their byte size wraps to ctl->len in 32 bits */
	ctl->idx_notify_num = 0x20000001;
	ctl->val_notify_num = 0x20000001;
	KUNIT_EXPECT_LT(test, kt_submit(fix, ctl, size), 0);
	ctl->idx_notify_num = 0xffffffff;
	ctl->val_notify_num = 3;
	KUNIT_EXPECT_LT(test, kt_submit(fix, ctl, size), 0);

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		ctl = kt_ctl(test, KT_GROUP, ranges[i].idx, ranges[i].val,
			     &size);
		KUNIT_EXPECT_EQ_MSG(test, kt_submit(fix, ctl, size),
				    ranges[i].err, "ranges %u", i);
	}

	/* groups: up to config.groups */
	ctl = kt_ctl(test, KT_GROUPS + 1, kt_range, kt_range, &size);
	KUNIT_EXPECT_EQ(test, kt_submit(fix, ctl, size), -EINVAL);
	ctl->group = KT_GROUPS;
	KUNIT_EXPECT_EQ(test, kt_submit(fix, ctl, size), 0);
	/* The two accepted ones; destroying the core frees them. */
	KUNIT_EXPECT_EQ(test, kt_stats(fix).notify_requests, 2ULL);
}

static struct kunit_case kt_notify_cases[] = {
	KUNIT_CASE(kt_notify_rejects),
	{}
};

KT_SUITE(notify, kt_fix_init, kt_fix_exit, kt_notify_cases);
