// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest group "proc": process events of cnxx_proc.ko on {CN_IDX_PROC,
 * CN_VAL_PROC}, against what the kernel's drivers/connector/cn_proc.c sends
 * from its hooks in fork, exec, exit, commit_creds(), setsid(), prctl(),
 * /proc/PID/comm, ptrace and get_signal().
 *
 * The layout oracle is the C library's <linux/cn_proc.h>; the repository's
 * <cnxx/cnxx_proc.h> is used only for what 6.1's header lacks (struct
 * proc_input, PROC_EVENT_NONZERO_EXIT). Every message received is checked
 * in full: cn_msg header, cpu, timestamp, per-CPU sequence numbers, and the
 * whole event_data union against the expected event. Actions run in child
 * processes; a child's own exit event ends the wait for what it caused.
 *
 * Run as root with cnxx.ko and cnxx_proc.ko loaded and nobody else
 * listening (the listener count is checked).
 */
#include "vmtest.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/cn_proc.h>
#include <cnxx/cnxx_proc.h>

/* The repository's copy of the layout is the C library's, field by field. */
#define SAME_AT(k, c) \
	_Static_assert(offsetof(struct proc_event, k) == \
		       offsetof(struct cnxx_proc_event, c), #k)
_Static_assert(sizeof(struct proc_event) == 40, "proc_event");
_Static_assert(sizeof(struct proc_event) == sizeof(struct cnxx_proc_event),
	       "cnxx_proc_event");
SAME_AT(event_data, event_data);
SAME_AT(event_data.id.r.ruid, event_data.id.real);
SAME_AT(event_data.id.e.euid, event_data.id.effective);
SAME_AT(event_data.comm.comm, event_data.comm.comm);
SAME_AT(event_data.exit.parent_tgid, event_data.exit.parent_tgid);
_Static_assert(sizeof(struct cnxx_proc_input) == 8, "proc_input");

#define EV_LEN		((uint16_t)sizeof(struct proc_event))
#define PE_CPUS		256
#define PE_LOG		512
#define NO_EXIT_SIGNAL	0xffffffffu	/* a thread's exit_signal, -1 */

/* NULL; not static, so that the compiler makes a real store through it. */
int *pe_nowhere;

static int pe_filters;		/* 6.6+: proc_input, per-socket state */
static unsigned int pe_ncpus;
static pid_t me;		/* the test process: pid == tgid */

/* ---- sockets and what they receive ---------------------------------- */

/* One message as received: the cn_msg header and the event. */
struct pe_msg {
	struct cn_msg hdr;
	struct proc_event ev;
};

struct pe_sock {
	int fd;
	const char *name;
	int listening;		/* sent LISTEN (6.1: IGNORE before close) */
	int all;		/* gets every message: seq checked per CPU */
	uint8_t seen[PE_CPUS];
	uint32_t seq[PE_CPUS];
	uint64_t ts[PE_CPUS];
};

struct pe_log {
	struct pe_msg m[PE_LOG];
	int n;
};

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + t.tv_nsec;
}

static const char *what_name(uint32_t what)
{
	switch (what) {
	case PROC_EVENT_NONE: return "none";
	case PROC_EVENT_FORK: return "fork";
	case PROC_EVENT_EXEC: return "exec";
	case PROC_EVENT_UID: return "uid";
	case PROC_EVENT_GID: return "gid";
	case PROC_EVENT_SID: return "sid";
	case PROC_EVENT_PTRACE: return "ptrace";
	case PROC_EVENT_COMM: return "comm";
	case PROC_EVENT_COREDUMP: return "coredump";
	case PROC_EVENT_EXIT: return "exit";
	}
	return "?";
}

/* The event's fields by kind; the whole union as words after them. */
static const char *ev_str(const struct proc_event *ev)
{
	static char bufs[2][200];
	static unsigned int k;
	char *b = bufs[k++ % 2];
	const uint32_t *w = (const uint32_t *)&ev->event_data;
	int n;

	n = snprintf(b, sizeof(bufs[0]), "%s", what_name(ev->what));
	if (ev->what == PROC_EVENT_COMM)
		n += snprintf(b + n, sizeof(bufs[0]) - n, " %d/%d \"%.16s\"",
			      ev->event_data.comm.process_pid,
			      ev->event_data.comm.process_tgid,
			      ev->event_data.comm.comm);
	snprintf(b + n, sizeof(bufs[0]) - n,
		 " [%d %d %d %d %d %d] (0x%x 0x%x 0x%x 0x%x 0x%x 0x%x)",
		 w[0], w[1], w[2], w[3], w[4], w[5], w[0], w[1], w[2], w[3],
		 w[4], w[5]);
	return b;
}

/*
 * Receives one message into *@m within @ms and checks what every message
 * of cn_proc.c carries: framing, id {1,1}, len 40, flags 0, ack 0 for
 * events, cpu of this machine, a timestamp not in the future, and on a
 * socket that gets everything, per CPU, seq one more than the last and
 * (for events, stamped with preemption off) a timestamp not earlier.
 * 1: received (a wrong cpu, timestamp or seq is reported, and the event
 * still judged by its content), 0: nothing came, -1: not a process event
 * (reported).
 */
