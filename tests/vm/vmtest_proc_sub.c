// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest group "proc", subscriptions: the event sources of this kernel,
 * LISTEN/IGNORE and their acks, privileges (6.1: CAP_NET_ADMIN), 6.6+
 * proc_input filters, the listener count, and silence without listeners.
 *
 * Run as root with cnxx.ko and cnxx_proc.ko loaded and nobody else
 * listening (the listener count is checked).
 */
#include "vmtest_proc.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Each kind of event has its hook on this kernel. */
void t_proc_sources(void)
{
	static const char *const kinds[] = {
		"fork", "exec", "exit", "comm", "uid", "gid", "sid", "ptrace",
		"coredump",
	};
	const struct cnxx_proc_source *src;
	struct cnxx_proc_status st;
	size_t i;

	if (pe_read_status(&st))
		return;
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		src = cnxx_proc_source_find(&st, kinds[i]);
		if (!src || !src->available)
			FAIL("event %s: %s", kinds[i],
			     src ? "not given by this kernel" : "no line");
		else
			diag("%-8s %s", src->event, src->hook);
	}
	if (st.n_sources != ARRAY_SIZE(kinds))
		FAIL("%zu event lines, want %zu", st.n_sources,
		     ARRAY_SIZE(kinds));
	if (st.listeners != 0)
		FAIL("listeners %lld before the tests, want 0",
		     (long long)st.listeners);
}

/*
 * Acks, seen by a second listener: LISTEN and IGNORE (err 0), an unknown
 * op (EINVAL, nothing changes), requests of a wrong size (no ack, nothing
 * changes). cn_msg.ack is the request's + 1.
 */
void t_proc_acks(void)
{
	static const uint8_t junk[12] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
	struct pe_sock obs, a;
	uint32_t ack;
	long long l0;

	a.fd = -1;
	if (pe_listen(&obs, "observer"))
		goto out;
	l0 = pe_listeners();
	if (pe_join(&a, "requester"))
		goto out;
	ack = 0x12345678;
	pe_op(a.fd, PROC_CN_MCAST_LISTEN, ack);
	a.listening = 1;
	pe_expect_ack(&obs, ack, 0, "LISTEN");
	expect_listeners(l0 + 1, "after LISTEN");
	ack = 0xfffffffe;
	pe_op(a.fd, 7, ack);
	pe_expect_ack(&obs, ack, EINVAL, "op 7");
	expect_listeners(l0 + 1, "after op 7");
	pe_send(a.fd, next_seq(), 1, junk, 3);
	pe_send(a.fd, next_seq(), 2, junk, 12);
	pe_send(a.fd, next_seq(), 3, junk, 0);
	if (!pe_filters)	/* a proc_input is 6.6's */
		pe_send(a.fd, next_seq(), 4, junk, 8);
	pe_expect_no_ack(&obs, QUIET_MS, "requests of a wrong size");
	expect_listeners(l0 + 1, "after requests of a wrong size");
	ack = 0;
	pe_op(a.fd, PROC_CN_MCAST_IGNORE, ack);
	a.listening = 0;
	pe_expect_ack(&obs, ack, 0, "IGNORE");
	expect_listeners(l0, "after IGNORE");
out:
	pe_close(&a);
	pe_close(&obs);
}

/* 6.1: without CAP_NET_ADMIN, LISTEN and IGNORE are refused (EPERM). */
static void unpriv_refused(void)
{
	struct pe_sock s;
	int g = CN_IDX_PROC;

	s.fd = nl_open(0);
	s.name = "unprivileged";
	if (s.fd < 0)
		return;
	if (!setsockopt(s.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g,
			sizeof(g)) || errno != EPERM)
		FAIL("joining group 1 without CAP_NET_ADMIN: %s, want EPERM",
		     strerror(errno));
	pe_op(s.fd, PROC_CN_MCAST_LISTEN, 0x6101);
	pe_op(s.fd, PROC_CN_MCAST_IGNORE, 0x6102);
	close(s.fd);
}

