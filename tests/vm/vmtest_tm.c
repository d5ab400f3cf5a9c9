// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest helpers: commands to cnxx_testmod.ko, the proc files, an
 * unprivileged child.
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

/* ---- the test module -------------------------------------------------- */

/* Runs a command; 0 with *@res filled, -1 if the module did not answer. */
int tm_cmd(struct cnxx_test_cmd *cmd, struct cnxx_test_result *res)
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
int tm_send(uint32_t idx, uint32_t val, uint32_t portid, uint32_t group,
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
void expect_rc(const struct cnxx_test_result *res, uint32_t count,
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

int tm_simple(uint32_t op, uint32_t idx, uint32_t val)
{
	struct cnxx_test_cmd cmd = { .op = op, .idx = idx, .val = val };
	struct cnxx_test_result res;

	if (tm_cmd(&cmd, &res))
		return -ETIMEDOUT;
	return res.err;
}

int tm_register(uint32_t idx, uint32_t val)
{
	int err = tm_simple(CNXX_TEST_OP_REGISTER, idx, val);

	EXPECT(!err, "register {%u,%u}: %s", idx, val, errname(err));
	return err;
}

int tm_unregister(uint32_t idx, uint32_t val)
{
	int err = tm_simple(CNXX_TEST_OP_UNREGISTER, idx, val);

	EXPECT(!err, "unregister {%u,%u}: %s", idx, val, errname(err));
	return err;
}

int tm_counters(uint32_t *val)
{
	struct cnxx_test_cmd cmd = { .op = CNXX_TEST_OP_COUNTERS };
	struct cnxx_test_result res;

	if (tm_cmd(&cmd, &res))
		return -1;
	memcpy(val, res.val, sizeof(res.val));
	return 0;
}

/*
 * Reads the test module's counters into @val, then opens a socket without
 * groups; the socket, or -1. The command socket is the process's first,
 * so the new one never gets the pid as its port.
 */
int tm_counters_then_open(uint32_t *val)
{
	return tm_counters(val) ? -1 : nl_open(0);
}

/* Confirms the module still answers after hostile input. */
void expect_alive(void)
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

char *read_file(const char *path)
{
	static char buf[256 * 1024];
	size_t len;
	char *text;
	int err = cnxx_read_file(path, &text, &len);

	if (err) {
		FAIL("%s: %s", path, strerror(-err));
		return NULL;
	}
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, text, len);
	buf[len] = 0;
	free(text);
	return buf;
}

/* How many lines of /proc/net/connector are exactly @line. */
int proc_count(const char *text, const char *line)
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

void proc_line(char *buf, size_t n, const char *name, uint32_t idx,
	       uint32_t val)
{
	snprintf(buf, n, "%-15s %u:%u", name, idx, val);
}

/* Reads key @key of /proc/net/cnxx_stats; -1 if missing. */
long long stat_get(const char *key)
{
	uint64_t value;
	int err = cnxx_read_stat(CNXX_STATS_PATH, key, &value);

	if (err) {
		FAIL("%s: key %s: %s", CNXX_STATS_PATH, key, errname(err));
		return -1;
	}
	return (long long)value;
}

/* Finds the /proc/net/cnxx row of {@idx,@val}; 0 if found. */
int cb_row_get(uint32_t idx, uint32_t val, struct cb_row *row)
{
	char *text = read_file("/proc/net/cnxx");
	struct cnxx_cb_entry *e = NULL;
	size_t i, n = 0;
	int err;

	if (!text)
		return -1;
	err = cnxx_parse_callbacks(text, strlen(text), &e, &n);
	for (i = 0; !err && i < n; i++) {
		if (e[i].id.idx != idx || e[i].id.val != val)
			continue;
		snprintf(row->name, sizeof(row->name), "%s", e[i].name);
		row->idx = idx;
		row->val = val;
		row->group = e[i].group;
		row->delivered = e[i].delivered;
		row->dropped = e[i].dropped;
		row->send_errors = e[i].send_errors;
		free(e);
		return 0;
	}
	free(e);
	FAIL("/proc/net/cnxx: no row for %u:%u (%s)", idx, val, errname(err));
	return -1;
}

/* ---- unprivileged child ----------------------------------------------- */

/*
 * Runs @fn as uid/gid 65534 in a child; its diagnostics go to stdout, its
 * failure to the parent's result.
 */
void run_unprivileged(void (*fn)(void))
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