static int pe_recv(struct pe_sock *s, int ms, struct pe_msg *m)
{
	const struct cn_msg *cn;
	uint32_t cpu;
	int r;

	r = rx_wait(s->fd, ms, s->name);
	if (r <= 0)
		return r;
	cn = rx_cn(s->name);
	if (!cn)
		return -1;
	memset(m, 0, sizeof(*m));
	memcpy(&m->hdr, cn, CN_HDR);
	memcpy(&m->ev, cn->data, cn->len < EV_LEN ? cn->len : EV_LEN);
	if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC ||
	    cn->len != EV_LEN || cn->flags ||
	    (m->ev.what != PROC_EVENT_NONE && cn->ack)) {
		FAIL("%s: bad header: %s", s->name, rx_str());
		return -1;
	}
	if (!m->ev.timestamp_ns || m->ev.timestamp_ns > now_ns())
		FAIL("%s: %s: timestamp %llu, now %llu", s->name,
		     ev_str(&m->ev), (unsigned long long)m->ev.timestamp_ns,
		     (unsigned long long)now_ns());
	cpu = m->ev.cpu;
	if (cpu >= pe_ncpus || cpu >= PE_CPUS) {
		FAIL("%s: %s on cpu %u of %u", s->name, ev_str(&m->ev), cpu,
		     pe_ncpus);
		return 1;
	}
	if (s->all && s->seen[cpu] && cn->seq != s->seq[cpu] + 1)
		FAIL("%s: %s: seq %u on cpu %u after %u", s->name,
		     ev_str(&m->ev), cn->seq, cpu, s->seq[cpu]);
	if (s->all && s->seen[cpu] && m->ev.what != PROC_EVENT_NONE &&
	    m->ev.timestamp_ns < s->ts[cpu])
		FAIL("%s: %s: timestamp %llu on cpu %u after %llu", s->name,
		     ev_str(&m->ev), (unsigned long long)m->ev.timestamp_ns,
		     cpu, (unsigned long long)s->ts[cpu]);
	s->seen[cpu] = 1;
	s->seq[cpu] = cn->seq;
	if (m->ev.what != PROC_EVENT_NONE)
		s->ts[cpu] = m->ev.timestamp_ns;
	return 1;
}

/* Sends @len bytes to {CN_IDX_PROC, CN_VAL_PROC} with @seq and @ack. */
static int pe_send(int fd, uint32_t seq, uint32_t ack, const void *data,
		   size_t len)
{
	return nl_send(fd, tx.b, cn_put(tx.b, CN_IDX_PROC, CN_VAL_PROC, seq,
					 ack, data, len, 0, seq));
}

static int pe_op(int fd, uint32_t op, uint32_t ack)
{
	return pe_send(fd, next_seq(), ack, &op, sizeof(op));
}

/*
 * Waits on @s for the ack of a request sent with @ack: a NONE event whose
 * cn_msg.ack is @ack + 1 and whose union holds @err and zeros. Other
 * messages are passed over.
 */
static void pe_expect_ack(struct pe_sock *s, uint32_t ack, uint32_t err,
			  const char *what)
{
	struct proc_event want;
	struct pe_msg m;
	int r;

	memset(&want, 0, sizeof(want));
	want.event_data.ack.err = err;
	while ((r = pe_recv(s, TIMEOUT_MS, &m)) != 0) {
		if (r < 0 || m.ev.what != PROC_EVENT_NONE ||
		    m.hdr.ack != ack + 1)
			continue;
		if (memcmp(&m.ev.event_data, &want.event_data,
			   sizeof(want.event_data)))
			FAIL("%s: ack %s, want err %u", what, ev_str(&m.ev),
			     err);
		return;
	}
	FAIL("%s: no ack (ack %u) on %s", what, ack + 1, s->name);
}

/* No ack (NONE event) may arrive on @s within @ms. */
static void pe_expect_no_ack(struct pe_sock *s, int ms, const char *what)
{
	struct pe_msg m;
	int r;

	while ((r = pe_recv(s, ms, &m)) != 0)
		if (r > 0 && m.ev.what == PROC_EVENT_NONE)
			FAIL("%s: unexpected ack %s (cn_msg ack %u)", what,
			     ev_str(&m.ev), m.hdr.ack);
}

/* A socket in group CN_IDX_PROC that has sent nothing. */
static int pe_join(struct pe_sock *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->fd = nl_open(CN_IDX_PROC);
	return s->fd < 0 ? -1 : 0;
}

/* pe_join() and LISTEN for all events, acked on the socket itself. */
static int pe_listen(struct pe_sock *s, const char *name)
{
	uint32_t ack = next_seq();

	if (pe_join(s, name) || pe_op(s->fd, PROC_CN_MCAST_LISTEN, ack))
		return -1;
	s->listening = 1;
	s->all = 1;
	pe_expect_ack(s, ack, 0, name);
	return cur_fail ? -1 : 0;
}

/*
 * 6.1 counts LISTENs, not sockets: a listener says IGNORE before it goes.
 * 6.6+ counts a closed socket out by itself.
 */
static void pe_close(struct pe_sock *s)
{
	if (s->fd >= 0 && s->listening && !pe_filters)
		pe_op(s->fd, PROC_CN_MCAST_IGNORE, 0);
	close_fd(&s->fd);
	s->listening = 0;
}

static int pe_read_status(struct cnxx_proc_status *st)
{
	int err = cnxx_read_proc_status(CNXX_PROC_STATUS_PATH, st);

	if (err)
		FAIL("%s: %s", CNXX_PROC_STATUS_PATH, errname(err));
	return err;
}

static long long pe_listeners(void)
{
	struct cnxx_proc_status st;

	return pe_read_status(&st) ? -1000 : (long long)st.listeners;
}

static void expect_listeners(long long want, const char *what)
{
	long long got = pe_listeners();

	if (got != want)
		FAIL("%s: listeners %lld, want %lld", what, got, want);
}

/* ---- children ---------------------------------------------------------- */

/* A child: its pid and the read end of the pipe it reports through. */
struct kid {
	pid_t pid;
	int rd;
	int reaped, status;
};

#define NO_KID { -1, -1, 0, 0 }

/*
 * Forks a child that runs @fn(@wr, @arg) and exits 0, or 1 after a
 * failure; @fn may exit by itself.
 */
