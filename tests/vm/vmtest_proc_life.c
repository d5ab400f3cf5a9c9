// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest group "proc", a task's life: fork of processes and threads, exec,
 * exit (codes, exit_signal, the parent a waiter sees) and the coredump
 * event of a fatal signal, against what the kernel's
 * drivers/connector/cn_proc.c sends from copy_process(), exec, do_exit()
 * and get_signal().
 */
#include "vmtest_proc.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* NULL; not static, so that the compiler makes a real store through it. */
int *pe_nowhere;

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
	pe_collect_kids(&s, log, k, 4);
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
	kids_reap(k, 4, &k[1]);
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
	thr_report_tid(arg);
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
	pe_collect_kids(&s, log, k, 4);
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
	kids_reap(k, 4, &k[1]);
out:
	pe_close(&s);
	free(log);
}