void t_proc_unpriv_eperm(void)
{
	struct pe_sock obs;
	long long l0;

	if (pe_filters) {
		SKIP("6.6+ lets everyone listen");
		return;
	}
	if (pe_listen(&obs, "observer"))
		return;
	l0 = pe_listeners();
	run_unprivileged(unpriv_refused);
	pe_expect_ack(&obs, 0x6101, EPERM, "unprivileged LISTEN");
	pe_expect_ack(&obs, 0x6102, EPERM, "unprivileged IGNORE");
	expect_listeners(l0, "after refused requests");
	pe_close(&obs);
}


/* 6.6+: uid 65534 listens and gets events. */
static void unpriv_listen(void)
{
	struct pe_log *log = calloc(1, sizeof(*log));
	struct proc_event e;
	struct pe_sock s;
	struct kid k;

	if (!log || pe_listen(&s, "unprivileged"))
		goto out;
	if (kid_start(&k, kid_exit0, NULL))
		goto out;
	pe_collect1(&s, log, k.pid);
	e = ev_fork(getpid(), getpid(), k.pid, k.pid);
	pe_expect(log, &e, "fork seen by uid 65534");
	e = ev_exit(k.pid, k.pid, 0, SIGCHLD, getpid(), getpid());
	pe_expect(log, &e, "exit seen by uid 65534");
	kid_wait_ok(&k);
out:
	pe_close(&s);
	free(log);
}

void t_proc_unpriv_listen(void)
{
	long long l0 = pe_listeners();

	if (!pe_filters) {
		SKIP("6.1 needs CAP_NET_ADMIN");
		return;
	}
	run_unprivileged(unpriv_listen);
	expect_listeners(l0, "after the unprivileged listener closed");
}

/* A LISTEN with a proc_input filter; no ack is awaited (filtered). */
static int pe_listen_input(struct pe_sock *s, const char *name,
			   uint32_t events)
{
	struct cnxx_proc_input in = { PROC_CN_MCAST_LISTEN, events };

	if (pe_join(s, name) || pe_send(s->fd, next_seq(), 0, &in, sizeof(in)))
		return -1;
	s->listening = 1;
	return 0;
}

/* The events of @log: only @what for task @pid, @n of them. */
static void expect_only(const struct pe_log *log, pid_t pid, uint32_t what,
			int n, const char *desc)
{
	int i, got = 0;

	for (i = 0; i < log->n; i++) {
		if (log->m[i].ev.what != what) {
			FAIL("%s: got %s", desc, ev_str(&log->m[i].ev));
			continue;
		}
		got += ev_pid(&log->m[i].ev) == pid;
	}
	if (got != n)
		FAIL("%s: %d %s events of %d, want %d", desc, got,
		     what_name(what), pid, n);
}

/* Forks, renames itself, and reaps a child that exits 0 and one that exits 2. */
static void kid_filter_mix(int wr __maybe_unused, void *arg __maybe_unused)
{
	pid_t c[2];
	int i;

	prctl(PR_SET_NAME, "pe-filter");
	for (i = 0; i < 2; i++) {
		c[i] = fork();
		if (!c[i])
			_exit(i * 2);
		if (c[i] < 0 || waitpid(c[i], NULL, 0) != c[i])
			FAIL("fork/wait: %s", strerror(errno));
	}
	report(wr, c, 2);
}

/*
 * 6.6+ filters (cn_filter()): EXIT only; NONZERO_EXIT alone (exits with
 * code 0 dropped); no known bit (all); IGNORE (nothing). A member of the
 * group that never subscribed gets everything.
 */
