// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest group "base": what the kernel's own connector does (passes on
 * cn.ko too).
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

void t_echo(void)
{
	static const uint32_t sizes[] = { 0, 1, 3, 4, 20, 100, 1000, 4096,
					  MAX_DATA - 1, MAX_DATA };
	static uint8_t data[MAX_PAYLOAD];
	uint32_t before[CNXX_TEST_NCOUNTERS], after[CNXX_TEST_NCOUNTERS];
	uint32_t i, j, seq, sent = 0;
	struct cn_msg *cn, *out;
	size_t len;
	int fd;

	fd = tm_counters_then_open(before);
	if (fd < 0)
		return;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		seq = next_seq();
		for (j = 0; j < sizes[i]; j++)
			data[j] = (uint8_t)(j * 7 + i);
		len = cn_put(tx.b, TEST_IDX, TEST_VAL_ECHO, seq, 0x55aa, data,
			     sizes[i], 0, seq);
		out = cn_of(tx.b);
		out->flags = (uint16_t)(0x1234 + i);	/* carried as is */
		if (nl_send(fd, tx.b, len))
			break;
		sent++;
		if (rx_wait(fd, TIMEOUT_MS, "echo") <= 0) {
			FAIL("echo of %u bytes: no reply", sizes[i]);
			continue;
		}
		cn = rx_cn("echo");
		if (!cn)
			continue;
		if (cn->id.idx != TEST_IDX || cn->id.val != TEST_VAL_ECHO ||
		    cn->seq != seq || cn->ack != seq + 1 ||
		    cn->len != sizes[i] || cn->flags != out->flags) {
			FAIL("echo of %u bytes: got %s flags 0x%x; want seq %u ack %u len %u flags 0x%x",
			     sizes[i], rx_str(), cn->flags, seq, seq + 1,
			     sizes[i], out->flags);
			continue;
		}
		if (memcmp(cn->data, data, sizes[i]))
			FAIL("echo of %u bytes: data differs", sizes[i]);
	}

	/* cn_msg.len shorter than the payload is valid: len counts. */
	seq = next_seq();
	memset(data, 0xab, 16);
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_ECHO, seq, 0, data, 16, 0, seq);
	cn_of(tx.b)->len = 4;
	if (!nl_send(fd, tx.b, len)) {
		sent++;
		cn = rx_wait(fd, TIMEOUT_MS, "echo") > 0 ? rx_cn("echo") : NULL;
		if (!cn || cn->len != 4 || cn->seq != seq)
			FAIL("cn_msg.len 4 in 16 data bytes: echo %s",
			     cn ? rx_str() : "missing");
	}
	expect_quiet(fd, QUIET_MS, "echo socket");
	close(fd);

	if (!tm_counters(after))
		EXPECT(after[CNXX_TEST_CNT_ECHO] - before[CNXX_TEST_CNT_ECHO] ==
		       sent, "module echoed %u messages, %u sent",
		       after[CNXX_TEST_CNT_ECHO] - before[CNXX_TEST_CNT_ECHO],
		       sent);
}

void t_broadcast(void)
{
	static const uint32_t n[] = { 20, 40, 4 }, size[] = { 0, 1000, MAX_DATA };
	struct cnxx_test_result res;
	char who[32];
	int fd[3], i, k;
	uint32_t seq;

	fd[0] = nl_open_mask(1u << (TEST_IDX - 1));	/* bind() */
	fd[1] = nl_open(TEST_IDX);			/* setsockopt() */
	fd[2] = nl_open(TEST_IDX);
	if (fd[0] < 0 || fd[1] < 0 || fd[2] < 0)
		goto out;

	for (k = 0; k < 3; k++) {
		seq = next_seq() << 8;
		tm_send(TEST_IDX, TEST_VAL_SINK, 0, TEST_IDX, n[k], size[k],
			seq, 0, &res);
		snprintf(who, sizeof(who), "%u x %u bytes", n[k], size[k]);
		expect_rc(&res, n[k], 0, who);
		for (i = 0; i < 3; i++) {
			snprintf(who, sizeof(who), "socket %d, %u bytes", i,
				 size[k]);
			expect_stream(fd[i], who, TEST_IDX, TEST_VAL_SINK, seq,
				      n[k], size[k]);
		}
	}
	for (i = 0; i < 3; i++)
		expect_quiet(fd[i], i ? 10 : QUIET_MS, "after broadcast");
out:
	for (i = 0; i < 3; i++)
		close_fd(&fd[i]);
}

