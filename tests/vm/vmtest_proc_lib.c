// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest group "proc", what its cases share (vmtest_proc.h): every message
 * received is checked in full: cn_msg header, cpu, timestamp, per-CPU
 * sequence numbers, and the whole event_data union against the expected
 * event. Actions run in child processes; a child's own exit event ends the
 * wait for what it caused.
 */
#include "vmtest_proc.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

int pe_filters;
pid_t me;
static unsigned int pe_ncpus;

/* ---- sockets and what they receive ---------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + t.tv_nsec;
}

const char *what_name(uint32_t what)
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
const char *ev_str(const struct proc_event *ev)
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
int pe_send(int fd, uint32_t seq, uint32_t ack, const void *data, size_t len)
{
	return nl_send(fd, tx.b, cn_put(tx.b, CN_IDX_PROC, CN_VAL_PROC, seq,
					 ack, data, len, 0, seq));
}

int pe_op(int fd, uint32_t op, uint32_t ack)
{
	return pe_send(fd, next_seq(), ack, &op, sizeof(op));
}

/*
 * Waits on @s for the ack of a request sent with @ack: a NONE event whose
 * cn_msg.ack is @ack + 1 and whose union holds @err and zeros. Other
 * messages are passed over.
 */
void pe_expect_ack(struct pe_sock *s, uint32_t ack, uint32_t err,
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
void pe_expect_no_ack(struct pe_sock *s, int ms, const char *what)
{
	struct pe_msg m;
	int r;

	while ((r = pe_recv(s, ms, &m)) != 0)
		if (r > 0 && m.ev.what == PROC_EVENT_NONE)
			FAIL("%s: unexpected ack %s (cn_msg ack %u)", what,
			     ev_str(&m.ev), m.hdr.ack);
}

/* A socket in group CN_IDX_PROC that has sent nothing. */
int pe_join(struct pe_sock *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->fd = nl_open(CN_IDX_PROC);
	return s->fd < 0 ? -1 : 0;
}

/* pe_join() and LISTEN for all events, acked on the socket itself. */
int pe_listen(struct pe_sock *s, const char *name)
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
void pe_close(struct pe_sock *s)
{
	if (s->fd >= 0 && s->listening && !pe_filters)
		pe_op(s->fd, PROC_CN_MCAST_IGNORE, 0);
	close_fd(&s->fd);
	s->listening = 0;
}

int pe_read_status(struct cnxx_proc_status *st)
{
	int err = cnxx_read_proc_status(CNXX_PROC_STATUS_PATH, st);

	if (err)
		FAIL("%s: %s", CNXX_PROC_STATUS_PATH, errname(err));
	return err;
}

long long pe_listeners(void)
{
	struct cnxx_proc_status st;

	return pe_read_status(&st) ? -1000 : (long long)st.listeners;
}

void expect_listeners(long long want, const char *what)
{
	long long got = pe_listeners();

	if (got != want)
		FAIL("%s: listeners %lld, want %lld", what, got, want);
}

/* Everything @s got, without waiting for more than QUIET_MS. */
void pe_drain(struct pe_sock *s, struct pe_log *log)
{
	struct pe_msg m;
	int r;

	while ((r = pe_recv(s, QUIET_MS, &m)) != 0)
		if (r > 0 && log->n < PE_LOG)
			log->m[log->n++] = m;
}

/* ---- children ---------------------------------------------------------- */

/*
 * Forks a child that runs @fn(@wr, @arg) and exits 0, or 1 after a
 * failure; @fn may exit by itself.
 */
int kid_start(struct kid *k, void (*fn)(int wr, void *arg), void *arg)
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
int kid_read(struct kid *k, int *vals, int n)
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

void report(int wr, const int *vals, int n)
{
	if (write(wr, vals, n * sizeof(int)) != (ssize_t)(n * sizeof(int)))
		FAIL("reporting to the parent: %s", strerror(errno));
}

/* Reaps the child (once); its wait status, or -1. */
int kid_wait(struct kid *k)
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
void kid_wait_ok(struct kid *k)
{
	int status;

	if (k->pid <= 0)
		return;
	status = kid_wait(k);
	if (status != 0)
		FAIL("child %d: wait status 0x%x, want 0", k->pid, status);
}

/*
 * Reaps the @n children of @k, killing @paused first: a case that ended
 * early never sent it the signal it waits for.
 */
void kids_reap(struct kid *k, int n, const struct kid *paused)
{
	int i;

	if (paused->pid > 0)
		kill(paused->pid, SIGKILL);
	for (i = 0; i < n; i++)
		kid_wait(&k[i]);
}

/* Children the cases share: exit 0, exit 3, exec, wait for a signal. */
void kid_exit0(int wr __maybe_unused, void *arg __maybe_unused)
{
}

void kid_exit3(int wr __maybe_unused, void *arg __maybe_unused)
{
	_exit(3);
}

void kid_pause(int wr __maybe_unused, void *arg __maybe_unused)
{
	for (;;)
		pause();
}

void kid_exec(int wr __maybe_unused, void *arg __maybe_unused)
{
	execl("/bin/busybox", "true", (char *)NULL);
	FAIL("exec /bin/busybox: %s", strerror(errno));
}

pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* A thread that runs @fn(@arg) and is joined. */
void run_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	int err = pthread_create(&t, NULL, fn, arg);

	if (err) {
		FAIL("pthread_create: %s", strerror(err));
		return;
	}
	pthread_join(t, NULL);
}

