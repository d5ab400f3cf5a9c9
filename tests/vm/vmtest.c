// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest - in-VM tests of a kernel connector (cnxx.ko or the kernel's cn.ko)
 * driven through NETLINK_CONNECTOR sockets and cnxx_testmod.ko.
 *
 * Builds the wire format by hand from the uapi headers only, so it checks
 * the bytes on the wire independently of the project's own code:
 *
 *   gcc -static -O2 -Wall -Wextra -Werror vmtest.c -o vmtest
 *
 * Usage: vmtest [--list] [NAME|GROUP...]   (default: all but "post")
 * Groups: base   behaviour of the kernel's own connector (passes on cn.ko)
 *         cnxx   cnxx additions: acks, several messages per datagram,
 *                send_mult validation, /proc/net/cnxx*
 *         notify registration notifications
 *         post   run after "rmmod cnxx_testmod": nothing is left behind
 * Output is KTAP version 1, one top-level test per scenario; the exit
 * status is 0 only if every selected test passed. Run as root, with
 * cnxx.ko and cnxx_testmod.ko loaded (see README).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/connector.h>
#include <linux/netlink.h>

#include "cnxx_testproto.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define TIMEOUT_MS	2000	/* any expected message */
#define QUIET_MS	300	/* how long "nothing arrives" is watched */
#define CN_HDR		((uint32_t)sizeof(struct cn_msg))
#define MAX_PAYLOAD	CONNECTOR_MAX_MSG_SIZE
#define MAX_DATA	(MAX_PAYLOAD - CN_HDR)

/* Groups nobody else uses: one for "no listener", one for notifications. */
#define GROUP_EMPTY	21
#define GROUP_NOTIFY	20
#define GROUP_NOTIFY2	22

#define NOBODY		65534
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * A message whose nlmsg_len runs past the end of the datagram, with
 * NLM_F_ACK: 1 expects an -EINVAL ack; 0 expects silence, as from the
 * kernel's netlink_rcv_skb() (netlink_ack() would copy nlmsg_len bytes).
 */
#ifndef VMTEST_ACK_TRUNCATED
#define VMTEST_ACK_TRUNCATED 1
#endif
#define NO_ACK		1	/* struct part.want: NLM_F_ACK set, no ack due */

/* The notification wire format, written out here on purpose. */
#define CTL_IDX		0xffffffffu
#define CTL_VAL		0xffffffffu

struct ctl_hdr {
	uint32_t idx_notify_num;
	uint32_t val_notify_num;
	uint32_t group;
	uint32_t len;
};

struct ctl_range {
	uint32_t first;
	uint32_t range;
};

enum {
	G_BASE = 1,
	G_CNXX = 2,
	G_NOTIFY = 4,
	G_POST = 8,
};

static int cur_fail;
static int cmd_fd = -1;
static uint32_t seq_next = 0x1000;

static union {
	struct nlmsghdr h;
	char b[96 * 1024];
} rx;
static size_t rx_len;

static union {
	struct nlmsghdr h;
	char b[96 * 1024];
} tx;

#define __printf(a, b) __attribute__((format(printf, a, b)))

static void diag(const char *fmt, ...) __printf(1, 2);
static void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

#define FAIL(...)				\
	do {					\
		diag(__VA_ARGS__);		\
		cur_fail = 1;			\
	} while (0)

#define EXPECT(cond, ...)			\
	do {					\
		if (!(cond))			\
			FAIL(__VA_ARGS__);	\
	} while (0)

static uint32_t next_seq(void)
{
	return seq_next += 0x10;
}

/* "-19 (No such device)"; a few may be used in one printf. */
static const char *errname(int err)
{
	static char bufs[4][64];
	static unsigned int n;
	char *buf = bufs[n++ % 4];

	if (err >= 0)
		snprintf(buf, sizeof(bufs[0]), "%d", err);
	else
		snprintf(buf, sizeof(bufs[0]), "%d (%s)", err, strerror(-err));
	return buf;
}

static uint8_t pattern(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq + i);
}

/* ---- sockets ---------------------------------------------------------- */

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* A connector socket; @groups is the nl_groups bit mask given to bind(). */
static int nl_open_mask(uint32_t groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int size = 8 << 20;
	int fd;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	if (fd < 0) {
		FAIL("socket(NETLINK_CONNECTOR): %s", strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		FAIL("bind(nl_groups 0x%x): %s", groups, strerror(errno));
		close(fd);
		return -1;
	}
	/* Many large broadcasts queue up before they are read. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return fd;
}

/* A connector socket that joined @group (0: none) by NETLINK_ADD_MEMBERSHIP. */
static int nl_open(unsigned int group)
{
	int fd = nl_open_mask(0);

	if (fd < 0 || !group)
		return fd;
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group))) {
		FAIL("NETLINK_ADD_MEMBERSHIP %u: %s", group, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static uint32_t nl_port(int fd)
{
	struct sockaddr_nl sa;
	socklen_t len = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &len)) {
		FAIL("getsockname: %s", strerror(errno));
		return 0;
	}
	return sa.nl_pid;
}

static int nl_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl dst = { .nl_family = AF_NETLINK };
	ssize_t n;

	n = sendto(fd, buf, len, 0, (struct sockaddr *)&dst, sizeof(dst));
	if (n < 0) {
		FAIL("sendto(%zu bytes): %s", len, strerror(errno));
		return -1;
	}
	if ((size_t)n != len) {
		FAIL("sendto: %zd of %zu bytes", n, len);
		return -1;
	}
	return 0;
}

/*
 * Puts one connector message at @buf: nlmsghdr (type NLMSG_DONE, as every
 * connector user sends) + cn_msg + @dlen data bytes. Returns its aligned
 * size, the offset of a following message.
 */
static size_t cn_put(void *buf, uint32_t idx, uint32_t val, uint32_t seq,
		     uint32_t ack, const void *data, size_t dlen,
		     uint16_t nlflags, uint32_t nlseq)
{
	struct nlmsghdr *nlh = buf;
	struct cn_msg *cn = NLMSG_DATA(nlh);
	size_t size = NLMSG_ALIGN(NLMSG_LENGTH(CN_HDR + dlen));

	memset(buf, 0, size);
	nlh->nlmsg_len = NLMSG_LENGTH(CN_HDR + dlen);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = nlflags;
	nlh->nlmsg_seq = nlseq;
	nlh->nlmsg_pid = 0;
	cn->id.idx = idx;
	cn->id.val = val;
	cn->seq = seq;
	cn->ack = ack;
	cn->len = (uint16_t)dlen;
	if (dlen)
		memcpy(cn->data, data, dlen);
	return size;
}

static struct cn_msg *cn_of(void *nlh)
{
	return NLMSG_DATA((struct nlmsghdr *)nlh);
}

