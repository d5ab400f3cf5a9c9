// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest group "notify": registration notifications.
 */
#include "vmtest.h"

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Builds a control message with one idx and one val range into tx. */
static size_t ctl_put(uint32_t nlseq, uint32_t idx_first, uint32_t idx_range,
		      uint32_t val_first, uint32_t val_range, uint32_t group)
{
	const struct cnxx_range idx = { idx_first, idx_range };
	const struct cnxx_range val = { val_first, val_range };
	unsigned char c[64];
	ssize_t len = cnxx_ctl_build(c, sizeof(c), &idx, 1, &val, 1, group);

	return cn_put(tx.b, CN_IDX_CONNECTOR, CN_VAL_CONNECTOR, nlseq, 0, c,
		      len, NLM_F_ACK, nlseq);
}

/* A request (group) or removal (group 0); returns the ack error. */
static int ctl_request(int fd, uint32_t idx_first, uint32_t idx_range,
		       uint32_t val_first, uint32_t val_range, uint32_t group)
{
	uint32_t seq = next_seq();
	int err;

	if (nl_send(fd, tx.b, ctl_put(seq, idx_first, idx_range, val_first,
				      val_range, group)))
		return -EIO;
	if (!rx_ack(fd, seq, &err, "control request")) {
		FAIL("control request group %u: no ack", group);
		return -ETIMEDOUT;
	}
	return err;
}

struct note {
	uint32_t idx, val, ack;
};

/*
 * Reads notifications until @want arrived, then for QUIET_MS more; checks
 * framing (len 0, seq increasing) and compares with @exp in order.
 */
static void expect_notes(int fd, const struct note *exp, int want,
			 const char *what)
{
	struct note got[32];
	uint32_t last_seq = 0;
	int n = 0, i, bad = 0;
	struct cn_msg *cn;

	while (n < 32 && rx_wait(fd, n < want ? TIMEOUT_MS : QUIET_MS,
				 what) > 0) {
		cn = rx_cn(what);
		if (!cn)
			continue;
		if (cn->len || (n && cn->seq <= last_seq)) {
			FAIL("%s: notification %s after seq %u", what,
			     rx_str(), last_seq);
			bad = 1;
		}
		last_seq = cn->seq;
		got[n].idx = cn->id.idx;
		got[n].val = cn->id.val;
		got[n].ack = cn->ack;
		n++;
	}
	if (n != want)
		bad = 1;
	for (i = 0; !bad && i < n; i++)
		if (memcmp(&got[i], &exp[i], sizeof(got[i])))
			bad = 1;
	if (!bad)
		return;
	FAIL("%s: notifications differ (got / want: idx:val ack)", what);
	for (i = 0; i < n || i < want; i++) {
		char g[40] = "-", w[40] = "-";

		if (i < n)
			snprintf(g, sizeof(g), "%u:%u %u", got[i].idx,
				 got[i].val, got[i].ack);
		if (i < want)
			snprintf(w, sizeof(w), "%u:%u %u", exp[i].idx,
				 exp[i].val, exp[i].ack);
		diag("  %2d: %-20s %s", i, g, w);
	}
}

/* A listener on GROUP_NOTIFY and a socket that sends the requests. */
struct notify_socks {
	int l, c;
};

static int notify_open(struct notify_socks *s)
{
	s->l = nl_open(GROUP_NOTIFY);
	s->c = nl_open(0);
	return s->l < 0 || s->c < 0 ? -1 : 0;
}

static void notify_close(struct notify_socks *s)
{
	close_fd(&s->l);
	close_fd(&s->c);
}

/*
 * Removes the request for {TEST_IDX} x [@val_first, +10) (the ack must be
 * 0), then checks that registering and removing @probe notifies nobody.
 */
static void remove_and_expect_none(const struct notify_socks *s,
				   uint32_t val_first, uint32_t probe,
				   const char *what)
{
	int err = ctl_request(s->c, TEST_IDX, 1, val_first, 10, 0);

	EXPECT(!err, "removal: %s", errname(err));
	tm_register(TEST_IDX, probe);
	tm_unregister(TEST_IDX, probe);
	expect_notes(s->l, NULL, 0, what);
}