/* ---- events, expected and found --------------------------------------- */

pid_t ev_pid(const struct proc_event *ev)
{
	return ev->what == PROC_EVENT_FORK ? ev->event_data.fork.child_pid :
					     ev->event_data.exec.process_pid;
}

/*
 * Receives on @s into @log until the exit events of all @n @pids came,
 * then for QUIET_MS more (what the exits may follow or precede).
 */
void pe_collect(struct pe_sock *s, struct pe_log *log, const pid_t *pids,
		int n)
{
	int i, left = n, done[PE_COLLECT_MAX] = { 0 };
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
	pe_drain(s, log);
	if (log->n == PE_LOG)
		FAIL("%s: more than %d events", s->name, PE_LOG);
}

void pe_collect1(struct pe_sock *s, struct pe_log *log, pid_t pid)
{
	pe_collect(s, log, &pid, 1);
}

/* pe_collect() until the exits of the @n children of @k. */
void pe_collect_kids(struct pe_sock *s, struct pe_log *log,
		     const struct kid *k, int n)
{
	pid_t pids[PE_COLLECT_MAX];
	int i;

	for (i = 0; i < n; i++)
		pids[i] = k[i].pid;
	pe_collect(s, log, pids, n);
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
int pe_expect_nth(const struct pe_log *log, const struct proc_event *want,
		  int nth, const char *what)
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

int pe_expect(const struct pe_log *log, const struct proc_event *want,
	      const char *what)
{
	return pe_expect_nth(log, want, 0, what);
}

/* Exactly @n events of kind @what for task @pid. */
void pe_expect_count(const struct pe_log *log, uint32_t what, pid_t pid,
		     int n, const char *desc)
{
	int got = pe_count(log, what, pid);

	if (got != n)
		FAIL("%s: %d %s events of %d, want %d", desc, got,
		     what_name(what), pid, n);
}

/* Event @a came before event @b (both found). */
void pe_expect_order(int a, int b, const char *what)
{
	if (a >= 0 && b >= 0 && a >= b)
		FAIL("%s: event %d came after event %d", what, a, b);
}

struct proc_event ev_fork(pid_t ppid, pid_t ptgid, pid_t pid, pid_t tgid)
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
struct proc_event ev_pair(uint32_t what, pid_t pid, pid_t tgid, uint32_t a,
			  uint32_t b)
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

struct proc_event ev_exit(pid_t pid, pid_t tgid, uint32_t code, uint32_t sig,
			  pid_t ppid, pid_t ptgid)
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

struct proc_event ev_comm(pid_t pid, pid_t tgid, const char *comm)
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
int expect_exit_of_kid(const struct pe_log *log, pid_t pid, uint32_t code,
		       const char *what)
{
	struct proc_event e = ev_exit(pid, pid, code, SIGCHLD, me, me);

	return pe_expect(log, &e, what);
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