static int kid_start(struct kid *k, void (*fn)(int wr, void *arg), void *arg)
{
	int p[2];

	k->pid = -1;
	k->rd = -1;
	k->reaped = 0;
	if (pipe2(p, O_CLOEXEC)) {
		FAIL("pipe: %s", strerror(errno));
		return -1;
	}
	fflush(stdout);
	k->pid = fork();
	if (k->pid < 0) {
		FAIL("fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (!k->pid) {
		close(p[0]);
		cur_fail = 0;
		alarm(20);
		fn(p[1], arg);
		fflush(stdout);
		_exit(cur_fail ? 1 : 0);
	}
	close(p[1]);
	k->rd = p[0];
	return 0;
}

/* Reads @n ints the child reported; 0, or -1 (reported). */
static int kid_read(struct kid *k, int *vals, int n)
{
	struct pollfd p = { .fd = k->rd, .events = POLLIN };
	size_t got = 0, want = n * sizeof(int);
	ssize_t r;

	while (got < want) {
		if (poll(&p, 1, 5000) <= 0)
			break;
		r = read(k->rd, (char *)vals + got, want - got);
		if (r <= 0)
			break;
		got += r;
	}
	if (got != want) {
		FAIL("child %d reported %zu of %zu bytes", k->pid, got, want);
		return -1;
	}
	return 0;
}

static void report(int wr, const int *vals, int n)
{
	if (write(wr, vals, n * sizeof(int)) != (ssize_t)(n * sizeof(int)))
		FAIL("reporting to the parent: %s", strerror(errno));
}

/* Reaps the child (once); its wait status, or -1. */
static int kid_wait(struct kid *k)
{
	close_fd(&k->rd);
	if (k->pid <= 0)
		return -1;
	if (k->reaped)
		return k->status;
	if (waitpid(k->pid, &k->status, 0) != k->pid) {
		FAIL("waitpid %d: %s", k->pid, strerror(errno));
		return -1;
	}
	k->reaped = 1;
	return k->status;
}

/* A child that was started must exit 0. */
static void kid_wait_ok(struct kid *k)
{
	int status;

	if (k->pid <= 0)
		return;
	status = kid_wait(k);
	if (status != 0)
		FAIL("child %d: wait status 0x%x, want 0", k->pid, status);
}

/* ---- events, expected and found --------------------------------------- */

static pid_t ev_pid(const struct proc_event *ev)
{
	return ev->what == PROC_EVENT_FORK ? ev->event_data.fork.child_pid :
					     ev->event_data.exec.process_pid;
}

/*
 * Receives on @s into @log until the exit events of all @n @pids came,
 * then for QUIET_MS more (what the exits may follow or precede).
 */
static void pe_collect(struct pe_sock *s, struct pe_log *log,
		       const pid_t *pids, int n)
{
	int i, left = n, done[8] = { 0 };
	struct pe_msg m;
	int r;

	while (left && (r = pe_recv(s, TIMEOUT_MS, &m)) != 0) {
		if (r < 0)
			continue;
		if (log->n < PE_LOG)
			log->m[log->n++] = m;
		if (m.ev.what != PROC_EVENT_EXIT)
			continue;
		for (i = 0; i < n; i++) {
			if (!done[i] && ev_pid(&m.ev) == pids[i]) {
				done[i] = 1;
				left--;
			}
		}
	}
	for (i = 0; i < n; i++)
		if (!done[i])
			FAIL("%s: no exit event of %d", s->name, pids[i]);
	while ((r = pe_recv(s, QUIET_MS, &m)) != 0)
		if (r > 0 && log->n < PE_LOG)
			log->m[log->n++] = m;
	if (log->n == PE_LOG)
		FAIL("%s: more than %d events", s->name, PE_LOG);
}

static void pe_collect1(struct pe_sock *s, struct pe_log *log, pid_t pid)
{
	pe_collect(s, log, &pid, 1);
}

/* Index of the @nth (from 0) event of kind @what for task @pid, or -1. */
static int pe_find(const struct pe_log *log, uint32_t what, pid_t pid,
		   int nth)
{
	int i;

	for (i = 0; i < log->n; i++)
		if (log->m[i].ev.what == what && ev_pid(&log->m[i].ev) == pid &&
		    !nth--)
			return i;
	return -1;
}

static int pe_count(const struct pe_log *log, uint32_t what, pid_t pid)
{
	int n = 0;

	while (pe_find(log, what, pid, n) >= 0)
		n++;
	return n;
}

/*
 * The @nth event of @want's kind and task must be @want, every byte of the
 * union. Returns its index, or -1 (reported).
 */
static int pe_expect_nth(const struct pe_log *log,
			 const struct proc_event *want, int nth,
			 const char *what)
{
	int i = pe_find(log, want->what, ev_pid(want), nth);

	if (i < 0) {
		FAIL("%s: no event %s", what, ev_str(want));
		return -1;
	}
	if (memcmp(&log->m[i].ev.event_data, &want->event_data,
		   sizeof(want->event_data))) {
		FAIL("%s: got %s", what, ev_str(&log->m[i].ev));
		FAIL("%s: want %s", what, ev_str(want));
	}
	return i;
}

static int pe_expect(const struct pe_log *log, const struct proc_event *want,
		     const char *what)
{
	return pe_expect_nth(log, want, 0, what);
}

/* Exactly @n events of kind @what for task @pid. */
static void pe_expect_count(const struct pe_log *log, uint32_t what,
			    pid_t pid, int n, const char *desc)
{
	int got = pe_count(log, what, pid);

	if (got != n)
		FAIL("%s: %d %s events of %d, want %d", desc, got,
		     what_name(what), pid, n);
}

/* Event @a came before event @b (both found). */
static void pe_expect_order(int a, int b, const char *what)
{
	if (a >= 0 && b >= 0 && a >= b)
		FAIL("%s: event %d came after event %d", what, a, b);
}

static struct proc_event ev_fork(pid_t ppid, pid_t ptgid, pid_t pid,
				 pid_t tgid)
{
	struct proc_event e;

	memset(&e, 0, sizeof(e));
	e.what = PROC_EVENT_FORK;
	e.event_data.fork.parent_pid = ppid;
	e.event_data.fork.parent_tgid = ptgid;
	e.event_data.fork.child_pid = pid;
	e.event_data.fork.child_tgid = tgid;
	return e;
}

/* The kinds whose union starts with pid and tgid, and two more words. */
static struct proc_event ev_pair(uint32_t what, pid_t pid, pid_t tgid,
				 uint32_t a, uint32_t b)
{
	struct proc_event e;

	memset(&e, 0, sizeof(e));
	e.what = what;
	e.event_data.ptrace.process_pid = pid;
	e.event_data.ptrace.process_tgid = tgid;
	e.event_data.ptrace.tracer_pid = a;
	e.event_data.ptrace.tracer_tgid = b;
	return e;
}

static struct proc_event ev_exit(pid_t pid, pid_t tgid, uint32_t code,
				 uint32_t sig, pid_t ppid, pid_t ptgid)
{
	struct proc_event e;

	memset(&e, 0, sizeof(e));
	e.what = PROC_EVENT_EXIT;
	e.event_data.exit.process_pid = pid;
	e.event_data.exit.process_tgid = tgid;
	e.event_data.exit.exit_code = code;
	e.event_data.exit.exit_signal = sig;
	e.event_data.exit.parent_pid = ppid;
	e.event_data.exit.parent_tgid = ptgid;
	return e;
}

static struct proc_event ev_comm(pid_t pid, pid_t tgid, const char *comm)
{
	struct proc_event e;

	memset(&e, 0, sizeof(e));
	e.what = PROC_EVENT_COMM;
	e.event_data.comm.process_pid = pid;
	e.event_data.comm.process_tgid = tgid;
	/* as get_task_comm(): at most 15 characters, NUL-padded */
	memcpy(e.event_data.comm.comm, comm,
	       strnlen(comm, sizeof(e.event_data.comm.comm) - 1));
	return e;
}

/* The exit of a child of the test process that exited with @code. */
static int expect_exit_of_kid(const struct pe_log *log, pid_t pid,
			      uint32_t code, const char *what)
{
	struct proc_event e = ev_exit(pid, pid, code, SIGCHLD, me, me);

	return pe_expect(log, &e, what);
}

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* A thread that runs @fn(@arg) and is joined. */
static void run_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	int err = pthread_create(&t, NULL, fn, arg);

	if (err) {
		FAIL("pthread_create: %s", strerror(err));
		return;
	}
	pthread_join(t, NULL);
}

