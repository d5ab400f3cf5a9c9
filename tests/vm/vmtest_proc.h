/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of vmtest group "proc" share (vmtest_proc_lib.c): sockets
 * in group CN_IDX_PROC and the messages they receive, each checked in full;
 * children that report through a pipe; events expected and found in a log.
 *
 * The layout oracle is the C library's <linux/cn_proc.h>; the repository's
 * <cnxx/cnxx_proc.h> is used only for what 6.1's header lacks (struct
 * proc_input, PROC_EVENT_NONZERO_EXIT).
 */
#ifndef VMTEST_PROC_H
#define VMTEST_PROC_H

#include "vmtest.h"

#include <errno.h>
#include <string.h>
#include <sys/types.h>

#include <linux/cn_proc.h>
#include <cnxx/cnxx_proc.h>

#define EV_LEN		((uint16_t)sizeof(struct proc_event))
#define PE_CPUS		256
#define PE_LOG		512
#define PE_COLLECT_MAX	8	/* exits one pe_collect() waits for */
#define NO_EXIT_SIGNAL	0xffffffffu	/* a thread's exit_signal, -1 */

#define CHECK0(call)							\
	do {								\
		if (call)						\
			FAIL("%s: %s", #call, strerror(errno));	\
	} while (0)

extern int pe_filters;		/* 6.6+: proc_input, per-socket state */
extern pid_t me;		/* the test process: pid == tgid */

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

/* A child: its pid and the read end of the pipe it reports through. */
struct kid {
	pid_t pid;
	int rd;
	int reaped, status;
};

#define NO_KID { -1, -1, 0, 0 }

/* sockets and what they receive */
const char *what_name(uint32_t what);
const char *ev_str(const struct proc_event *ev);
int pe_send(int fd, uint32_t seq, uint32_t ack, const void *data, size_t len);
int pe_op(int fd, uint32_t op, uint32_t ack);
void pe_expect_ack(struct pe_sock *s, uint32_t ack, uint32_t err,
		   const char *what);
void pe_expect_no_ack(struct pe_sock *s, int ms, const char *what);
int pe_join(struct pe_sock *s, const char *name);
int pe_listen(struct pe_sock *s, const char *name);
void pe_close(struct pe_sock *s);
void pe_drain(struct pe_sock *s, struct pe_log *log);
int pe_read_status(struct cnxx_proc_status *st);
long long pe_listeners(void);
void expect_listeners(long long want, const char *what);

/* children, and threads in them */
int kid_start(struct kid *k, void (*fn)(int wr, void *arg), void *arg);
int kid_read(struct kid *k, int *vals, int n);
void report(int wr, const int *vals, int n);
int kid_wait(struct kid *k);
void kid_wait_ok(struct kid *k);
void kids_reap(struct kid *k, int n, const struct kid *paused);
void kid_exit0(int wr, void *arg);
void kid_exit3(int wr, void *arg);
void kid_exec(int wr, void *arg);
void kid_pause(int wr, void *arg);
pid_t gettid_(void);
void run_thread(void *(*fn)(void *), void *arg);

/* events, expected and found */
pid_t ev_pid(const struct proc_event *ev);
void pe_collect(struct pe_sock *s, struct pe_log *log, const pid_t *pids,
		int n);
void pe_collect1(struct pe_sock *s, struct pe_log *log, pid_t pid);
void pe_collect_kids(struct pe_sock *s, struct pe_log *log,
		     const struct kid *k, int n);
int pe_expect_nth(const struct pe_log *log, const struct proc_event *want,
		  int nth, const char *what);
int pe_expect(const struct pe_log *log, const struct proc_event *want,
	      const char *what);
void pe_expect_count(const struct pe_log *log, uint32_t what, pid_t pid,
		     int n, const char *desc);
void pe_expect_order(int a, int b, const char *what);
struct proc_event ev_fork(pid_t ppid, pid_t ptgid, pid_t pid, pid_t tgid);
struct proc_event ev_pair(uint32_t what, pid_t pid, pid_t tgid, uint32_t a,
			  uint32_t b);
struct proc_event ev_exit(pid_t pid, pid_t tgid, uint32_t code, uint32_t sig,
			  pid_t ppid, pid_t ptgid);
struct proc_event ev_comm(pid_t pid, pid_t tgid, const char *comm);
int expect_exit_of_kid(const struct pe_log *log, pid_t pid, uint32_t code,
		       const char *what);

#endif /* VMTEST_PROC_H */