void t_proc_filter(void)
{
	struct pe_log *all = calloc(1, sizeof(*all));
	struct pe_log *l[5];
	struct pe_sock obs, exits, nonzero, nobits, ign, joined;
	struct pe_sock *socks[5] = { &exits, &nonzero, &nobits, &ign, &joined };
	struct kid k = NO_KID;
	struct proc_event e;
	int c[2], i;

	for (i = 0; i < 5; i++) {
		l[i] = calloc(1, sizeof(*l[i]));
		socks[i]->fd = -1;
	}
	obs.fd = -1;
	if (!pe_filters) {
		SKIP("6.1 has no proc_input");
		goto out;
	}
	if (!all || !l[4] || pe_listen(&obs, "observer") ||
	    pe_listen_input(&exits, "EXIT only", PROC_EVENT_EXIT) ||
	    pe_listen_input(&nonzero, "NONZERO_EXIT only",
			    CNXX_PROC_EVENT_NONZERO_EXIT) ||
	    pe_listen_input(&nobits, "no known bit", 0x400) ||
	    pe_listen(&ign, "ignoring") || pe_join(&joined, "joined only"))
		goto out;
	nobits.all = 1;
	joined.all = 1;
	pe_op(ign.fd, PROC_CN_MCAST_IGNORE, 0);
	for (i = 0; i < 5; i++)		/* acks so far */
		pe_drain(socks[i], l[i]);
	for (i = 0; i < 5; i++)
		l[i]->n = 0;
	if (kid_start(&k, kid_filter_mix, NULL) || kid_read(&k, c, 2))
		goto out;
	pe_collect1(&obs, all, k.pid);
	for (i = 0; i < 5; i++)
		pe_drain(socks[i], l[i]);
	e = ev_comm(k.pid, k.pid, "pe-filter");
	pe_expect(all, &e, "rename seen by the observer");

	expect_only(l[0], k.pid, PROC_EVENT_EXIT, 1, "EXIT only");
	e = ev_exit(c[0], c[0], 0, SIGCHLD, k.pid, k.pid);
	pe_expect(l[0], &e, "EXIT only: exit 0");
	e = ev_exit(c[1], c[1], 2 << 8, SIGCHLD, k.pid, k.pid);
	pe_expect(l[0], &e, "EXIT only: exit 2");

	expect_only(l[1], k.pid, PROC_EVENT_EXIT, 0, "NONZERO_EXIT only");
	pe_expect(l[1], &e, "NONZERO_EXIT only: exit 2");
	pe_expect_count(l[1], PROC_EVENT_EXIT, c[0], 0,
			"NONZERO_EXIT only: exit 0");
	pe_expect_count(l[1], PROC_EVENT_EXIT, c[1], 1,
			"NONZERO_EXIT only: exit 2");

	for (i = 2; i < 5; i += 2) {
		const char *who = socks[i]->name;

		e = ev_fork(me, me, k.pid, k.pid);
		pe_expect(l[i], &e, who);
		e = ev_comm(k.pid, k.pid, "pe-filter");
		pe_expect(l[i], &e, who);
		e = ev_exit(c[1], c[1], 2 << 8, SIGCHLD, k.pid, k.pid);
		pe_expect(l[i], &e, who);
		expect_exit_of_kid(l[i], k.pid, 0, who);
	}
	for (i = 0; i < l[3]->n; i++)
		FAIL("ignoring socket got %s", ev_str(&l[3]->m[i].ev));
out:
	kid_wait_ok(&k);
	for (i = 0; i < 5; i++) {
		pe_close(socks[i]);
		free(l[i]);
	}
	pe_close(&obs);
	free(all);
}

/*
 * 6.6+: one count per listening socket. LISTEN twice counts once, IGNORE
 * and closing count out, an unknown op changes nothing; a flood of
 * requests from many sockets ends at the number of sockets listening.
 */