/* ======================================================================= */
/* the cases                                                               */
/* ======================================================================= */

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

static void *thr_fork(void *arg)
{
	int wr = *(int *)arg, v[2];
	pid_t g;

	v[0] = gettid_();
	g = fork();
	if (!g)
		_exit(0);
	v[1] = g;
	if (g < 0 || waitpid(g, NULL, 0) != g)
		FAIL("fork or wait in a thread: %s", strerror(errno));
	report(wr, v, 2);
	return NULL;
}

static void kid_fork_family(int wr __maybe_unused, void *arg __maybe_unused)
{
	run_thread(thr_fork, &wr);
}

/*
 * A process, a thread (its parent is the process's real parent, as
 * copy_process() makes it for CLONE_THREAD) and a process forked by that
 * thread (parent pid: the thread's).
 */
void t_proc_fork(void)
{
	struct pe_log *log = calloc(1, sizeof(*log));
	struct pe_sock s;
	struct proc_event e;
	struct kid k;
	int v[2], a, b, c;

	if (!log || pe_listen(&s, "listener"))
		goto out;
	if (kid_start(&k, kid_fork_family, NULL) || kid_read(&k, v, 2))
		goto out_wait;
	pe_collect1(&s, log, k.pid);
	e = ev_fork(me, me, k.pid, k.pid);
	a = pe_expect(log, &e, "fork of a process");
	e = ev_fork(me, me, v[0], k.pid);
	b = pe_expect(log, &e, "fork of a thread");
	e = ev_fork(v[0], k.pid, v[1], v[1]);
	c = pe_expect(log, &e, "fork by a thread");
	pe_expect_order(a, b, "process before its thread");
	pe_expect_order(b, c, "thread before its child");
	e = ev_exit(v[1], v[1], 0, SIGCHLD, v[0], k.pid);
	pe_expect_order(c, pe_expect(log, &e, "exit of the thread's child"),
			"fork before exit");
	e = ev_exit(v[0], k.pid, 0, NO_EXIT_SIGNAL, 0, 0);
	pe_expect(log, &e, "exit of the thread");
	pe_expect_order(a, expect_exit_of_kid(log, k.pid, 0, "exit"),
			"fork before exit");
	pe_expect_count(log, PROC_EVENT_FORK, k.pid, 1, "process");
	pe_expect_count(log, PROC_EVENT_FORK, v[0], 1, "thread");
out_wait:
	kid_wait_ok(&k);
out:
	pe_close(&s);
	free(log);
}

static void kid_exec(int wr __maybe_unused, void *arg __maybe_unused)
{
	execl("/bin/busybox", "true", (char *)NULL);
	FAIL("exec /bin/busybox: %s", strerror(errno));
}