/* Sends one message whose data follows pattern(seq, i). */
static int cn_send(int fd, uint32_t idx, uint32_t val, uint32_t seq,
		   size_t dlen, uint16_t nlflags)
{
	static uint8_t data[MAX_PAYLOAD * 4];
	size_t i;

	for (i = 0; i < dlen; i++)
		data[i] = pattern(seq, i);
	return nl_send(fd, tx.b, cn_put(tx.b, idx, val, seq, 0, data, dlen,
					  nlflags, seq));
}

/*
 * Waits up to @ms for one datagram into rx. 1: received, 0: nothing came,
 * -1: error (reported).
 */
static int rx_wait(int fd, int ms, const char *who)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int r;

	do {
		r = poll(&p, 1, ms);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		FAIL("%s: poll: %s", who, strerror(errno));
		return -1;
	}
	if (!r)
		return 0;
	n = recv(fd, rx.b, sizeof(rx.b), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0) {
		FAIL("%s: recv: %s", who, strerror(errno));
		return -1;
	}
	if ((size_t)n > sizeof(rx.b)) {
		FAIL("%s: datagram of %zd bytes truncated", who, n);
		return -1;
	}
	rx_len = n;
	if (rx_len < NLMSG_HDRLEN || rx.h.nlmsg_len < NLMSG_HDRLEN ||
	    rx.h.nlmsg_len > rx_len) {
		FAIL("%s: malformed datagram: %zu bytes, nlmsg_len %u", who,
		     rx_len, rx_len >= 4 ? rx.h.nlmsg_len : 0);
		return -1;
	}
	return 1;
}

/* One line describing what is in rx, for diagnostics. */
static const char *rx_str(void)
{
	static char buf[200];
	const struct nlmsghdr *h = &rx.h;

	if (h->nlmsg_type == NLMSG_ERROR &&
	    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
		const struct nlmsgerr *e = NLMSG_DATA(h);

		snprintf(buf, sizeof(buf), "ack nlmsg_seq %u error %s",
			 h->nlmsg_seq, errname(e->error));
	} else if (h->nlmsg_len >= NLMSG_LENGTH(CN_HDR)) {
		const struct cn_msg *cn = NLMSG_DATA(h);

		snprintf(buf, sizeof(buf),
			 "nlmsg type %u len %u seq %u: cn_msg {%u,%u} seq %u ack %u len %u",
			 h->nlmsg_type, h->nlmsg_len, h->nlmsg_seq,
			 cn->id.idx, cn->id.val, cn->seq, cn->ack, cn->len);
	} else {
		snprintf(buf, sizeof(buf), "nlmsg type %u len %u seq %u",
			 h->nlmsg_type, h->nlmsg_len, h->nlmsg_seq);
	}
	return buf;
}

/*
 * Checks the framing of a connector message the kernel sent, as in
 * cn_netlink_send_mult(): one nlmsg of type NLMSG_DONE, nlmsg_seq = seq of
 * the first cn_msg, no flags, sender port 0, aligned datagram. @single:
 * one cn_msg exactly fills the nlmsg (not so for send_mult).
 */
static struct cn_msg *rx_cn_check(const char *who, int single)
{
	const struct nlmsghdr *h = &rx.h;
	struct cn_msg *cn = NLMSG_DATA(h);
	int bad = 0;

	if (h->nlmsg_type != NLMSG_DONE || h->nlmsg_len < NLMSG_LENGTH(CN_HDR)) {
		FAIL("%s: not a connector message: %s", who, rx_str());
		return NULL;
	}
	if (single ? h->nlmsg_len != NLMSG_LENGTH(CN_HDR + cn->len) :
		     h->nlmsg_len < NLMSG_LENGTH(CN_HDR + cn->len)) {
		FAIL("%s: nlmsg_len %u, cn_msg.len %u wants %u", who,
		     h->nlmsg_len, cn->len,
		     (unsigned int)NLMSG_LENGTH(CN_HDR + cn->len));
		bad = 1;
	}
	if (h->nlmsg_seq != cn->seq || h->nlmsg_flags || h->nlmsg_pid) {
		FAIL("%s: nlmsg seq %u flags 0x%x pid %u, want seq %u flags 0 pid 0",
		     who, h->nlmsg_seq, h->nlmsg_flags, h->nlmsg_pid, cn->seq);
		bad = 1;
	}
	if (rx_len != NLMSG_ALIGN(h->nlmsg_len)) {
		FAIL("%s: datagram %zu bytes for nlmsg_len %u", who, rx_len,
		     h->nlmsg_len);
		bad = 1;
	}
	return bad ? NULL : cn;
}

static struct cn_msg *rx_cn(const char *who)
{
	return rx_cn_check(who, 1);
}

/* Nothing may arrive on @fd for @ms. */
static void expect_quiet(int fd, int ms, const char *who)
{
	while (rx_wait(fd, ms, who) > 0) {
		FAIL("%s: unexpected %s", who, rx_str());
		ms = 50;
	}
}

/*
 * Reads @n messages {@idx,@val}, seq @seq0 + i, @size data bytes of
 * pattern(seq, j), in order. Returns how many were right.
 */
static uint32_t expect_stream(int fd, const char *who, uint32_t idx,
			      uint32_t val, uint32_t seq0, uint32_t n,
			      uint32_t size)
{
	uint32_t i, j, ok = 0;
	struct cn_msg *cn;
	int r;

	for (i = 0; i < n; i++) {
		r = rx_wait(fd, TIMEOUT_MS, who);
		if (r <= 0) {
			if (!r)
				FAIL("%s: got %u of %u messages (seq %u..), then nothing",
				     who, i, n, seq0);
			break;
		}
		cn = rx_cn(who);
		if (!cn)
			continue;
		if (cn->id.idx != idx || cn->id.val != val ||
		    cn->seq != seq0 + i || cn->len != size) {
			FAIL("%s: message %u: %s; want {%u,%u} seq %u len %u",
			     who, i, rx_str(), idx, val, seq0 + i, size);
			continue;
		}
		for (j = 0; j < size; j++)
			if (cn->data[j] != pattern(cn->seq, j))
				break;
		if (j < size) {
			FAIL("%s: message %u: data byte %u is 0x%02x, want 0x%02x",
			     who, i, j, cn->data[j], pattern(cn->seq, j));
			continue;
		}
		ok++;
	}
	return ok;
}

/*
 * Waits for the ack of the message with nlmsg_seq @seq. 1 with *@err set,
 * 0 if none came (not reported: some tests expect that).
 */