static void listeners_6_6(long long l0)
{
	enum { N = 24, ROUNDS = 400 };
	struct pe_sock s[N];
	uint8_t on[N] = { 0 };
	uint32_t x = 12345;
	int i, r, n = 0;

	for (i = 0; i < N; i++)
		if (pe_join(&s[i], "flood"))
			return;
	pe_op(s[0].fd, PROC_CN_MCAST_IGNORE, 0);
	expect_listeners(l0, "IGNORE before any LISTEN");
	pe_op(s[0].fd, PROC_CN_MCAST_LISTEN, 0);
	pe_op(s[0].fd, PROC_CN_MCAST_LISTEN, 0);
	expect_listeners(l0 + 1, "LISTEN twice on one socket");
	pe_op(s[0].fd, 7, 0);
	expect_listeners(l0 + 1, "unknown op");
	pe_op(s[0].fd, PROC_CN_MCAST_IGNORE, 0);
	pe_op(s[0].fd, PROC_CN_MCAST_IGNORE, 0);
	expect_listeners(l0, "IGNORE twice");
	pe_op(s[0].fd, PROC_CN_MCAST_LISTEN, 0);
	close_fd(&s[0].fd);
	expect_listeners(l0, "a listener closed without IGNORE");
	pe_join(&s[0], "flood");
	for (r = 0; r < ROUNDS && !cur_fail; r++) {
		x = x * 1103515245 + 12345;
		i = (x >> 8) % N;
		if ((x >> 20) & 1) {
			pe_op(s[i].fd, PROC_CN_MCAST_LISTEN, r);
			n += !on[i];
			on[i] = 1;
		} else {
			pe_op(s[i].fd, PROC_CN_MCAST_IGNORE, r);
			n -= on[i];
			on[i] = 0;
		}
		if (r % 20 == 0)
			expect_listeners(l0 + n, "during the flood");
	}
	expect_listeners(l0 + n, "after the flood");
	diag("%d of %d sockets listening after %d requests", n, N, ROUNDS);
	for (i = 0; i < N; i++)
		close_fd(&s[i].fd);
	expect_listeners(l0, "after closing them all");
}

/* 6.1: one global count of LISTENs less IGNOREs, never below 0. */
static void listeners_6_1(long long l0)
{
	struct pe_sock s;
	int i;

	if (l0) {
		FAIL("listeners %lld, want 0 to start", l0);
		return;
	}
	if (pe_join(&s, "requester"))
		return;
	for (i = 0; i < 3; i++) {
		pe_op(s.fd, PROC_CN_MCAST_IGNORE, 0);
		expect_listeners(0, "IGNORE without LISTEN");
	}
	pe_op(s.fd, PROC_CN_MCAST_LISTEN, 0);
	pe_op(s.fd, PROC_CN_MCAST_LISTEN, 0);
	expect_listeners(2, "LISTEN twice (6.1 counts requests)");
	pe_op(s.fd, 7, 0);
	expect_listeners(2, "unknown op");
	for (i = 0; i < 3; i++)
		pe_op(s.fd, PROC_CN_MCAST_IGNORE, 0);
	expect_listeners(0, "IGNORE three times");
	close_fd(&s.fd);
}

void t_proc_listeners(void)
{
	long long l0 = pe_listeners();

	if (l0 < 0)
		FAIL("listeners %lld", l0);
	else if (pe_filters)
		listeners_6_6(l0);
	else
		listeners_6_1(l0);
}

static void kid_busy(int wr __maybe_unused, void *arg __maybe_unused)
{
	struct kid k;
	int i;

	prctl(PR_SET_NAME, "pe-quiet");
	CHECK0(setgid(1));
	if (setsid() < 0)
		FAIL("setsid: %s", strerror(errno));
	for (i = 0; i < 10; i++) {
		if (kid_start(&k, i % 2 ? kid_exec : kid_exit3, NULL))
			return;
		kid_wait(&k);
	}
}

/*
 * With nobody listening nothing is sent: the counters stand while
 * processes fork, exec, rename, change ids and exit, and a member of the
 * group gets nothing.
 */
void t_proc_quiet(void)
{
	struct cnxx_proc_status st0, st1;
	struct pe_sock joined;
	struct kid k;
	size_t i;

	if (pe_read_status(&st0))
		return;
	if (st0.listeners) {
		FAIL("listeners %lld, want 0", (long long)st0.listeners);
		return;
	}
	if (pe_join(&joined, "joined only"))
		return;
	if (kid_start(&k, kid_busy, NULL))
		goto out;
	kid_wait_ok(&k);
	expect_quiet(joined.fd, QUIET_MS, "nobody listening");
	if (pe_read_status(&st1))
		goto out;
	for (i = 0; i < st0.n_sources && i < st1.n_sources; i++)
		if (st0.sources[i].sent != st1.sources[i].sent)
			FAIL("%s: sent went from %llu to %llu",
			     st0.sources[i].event,
			     (unsigned long long)st0.sources[i].sent,
			     (unsigned long long)st1.sources[i].sent);
out:
	close_fd(&joined.fd);
}

