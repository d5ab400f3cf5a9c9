/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proc.h - what the two halves of cnxx_proc.ko's glue share: main.c (the
 * module, the control callback, sending) and probes.c (where the events
 * come from).
 */
#ifndef CNXX_PROC_GLUE_H
#define CNXX_PROC_GLUE_H

#include <linux/atomic.h>
#include <linux/types.h>

#include "../core/proc/proc_abi.h"

/* Sockets listening; no event is built while it is 0. */
extern atomic_t cnxx_proc_listeners;

/* One event kind: which hook gives it, and how many were sent. */
struct cnxx_proc_source {
	const char *event;	/* "fork", ... */
	const char *hook;	/* "tracepoint:task_newtask", "kprobe:..." */
	const char *missing;	/* why the kernel does not give it, or NULL */
	atomic_long_t sent;
};

enum cnxx_proc_kind {
	CNXX_PROC_FORK, CNXX_PROC_EXEC, CNXX_PROC_EXIT, CNXX_PROC_COMM,
	CNXX_PROC_UID, CNXX_PROC_GID, CNXX_PROC_SID, CNXX_PROC_PTRACE,
	CNXX_PROC_COREDUMP, CNXX_PROC_KINDS
};

extern struct cnxx_proc_source cnxx_proc_sources[CNXX_PROC_KINDS];

/* Builds the message for @facts (timestamp set here) and sends it. */
void cnxx_proc_emit(enum cnxx_proc_kind kind, struct cnxx_proc_facts *facts);

/*
 * probes.c: attach to the kernel's hooks. Fails with a log line naming the
 * missing config option when fork, exec or exit cannot be had.
 */
int cnxx_proc_probes_init(void);
void cnxx_proc_probes_exit(void);
/* Events possibly lost: kretprobe instances or coredump slots ran out. */
unsigned long cnxx_proc_probes_missed(void);

#endif /* CNXX_PROC_GLUE_H */