/* exec: pid and tgid; the comm it changes gives no comm event. */
void t_proc_exec(void)
{
	struct pe_log *log = calloc(1, sizeof(*log));
	struct pe_sock s;
	struct proc_event e;
	struct kid k;
	int a;

	if (!log || pe_listen(&s, "listener"))
		goto out;
	if (kid_start(&k, kid_exec, NULL))
		goto out;
	pe_collect1(&s, log, k.pid);
	e = ev_pair(PROC_EVENT_EXEC, k.pid, k.pid, 0, 0);
	a = pe_expect(log, &e, "exec");
	pe_expect_count(log, PROC_EVENT_EXEC, k.pid, 1, "exec");
	pe_expect_count(log, PROC_EVENT_COMM, k.pid, 0, "exec");
	pe_expect_order(a, expect_exit_of_kid(log, k.pid, 0, "exit"),
			"exec before exit");
	kid_wait_ok(&k);
out:
	pe_close(&s);
	free(log);
}

static void kid_exit3(int wr __maybe_unused, void *arg __maybe_unused)
{
	_exit(3);
}

static void kid_pause(int wr __maybe_unused, void *arg __maybe_unused)
{
	for (;;)
		pause();
}

static void *thr_report_tid(void *arg)
{
	int tid = gettid_();

	report(*(int *)arg, &tid, 1);
	return NULL;
}

static void kid_thread_exit(int wr __maybe_unused, void *arg __maybe_unused)
{
	run_thread(thr_report_tid, &wr);
}

static void on_sigchld(int sig __maybe_unused)
{
}

/* Its parent ignores SIGCHLD, then sets SA_NOCLDWAIT: both reaped at exit. */
static void kid_reaped_children(int wr __maybe_unused, void *arg __maybe_unused)
{
	struct sigaction sa = { .sa_handler = on_sigchld,
				.sa_flags = SA_NOCLDWAIT | SA_RESTART };
	int v[2];

	signal(SIGCHLD, SIG_IGN);
	v[0] = fork();
	if (!v[0])
		_exit(0);
	/* blocks until the child is gone, then ECHILD */
	if (wait(NULL) != -1 || errno != ECHILD)
		FAIL("wait with SIGCHLD ignored: %s", strerror(errno));
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	v[1] = fork();
	if (!v[1])
		_exit(4);
	if (wait(NULL) != -1 || errno != ECHILD)
		FAIL("wait with SA_NOCLDWAIT: %s", strerror(errno));
	report(wr, v, 2);
}

/*
 * exit codes as wait() sees them, exit_signal, and the parent: the real
 * parent when it will wait, 0 when the task is released at its exit (a
 * thread; a child of a parent that does not wait).
 */
void t_proc_exit(void)
{
	struct pe_log *log = calloc(1, sizeof(*log));
	struct kid k[4] = { NO_KID, NO_KID, NO_KID, NO_KID };
	pid_t pids[4];
	struct pe_sock s;
	struct proc_event e;
	int tid = 0, v[2] = { 0, 0 }, i;

	if (!log || pe_listen(&s, "listener"))
		goto out;
	if (kid_start(&k[0], kid_exit3, NULL) ||
	    kid_start(&k[1], kid_pause, NULL) ||
	    kid_start(&k[2], kid_thread_exit, NULL) ||
	    kid_start(&k[3], kid_reaped_children, NULL))
		goto out_wait;
	kill(k[1].pid, SIGTERM);
	if (kid_read(&k[2], &tid, 1) || kid_read(&k[3], v, 2))
		goto out_wait;
	for (i = 0; i < 4; i++)
		pids[i] = k[i].pid;
	pe_collect(&s, log, pids, 4);
	expect_exit_of_kid(log, k[0].pid, 3 << 8, "exit(3)");
	expect_exit_of_kid(log, k[1].pid, SIGTERM, "killed by SIGTERM");
	pe_expect_count(log, PROC_EVENT_COREDUMP, k[1].pid, 0, "SIGTERM");
	e = ev_exit(tid, k[2].pid, 0, NO_EXIT_SIGNAL, 0, 0);
	pe_expect(log, &e, "exit of a thread");
	expect_exit_of_kid(log, k[2].pid, 0, "exit after its thread");
	e = ev_exit(v[0], v[0], 0, SIGCHLD, 0, 0);
	pe_expect(log, &e, "exit, parent ignores SIGCHLD");
	e = ev_exit(v[1], v[1], 4 << 8, SIGCHLD, 0, 0);
	pe_expect(log, &e, "exit, parent has SA_NOCLDWAIT");
	expect_exit_of_kid(log, k[3].pid, 0, "exit");
	for (i = 0; i < 4; i++)
		pe_expect_count(log, PROC_EVENT_EXIT, k[i].pid, 1, "exits");
out_wait:
	for (i = 0; i < 4; i++) {
		if (k[i].pid > 0 && i == 1)
			kill(k[i].pid, SIGKILL);
		kid_wait(&k[i]);
	}
out:
	pe_close(&s);
	free(log);
}


/* A thread that waits until it is let go: its tid is known at once. */
struct park {
	pthread_t t;
	int tid;
	int ready[2], go[2];
};

static void *thr_park(void *arg)
{
	struct park *p = arg;
	char c = 0;

	p->tid = gettid_();
	if (write(p->ready[1], &c, 1) != 1 || read(p->go[0], &c, 1) != 1)
		FAIL("parked thread: %s", strerror(errno));
	return NULL;
}

