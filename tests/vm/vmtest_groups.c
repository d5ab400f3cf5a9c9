// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest group "groups": more netlink groups than the 32 of the default,
 * with cnxx loaded with groups=1024 or more (scripts/guest/steps.sh).
 */
#include "vmtest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

/*
 * One member socket in each of groups 25 .. 1024: the last 1,000 of
 * groups=1024, 992 of them above the 32 that bind() reaches.
 */
#define MEMBERS_FIRST	25
#define MEMBERS		1000
#define MEMBERS_LAST	(MEMBERS_FIRST + MEMBERS - 1)
#define MEMBERS_DATA	8
/* An id no callback has: the messages only go to the groups. */
#define MEMBERS_VAL	90

/* The module's group count, or 0 (and a skip) when it is too small. */
static uint32_t groups_loaded(void)
{
	long long n = stat_get("groups");

	if (n < 0)
		return 0;
	if (n < MEMBERS_LAST) {
		SKIP("cnxx has fewer than 1024 groups (load it with groups=1024)");
		return 0;
	}
	return (uint32_t)n;
}

static int kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (!uname(&u))
		sscanf(u.release, "%d.%d", &ma, &mi);
	return ma > major || (ma == major && mi >= minor);
}

/* NETLINK_ADD_MEMBERSHIP of @group: 0 or the errno. */
static int join(int fd, unsigned int group)
{
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group)))
		return errno;
	return 0;
}

/* bind() with nl_groups @mask on a new socket: 0 or the errno. */
static int bind_mask(uint32_t mask)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = mask };
	int fd = socket(AF_NETLINK, SOCK_DGRAM, cnxx_unit());
	int err = 0;

	if (fd < 0)
		return errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		err = errno;
	close(fd);
	return err;
}

/*
 * Checks that @fd holds exactly one message, seq @seq with the module's
 * data pattern, and nothing after it. The module's broadcasts are queued
 * before its command reply, so nothing is waited for.
 */
static void expect_only(int fd, uint32_t seq, const char *who)
{
	struct cn_msg *m;
	uint32_t j;

	if (rx_wait(fd, 0, who) <= 0) {
		FAIL("%s: nothing queued", who);
		return;
	}
	m = rx_cn(who);
	if (!m)
		return;
	if (m->id.idx != TEST_IDX || m->id.val != MEMBERS_VAL ||
	    m->seq != seq || m->len != MEMBERS_DATA) {
		FAIL("%s: got %s, want %u:%u seq %u len %u", who, rx_str(),
		     TEST_IDX, MEMBERS_VAL, seq, MEMBERS_DATA);
		return;
	}
	for (j = 0; j < MEMBERS_DATA; j++) {
		if (m->data[j] != pattern(seq, j)) {
			FAIL("%s: data[%u] = %u, want %u", who, j, m->data[j],
			     pattern(seq, j));
			return;
		}
	}
	if (rx_wait(fd, 0, who) > 0)
		FAIL("%s: a second message: %s", who, rx_str());
}

/*
 * A thousand sockets, each in its own group, joined with
 * NETLINK_ADD_MEMBERSHIP; the module sends one message to each group.
 * Each socket gets its own and no other; a socket in groups 1..24 gets
 * none (no high group aliases a low bit).
 */
void t_groups_members(void)
{
	struct cnxx_test_result res = { 0 };
	struct rlimit rl;
	int fd[MEMBERS], low = -1, i, n = 0, err;
	uint32_t seq = next_seq();
	char who[48];

	if (!groups_loaded())
		return;
	/* the members and a few more: more than the usual 1024 */
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < MEMBERS + 64) {
		rl.rlim_cur = MEMBERS + 64;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		if (setrlimit(RLIMIT_NOFILE, &rl)) {
			FAIL("setrlimit(RLIMIT_NOFILE, %u): %s", MEMBERS + 64,
			     strerror(errno));
			return;
		}
	}
	for (n = 0; n < MEMBERS; n++) {
		fd[n] = nl_open(MEMBERS_FIRST + n);
		if (fd[n] < 0)
			goto out;
	}
	low = nl_open_mask((1u << (MEMBERS_FIRST - 1)) - 1);
	if (low < 0)
		goto out;

	/* seq i goes to group MEMBERS_FIRST + i */
	err = tm_send(TEST_IDX, MEMBERS_VAL, 0, MEMBERS_FIRST, MEMBERS,
		      MEMBERS_DATA, seq, CNXX_TEST_F_EACH_GROUP, &res);
	EXPECT(!err && res.done == MEMBERS,
	       "%u sends to groups %u..%u: %u done, first error %s", MEMBERS,
	       MEMBERS_FIRST, MEMBERS_LAST, res.done,
	       errname(err));
	for (i = 0; i < MEMBERS && !cur_fail; i++) {
		snprintf(who, sizeof(who), "member of group %u",
			 MEMBERS_FIRST + i);
		expect_only(fd[i], seq + i, who);
	}
	if (rx_wait(low, 0, "groups 1..24") > 0)
		FAIL("a member of groups 1..24 received %s", rx_str());