void t_notify_basic(void)
{
	static const struct note exp[] = {
		{ TEST_IDX, 100, 0 }, { TEST_IDX, 109, 0 },
		{ TEST_IDX, 109, 1 }, { TEST_IDX, 100, 1 },
	};
	struct notify_socks s;
	int err;

	if (notify_open(&s))
		goto out;
	err = ctl_request(s.c, TEST_IDX, 1, 100, 10, GROUP_NOTIFY);
	EXPECT(!err, "request [16,17)x[100,110) to group 20: %s",
	       errname(err));
	if (err)
		goto out;

	tm_register(TEST_IDX, 100);
	tm_register(TEST_IDX, 110);		/* just outside */
	tm_register(TEST_IDX, 109);
	tm_register(TEST_IDX, 99);		/* just outside */
	tm_register(TEST_IDX + 1, 105);		/* idx outside */
	tm_register(TEST_IDX - 1, 105);		/* idx outside */
	tm_unregister(TEST_IDX, 109);
	tm_unregister(TEST_IDX, 110);
	tm_unregister(TEST_IDX, 100);
	tm_unregister(TEST_IDX, 99);
	tm_unregister(TEST_IDX + 1, 105);
	tm_unregister(TEST_IDX - 1, 105);
	expect_notes(s.l, exp, 4, "range [16,17)x[100,110)");

	remove_and_expect_none(&s, 100, 101, "after removal");
out:
	notify_close(&s);
}

void t_notify_dup(void)
{
	static const struct note exp[] = {
		{ TEST_IDX, 121, 0 }, { TEST_IDX, 121, 1 },
	};
	struct notify_socks s;
	int err, i;

	if (notify_open(&s))
		goto out;
	err = ctl_request(s.c, TEST_IDX, 1, 120, 10, GROUP_NOTIFY);
	EXPECT(!err, "request: %s", errname(err));
	err = ctl_request(s.c, TEST_IDX, 1, 120, 10, GROUP_NOTIFY);
	EXPECT(!err || err == -EEXIST, "same request again: %s", errname(err));
	diag("duplicate request: %s", errname(err));

	tm_register(TEST_IDX, 121);
	tm_unregister(TEST_IDX, 121);
	expect_notes(s.l, exp, 2, "after a duplicate request");

	remove_and_expect_none(&s, 120, 122, "after one removal");

	err = ctl_request(s.c, TEST_IDX, 1, 120, 10, 0);
	EXPECT(err == -ENOENT, "second removal: %s, want %s", errname(err),
	       errname(-ENOENT));
	/* leave nothing behind if a duplicate was stored */
	for (i = 0; i < 4 && !err; i++)
		err = ctl_request(s.c, TEST_IDX, 1, 120, 10, 0);
out:
	notify_close(&s);
}

/* Two requests, each notifying its own group. */
void t_notify_groups(void)
{
	static const struct note exp1[] = {
		{ TEST_IDX, 131, 0 }, { TEST_IDX, 134, 0 },
		{ TEST_IDX, 131, 1 }, { TEST_IDX, 134, 1 },
	};
	static const struct note exp2[] = {
		{ TEST_IDX, 134, 0 }, { TEST_IDX, 136, 0 },
		{ TEST_IDX, 134, 1 }, { TEST_IDX, 136, 1 },
	};
	int l1 = nl_open(GROUP_NOTIFY), l2 = nl_open(GROUP_NOTIFY2);
	int c = nl_open(0), err;

	if (l1 < 0 || l2 < 0 || c < 0)
		goto out;
	err = ctl_request(c, TEST_IDX, 1, 130, 5, GROUP_NOTIFY);
	EXPECT(!err, "request [130,135) to 20: %s", errname(err));
	err = ctl_request(c, TEST_IDX, 1, 133, 5, GROUP_NOTIFY2);
	EXPECT(!err, "request [133,138) to 22: %s", errname(err));

	tm_register(TEST_IDX, 131);
	tm_register(TEST_IDX, 134);
	tm_register(TEST_IDX, 136);
	tm_unregister(TEST_IDX, 131);
	tm_unregister(TEST_IDX, 134);
	tm_unregister(TEST_IDX, 136);
	expect_notes(l1, exp1, 4, "group 20");
	expect_notes(l2, exp2, 4, "group 22");

	err = ctl_request(c, TEST_IDX, 1, 130, 5, 0);
	EXPECT(!err, "removal of [130,135): %s", errname(err));
	err = ctl_request(c, TEST_IDX, 1, 133, 5, 0);
	EXPECT(!err, "removal of [133,138): %s", errname(err));
out:
	close_fd(&l1);
	close_fd(&l2);
	close_fd(&c);
}