/* portid 0 and group 0: the group of the callback, i.e. its idx. */
void t_group0_route(void)
{
	struct cnxx_test_result res;
	int a = nl_open(TEST_IDX), b = nl_open(TEST_IDX + 1);
	uint32_t seq;

	if (a < 0 || b < 0)
		goto out;

	seq = next_seq();
	tm_send(TEST_IDX, TEST_VAL_SINK, 0, 0, 5, 64, seq, 0, &res);
	expect_rc(&res, 5, 0, "{16,3} to group 0");
	expect_stream(a, "group 16", TEST_IDX, TEST_VAL_SINK, seq, 5, 64);
	expect_quiet(b, QUIET_MS, "group 17");

	if (tm_register(TEST_IDX + 1, 7))
		goto out;
	seq = next_seq();
	tm_send(TEST_IDX + 1, 7, 0, 0, 3, 10, seq, 0, &res);
	expect_rc(&res, 3, 0, "{17,7} to group 0");
	expect_stream(b, "group 17", TEST_IDX + 1, 7, seq, 3, 10);
	expect_quiet(a, QUIET_MS, "group 16");
	tm_unregister(TEST_IDX + 1, 7);
out:
	close_fd(&a);
	close_fd(&b);
}

/* portid and group: a broadcast to the group that skips that port. */
void t_group_and_port(void)
{
	struct cnxx_test_result res;
	int a = nl_open(TEST_IDX), b = nl_open(TEST_IDX);
	uint32_t seq = next_seq();

	if (a < 0 || b < 0)
		goto out;
	tm_send(TEST_IDX, TEST_VAL_SINK, nl_port(a), TEST_IDX, 3, 32, seq, 0,
		&res);
	expect_rc(&res, 3, 0, "portid A + group 16");
	expect_stream(b, "socket B", TEST_IDX, TEST_VAL_SINK, seq, 3, 32);
	expect_quiet(a, QUIET_MS, "excluded socket A");
out:
	close_fd(&a);
	close_fd(&b);
}

void t_unicast(void)
{
	struct cnxx_test_result res;
	int a = nl_open(TEST_IDX), b = nl_open(TEST_IDX), u = nl_open(0);
	uint32_t seq;

	if (a < 0 || b < 0 || u < 0)
		goto out;

	/* netlink_unicast() returns the skb length */
	seq = next_seq();
	tm_send(TEST_IDX, TEST_VAL_SINK, nl_port(a), 0, 5, 64, seq, 0, &res);
	expect_rc(&res, 5, NLMSG_ALIGN(NLMSG_LENGTH(CN_HDR + 64)), "to port A");
	expect_stream(a, "socket A", TEST_IDX, TEST_VAL_SINK, seq, 5, 64);
	expect_quiet(b, QUIET_MS, "subscribed socket B");

	/* no group needed, and no callback lookup for an explicit port */
	seq = next_seq();
	tm_send(TEST_IDX, 77, nl_port(u), 0, 2, 0, seq, 0, &res);
	expect_rc(&res, 2, NLMSG_ALIGN(NLMSG_LENGTH(CN_HDR)),
		  "unregistered id to port U");
	expect_stream(u, "unsubscribed socket U", TEST_IDX, 77, seq, 2, 0);
	expect_quiet(a, 10, "socket A");
	expect_quiet(b, 10, "socket B");
out:
	close_fd(&a);
	close_fd(&b);
	close_fd(&u);
}

