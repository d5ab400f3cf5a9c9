// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest - in-VM tests of a kernel connector (cnxx.ko or the kernel's cn.ko)
 * driven through NETLINK_CONNECTOR sockets and cnxx_testmod.ko.
 *
 * Frames and control requests come from libcnxx; what the kernel sends is
 * checked byte by byte against the uapi layout (vmtest_lib.c). One file per
 * group (vmtest_base.c, vmtest_cnxx.c, vmtest_notify.c); built by
 * scripts/build-user.sh.
 *
 * Usage: vmtest [--list] [NAME|GROUP...]   (default: all but "post")
 * Groups: base   behaviour of the kernel's own connector (passes on cn.ko)
 *         cnxx   cnxx additions: acks, several messages per datagram,
 *                send_mult validation, /proc/net/cnxx*
 *         notify registration notifications
 *         post   run after "rmmod cnxx_testmod": nothing is left behind
 *         proc   process events of cnxx_proc.ko (vmtest_proc*.c)
 *         groups more than 32 groups, cnxx loaded with groups=1024
 *                (vmtest_groups.c)
 * Output is KTAP version 1, one top-level test per scenario; the exit
 * status is 0 only if every selected test passed. Run as root, with
 * cnxx.ko and cnxx_testmod.ko loaded (see README).
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

/* ======================================================================= */
/* post: after rmmod cnxx_testmod                                          */
/* ======================================================================= */

void t_after_unload(void)
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
	  "send_mult with sizes not adding up: -EINVAL in debug builds, else sent" },
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
	{ "groups_members", G_GROUPS, t_groups_members,
	  "1000 sockets in groups 25..1024, one message each" },
	{ "groups_beyond", G_GROUPS, t_groups_beyond,
	  "after the last group: -ESRCH to send, EINVAL to join" },
	{ "groups_unpriv", G_GROUPS, t_groups_unpriv,
	  "uid 65534 joins group 1 on 6.6+, nothing else" },
	{ "groups_notify", G_GROUPS, t_groups_notify,
	  "notifications to the last group" },
	{ "after_unload", G_POST, t_after_unload,
	  "after rmmod cnxx_testmod: its ids are gone" },
	{ "proc_sources", G_PROC, t_proc_sources,
	  "every event kind has its hook; nobody listens yet" },
	{ "proc_fork", G_PROC, t_proc_fork,
	  "fork of a process, of a thread, by a thread: real parents" },
	{ "proc_exec", G_PROC, t_proc_exec, "exec event; no comm event" },
	{ "proc_exit", G_PROC, t_proc_exit,
	  "exit codes, exit_signal, parent 0 when released at exit" },
	{ "proc_comm", G_PROC, t_proc_comm,
	  "PR_SET_NAME, /proc/.../comm of its own group; not of others" },
	{ "proc_ids", G_PROC, t_proc_ids,
	  "uid/gid events for changes only, real and effective ids" },
	{ "proc_sid", G_PROC, t_proc_sid,
	  "setsid: the group leader's event; none when it fails" },
	{ "proc_ptrace", G_PROC, t_proc_ptrace,
	  "attach and seize: the tracer; detach: 0; none for TRACEME" },
	{ "proc_ptrace32", G_PROC, t_proc_ptrace32,
	  "a 32-bit tracer's attach and seize (compat ptrace) are reported" },
	{ "proc_ptrace_waiting", G_PROC, t_proc_ptrace_waiting,
	  "64 attaches waiting on an exec: an attach elsewhere is reported" },
	{ "proc_coredump", G_PROC, t_proc_coredump,
	  "coredump before exit for SIGSEGV; none for SIGTERM" },
	{ "proc_acks", G_PROC, t_proc_acks,
	  "acks: err, ack + 1; unknown op EINVAL; wrong sizes ignored" },
	{ "proc_unpriv_eperm", G_PROC, t_proc_unpriv_eperm,
	  "6.1: LISTEN without CAP_NET_ADMIN is acked EPERM" },
	{ "proc_unpriv_listen", G_PROC, t_proc_unpriv_listen,
	  "6.6+: uid 65534 listens and gets events" },
	{ "proc_filter", G_PROC, t_proc_filter,
	  "6.6+: proc_input filters, NONZERO_EXIT, IGNORE" },
	{ "proc_listeners", G_PROC, t_proc_listeners,
	  "the listener count: per socket (6.6+) or per request (6.1)" },
	{ "proc_quiet", G_PROC, t_proc_quiet,
	  "nobody listening: nothing is sent" },
	{ "proc_toggle", G_PROC, t_proc_toggle,
	  "LISTEN+IGNORE loop: no text patching (CAL/TLB IPIs)" },
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
	{ "proc", G_PROC },
	{ "groups", G_GROUPS },
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
		"groups: all (default: base cnxx notify), base, cnxx, notify, post, proc,\n"
		"        groups\n");
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
	proc_setup();
	printf("KTAP version 1\n1..%d\n", n);
	for (i = 0; i < NTESTS; i++) {
		if (!sel[i])
			continue;
		cur_fail = 0;
		cur_skip = NULL;
		tests[i].fn();
		close_fd(&cmd_fd);	/* no stale replies across tests */
		if (cur_skip && !cur_fail)
			printf("ok %d %s # SKIP %s\n", ++num, tests[i].name,
			       cur_skip);
		else
			printf("%sok %d %s\n", cur_fail ? "not " : "", ++num,
			       tests[i].name);
		failed += cur_fail;
	}
	printf("# %d passed, %d failed\n", num - failed, failed);
	return failed ? 1 : 0;
}