static int park_start(struct park *p)
{
	char c;

	if (pipe(p->ready) || pipe(p->go) ||
	    pthread_create(&p->t, NULL, thr_park, p) ||
	    read(p->ready[0], &c, 1) != 1) {
		FAIL("parked thread: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void park_end(struct park *p)
{
	char c = 0;

	if (write(p->go[1], &c, 1) != 1)
		FAIL("parked thread: %s", strerror(errno));
	pthread_join(p->t, NULL);
}

static int write_comm(const char *path, const char *name)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, name, strlen(name)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/*
 * prctl(PR_SET_NAME), a name cut to 15 characters, writes to the comm of
 * a thread of its own group and of itself; a write to another process's
 * comm fails with EINVAL.
 */
static void kid_comm(int wr __maybe_unused, void *arg __maybe_unused)
{
	struct park p;
	char path[64];
	int err;

	if (park_start(&p))
		return;
	report(wr, &p.tid, 1);
	if (prctl(PR_SET_NAME, "pe-prctl") ||
	    prctl(PR_SET_NAME, "pe-0123456789abcdefghij"))
		FAIL("prctl(PR_SET_NAME): %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", p.tid);
	err = write_comm(path, "pe-thread");
	if (err)
		FAIL("write %s: %s", path, errname(err));
	err = write_comm("/proc/self/comm", "pe-self");
	if (err)
		FAIL("write /proc/self/comm: %s", errname(err));
	snprintf(path, sizeof(path), "/proc/%d/comm", getppid());
	err = write_comm(path, "pe-other");
	if (err != -EINVAL)
		FAIL("write %s: %s, want EINVAL", path, errname(err));
	park_end(&p);
}

void t_proc_comm(void)
{
	struct pe_log *log = calloc(1, sizeof(*log));
	struct pe_sock s;
	struct proc_event e;
	struct kid k;
	int tid, a, b, c;

	if (!log || pe_listen(&s, "listener"))
		goto out;
	if (kid_start(&k, kid_comm, NULL))
		goto out;
	if (kid_read(&k, &tid, 1))
		goto out_wait;
	pe_collect1(&s, log, k.pid);
	e = ev_comm(k.pid, k.pid, "pe-prctl");
	a = pe_expect_nth(log, &e, 0, "prctl(PR_SET_NAME)");
	e = ev_comm(k.pid, k.pid, "pe-0123456789ab");
	b = pe_expect_nth(log, &e, 1, "a name of 23 characters");
	e = ev_comm(tid, k.pid, "pe-thread");
	pe_expect(log, &e, "/proc/self/task/TID/comm");
	e = ev_comm(k.pid, k.pid, "pe-self");
	c = pe_expect_nth(log, &e, 2, "/proc/self/comm");
	pe_expect_order(a, b, "renames in order");
	pe_expect_order(b, c, "renames in order");
	pe_expect_count(log, PROC_EVENT_COMM, k.pid, 3, "renames");
	pe_expect_count(log, PROC_EVENT_COMM, tid, 1, "renames of the thread");
	pe_expect_count(log, PROC_EVENT_COMM, me, 0,
			"a write to another process's comm");
	expect_exit_of_kid(log, k.pid, 0, "exit");
out_wait:
	kid_wait_ok(&k);
out:
	pe_close(&s);
	free(log);
}

#define CHECK0(call)							\
	do {								\
		if (call)						\
			FAIL("%s: %s", #call, strerror(errno));	\
	} while (0)

/*
 * Credentials: an event for each commit_creds() that changes a uid (or
 * gid) of the four, with the real and effective ones; none for calls that
 * change nothing or only the groups.
 */
static void kid_ids(int wr __maybe_unused, void *arg __maybe_unused)
{
	CHECK0(setgroups(0, NULL));
	CHECK0(setuid(0));
	CHECK0(setgid(0));
	CHECK0(setresuid(-1, -1, -1));
	CHECK0(setresgid(0, 0, 0));
	setfsuid(5);			/* fsuid only: ruid and euid stay */
	setfsuid(0);
	CHECK0(setresgid(1000, 1001, 1002));
	CHECK0(setgid(1003));
	CHECK0(setresuid(2000, 2001, 0));
	CHECK0(seteuid(0));		/* allowed: the saved uid is 0 */
	CHECK0(setuid(65534));
}

void t_proc_ids(void)
{
	static const struct {
		uint32_t what, real, eff;
	} want[] = {
		{ PROC_EVENT_UID, 0, 0 },	/* setfsuid(5) */
		{ PROC_EVENT_UID, 0, 0 },	/* setfsuid(0) */
		{ PROC_EVENT_GID, 1000, 1001 },
		{ PROC_EVENT_GID, 1003, 1003 },
		{ PROC_EVENT_UID, 2000, 2001 },
		{ PROC_EVENT_UID, 2000, 0 },
		{ PROC_EVENT_UID, 65534, 65534 },
	};
	struct pe_log *log = calloc(1, sizeof(*log));
	struct pe_sock s;
	struct proc_event e;
	struct kid k;
	int i, j, n = 0, last = -1;

	if (!log || pe_listen(&s, "listener"))
		goto out;
	if (kid_start(&k, kid_ids, NULL))
		goto out;
	pe_collect1(&s, log, k.pid);
	/* in order, UID and GID events of the child together */
	for (i = 0; i < log->n; i++) {
		const struct proc_event *ev = &log->m[i].ev;

		if ((ev->what != PROC_EVENT_UID &&
		     ev->what != PROC_EVENT_GID) || ev_pid(ev) != k.pid)
			continue;
		j = n++;
		if (j >= (int)ARRAY_SIZE(want)) {
			FAIL("id event %d: %s, want none", j, ev_str(ev));
			continue;
		}
		e = ev_pair(want[j].what, k.pid, k.pid, want[j].real,
			    want[j].eff);
		if (memcmp(&e, ev, offsetof(struct proc_event, cpu)) ||
		    memcmp(&e.event_data, &ev->event_data,
			   sizeof(e.event_data)))
			FAIL("id event %d: got %s, want %s", j, ev_str(ev),
			     ev_str(&e));
		last = i;
	}
	if (n != ARRAY_SIZE(want))
		FAIL("%d uid/gid events, want %zu", n, ARRAY_SIZE(want));
	pe_expect_order(last, expect_exit_of_kid(log, k.pid, 0, "exit"),
			"ids before exit");
	kid_wait_ok(&k);
out:
	pe_close(&s);
	free(log);
}

/* setsid() twice: a new session, then EPERM (a session leader already). */
static void kid_setsid(int wr __maybe_unused, void *arg __maybe_unused)
{
	if (setsid() != getpid())
		FAIL("setsid: %s", strerror(errno));
	if (setsid() != -1 || errno != EPERM)
		FAIL("second setsid: %s, want EPERM", strerror(errno));
}

/* A process group leader cannot start a session. */
static void kid_setsid_pgrp(int wr __maybe_unused, void *arg __maybe_unused)
{
	CHECK0(setpgid(0, 0));
	if (setsid() != -1 || errno != EPERM)
		FAIL("setsid of a group leader: %s, want EPERM",
		     strerror(errno));
}

static void *thr_setsid(void *arg)
{
	int tid = gettid_();

	report(*(int *)arg, &tid, 1);
	if (setsid() != getpid())
		FAIL("setsid in a thread: %s", strerror(errno));
	return NULL;
}

/* setsid() in a thread makes the whole group's leader the session's. */
static void kid_setsid_thread(int wr __maybe_unused, void *arg __maybe_unused)
{
	run_thread(thr_setsid, &wr);
}

void t_proc_sid(void)
{
	struct pe_log *log = calloc(1, sizeof(*log));
	struct kid k[3] = { NO_KID, NO_KID, NO_KID };
	struct pe_sock s;
	struct proc_event e;
	pid_t pids[3];
	int i, tid;

	if (!log || pe_listen(&s, "listener"))
		goto out;
	if (kid_start(&k[0], kid_setsid, NULL) ||
	    kid_start(&k[1], kid_setsid_pgrp, NULL) ||
	    kid_start(&k[2], kid_setsid_thread, NULL) ||
	    kid_read(&k[2], &tid, 1))
		goto out_wait;
	for (i = 0; i < 3; i++)
		pids[i] = k[i].pid;
	pe_collect(&s, log, pids, 3);
	e = ev_pair(PROC_EVENT_SID, k[0].pid, k[0].pid, 0, 0);
	pe_expect_order(pe_expect(log, &e, "setsid"),
			expect_exit_of_kid(log, k[0].pid, 0, "exit"),
			"sid before exit");
	pe_expect_count(log, PROC_EVENT_SID, k[0].pid, 1,
			"setsid, then a failing one");
	pe_expect_count(log, PROC_EVENT_SID, k[1].pid, 0,
			"setsid of a process group leader");
	e = ev_pair(PROC_EVENT_SID, k[2].pid, k[2].pid, 0, 0);
	pe_expect(log, &e, "setsid in a thread");
	pe_expect_count(log, PROC_EVENT_SID, k[2].pid, 1, "setsid in a thread");
	pe_expect_count(log, PROC_EVENT_SID, tid, 0, "setsid in a thread");
out_wait:
	for (i = 0; i < 3; i++)
		kid_wait_ok(&k[i]);
out:
	pe_close(&s);
	free(log);
}

/* Waits for the tracee @pid to stop; 0 or -1 (reported). */
static int wait_stopped(pid_t pid, const char *what)
{
	int status;

	if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status)) {
		FAIL("%s: waitpid %d: %s, status 0x%x", what, pid,
		     strerror(errno), status);
		return -1;
	}
	return 0;
}

/*
 * From a thread of the tracer: PTRACE_ATTACH, PTRACE_DETACH, PTRACE_SEIZE
 * (stopped by PTRACE_INTERRUPT), PTRACE_DETACH, and an attach that fails.
 */
static void *thr_trace(void *arg)
{
	int *a = arg, wr = a[0], tid = gettid_();
	pid_t pid = a[1];

	report(wr, &tid, 1);
	if (ptrace(PTRACE_ATTACH, pid, 0, 0) || wait_stopped(pid, "attach") ||
	    ptrace(PTRACE_DETACH, pid, 0, 0)) {
		FAIL("attach/detach %d: %s", pid, strerror(errno));
		return NULL;
	}
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) ||
	    ptrace(PTRACE_INTERRUPT, pid, 0, 0) ||
	    wait_stopped(pid, "seize") || ptrace(PTRACE_DETACH, pid, 0, 0))
		FAIL("seize/detach %d: %s", pid, strerror(errno));
	/* its own thread group: EPERM, no event */
	if (!ptrace(PTRACE_ATTACH, getpid(), 0, 0) || errno != EPERM)
		FAIL("attach to its own process: %s, want EPERM",
		     strerror(errno));
	return NULL;
}