void t_unicast_refused(void)
{
	uint32_t port, cnt[CNXX_TEST_NCOUNTERS];
	struct cnxx_test_result res;
	int fd;

	/* not the pid's port: that one must stay unused once closed */
	fd = tm_counters_then_open(cnt);
	if (fd < 0)
		return;
	port = nl_port(fd);
	close(fd);
	tm_send(TEST_IDX, TEST_VAL_SINK, port, 0, 1, 8, next_seq(), 0, &res);
	expect_rc(&res, 1, -ECONNREFUSED, "to a closed port");
}

void t_esrch(void)
{
	struct cnxx_test_result res;

	tm_send(TEST_IDX, TEST_VAL_SINK, 0, GROUP_EMPTY, 2, 8, next_seq(), 0,
		&res);
	expect_rc(&res, 2, -ESRCH, "group 21 without listeners");
	tm_send(TEST_IDX, TEST_VAL_SINK, 0, 0, 2, 8, next_seq(), 0, &res);
	expect_rc(&res, 2, -ESRCH, "group 0 -> 16 without listeners");
}

void t_enodev_send(void)
{
	struct cnxx_test_result res;
	int a = nl_open(TEST_IDX);

	tm_send(TEST_IDX, 77, 0, 0, 2, 8, next_seq(), 0, &res);
	expect_rc(&res, 2, -ENODEV, "unregistered {16,77} to group 0");
	if (!tm_register(TEST_IDX, 78)) {
		tm_unregister(TEST_IDX, 78);
		tm_send(TEST_IDX, 78, 0, 0, 1, 8, next_seq(), 0, &res);
		expect_rc(&res, 1, -ENODEV, "removed {16,78} to group 0");
	}
	if (a >= 0)
		expect_quiet(a, QUIET_MS, "group 16");
	close_fd(&a);
}

/* GFP_ATOMIC from process context, and from a timer (softirq). */
void t_atomic(void)
{
	struct cnxx_test_result res;
	int a = nl_open(TEST_IDX);
	uint32_t seq;

	if (a < 0)
		return;
	seq = next_seq();
	tm_send(TEST_IDX, TEST_VAL_SINK, 0, 0, 3, 100, seq, CNXX_TEST_F_ATOMIC,
		&res);
	expect_rc(&res, 3, 0, "GFP_ATOMIC");
	expect_stream(a, "GFP_ATOMIC", TEST_IDX, TEST_VAL_SINK, seq, 3, 100);

	seq = next_seq();
	tm_send(TEST_IDX, TEST_VAL_SINK, 0, 0, 8, 200, seq,
		CNXX_TEST_F_ATOMIC | CNXX_TEST_F_TIMER, &res);
	expect_rc(&res, 8, 0, "timer, group 0");
	expect_stream(a, "timer", TEST_IDX, TEST_VAL_SINK, seq, 8, 200);

	seq = next_seq();
	tm_send(TEST_IDX, TEST_VAL_SINK, nl_port(a), 0, 2, 50, seq,
		CNXX_TEST_F_ATOMIC | CNXX_TEST_F_TIMER, &res);
	expect_rc(&res, 2, NLMSG_ALIGN(NLMSG_LENGTH(CN_HDR + 50)),
		  "timer, unicast");
	expect_stream(a, "timer unicast", TEST_IDX, TEST_VAL_SINK, seq, 2, 50);

	tm_send(TEST_IDX, 77, 0, 0, 1, 0, next_seq(),
		CNXX_TEST_F_ATOMIC | CNXX_TEST_F_TIMER, &res);
	expect_rc(&res, 1, -ENODEV, "timer, unregistered id");
	expect_quiet(a, QUIET_MS, "group 16");
	close(a);
}

int tm_send_mult(uint32_t portid, uint32_t group, uint32_t count,
		 uint32_t size, uint32_t seq, int32_t extra)
{
	struct cnxx_test_cmd cmd = {
		.op = CNXX_TEST_OP_SEND_MULT, .idx = TEST_IDX,
		.val = TEST_VAL_SINK, .portid = portid, .group = group,
		.count = count, .size = size, .seq = seq, .extra = extra,
	};
	struct cnxx_test_result res;

	if (tm_cmd(&cmd, &res))
		return -ETIMEDOUT;
	if (res.nrc != 1) {
		FAIL("send_mult: command failed: %s", errname(res.err));
		return -EPROTO;
	}
	return res.rc[0];
}