void t_notify_invalid(void)
{
	struct cn_ctl_msg *c;
	uint32_t seq;
	size_t len;
	int l = nl_open(GROUP_NOTIFY), fd = nl_open(0), err;
	long long stored = stat_get("notify_requests");

	if (l < 0 || fd < 0)
		goto out;
	c = (void *)cn_of(tx.b)->data;

	err = ctl_request(fd, TEST_IDX, 0, 140, 10, GROUP_NOTIFY);
	EXPECT(err == -EINVAL, "idx range 0: %s", errname(err));
	err = ctl_request(fd, TEST_IDX, 1, 140, 0, GROUP_NOTIFY);
	EXPECT(err == -EINVAL, "val range 0: %s", errname(err));
	err = ctl_request(fd, 0xfffffff0u, 0x20, 140, 10, GROUP_NOTIFY);
	EXPECT(err == -EINVAL, "idx range wrapping past 2^32: %s",
	       errname(err));
	err = ctl_request(fd, TEST_IDX, 1, 0xffffffffu, 2, GROUP_NOTIFY);
	EXPECT(err == -EINVAL, "val range wrapping past 2^32: %s",
	       errname(err));

	/* ctl.len larger than the ranges present */
	seq = next_seq();
	len = ctl_put(seq, TEST_IDX, 1, 140, 10, GROUP_NOTIFY);
	c->len += 8;
	expect_ack(fd, len, -EINVAL, "ctl.len 8 bytes too large");

	/* ctl.len not matching the counts */
	seq = next_seq();
	len = ctl_put(seq, TEST_IDX, 1, 140, 10, GROUP_NOTIFY);
	c->val_notify_num = 2;
	expect_ack(fd, len, -EINVAL, "val_notify_num 2 with one val range");

	/* the ranges cut short: cn_msg.len holds only one of two */
	seq = next_seq();
	ctl_put(seq, TEST_IDX, 1, 140, 10, GROUP_NOTIFY);
	cn_of(tx.b)->len = sizeof(struct cn_ctl_msg) + 8;
	tx.h.nlmsg_len = NLMSG_LENGTH(CN_HDR + sizeof(struct cn_ctl_msg) + 8);
	expect_ack(fd, NLMSG_ALIGN(tx.h.nlmsg_len), -EINVAL,
		   "cn_msg.len without the last range");

	/* (n + m) * 8 wraps to 0 in 32 bits */
	seq = next_seq();
	ctl_put(seq, TEST_IDX, 1, 140, 10, GROUP_NOTIFY);
	c->idx_notify_num = 0x20000000;
	c->val_notify_num = 0x20000000;
	c->len = 0;
	cn_of(tx.b)->len = sizeof(struct cn_ctl_msg);
	tx.h.nlmsg_len = NLMSG_LENGTH(CN_HDR + sizeof(struct cn_ctl_msg));
	if (!nl_send(fd, tx.b, tx.h.nlmsg_len)) {
		if (!rx_ack(fd, seq, &err, "huge counts"))
			FAIL("huge range counts: no ack");
		else
			EXPECT(err == -EINVAL || err == -E2BIG,
			       "2^29 + 2^29 ranges, ctl.len 0: %s, want %s or %s",
			       errname(err), errname(-EINVAL), errname(-E2BIG));
	}

	/* cn_msg shorter than struct cn_ctl_msg */
	seq = next_seq();
	len = cn_put(tx.b, CN_IDX_CONNECTOR, CN_VAL_CONNECTOR, seq, 0, "\1\0\0\0\1\0\0\0", 8,
		     NLM_F_ACK, seq);
	expect_ack(fd, len, -EINVAL, "8-byte control message");

	err = ctl_request(fd, TEST_IDX, 1, 140, 10, 0);
	EXPECT(err == -ENOENT, "removal of an unknown request: %s, want %s",
	       errname(err), errname(-ENOENT));

	/* none of these was stored */
	tm_register(TEST_IDX, 141);
	tm_unregister(TEST_IDX, 141);
	expect_notes(l, NULL, 0, "after invalid requests");
	if (stored >= 0)
		EXPECT(stat_get("notify_requests") == stored,
		       "notify_requests %lld -> %lld", stored,
		       stat_get("notify_requests"));
out:
	close_fd(&l);
	close_fd(&fd);
}