static int rx_ack(int fd, uint32_t seq, int *err, const char *who)
{
	const struct nlmsgerr *e;

	while (rx_wait(fd, TIMEOUT_MS, who) > 0) {
		if (rx.h.nlmsg_type != NLMSG_ERROR) {
			FAIL("%s: unexpected %s while waiting for an ack", who,
			     rx_str());
			continue;
		}
		if (rx.h.nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
			FAIL("%s: NLMSG_ERROR of nlmsg_len %u", who,
			     rx.h.nlmsg_len);
			continue;
		}
		e = NLMSG_DATA(&rx.h);
		if (rx.h.nlmsg_seq != seq || e->msg.nlmsg_seq != seq) {
			FAIL("%s: ack for nlmsg_seq %u/%u, want %u", who,
			     rx.h.nlmsg_seq, e->msg.nlmsg_seq, seq);
			continue;
		}
		*err = e->error;
		return 1;
	}
	return 0;
}

/* Sends @len bytes of tx with NLM_F_ACK set and checks the ack error. */
static void expect_ack(int fd, size_t len, int want, const char *what)
{
	uint32_t seq = tx.h.nlmsg_seq;
	int err;

	if (nl_send(fd, tx.b, len))
		return;
	if (!rx_ack(fd, seq, &err, what))
		FAIL("%s: no ack, want %s", what, errname(want));
	else if (err != want)
		FAIL("%s: ack %s, want %s", what, errname(err), errname(want));
}

/* ---- the test module -------------------------------------------------- */

/* Runs a command; 0 with *@res filled, -1 if the module did not answer. */
static int tm_cmd(struct cnxx_test_cmd *cmd, struct cnxx_test_result *res)
{
	uint32_t seq = next_seq();
	struct timespec t0, t1;
	struct cn_msg *cn;
	long ms;

	memset(res, 0, sizeof(*res));
	if (cmd_fd < 0)
		cmd_fd = nl_open(0);
	if (cmd_fd < 0)
		return -1;
	if (nl_send(cmd_fd, tx.b, cn_put(tx.b, TEST_IDX, TEST_VAL_CMD, seq, 0,
					  cmd, sizeof(*cmd), 0, seq)))
		return -1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 +
		     (t1.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= TIMEOUT_MS || rx_wait(cmd_fd, TIMEOUT_MS - ms,
						"command") <= 0)
			break;
		if (rx.h.nlmsg_type != NLMSG_DONE ||
		    rx.h.nlmsg_len < NLMSG_LENGTH(CN_HDR))
			continue;
		cn = cn_of(&rx.h);
		if (cn->id.idx != TEST_IDX || cn->id.val != TEST_VAL_CMD ||
		    cn->seq != seq)
			continue;
		if (cn->ack != seq + 1 || cn->len < sizeof(*res) ||
		    rx.h.nlmsg_len < NLMSG_LENGTH(CN_HDR + sizeof(*res))) {
			FAIL("command %u: bad reply %s", cmd->op, rx_str());
			return -1;
		}
		memcpy(res, cn->data, sizeof(*res));
		return 0;
	}
	FAIL("command %u: no reply from cnxx_testmod (loaded?)", cmd->op);
	return -1;
}

/* Asks the module to send; returns the command error (first failed send). */
static int tm_send(uint32_t idx, uint32_t val, uint32_t portid, uint32_t group,
		   uint32_t count, uint32_t size, uint32_t seq, uint32_t flags,
		   struct cnxx_test_result *res)
{
	struct cnxx_test_cmd cmd = {
		.op = CNXX_TEST_OP_SEND, .flags = flags, .idx = idx, .val = val,
		.portid = portid, .group = group, .count = count,
		.size = size, .seq = seq,
	};

	if (tm_cmd(&cmd, res))
		return -ETIMEDOUT;
	return res->err;
}

/* Checks that every one of @count sends returned @want. */
static void expect_rc(const struct cnxx_test_result *res, uint32_t count,
		      int want, const char *what)
{
	uint32_t i;

	for (i = 0; i < res->nrc; i++) {
		if (res->rc[i] != want) {
			FAIL("%s: send %u returned %s, want %s", what, i,
			     errname(res->rc[i]), errname(want));
			return;
		}
	}
	if (res->nrc != (count < CNXX_TEST_MAX_RC ? count : CNXX_TEST_MAX_RC))
		FAIL("%s: module reports %u returns for %u sends", what,
		     res->nrc, count);
	else if (want >= 0 && res->done != count)
		FAIL("%s: %u of %u sends succeeded (first error %s)", what,
		     res->done, count, errname(res->err));
}

static int tm_simple(uint32_t op, uint32_t idx, uint32_t val)
{
	struct cnxx_test_cmd cmd = { .op = op, .idx = idx, .val = val };
	struct cnxx_test_result res;

	if (tm_cmd(&cmd, &res))
		return -ETIMEDOUT;
	return res.err;
}

static int tm_register(uint32_t idx, uint32_t val)
{
	int err = tm_simple(CNXX_TEST_OP_REGISTER, idx, val);

	EXPECT(!err, "register {%u,%u}: %s", idx, val, errname(err));
	return err;
}

static int tm_unregister(uint32_t idx, uint32_t val)
{
	int err = tm_simple(CNXX_TEST_OP_UNREGISTER, idx, val);

	EXPECT(!err, "unregister {%u,%u}: %s", idx, val, errname(err));
	return err;
}

static int tm_counters(uint32_t *val)
{
	struct cnxx_test_cmd cmd = { .op = CNXX_TEST_OP_COUNTERS };
	struct cnxx_test_result res;

	if (tm_cmd(&cmd, &res))
		return -1;
	memcpy(val, res.val, sizeof(res.val));
	return 0;
}

/* Confirms the module still answers after hostile input. */
static void expect_alive(void)
{
	uint32_t seq = next_seq();
	struct cn_msg *cn;
	int fd = nl_open(0);

	if (fd < 0)
		return;
	if (!cn_send(fd, TEST_IDX, TEST_VAL_ECHO, seq, 8, 0)) {
		cn = rx_wait(fd, TIMEOUT_MS, "echo") > 0 ? rx_cn("echo") : NULL;
		if (!cn || cn->seq != seq)
			FAIL("echo after bad input: %s",
			     cn ? rx_str() : "no reply");
	}
	close(fd);
}

/* ---- /proc ------------------------------------------------------------ */

static char *read_file(const char *path)
{
	static char buf[256 * 1024];
	size_t n = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		FAIL("%s: %s", path, strerror(errno));
		return NULL;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return buf;
}