/* One nlmsg holding @count records of @size bytes, seq @seq + i, ack i. */
static void expect_mult(int fd, uint32_t count, uint32_t size, uint32_t seq)
{
	uint32_t i, j, off = 0, want = count * (CN_HDR + size);
	struct cn_msg *cn;

	if (rx_wait(fd, TIMEOUT_MS, "send_mult") <= 0) {
		FAIL("send_mult %u x %u: nothing received", count, size);
		return;
	}
	if (!rx_cn_check("send_mult", 0))
		return;
	if (rx.h.nlmsg_len != NLMSG_LENGTH(want)) {
		FAIL("send_mult %u x %u: nlmsg_len %u, want %u", count, size,
		     rx.h.nlmsg_len, (unsigned int)NLMSG_LENGTH(want));
		return;
	}
	for (i = 0; i < count; i++, off += CN_HDR + size) {
		cn = (struct cn_msg *)((char *)NLMSG_DATA(&rx.h) + off);
		if (cn->id.idx != TEST_IDX || cn->id.val != TEST_VAL_SINK ||
		    cn->seq != seq + i || cn->ack != i || cn->len != size) {
			FAIL("send_mult record %u: {%u,%u} seq %u ack %u len %u",
			     i, cn->id.idx, cn->id.val, cn->seq, cn->ack,
			     cn->len);
			return;
		}
		for (j = 0; j < size; j++) {
			if (cn->data[j] != pattern(cn->seq, j)) {
				FAIL("send_mult record %u: data byte %u", i, j);
				return;
			}
		}
	}
}

void t_send_mult(void)
{
	static const uint32_t count[] = { 1, 5, 3, 40 }, size[] = { 50, 100, 0, 300 };
	int a = nl_open(TEST_IDX), u = nl_open(0), rc;
	uint32_t i, seq;

	if (a < 0 || u < 0)
		goto out;
	for (i = 0; i < ARRAY_SIZE(count); i++) {
		seq = next_seq() << 8;
		rc = tm_send_mult(0, 0, count[i], size[i], seq, 0);
		EXPECT(rc == 0, "send_mult %u x %u to group 0: %s", count[i],
		       size[i], errname(rc));
		expect_mult(a, count[i], size[i], seq);
	}
	seq = next_seq();
	rc = tm_send_mult(nl_port(u), 0, 4, 12, seq, 0);
	EXPECT(rc == (int)NLMSG_ALIGN(NLMSG_LENGTH(4 * (CN_HDR + 12))),
	       "send_mult 4 x 12 to a port: %s", errname(rc));
	expect_mult(u, 4, 12, seq);
	expect_quiet(a, QUIET_MS, "group 16");
out:
	close_fd(&a);
	close_fd(&u);
}

static void t_unpriv_join_child(void)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK, .nl_groups = 1u << (TEST_IDX - 1),
	};
	unsigned int group = TEST_IDX;
	uint32_t seq = next_seq();
	int fd;

	fd = socket(AF_NETLINK, SOCK_DGRAM, cnxx_unit());
	if (fd < 0) {
		FAIL("socket: %s", strerror(errno));
		return;
	}
	if (!bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		FAIL("bind(nl_groups = group 16) as uid %d succeeded", NOBODY);
	else
		EXPECT(errno == EPERM, "bind(group 16): %s, want EPERM",
		       strerror(errno));
	close(fd);

	fd = nl_open(0);
	if (fd < 0)
		return;
	if (!setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
			sizeof(group)))
		FAIL("NETLINK_ADD_MEMBERSHIP 16 as uid %d succeeded", NOBODY);
	else
		EXPECT(errno == EPERM, "NETLINK_ADD_MEMBERSHIP 16: %s, want EPERM",
		       strerror(errno));

	/* unicast to and from the kernel needs no privilege */
	if (!cn_send(fd, TEST_IDX, TEST_VAL_ECHO, seq, 16, 0)) {
		if (rx_wait(fd, TIMEOUT_MS, "unprivileged echo") <= 0)
			FAIL("unprivileged echo: no reply");
		else if (!rx_cn("unprivileged echo") ||
			 cn_of(&rx.h)->ack != seq + 1)
			FAIL("unprivileged echo: %s", rx_str());
	}
	close(fd);
}