static void kid_tracer(int wr __maybe_unused, void *arg __maybe_unused)
{
	int a[2] = { wr, *(pid_t *)arg };

	run_thread(thr_trace, a);
}

static void kid_traceme(int wr __maybe_unused, void *arg __maybe_unused)
{
	CHECK0(ptrace(PTRACE_TRACEME, 0, 0, 0));
}

/* Tracer pid/tgid: the tracing thread's on attach and seize, 0 on detach. */
void t_proc_ptrace(void)
{
	struct pe_log *log = calloc(1, sizeof(*log));
	struct kid tracee = NO_KID, tracer = NO_KID, self = NO_KID;
	struct pe_sock s;
	struct proc_event e;
	pid_t pids[2];
	int tid, i[4];

	if (!log || pe_listen(&s, "listener"))
		goto out;
	if (kid_start(&tracee, kid_pause, NULL) ||
	    kid_start(&tracer, kid_tracer, &tracee.pid) ||
	    kid_read(&tracer, &tid, 1))
		goto out_wait;
	if (kid_wait(&tracer) != 0)
		FAIL("tracer failed");
	kill(tracee.pid, SIGKILL);
	if (kid_wait(&tracee) != SIGKILL)
		FAIL("tracee did not die of SIGKILL");
	if (kid_start(&self, kid_traceme, NULL))
		goto out_wait;
	pids[0] = tracer.pid;
	pids[1] = self.pid;
	pe_collect(&s, log, pids, 2);
	e = ev_pair(PROC_EVENT_PTRACE, tracee.pid, tracee.pid, tid, tracer.pid);
	i[0] = pe_expect_nth(log, &e, 0, "PTRACE_ATTACH");
	i[2] = pe_expect_nth(log, &e, 2, "PTRACE_SEIZE");
	e = ev_pair(PROC_EVENT_PTRACE, tracee.pid, tracee.pid, 0, 0);
	i[1] = pe_expect_nth(log, &e, 1, "PTRACE_DETACH");
	i[3] = pe_expect_nth(log, &e, 3, "PTRACE_DETACH after seize");
	pe_expect_order(i[0], i[1], "ptrace events in order");
	pe_expect_order(i[1], i[2], "ptrace events in order");
	pe_expect_order(i[2], i[3], "ptrace events in order");
	pe_expect_count(log, PROC_EVENT_PTRACE, tracee.pid, 4, "tracee");
	pe_expect_count(log, PROC_EVENT_PTRACE, tracer.pid, 0,
			"a failed attach");
	pe_expect_count(log, PROC_EVENT_PTRACE, self.pid, 0, "PTRACE_TRACEME");
	expect_exit_of_kid(log, self.pid, 0, "exit of a traced child");
out_wait:
	if (tracee.pid > 0)
		kill(tracee.pid, SIGKILL);
	kid_wait(&tracer);
	kid_wait(&tracee);
	kid_wait(&self);
out:
	pe_close(&s);
	free(log);
}