out:
	close_fd(&low);
	while (n--)
		close(fd[n]);
}

/*
 * Beyond the count: a module's send fails with -ESRCH, as
 * netlink_broadcast() answers for a group nobody can be in, and a join
 * with EINVAL. The last group itself works both ways.
 */
void t_groups_beyond(void)
{
	struct cnxx_test_result res = { 0 };
	uint32_t n = groups_loaded(), seq = next_seq();
	int fd, err;

	if (!n)
		return;
	fd = nl_open(0);
	if (fd < 0)
		return;
	err = join(fd, n + 1);
	EXPECT(err == EINVAL, "join group %u (count %u): %s, want EINVAL",
	       n + 1, n, strerror(err));
	err = join(fd, 0xffffffff);
	EXPECT(err == EINVAL, "join group 0xffffffff: %s, want EINVAL",
	       strerror(err));
	err = join(fd, n);
	EXPECT(!err, "join group %u, the last: %s", n, strerror(err));

	err = tm_send(TEST_IDX, MEMBERS_VAL, 0, n, 1, MEMBERS_DATA, seq, 0,
		      &res);
	EXPECT(!err, "send to group %u, the last: %s", n, errname(err));
	if (!err)
		expect_only(fd, seq, "member of the last group");

	tm_send(TEST_IDX, MEMBERS_VAL, 0, n + 1, 1, MEMBERS_DATA, seq, 0,
		&res);
	expect_rc(&res, 1, -ESRCH, "send to the group after the last");
	tm_send(TEST_IDX, MEMBERS_VAL, 0, 0xffffffff, 1, MEMBERS_DATA, seq, 0,
		&res);
	expect_rc(&res, 1, -ESRCH, "send to group 0xffffffff");
	tm_send(TEST_IDX, MEMBERS_VAL, nl_port(fd), n + 1, 1, MEMBERS_DATA,
		seq, 0, &res);
	expect_rc(&res, 1, -ESRCH, "send to a port and the group after the last");
	if (rx_wait(fd, 0, "after the refused sends") > 0)
		FAIL("a refused send arrived: %s", rx_str());
	close(fd);
}

/*
 * Unprivileged members, as strict as with 32 groups: before 6.6 none;
 * from 6.6 group 1 (CN_IDX_PROC) only, through bind() and
 * NETLINK_ADD_MEMBERSHIP alike (netlink asks cnxx's bind hook for both).
 */
static void groups_unpriv_child(void)
{
	static const unsigned int refused[] = { 2, 3, 32, 33, 1000 };
	const int open1 = kernel_at_least(6, 6);
	long long n = stat_get("groups");
	unsigned int i;
	int fd, err;

	fd = nl_open(0);
	if (fd < 0 || n < 0)
		return;
	err = join(fd, 1);
	EXPECT(err == (open1 ? 0 : EPERM), "join group 1 as uid %d: %s, want %s",
	       NOBODY, strerror(err), open1 ? "success" : "EPERM");
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		err = join(fd, refused[i]);
		EXPECT(err == EPERM, "join group %u as uid %d: %s, want EPERM",
		       refused[i], NOBODY, strerror(err));
	}
	/* the range is checked before the privilege from 6.6 on */
	err = join(fd, (unsigned int)n + 1);
	EXPECT(err == (open1 ? EINVAL : EPERM),
	       "join group %lld as uid %d: %s, want %s", n + 1, NOBODY,
	       strerror(err), open1 ? "EINVAL" : "EPERM");
	close(fd);

	err = bind_mask(1);
	EXPECT(err == (open1 ? 0 : EPERM), "bind(group 1) as uid %d: %s, want %s",
	       NOBODY, strerror(err), open1 ? "success" : "EPERM");
	err = bind_mask(1u | 1u << 2);
	EXPECT(err == EPERM, "bind(groups 1 and 3) as uid %d: %s, want EPERM",
	       NOBODY, strerror(err));
	err = bind_mask(1u << 31);
	EXPECT(err == EPERM, "bind(group 32) as uid %d: %s, want EPERM",
	       NOBODY, strerror(err));
}

void t_groups_unpriv(void)
{
	if (groups_loaded())
		run_unprivileged(groups_unpriv_child);
}