void t_unpriv_join(void)
{
	run_unprivileged(t_unpriv_join_child);
}

/*
 * Bad input without NLM_F_ACK: never delivered, nothing sent back, and the
 * connector keeps working.
 */
void t_malformed(void)
{
	uint32_t before[CNXX_TEST_NCOUNTERS], after[CNXX_TEST_NCOUNTERS];
	static uint8_t data[65536];
	uint32_t seq;
	size_t len;
	int fd = nl_open(0);

	if (fd < 0 || tm_counters(before))
		goto out;

	/* shorter than an nlmsghdr */
	memset(tx.b, 0, 16);
	nl_send(fd, tx.b, 8);
	nl_send(fd, tx.b, 15);

	/* nlmsg_len beyond the datagram */
	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 16, 0, seq);
	tx.h.nlmsg_len += 64;
	nl_send(fd, tx.b, len);

	/* nlmsg_len below nlmsghdr, and below nlmsghdr + cn_msg */
	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 16, 0, seq);
	tx.h.nlmsg_len = 12;
	nl_send(fd, tx.b, len);
	seq = next_seq();
	cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, NULL, 0, 0, seq);
	tx.h.nlmsg_len = NLMSG_LENGTH(10);
	nl_send(fd, tx.b, NLMSG_LENGTH(10));

	/* cn_msg.len beyond the payload */
	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 12, 0, seq);
	cn_of(tx.b)->len = 100;
	nl_send(fd, tx.b, len);

	/* payload over CONNECTOR_MAX_MSG_SIZE, consistent otherwise */
	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data,
		     MAX_DATA + 1, 0, seq);
	nl_send(fd, tx.b, len);
	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 40000, 0,
		     seq);
	nl_send(fd, tx.b, len);

	/* an unknown id */
	cn_send(fd, TEST_IDX, 77, next_seq(), 8, 0);

	expect_quiet(fd, QUIET_MS, "sender of bad messages");
	expect_alive();
	if (!tm_counters(after))
		EXPECT(after[CNXX_TEST_CNT_SINK] == before[CNXX_TEST_CNT_SINK],
		       "%u bad messages were delivered to the sink",
		       after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK]);
out:
	close_fd(&fd);
}

static void proc_expect(const char *text, const char *name, uint32_t idx,
			uint32_t val, int want)
{
	char line[128];
	int n;

	proc_line(line, sizeof(line), name, idx, val);
	n = proc_count(text, line);
	EXPECT(n == want, "/proc/net/connector: \"%s\" appears %d times, want %d",
	       line, n, want);
}