/* Function-call and TLB-shootdown IPIs so far, all CPUs: CAL + TLB lines. */
static long long ipis(void)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char line[1024], name[16];
	long long sum = 0, v;
	int off, n;

	if (!f) {
		FAIL("/proc/interrupts: %s", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %15[^:]:%n", name, &off) != 1 ||
		    (strcmp(name, "CAL") && strcmp(name, "TLB")))
			continue;
		for (char *p = line + off; sscanf(p, "%lld%n", &v, &n) == 1; p += n)
			sum += v;
	}
	fclose(f);
	return sum;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

#define TOGGLES 200
#define FORKS 100

/* Microseconds per fork and reap of a child that exits at once. */
static double fork_us(void)
{
	double t0 = now_s();
	int i;

	for (i = 0; i < FORKS; i++) {
		pid_t pid = fork();

		if (!pid)
			_exit(0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	return (now_s() - t0) * 1e6 / FORKS;
}

static atomic_int toggle_stop;

static void on_stop(int sig __maybe_unused)
{
	toggle_stop = 1;
}

/* Until SIGUSR1, and always ending with IGNORE: 6.1 counts requests. */
static void kid_toggle(int wr __maybe_unused, void *arg __maybe_unused)
{
	int fd = nl_open(CN_IDX_PROC);

	while (!toggle_stop) {
		pe_op(fd, PROC_CN_MCAST_LISTEN, 0);
		pe_op(fd, PROC_CN_MCAST_IGNORE, 0);
	}
	close_fd(&fd);
}

/*
 * LISTEN and IGNORE over and over (any user may on 6.6+) must not make the
 * kernel patch its text: no function-call or TLB IPIs beyond the idle
 * machine's. Prints the rates and what a fork costs meanwhile.
 */
void t_proc_toggle(void)
{
	long long i0, i1;
	double t0, t1, idle_us, busy_us;
	struct kid k;
	int fd, i;

	if (pe_listeners() != 0) {
		FAIL("listeners %lld, want 0", pe_listeners());
		return;
	}
	fd = nl_open(CN_IDX_PROC);
	if (fd < 0)
		return;
	i0 = ipis();
	t0 = now_s();
	for (i = 0; i < TOGGLES; i++) {
		CHECK0(pe_op(fd, PROC_CN_MCAST_LISTEN, 0));
		CHECK0(pe_op(fd, PROC_CN_MCAST_IGNORE, 0));
	}
	t1 = now_s();
	i1 = ipis();
	close_fd(&fd);
	printf("# %d LISTEN+IGNORE in %.3f s: %.0f per s, %lld CAL+TLB IPIs, %.0f per s\n",
	       TOGGLES, t1 - t0, TOGGLES / (t1 - t0), i1 - i0,
	       (i1 - i0) / (t1 - t0));
	if (i1 - i0 > TOGGLES / 2)
		FAIL("%lld CAL+TLB IPIs for %d LISTEN+IGNORE: text patching",
		     i1 - i0, TOGGLES);
	fork_us();	/* warm-up */
	idle_us = fork_us();
	toggle_stop = 0;
	signal(SIGUSR1, on_stop);
	if (kid_start(&k, kid_toggle, NULL))
		return;
	busy_us = fork_us();
	kill(k.pid, SIGUSR1);
	kid_wait(&k);
	signal(SIGUSR1, SIG_DFL);
	printf("# fork+exit+wait: %.0f us, then %.0f us alone; %.0f us beside a LISTEN+IGNORE loop\n",
	       idle_us, fork_us(), busy_us);
	expect_listeners(0, "after the loop");
}