/* How many lines of /proc/net/connector are exactly @line. */
static int proc_count(const char *text, const char *line)
{
	size_t len = strlen(line);
	const char *p = text;
	int n = 0;

	while (p && *p) {
		if (!strncmp(p, line, len) && (p[len] == '\n' || !p[len]))
			n++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

static void proc_line(char *buf, size_t n, const char *name, uint32_t idx,
		      uint32_t val)
{
	snprintf(buf, n, "%-15s %u:%u", name, idx, val);
}

/* Reads key @key of /proc/net/cnxx_stats; -1 if missing. */
static long long stat_get(const char *key)
{
	char *text = read_file("/proc/net/cnxx_stats");
	size_t len = strlen(key);
	char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, len) && p[len] == ' ')
			return strtoll(p + len + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	FAIL("/proc/net/cnxx_stats: no key %s", key);
	return -1;
}

struct cb_row {
	char name[64];
	uint32_t idx, val, group;
	unsigned long long delivered, dropped, send_errors;
};

/* Finds the /proc/net/cnxx row of {@idx,@val}; 0 if found. */
static int cb_row_get(uint32_t idx, uint32_t val, struct cb_row *row)
{
	char *text = read_file("/proc/net/cnxx");
	char *p = text, *nl;

	if (!text)
		return -1;
	while (p && *p) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		if (sscanf(p, "%63s %u:%u %u %llu %llu %llu", row->name,
			   &row->idx, &row->val, &row->group, &row->delivered,
			   &row->dropped, &row->send_errors) == 7 &&
		    row->idx == idx && row->val == val)
			return 0;
		p = nl ? nl + 1 : NULL;
	}
	FAIL("/proc/net/cnxx: no row for %u:%u", idx, val);
	return -1;
}

/* ---- unprivileged child ----------------------------------------------- */

/*
 * Runs @fn as uid/gid 65534 in a child; its diagnostics go to stdout, its
 * failure to the parent's result.
 */
static void run_unprivileged(void (*fn)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		FAIL("fork: %s", strerror(errno));
		return;
	}
	if (!pid) {
		cur_fail = 0;
		cmd_fd = -1;
		alarm(20);
		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			FAIL("dropping privileges: %s", strerror(errno));
		else
			fn();
		fflush(stdout);
		_exit(cur_fail ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid) {
		FAIL("waitpid: %s", strerror(errno));
		return;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		FAIL("unprivileged part failed (status 0x%x)", status);
}

/* ======================================================================= */
/* base: what the kernel's own connector does                              */
/* ======================================================================= */

static void t_echo(void)
{
	static const uint32_t sizes[] = { 0, 1, 3, 4, 20, 100, 1000, 4096,
					  MAX_DATA - 1, MAX_DATA };
	static uint8_t data[MAX_PAYLOAD];
	uint32_t before[CNXX_TEST_NCOUNTERS], after[CNXX_TEST_NCOUNTERS];
	uint32_t i, j, seq, sent = 0;
	struct cn_msg *cn, *out;
	size_t len;
	int fd;

	if (tm_counters(before))
		return;
	fd = nl_open(0);
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

static void t_broadcast(void)
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
static void t_group0_route(void)
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
static void t_group_and_port(void)
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

static void t_unicast(void)
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

static void t_unicast_refused(void)
{
	uint32_t port, cnt[CNXX_TEST_NCOUNTERS];
	struct cnxx_test_result res;
	int fd;

	/*
	 * The command socket first: the first socket of a process gets the
	 * pid as its port, and the closed port must stay unused.
	 */
	if (tm_counters(cnt))
		return;
	fd = nl_open(0);
	if (fd < 0)
		return;
	port = nl_port(fd);
	close(fd);
	tm_send(TEST_IDX, TEST_VAL_SINK, port, 0, 1, 8, next_seq(), 0, &res);
	expect_rc(&res, 1, -ECONNREFUSED, "to a closed port");
}

static void t_esrch(void)
{
	struct cnxx_test_result res;

	tm_send(TEST_IDX, TEST_VAL_SINK, 0, GROUP_EMPTY, 2, 8, next_seq(), 0,
		&res);
	expect_rc(&res, 2, -ESRCH, "group 21 without listeners");
	tm_send(TEST_IDX, TEST_VAL_SINK, 0, 0, 2, 8, next_seq(), 0, &res);
	expect_rc(&res, 2, -ESRCH, "group 0 -> 16 without listeners");
}

static void t_enodev_send(void)
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
static void t_atomic(void)
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

static int tm_send_mult(uint32_t portid, uint32_t group, uint32_t count,
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

static void t_send_mult(void)
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

	fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_CONNECTOR);
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

static void t_unpriv_join(void)
{
	run_unprivileged(t_unpriv_join_child);
}

/*
 * Bad input without NLM_F_ACK: never delivered, nothing sent back, and the
 * connector keeps working.
 */
static void t_malformed(void)
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

static void t_proc_connector(void)
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
static void t_callback_context(void)
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

static void t_register(void)
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

/* ======================================================================= */
/* cnxx: additions                                                         */
/* ======================================================================= */

static void t_ack_ok(void)
{
	uint32_t before[CNXX_TEST_NCOUNTERS], after[CNXX_TEST_NCOUNTERS];
	int fd = nl_open(0), got_echo = 0, got_ack = 0, i, err;
	const struct nlmsgerr *e;
	uint32_t seq;

	if (fd < 0 || tm_counters(before))
		goto out;

	seq = next_seq();
	if (cn_send(fd, TEST_IDX, TEST_VAL_SINK, seq, 8, NLM_F_ACK))
		goto out;
	if (!rx_ack(fd, seq, &err, "sink + NLM_F_ACK"))
		FAIL("sink + NLM_F_ACK: no ack");
	else
		EXPECT(err == 0, "sink + NLM_F_ACK: ack %s, want 0",
		       errname(err));
	if (!tm_counters(after))
		EXPECT(after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK] == 1,
		       "sink called %u times",
		       after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK]);

	/* the callback's reply and the ack both arrive */
	seq = next_seq();
	if (cn_send(fd, TEST_IDX, TEST_VAL_ECHO, seq, 8,
		    NLM_F_REQUEST | NLM_F_ACK))
		goto out;
	for (i = 0; i < 2 && rx_wait(fd, TIMEOUT_MS, "echo + ack") > 0; i++) {
		e = NLMSG_DATA(&rx.h);
		if (rx.h.nlmsg_type == NLMSG_ERROR && rx.h.nlmsg_seq == seq &&
		    rx.h.nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && !e->error &&
		    e->msg.nlmsg_seq == seq && e->msg.nlmsg_type == NLMSG_DONE)
			got_ack++;
		else if (rx.h.nlmsg_type == NLMSG_DONE &&
			 cn_of(&rx.h)->seq == seq &&
			 cn_of(&rx.h)->ack == seq + 1)
			got_echo++;
		else
			FAIL("echo + ack: unexpected %s", rx_str());
	}
	EXPECT(got_ack == 1 && got_echo == 1,
	       "echo + NLM_F_ACK: %d acks with error 0, %d echoes", got_ack,
	       got_echo);
	expect_quiet(fd, QUIET_MS, "echo + ack");
out:
	close_fd(&fd);
}