static void t_notify_unpriv_child(void)
{
	int fd = nl_open(0), err;

	if (fd < 0)
		return;
	err = ctl_request(fd, TEST_IDX, 1, 150, 10, GROUP_NOTIFY);
	EXPECT(err == -EPERM, "unprivileged request: ack %s, want %s",
	       errname(err), errname(-EPERM));
	/* removal is a request too */
	err = ctl_request(fd, TEST_IDX, 1, 150, 10, 0);
	EXPECT(err == -EPERM, "unprivileged removal: ack %s, want %s",
	       errname(err), errname(-EPERM));
	close(fd);
}

void t_notify_unpriv(void)
{
	int l = nl_open(GROUP_NOTIFY);

	if (l < 0)
		return;
	run_unprivileged(t_notify_unpriv_child);
	tm_register(TEST_IDX, 151);
	tm_unregister(TEST_IDX, 151);
	expect_notes(l, NULL, 0, "after an unprivileged request");
	close(l);
}

static int tm_notify(uint32_t idx_first, uint32_t idx_range,
		     uint32_t val_first, uint32_t val_range, uint32_t group)
{
	struct cnxx_test_cmd cmd = {
		.op = CNXX_TEST_OP_NOTIFY, .group = group,
		.range = { idx_first, idx_range, val_first, val_range },
	};
	struct cnxx_test_result res;

	if (tm_cmd(&cmd, &res))
		return -ETIMEDOUT;
	return res.err;
}

/* cnxx_notify_request() from a module. */
void t_notify_kernel(void)
{
	static const struct note exp[] = {
		{ TEST_IDX, 162, 0 }, { TEST_IDX, 162, 1 },
	};
	int l = nl_open(GROUP_NOTIFY), err;

	if (l < 0)
		return;
	err = tm_notify(TEST_IDX, 1, 160, 5, GROUP_NOTIFY);
	EXPECT(!err, "cnxx_notify_request: %s", errname(err));
	if (err)
		goto out;
	tm_register(TEST_IDX, 162);
	tm_register(TEST_IDX, 165);
	tm_unregister(TEST_IDX, 162);
	tm_unregister(TEST_IDX, 165);
	expect_notes(l, exp, 2, "kernel request");

	err = tm_notify(TEST_IDX, 1, 160, 5, 0);
	EXPECT(!err, "cnxx_notify_request removal: %s", errname(err));
	tm_register(TEST_IDX, 163);
	tm_unregister(TEST_IDX, 163);
	expect_notes(l, NULL, 0, "after kernel removal");

	err = tm_notify(TEST_IDX, 0, 160, 5, GROUP_NOTIFY);
	EXPECT(err == -EINVAL, "kernel request with range 0: %s, want %s",
	       errname(err), errname(-EINVAL));
	err = tm_notify(TEST_IDX, 1, 160, 5, 0);
	EXPECT(err == -ENOENT, "kernel removal of an unknown request: %s, want %s",
	       errname(err), errname(-ENOENT));
out:
	close(l);
}

/*
 * A request may name any group up to the module's count: with groups=1024,
 * notifications reach a member of the last group, and the one after it is
 * refused.
 */
void t_groups_notify(void)
{
	static const struct note exp[] = {
		{ TEST_IDX, 170, 0 }, { TEST_IDX, 170, 1 },
	};
	long long n = stat_get("groups");
	int l = -1, c = -1, err;

	if (n < 0)
		return;
	if (n <= 32) {
		SKIP("cnxx has only 32 groups (load it with groups=1024)");
		return;
	}
	l = nl_open((unsigned int)n);
	c = nl_open(0);
	if (l < 0 || c < 0)
		goto out;
	err = ctl_request(c, TEST_IDX, 1, 170, 1, (uint32_t)n + 1);
	EXPECT(err == -EINVAL, "request to group %lld (count %lld): %s, want %s",
	       n + 1, n, errname(err), errname(-EINVAL));
	err = ctl_request(c, TEST_IDX, 1, 170, 1, (uint32_t)n);
	EXPECT(!err, "request to group %lld: %s", n, errname(err));
	if (err)
		goto out;
	tm_register(TEST_IDX, 170);
	tm_unregister(TEST_IDX, 170);
	expect_notes(l, exp, 2, "the last group");
	err = ctl_request(c, TEST_IDX, 1, 170, 1, 0);
	EXPECT(!err, "removal of the request: %s", errname(err));
out:
	close_fd(&l);
	close_fd(&c);
}