void t_proc_connector(void)
{
	char *text = read_file("/proc/net/connector"), *p, *nl;
	char name[64], line[160];
	uint32_t idx, val;
	int n = 0;

	if (!text)
		return;
	if (strncmp(text, "Name            ID\n", 19)) {
		FAIL("/proc/net/connector header: \"%.*s\"",
		     (int)strcspn(text, "\n"), text);
		return;
	}
	/* every line is "%-15s %u:%u" */
	for (p = strchr(text, '\n') + 1; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			FAIL("/proc/net/connector: last line unterminated");
			break;
		}
		*nl = 0;
		if (sscanf(p, "%63s %u:%u", name, &idx, &val) != 3) {
			FAIL("/proc/net/connector: line \"%s\"", p);
		} else {
			proc_line(line, sizeof(line), name, idx, val);
			EXPECT(!strcmp(line, p),
			       "/proc/net/connector: \"%s\", want \"%s\"", p,
			       line);
		}
		*nl = '\n';
		n++;
	}
	text = read_file("/proc/net/connector");
	proc_expect(text, "cnxx_test_echo", TEST_IDX, TEST_VAL_ECHO, 1);
	proc_expect(text, "cnxx_test_cmd", TEST_IDX, TEST_VAL_CMD, 1);
	proc_expect(text, "cnxx_test_sink", TEST_IDX, TEST_VAL_SINK, 1);
	proc_expect(text, "cnxx_test_dyn", TEST_IDX, 51, 0);

	if (tm_register(TEST_IDX, 51))
		return;
	text = read_file("/proc/net/connector");
	proc_expect(text, "cnxx_test_dyn", TEST_IDX, 51, 1);
	tm_unregister(TEST_IDX, 51);
	text = read_file("/proc/net/connector");
	proc_expect(text, "cnxx_test_dyn", TEST_IDX, 51, 0);
	diag("%d callbacks listed", n);
}

/* The callback runs synchronously, in the sending process. */
void t_callback_context(void)
{
	uint32_t before[CNXX_TEST_NCOUNTERS], after[CNXX_TEST_NCOUNTERS];
	int fd = nl_open(0);

	if (fd < 0 || tm_counters(before))
		goto out;
	if (cn_send(fd, TEST_IDX, TEST_VAL_SINK, next_seq(), 4, 0) ||
	    tm_counters(after))
		goto out;
	EXPECT(after[CNXX_TEST_CNT_SINK] == before[CNXX_TEST_CNT_SINK] + 1,
	       "sink called %u times for one message",
	       after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK]);
	EXPECT(after[CNXX_TEST_CNT_SINK_PID] == (uint32_t)getpid(),
	       "callback ran in pid %u, sender is %d",
	       after[CNXX_TEST_CNT_SINK_PID], getpid());
	EXPECT(after[CNXX_TEST_CNT_SINK_TASK] == 1,
	       "callback did not run in task context");
out:
	close_fd(&fd);
}

void t_register(void)
{
	uint32_t before[CNXX_TEST_NCOUNTERS], after[CNXX_TEST_NCOUNTERS];
	int fd, err;

	if (tm_register(TEST_IDX, 52))
		return;
	err = tm_simple(CNXX_TEST_OP_REGISTER, TEST_IDX, 52);
	EXPECT(err == -EINVAL, "second cn_add_callback {16,52}: %s, want %s",
	       errname(err), errname(-EINVAL));
	err = tm_simple(CNXX_TEST_OP_REGISTER, TEST_IDX, TEST_VAL_ECHO);
	EXPECT(err == -EINVAL, "cn_add_callback of the echo id: %s, want %s",
	       errname(err), errname(-EINVAL));

	/* a registered callback is called, a removed one is not */
	fd = nl_open(0);
	if (fd >= 0 && !tm_counters(before)) {
		cn_send(fd, TEST_IDX, 52, next_seq(), 4, 0);
		cn_send(fd, TEST_IDX, 52, next_seq(), 0, 0);
		if (!tm_counters(after))
			EXPECT(after[CNXX_TEST_CNT_DYN] -
			       before[CNXX_TEST_CNT_DYN] == 2,
			       "{16,52} called %u times for 2 messages",
			       after[CNXX_TEST_CNT_DYN] - before[CNXX_TEST_CNT_DYN]);
	}
	tm_unregister(TEST_IDX, 52);
	if (fd >= 0 && !tm_counters(before)) {
		cn_send(fd, TEST_IDX, 52, next_seq(), 4, 0);
		if (!tm_counters(after))
			EXPECT(after[CNXX_TEST_CNT_DYN] ==
			       before[CNXX_TEST_CNT_DYN],
			       "removed {16,52} still called");
	}
	close_fd(&fd);

	if (!tm_counters(after))
		EXPECT(after[CNXX_TEST_CNT_DYN_IDS] == 0,
		       "module still holds %u dynamic ids",
		       after[CNXX_TEST_CNT_DYN_IDS]);
}