static void t_enodev_ack(void)
{
	uint32_t seq = next_seq();
	int fd = nl_open(0);

	if (fd < 0)
		return;
	expect_ack(fd, cn_put(tx.b, TEST_IDX, 77, seq, 0, NULL, 0, NLM_F_ACK,
			      seq), -ENODEV, "unknown id {16,77}");
	expect_ack(fd, cn_put(tx.b, 12345, 1, seq + 1, 0, "x", 1,
			      NLM_F_REQUEST | NLM_F_ACK, seq + 1),
		   -ENODEV, "unknown id {12345,1}");
	cn_send(fd, TEST_IDX, 77, next_seq(), 8, 0);
	expect_quiet(fd, QUIET_MS, "unknown id without NLM_F_ACK");
	close(fd);
}

/* Bad input with NLM_F_ACK: the right error, and never delivered. */
static void t_malformed_ack(void)
{
	uint32_t before[CNXX_TEST_NCOUNTERS], after[CNXX_TEST_NCOUNTERS];
	static uint8_t data[65536];
	uint32_t seq;
	size_t len;
	int fd = nl_open(0), err;

	if (fd < 0 || tm_counters(before))
		goto out;

	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 16,
		     NLM_F_ACK, seq);
	tx.h.nlmsg_len += 64;
	if (VMTEST_ACK_TRUNCATED)
		expect_ack(fd, len, -EINVAL, "nlmsg_len beyond the datagram");
	else if (!nl_send(fd, tx.b, len))
		expect_quiet(fd, QUIET_MS, "nlmsg_len beyond the datagram");

	seq = next_seq();
	cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, NULL, 0, NLM_F_ACK, seq);
	tx.h.nlmsg_len = NLMSG_LENGTH(10);
	expect_ack(fd, NLMSG_LENGTH(10), -EINVAL, "payload of 10 bytes");

	seq = next_seq();
	cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, NULL, 0, NLM_F_ACK, seq);
	tx.h.nlmsg_len = NLMSG_LENGTH(CN_HDR - 1);
	expect_ack(fd, NLMSG_LENGTH(CN_HDR), -EINVAL,
		   "nlmsg_len one short of a cn_msg");

	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 12,
		     NLM_F_ACK, seq);
	cn_of(tx.b)->len = 100;
	expect_ack(fd, len, -EINVAL, "cn_msg.len 100 for 12 bytes");

	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 12,
		     NLM_F_ACK, seq);
	cn_of(tx.b)->len = 13;
	expect_ack(fd, len, -EINVAL, "cn_msg.len 13 for 12 bytes");

	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, MAX_DATA + 1,
		     NLM_F_ACK, seq);
	expect_ack(fd, len, -EMSGSIZE, "payload of 16385 bytes");

	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 40000,
		     NLM_F_ACK, seq);
	expect_ack(fd, len, -EMSGSIZE, "payload of 40020 bytes");

	/* the largest valid one */
	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, MAX_DATA,
		     NLM_F_ACK, seq);
	expect_ack(fd, len, 0, "payload of 16384 bytes");

	/* nlmsg_len below the header: no ack is possible or required */
	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 16,
		     NLM_F_ACK, seq);
	tx.h.nlmsg_len = 12;
	if (!nl_send(fd, tx.b, len) && rx_ack(fd, seq, &err, "nlmsg_len 12"))
		EXPECT(err == -EINVAL, "nlmsg_len 12: ack %s", errname(err));

	expect_quiet(fd, QUIET_MS, "after bad messages");
	if (!tm_counters(after))
		EXPECT(after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK] == 1,
		       "sink called %u times, want 1 (the valid message)",
		       after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK]);
	expect_alive();
out:
	close_fd(&fd);
}

struct part {
	uint32_t val;		/* id {TEST_IDX, val} */
	uint32_t dlen;		/* data bytes present */
	int cn_len;		/* cn_msg.len if >= 0, else dlen */
	uint16_t flags;		/* nlmsg_flags */
	int want;		/* ack error, or NO_ACK */
	int sink;		/* counts at the sink */
};

/*
 * Sends @n messages in one datagram and checks, per message with NLM_F_ACK,
 * its ack in order, the sink count and seq sum, and echo replies.
 * @lie_last: the last nlmsg_len claims 64 more bytes than sent.
 */
static void send_parts(const struct part *p, int n, int lie_last)
{
	uint32_t before[CNXX_TEST_NCOUNTERS], after[CNXX_TEST_NCOUNTERS];
	static uint8_t data[65536];
	uint32_t seq[16], want_sum = 0, want_sink = 0;
	int fd = nl_open(0), i, next = 0, echoes = 0, want_echoes = 0;
	size_t off = 0, last = 0;
	const struct nlmsgerr *e;

	if (fd < 0 || tm_counters(before))
		goto out;

	for (i = 0; i < n; i++) {
		seq[i] = next_seq();
		last = off;
		off += cn_put(tx.b + off, TEST_IDX, p[i].val, seq[i], 0, data,
			      p[i].dlen, p[i].flags, seq[i]);
		if (p[i].cn_len >= 0)
			cn_of(tx.b + last)->len = p[i].cn_len;
		if (p[i].sink) {
			want_sink++;
			want_sum += seq[i];
		}
		if (p[i].val == TEST_VAL_ECHO && !p[i].want)
			want_echoes++;
	}
	if (lie_last)
		((struct nlmsghdr *)(tx.b + last))->nlmsg_len += 64;
	if (nl_send(fd, tx.b, off))
		goto out;

	for (;;) {
		while (next < n && (!(p[next].flags & NLM_F_ACK) ||
				    p[next].want == NO_ACK))
			next++;
		if (next == n && echoes >= want_echoes)
			break;
		if (rx_wait(fd, TIMEOUT_MS, "datagram") <= 0)
			break;
		if (rx.h.nlmsg_type == NLMSG_DONE &&
		    rx.h.nlmsg_len >= NLMSG_LENGTH(CN_HDR) &&
		    cn_of(&rx.h)->id.val == TEST_VAL_ECHO) {
			echoes++;
		} else if (rx.h.nlmsg_type == NLMSG_ERROR) {
			e = NLMSG_DATA(&rx.h);
			if (next == n) {
				FAIL("extra %s", rx_str());
			} else if (rx.h.nlmsg_seq != seq[next]) {
				FAIL("message %d: %s, want the ack of nlmsg_seq %u",
				     next, rx_str(), seq[next]);
			} else if (e->error != p[next].want) {
				FAIL("message %d: ack %s, want %s", next,
				     errname(e->error), errname(p[next].want));
			}
			next++;
		} else {
			FAIL("unexpected %s", rx_str());
		}
	}
	EXPECT(next == n, "no ack for message %d (nlmsg_seq %u) and later",
	       next, next < n ? seq[next] : 0);
	EXPECT(echoes == want_echoes, "%d echo replies, want %d", echoes,
	       want_echoes);
	expect_quiet(fd, QUIET_MS, "datagram sender");

	if (!tm_counters(after)) {
		EXPECT(after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK] ==
		       want_sink, "sink got %u messages, want %u",
		       after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK],
		       want_sink);
		EXPECT(after[CNXX_TEST_CNT_SINK_SEQSUM] -
		       before[CNXX_TEST_CNT_SINK_SEQSUM] == want_sum,
		       "sink got other messages than the valid ones (seq sum)");
	}