static void kid_segv(int wr __maybe_unused, void *arg __maybe_unused)
{
	signal(SIGSEGV, SIG_DFL);
	*pe_nowhere = 1;
}

static void on_segv(int sig __maybe_unused)
{
	_exit(5);
}

static void kid_segv_handled(int wr __maybe_unused, void *arg __maybe_unused)
{
	signal(SIGSEGV, on_segv);
	raise(SIGSEGV);
}

static void *thr_segv(void *arg)
{
	int tid = gettid_();

	report(*(int *)arg, &tid, 1);
	*pe_nowhere = 1;
	return NULL;
}

static void kid_segv_thread(int wr __maybe_unused, void *arg __maybe_unused)
{
	run_thread(thr_segv, &wr);
}

/*
 * A fatal signal that dumps core by default: a coredump event from the
 * thread that takes it, before that thread's exit event; exit code 11
 * without 0x80 (no CONFIG_COREDUMP). None for SIGTERM or a handled signal.
 */
void t_proc_coredump(void)
{
	struct pe_log *log = calloc(1, sizeof(*log));
	struct kid k[4] = { NO_KID, NO_KID, NO_KID, NO_KID };
	struct pe_sock s;
	struct proc_event e;
	pid_t pids[4];
	int i, tid = 0;

	if (!log || pe_listen(&s, "listener"))
		goto out;
	if (kid_start(&k[0], kid_segv, NULL) ||
	    kid_start(&k[1], kid_pause, NULL) ||
	    kid_start(&k[2], kid_segv_handled, NULL) ||
	    kid_start(&k[3], kid_segv_thread, NULL) ||
	    kid_read(&k[3], &tid, 1))
		goto out_wait;
	kill(k[1].pid, SIGTERM);
	for (i = 0; i < 4; i++)
		pids[i] = k[i].pid;
	pe_collect(&s, log, pids, 4);
	e = ev_pair(PROC_EVENT_COREDUMP, k[0].pid, k[0].pid, me, me);
	pe_expect_order(pe_expect(log, &e, "SIGSEGV"),
			expect_exit_of_kid(log, k[0].pid, SIGSEGV, "SIGSEGV"),
			"coredump before exit");
	pe_expect_count(log, PROC_EVENT_COREDUMP, k[0].pid, 1, "SIGSEGV");
	expect_exit_of_kid(log, k[1].pid, SIGTERM, "SIGTERM");
	pe_expect_count(log, PROC_EVENT_COREDUMP, k[1].pid, 0, "SIGTERM");
	expect_exit_of_kid(log, k[2].pid, 5 << 8, "handled SIGSEGV");
	pe_expect_count(log, PROC_EVENT_COREDUMP, k[2].pid, 0,
			"handled SIGSEGV");
	/* a thread's real parent is its process's */
	e = ev_pair(PROC_EVENT_COREDUMP, tid, k[3].pid, me, me);
	i = pe_expect(log, &e, "SIGSEGV in a thread");
	e = ev_exit(tid, k[3].pid, SIGSEGV, NO_EXIT_SIGNAL, 0, 0);
	pe_expect_order(i, pe_expect(log, &e, "exit of the faulting thread"),
			"coredump before exit");
	expect_exit_of_kid(log, k[3].pid, SIGSEGV, "exit of its process");
	pe_expect_count(log, PROC_EVENT_COREDUMP, k[3].pid, 0,
			"the other thread");
out_wait:
	for (i = 0; i < 4; i++) {
		if (k[i].pid > 0 && i == 1)
			kill(k[i].pid, SIGKILL);
		kid_wait(&k[i]);
	}
out:
	pe_close(&s);
	free(log);
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

static void kid_exit0(int wr __maybe_unused, void *arg __maybe_unused)
{
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

/* Everything @s got, without waiting for more than QUIET_MS. */
static void pe_drain(struct pe_sock *s, struct pe_log *log)
{
	struct pe_msg m;
	int r;

	while ((r = pe_recv(s, QUIET_MS, &m)) != 0)
		if (r > 0 && log->n < PE_LOG)
			log->m[log->n++] = m;
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

/* Called by main before the group runs. */
void proc_setup(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	me = getpid();
	pe_ncpus = (unsigned int)sysconf(_SC_NPROCESSORS_CONF);
	if (!uname(&u))
		sscanf(u.release, "%d.%d", &major, &minor);
	pe_filters = major > 6 || (major == 6 && minor >= 6);
}
