// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest group "proc", changes to a living task: comm (prctl(),
 * /proc/PID/comm), uid/gid (commit_creds()), setsid() and ptrace attach
 * and detach, against what the kernel's drivers/connector/cn_proc.c sends
 * from those hooks.
 */
#include "vmtest_proc.h"

#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

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
	int i, tid;

	if (!log || pe_listen(&s, "listener"))
		goto out;
	if (kid_start(&k[0], kid_setsid, NULL) ||
	    kid_start(&k[1], kid_setsid_pgrp, NULL) ||
	    kid_start(&k[2], kid_setsid_thread, NULL) ||
	    kid_read(&k[2], &tid, 1))
		goto out_wait;
	pe_collect_kids(&s, log, k, 3);
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

/* exit status of the 32-bit tracer when this kernel cannot run it */
#define NO_COMPAT 77

static void kid_tracer32(int wr __maybe_unused, void *arg)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", *(pid_t *)arg);
	execl("/cnxx/ptrace32", "ptrace32", pid, (char *)NULL);
	if (errno == ENOEXEC)
		_exit(NO_COMPAT);
	FAIL("exec /cnxx/ptrace32: %s", strerror(errno));
}

/*
 * A 32-bit tracer (compat_sys_ptrace(), which attaches without the native
 * system call): attach and seize report it, detach reports 0.
 */
void t_proc_ptrace32(void)
{
	struct pe_log *log = calloc(1, sizeof(*log));
	struct kid tracee = NO_KID, tracer = NO_KID;
	struct pe_sock s;
	struct proc_event e;
	int status;

	if (!log || pe_listen(&s, "listener"))
		goto out;
	if (kid_start(&tracee, kid_pause, NULL) ||
	    kid_start(&tracer, kid_tracer32, &tracee.pid))
		goto out_wait;
	status = kid_wait(&tracer);
	if (WIFEXITED(status) && WEXITSTATUS(status) == NO_COMPAT) {
		SKIP("this kernel runs no 32-bit programs (no IA32_EMULATION)");
		goto out_wait;
	}
	if (status != 0)
		FAIL("ptrace32 failed: status 0x%x", status);
	kill(tracee.pid, SIGKILL);
	pe_collect1(&s, log, tracer.pid);
	e = ev_pair(PROC_EVENT_PTRACE, tracee.pid, tracee.pid, tracer.pid,
		    tracer.pid);
	pe_expect_nth(log, &e, 0, "PTRACE_ATTACH from 32 bits");
	pe_expect_nth(log, &e, 2, "PTRACE_SEIZE from 32 bits");
	e = ev_pair(PROC_EVENT_PTRACE, tracee.pid, tracee.pid, 0, 0);
	pe_expect_nth(log, &e, 1, "PTRACE_DETACH from 32 bits");
	pe_expect_nth(log, &e, 3, "PTRACE_DETACH after seize from 32 bits");
	pe_expect_count(log, PROC_EVENT_PTRACE, tracee.pid, 4, "tracee");
out_wait:
	if (tracee.pid > 0)
		kill(tracee.pid, SIGKILL);
	kid_wait(&tracer);
	kid_wait(&tracee);
out:
	pe_close(&s);
	free(log);
}

/*
 * A process whose exec waits in de_thread() for a zombie thread that only
 * its tracer (the test) can reap; the exec holds its cred_guard_mutex all
 * the while, so every PTRACE_ATTACH to it waits too, as in the kernel's
 * tools/testing/selftests/ptrace/vmaccess.c, TEST(attach).
 */
static void *thr_traceme(void *arg)
{
	int wr = *(int *)arg, tid = gettid_();

	report(wr, &tid, 1);
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	return NULL;
}

static void kid_stuck_exec(int wr, void *arg __maybe_unused)
{
	run_thread(thr_traceme, &wr);
	execl("/bin/busybox", "true", (char *)NULL);
	FAIL("exec /bin/busybox: %s", strerror(errno));
}

static void kid_attach_waits(int wr __maybe_unused, void *arg)
{
	alarm(0);
	ptrace(PTRACE_ATTACH, *(pid_t *)arg, 0, 0);
}

#define WAITING_ATTACHES 64

/*
 * 64 attaches that wait indefinitely must not take every slot the attach
 * event needs: an attach elsewhere is still reported, and nothing counts
 * as missed.
 */
void t_proc_ptrace_waiting(void)
{
	struct kid *waiting = calloc(WAITING_ATTACHES, sizeof(*waiting));
	struct pe_log *log = calloc(1, sizeof(*log));
	struct kid stuck = NO_KID, tracee = NO_KID, tracer = NO_KID;
	struct cnxx_proc_status st0, st1;
	struct pe_sock s = { .fd = -1 };
	struct proc_event e;
	int i, n = 0, tid, zombie = -1, status;

	if (!waiting || !log || pe_listen(&s, "listener") ||
	    kid_start(&stuck, kid_stuck_exec, NULL) ||
	    kid_read(&stuck, &zombie, 1))
		goto out;
	usleep(300 * 1000);	/* the thread exits; the exec begins */
	for (n = 0; n < WAITING_ATTACHES; n++)
		if (kid_start(&waiting[n], kid_attach_waits, &stuck.pid))
			break;
	usleep(500 * 1000);
	for (i = 0; i < n; i++)
		if (waitpid(waiting[i].pid, &status, WNOHANG) == waiting[i].pid) {
			/* A kernel whose exec lets attaches fail at once. */
			waiting[i].reaped = 1;
			printf("# attach %d returned: this kernel's exec does not hold it\n",
			       i);
			break;
		}
	if (pe_read_status(&st0) ||
	    kid_start(&tracee, kid_pause, NULL) ||
	    kid_start(&tracer, kid_tracer, &tracee.pid) ||
	    kid_read(&tracer, &tid, 1))
		goto out;
	if (kid_wait(&tracer) != 0)
		FAIL("tracer failed");
	pe_collect1(&s, log, tracer.pid);
	e = ev_pair(PROC_EVENT_PTRACE, tracee.pid, tracee.pid, tid, tracer.pid);
	pe_expect_nth(log, &e, 0, "attach while 64 attaches wait");
	e = ev_pair(PROC_EVENT_PTRACE, tracee.pid, tracee.pid, 0, 0);
	pe_expect_nth(log, &e, 1, "detach while 64 attaches wait");
	if (!pe_read_status(&st1) && st1.probe_misses != st0.probe_misses)
		FAIL("probe_misses went from %llu to %llu",
		     (unsigned long long)st0.probe_misses,
		     (unsigned long long)st1.probe_misses);
out:
	for (i = 0; i < n; i++)
		if (waiting[i].pid > 0 && !waiting[i].reaped)
			kill(waiting[i].pid, SIGKILL);
	for (i = 0; i < n; i++)
		kid_wait(&waiting[i]);
	/* Reaping the traced zombie thread lets the exec go on. */
	if (zombie > 0 && waitpid(zombie, &status, __WALL) != zombie)
		FAIL("reaping thread %d: %s", zombie, strerror(errno));
	if (tracee.pid > 0)
		kill(tracee.pid, SIGKILL);
	kid_wait(&tracer);
	kid_wait(&tracee);
	if (stuck.pid > 0 && kid_wait(&stuck) != 0)
		FAIL("the exec after the zombie thread failed");
	pe_close(&s);
	free(log);
	free(waiting);
}