out:
	close_fd(&fd);
}

static void t_multi_message(void)
{
	const struct part mixed[] = {
		{ TEST_VAL_SINK, 8, -1, NLM_F_ACK, 0, 1 },
		{ TEST_VAL_SINK, 12, 100, NLM_F_ACK, -EINVAL, 0 },
		{ TEST_VAL_SINK, 0, -1, NLM_F_ACK, 0, 1 },
		{ 77, 4, -1, NLM_F_ACK, -ENODEV, 0 },
		{ TEST_VAL_SINK, MAX_DATA + 1, -1, NLM_F_ACK, -EMSGSIZE, 0 },
		{ TEST_VAL_ECHO, 16, -1, NLM_F_ACK, 0, 0 },
		{ TEST_VAL_SINK, 100, -1, 0, 0, 1 },
		{ TEST_VAL_SINK, MAX_DATA, -1, NLM_F_ACK, 0, 1 },
	};
	const struct part lying_last[] = {
		{ TEST_VAL_SINK, 8, -1, NLM_F_ACK, 0, 1 },
		{ TEST_VAL_SINK, 8, -1, 0, 0, 1 },
		{ TEST_VAL_SINK, 8, -1, NLM_F_ACK,
		  VMTEST_ACK_TRUNCATED ? -EINVAL : NO_ACK, 0 },
	};
	const struct part no_ack[] = {
		{ TEST_VAL_SINK, 8, -1, 0, 0, 1 },
		{ TEST_VAL_SINK, 12, 100, 0, 0, 0 },
		{ TEST_VAL_ECHO, 4, -1, 0, 0, 0 },
		{ 77, 4, -1, 0, 0, 0 },
		{ TEST_VAL_SINK, MAX_DATA + 1, -1, 0, 0, 0 },
		{ TEST_VAL_SINK, 8, -1, 0, 0, 1 },
	};

	diag("valid, invalid and unknown messages with NLM_F_ACK");
	send_parts(mixed, ARRAY_SIZE(mixed), 0);
	diag("last nlmsg_len beyond the datagram");
	send_parts(lying_last, ARRAY_SIZE(lying_last), 1);
	diag("without NLM_F_ACK");
	send_parts(no_ack, ARRAY_SIZE(no_ack), 0);
}

static void t_send_mult_bad(void)
{
	static const int32_t extra[] = { 1, -1, 19, -100, -219 };
	int a = nl_open(TEST_IDX), rc;
	uint32_t i;

	if (a < 0)
		return;
	/* 2 records of 100: len 220 is right */
	for (i = 0; i < ARRAY_SIZE(extra); i++) {
		rc = tm_send_mult(0, 0, 2, 100, next_seq(), extra[i]);
		EXPECT(rc == -EINVAL, "send_mult 2 x 100 with len %d: %s, want %s",
		       220 + extra[i], errname(rc), errname(-EINVAL));
	}
	expect_quiet(a, QUIET_MS, "group 16");
	close(a);
}

static void t_proc_cnxx(void)
{
	static const char *const keys[] = {
		"rx_messages", "rx_delivered", "rx_invalid", "rx_oversize",
		"rx_unknown", "rx_control", "rx_denied", "tx_messages",
		"tx_errors", "callbacks", "notify_requests", "notify_sent",
		"notify_failed",
	};
	static const char header[] =
		"Name            ID                    Group  Delivered    Dropped      SendErrors   RepliesDropped\n";
	long long s0[13], s1[13];
	struct cb_row r0, r1;
	struct cnxx_test_result res;
	char *text;
	size_t i;
	int fd;

	text = read_file("/proc/net/cnxx");
	if (!text)
		return;
	EXPECT(!strncmp(text, header, sizeof(header) - 1),
	       "/proc/net/cnxx header: \"%.*s\"", (int)strcspn(text, "\n"),
	       text);
	if (cb_row_get(TEST_IDX, TEST_VAL_SINK, &r0))
		return;
	EXPECT(!strcmp(r0.name, "cnxx_test_sink") && r0.group == TEST_IDX,
	       "/proc/net/cnxx: sink row name %s group %u", r0.name, r0.group);
	for (i = 0; i < 13; i++)
		s0[i] = stat_get(keys[i]);

	fd = nl_open(0);
	if (fd < 0)
		return;
	cn_send(fd, TEST_IDX, TEST_VAL_SINK, next_seq(), 4, 0);
	cn_send(fd, TEST_IDX, 77, next_seq(), 4, 0);
	cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, 1, 0, NULL, 0, 0, 1);
	cn_of(tx.b)->len = 50;
	nl_send(fd, tx.b, NLMSG_LENGTH(CN_HDR));
	cn_send(fd, TEST_IDX, TEST_VAL_SINK, next_seq(), MAX_DATA + 1, 0);
	close(fd);
	/* a failed send of {16,3}: nobody listens to group 16 */
	tm_send(TEST_IDX, TEST_VAL_SINK, 0, 0, 1, 0, next_seq(), 0, &res);
	tm_register(TEST_IDX, 54);

	if (!cb_row_get(TEST_IDX, TEST_VAL_SINK, &r1)) {
		EXPECT(r1.delivered == r0.delivered + 1,
		       "sink delivered %llu -> %llu, want +1", r0.delivered,
		       r1.delivered);
		EXPECT(r1.send_errors >= r0.send_errors + 1,
		       "sink send errors %llu -> %llu, want +1",
		       r0.send_errors, r1.send_errors);
	}
	for (i = 0; i < 13; i++)
		s1[i] = stat_get(keys[i]);
	/* at least: other users may be active */
	EXPECT(s1[0] >= s0[0] + 4, "rx_messages +%lld, want >= 4", s1[0] - s0[0]);
	EXPECT(s1[1] >= s0[1] + 1, "rx_delivered +%lld", s1[1] - s0[1]);
	EXPECT(s1[2] >= s0[2] + 1, "rx_invalid +%lld", s1[2] - s0[2]);
	EXPECT(s1[3] >= s0[3] + 1, "rx_oversize +%lld", s1[3] - s0[3]);
	EXPECT(s1[4] >= s0[4] + 1, "rx_unknown +%lld", s1[4] - s0[4]);
	EXPECT(s1[7] >= s0[7] + 1, "tx_messages +%lld (command replies)",
	       s1[7] - s0[7]);
	EXPECT(s1[8] >= s0[8] + 1, "tx_errors +%lld", s1[8] - s0[8]);
	EXPECT(s1[9] == s0[9] + 1, "callbacks %lld -> %lld after a register",
	       s0[9], s1[9]);
	tm_unregister(TEST_IDX, 54);
	EXPECT(stat_get("callbacks") == s0[9], "callbacks not back to %lld",
	       s0[9]);
}

/* ======================================================================= */
/* notify: registration notifications                                      */
/* ======================================================================= */

/* Builds a control message with one idx and one val range into tx. */
static size_t ctl_put(uint32_t nlseq, uint32_t idx_first, uint32_t idx_range,
		      uint32_t val_first, uint32_t val_range, uint32_t group)
{
	struct {
		struct ctl_hdr h;
		struct ctl_range r[2];
	} c = {
		{ 1, 1, group, 2 * sizeof(struct ctl_range) },
		{ { idx_first, idx_range }, { val_first, val_range } },
	};

	return cn_put(tx.b, CTL_IDX, CTL_VAL, nlseq, 0, &c, sizeof(c),
		      NLM_F_ACK, nlseq);
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

static void t_notify_basic(void)
{
	static const struct note exp[] = {
		{ TEST_IDX, 100, 0 }, { TEST_IDX, 109, 0 },
		{ TEST_IDX, 109, 1 }, { TEST_IDX, 100, 1 },
	};
	int l = nl_open(GROUP_NOTIFY), c = nl_open(0), err;

	if (l < 0 || c < 0)
		goto out;
	err = ctl_request(c, TEST_IDX, 1, 100, 10, GROUP_NOTIFY);
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
	expect_notes(l, exp, 4, "range [16,17)x[100,110)");

	err = ctl_request(c, TEST_IDX, 1, 100, 10, 0);
	EXPECT(!err, "removal: %s", errname(err));
	tm_register(TEST_IDX, 101);
	tm_unregister(TEST_IDX, 101);
	expect_notes(l, NULL, 0, "after removal");
out:
	close_fd(&l);
	close_fd(&c);
}

static void t_notify_dup(void)
{
	static const struct note exp[] = {
		{ TEST_IDX, 121, 0 }, { TEST_IDX, 121, 1 },
	};
	int l = nl_open(GROUP_NOTIFY), c = nl_open(0), err, i;

	if (l < 0 || c < 0)
		goto out;
	err = ctl_request(c, TEST_IDX, 1, 120, 10, GROUP_NOTIFY);
	EXPECT(!err, "request: %s", errname(err));
	err = ctl_request(c, TEST_IDX, 1, 120, 10, GROUP_NOTIFY);
	EXPECT(!err || err == -EEXIST, "same request again: %s", errname(err));
	diag("duplicate request: %s", errname(err));

	tm_register(TEST_IDX, 121);
	tm_unregister(TEST_IDX, 121);
	expect_notes(l, exp, 2, "after a duplicate request");

	err = ctl_request(c, TEST_IDX, 1, 120, 10, 0);
	EXPECT(!err, "removal: %s", errname(err));
	tm_register(TEST_IDX, 122);
	tm_unregister(TEST_IDX, 122);
	expect_notes(l, NULL, 0, "after one removal");

	err = ctl_request(c, TEST_IDX, 1, 120, 10, 0);
	EXPECT(err == -ENOENT, "second removal: %s, want %s", errname(err),
	       errname(-ENOENT));
	/* leave nothing behind if a duplicate was stored */
	for (i = 0; i < 4 && !err; i++)
		err = ctl_request(c, TEST_IDX, 1, 120, 10, 0);
out:
	close_fd(&l);
	close_fd(&c);
}

/* Two requests, each notifying its own group. */
static void t_notify_groups(void)
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

static void t_notify_invalid(void)
{
	struct {
		struct ctl_hdr h;
		struct ctl_range r[2];
	} *c;
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
	c->h.len += 8;
	expect_ack(fd, len, -EINVAL, "ctl.len 8 bytes too large");

	/* ctl.len not matching the counts */
	seq = next_seq();
	len = ctl_put(seq, TEST_IDX, 1, 140, 10, GROUP_NOTIFY);
	c->h.val_notify_num = 2;
	expect_ack(fd, len, -EINVAL, "val_notify_num 2 with one val range");

	/* the ranges cut short: cn_msg.len holds only one of two */
	seq = next_seq();
	ctl_put(seq, TEST_IDX, 1, 140, 10, GROUP_NOTIFY);
	cn_of(tx.b)->len = sizeof(struct ctl_hdr) + 8;
	tx.h.nlmsg_len = NLMSG_LENGTH(CN_HDR + sizeof(struct ctl_hdr) + 8);
	expect_ack(fd, NLMSG_ALIGN(tx.h.nlmsg_len), -EINVAL,
		   "cn_msg.len without the last range");

	/* (n + m) * 8 wraps to 0 in 32 bits */
	seq = next_seq();
	ctl_put(seq, TEST_IDX, 1, 140, 10, GROUP_NOTIFY);
	c->h.idx_notify_num = 0x20000000;
	c->h.val_notify_num = 0x20000000;
	c->h.len = 0;
	cn_of(tx.b)->len = sizeof(struct ctl_hdr);
	tx.h.nlmsg_len = NLMSG_LENGTH(CN_HDR + sizeof(struct ctl_hdr));
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
	len = cn_put(tx.b, CTL_IDX, CTL_VAL, seq, 0, "\1\0\0\0\1\0\0\0", 8,
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
	uint32_t seq = next_seq();
	int fd = nl_open(0), err;

	if (fd < 0)
		return;
	if (nl_send(fd, tx.b, ctl_put(seq, TEST_IDX, 1, 150, 10, GROUP_NOTIFY)))
		goto out;
	if (!rx_ack(fd, seq, &err, "unprivileged request"))
		FAIL("unprivileged request: no ack");
	else
		EXPECT(err == -EPERM, "unprivileged request: ack %s, want %s",
		       errname(err), errname(-EPERM));
	/* removal is a request too */
	seq = next_seq();
	if (nl_send(fd, tx.b, ctl_put(seq, TEST_IDX, 1, 150, 10, 0)))
		goto out;
	if (!rx_ack(fd, seq, &err, "unprivileged removal"))
		FAIL("unprivileged removal: no ack");
	else
		EXPECT(err == -EPERM, "unprivileged removal: ack %s, want %s",
		       errname(err), errname(-EPERM));
out:
	close(fd);
}

static void t_notify_unpriv(void)
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
static void t_notify_kernel(void)
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

/* ======================================================================= */
/* post: after rmmod cnxx_testmod                                          */
/* ======================================================================= */

static void t_after_unload(void)
{
	char *text = read_file("/proc/net/connector");
	uint32_t seq = next_seq();
	int fd;

	if (text && strstr(text, "cnxx_test"))
		FAIL("/proc/net/connector still lists cnxx_test ids:\n%s", text);
	fd = nl_open(0);
	if (fd < 0)
		return;
	/* no echo and no command reply any more */
	cn_send(fd, TEST_IDX, TEST_VAL_ECHO, seq, 4, 0);
	expect_quiet(fd, QUIET_MS, "echo after unload");
	close(fd);
}

/* ======================================================================= */

struct test {
	const char *name;
	unsigned int group;
	void (*fn)(void);
	const char *desc;
};

static const struct test tests[] = {
	{ "proc_connector", G_BASE, t_proc_connector,
	  "/proc/net/connector format and entries" },
	{ "echo", G_BASE, t_echo,
	  "round trip: seq kept, ack = seq + 1, data, sizes 0..16364" },
	{ "callback_context", G_BASE, t_callback_context,
	  "callbacks run synchronously in the sender's process" },
	{ "register", G_BASE, t_register,
	  "cn_add_callback/cn_del_callback, duplicates -EINVAL" },
	{ "broadcast", G_BASE, t_broadcast,
	  "explicit group 16 to 3 sockets, all messages in order" },
	{ "group0_route", G_BASE, t_group0_route,
	  "portid 0 + group 0 goes to the group of the id's callback" },
	{ "group_and_port", G_BASE, t_group_and_port,
	  "portid + group: broadcast that skips portid" },
	{ "unicast", G_BASE, t_unicast,
	  "portid only: that socket only; returns the skb length" },
	{ "unicast_refused", G_BASE, t_unicast_refused,
	  "unicast to a closed port: -ECONNREFUSED" },
	{ "esrch", G_BASE, t_esrch, "group without listeners: -ESRCH" },
	{ "enodev_send", G_BASE, t_enodev_send,
	  "group 0 for an unregistered id: -ENODEV" },
	{ "atomic", G_BASE, t_atomic,
	  "GFP_ATOMIC sends, from process context and from a timer" },
	{ "send_mult", G_BASE, t_send_mult,
	  "cn_netlink_send_mult: K records in one nlmsg" },
	{ "unpriv_join", G_BASE, t_unpriv_join,
	  "uid 65534 cannot join group 16 (bind, setsockopt): EPERM" },
	{ "malformed", G_BASE, t_malformed,
	  "bad messages without NLM_F_ACK: dropped, no reply" },
	{ "ack_ok", G_CNXX, t_ack_ok, "NLM_F_ACK: error 0 on delivery" },
	{ "enodev_ack", G_CNXX, t_enodev_ack,
	  "NLM_F_ACK to an unknown id: -ENODEV" },
	{ "malformed_ack", G_CNXX, t_malformed_ack,
	  "bad messages with NLM_F_ACK: -EINVAL / -EMSGSIZE" },
	{ "multi_message", G_CNXX, t_multi_message,
	  "every message of a datagram handled, acked in order" },
	{ "send_mult_bad", G_CNXX, t_send_mult_bad,
	  "cn_netlink_send_mult with sizes not adding up: -EINVAL" },
	{ "proc_cnxx", G_CNXX, t_proc_cnxx,
	  "/proc/net/cnxx and /proc/net/cnxx_stats" },
	{ "notify_basic", G_NOTIFY, t_notify_basic,
	  "exact notifications for ids in range, none after removal" },
	{ "notify_dup", G_NOTIFY, t_notify_dup,
	  "a duplicate request is not doubled; removal" },
	{ "notify_groups", G_NOTIFY, t_notify_groups,
	  "two requests, each to its own group" },
	{ "notify_invalid", G_NOTIFY, t_notify_invalid,
	  "malformed requests: -EINVAL; unknown removal: -ENOENT" },
	{ "notify_unpriv", G_NOTIFY, t_notify_unpriv,
	  "request without CAP_NET_ADMIN: -EPERM" },
	{ "notify_kernel", G_NOTIFY, t_notify_kernel,
	  "cnxx_notify_request() from a module" },
	{ "after_unload", G_POST, t_after_unload,
	  "after rmmod cnxx_testmod: its ids are gone" },
};

#define NTESTS ((int)(ARRAY_SIZE(tests)))

static const struct {
	const char *name;
	unsigned int mask;
} groups[] = {
	{ "all", G_BASE | G_CNXX | G_NOTIFY },
	{ "base", G_BASE },
	{ "cnxx", G_CNXX },
	{ "notify", G_NOTIFY },
	{ "post", G_POST },
};

static const char *group_name(unsigned int g)
{
	size_t i;

	for (i = 1; i < ARRAY_SIZE(groups); i++)
		if (groups[i].mask == g)
			return groups[i].name;
	return "?";
}

static int select_arg(const char *arg, char *sel)
{
	size_t i;
	int t, found = 0;

	for (i = 0; i < ARRAY_SIZE(groups); i++) {
		if (strcmp(arg, groups[i].name))
			continue;
		for (t = 0; t < NTESTS; t++)
			if (tests[t].group & groups[i].mask)
				sel[t] = 1;
		return 0;
	}
	for (t = 0; t < NTESTS; t++) {
		if (!strcmp(arg, tests[t].name)) {
			sel[t] = 1;
			found = 1;
		}
	}
	return found ? 0 : -1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vmtest [--list] [NAME|GROUP...]\n"
		"groups: all (default: base cnxx notify), base, cnxx, notify, post\n");
}

int main(int argc, char **argv)
{
	char sel[NTESTS] = { 0 };
	int i, n = 0, num = 0, failed = 0, list = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--list")) {
			list = 1;
			continue;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (select_arg(argv[i], sel)) {
			fprintf(stderr, "vmtest: no test or group \"%s\"\n",
				argv[i]);
			usage(stderr);
			return 2;
		}
		n++;
	}
	if (!n)
		select_arg("all", sel);

	if (list) {
		for (i = 0; i < NTESTS; i++)
			if (sel[i])
				printf("%-16s %-7s %s\n", tests[i].name,
				       group_name(tests[i].group),
				       tests[i].desc);
		return 0;
	}

	for (i = 0, n = 0; i < NTESTS; i++)
		n += sel[i];
	printf("KTAP version 1\n1..%d\n", n);
	for (i = 0; i < NTESTS; i++) {
		if (!sel[i])
			continue;
		cur_fail = 0;
		tests[i].fn();
		close_fd(&cmd_fd);	/* no stale replies across tests */
		printf("%sok %d %s\n", cur_fail ? "not " : "", ++num,
		       tests[i].name);
		failed += cur_fail;
	}
	printf("# %d passed, %d failed\n", num - failed, failed);
	return failed ? 1 : 0;
}
