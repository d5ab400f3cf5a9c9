/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * cnxx_proc.h - the process-events wire format, as cnxx_proc.ko sends it on
 * {CN_IDX_PROC, CN_VAL_PROC}.
 *
 * The layout is the kernel's <linux/cn_proc.h> (mainline 6.6 and later,
 * which added struct proc_input and PROC_EVENT_NONZERO_EXIT); the module
 * checks every field against the header of the kernel it is built for.
 * It is written out here, under cnxx_ names that do not clash with that
 * header, for the two readers that cannot include it: the freestanding C++
 * core, and user space built on older headers (Debian 12 has 6.1's).
 *
 * Subscribing: send PROC_CN_MCAST_LISTEN or _IGNORE to {CN_IDX_PROC,
 * CN_VAL_PROC} as a __u32 (all events), or, on 6.6 and later, as a
 * struct cnxx_proc_input that also names the events wanted. Each request
 * is answered, while anybody listens, with a CNXX_PROC_EVENT_NONE event
 * whose ack.err is 0, EPERM (6.1: no CAP_NET_ADMIN), EINVAL (unknown op)
 * or ENOMEM; its cn_msg ack is the request's ack + 1.
 *
 * Plain C on the __u32 names of <linux/types.h>, as cnxx_wire.h.
 */
#ifndef _UAPI_CNXX_CNXX_PROC_H
#define _UAPI_CNXX_CNXX_PROC_H

#include <linux/types.h>

#define CNXX_PROC_CN_MCAST_LISTEN	1
#define CNXX_PROC_CN_MCAST_IGNORE	2

#define CNXX_PROC_EVENT_NONE		0x00000000
#define CNXX_PROC_EVENT_FORK		0x00000001
#define CNXX_PROC_EVENT_EXEC		0x00000002
#define CNXX_PROC_EVENT_UID		0x00000004
#define CNXX_PROC_EVENT_GID		0x00000040
#define CNXX_PROC_EVENT_SID		0x00000080
#define CNXX_PROC_EVENT_PTRACE		0x00000100
#define CNXX_PROC_EVENT_COMM		0x00000200
/* A filter bit only: exits with exit_code 0 are not wanted. */
#define CNXX_PROC_EVENT_NONZERO_EXIT	0x20000000
#define CNXX_PROC_EVENT_COREDUMP	0x40000000
#define CNXX_PROC_EVENT_EXIT		0x80000000

#define CNXX_PROC_EVENT_ALL \
	(CNXX_PROC_EVENT_FORK | CNXX_PROC_EVENT_EXEC | CNXX_PROC_EVENT_UID | \
	 CNXX_PROC_EVENT_GID | CNXX_PROC_EVENT_SID | CNXX_PROC_EVENT_PTRACE | \
	 CNXX_PROC_EVENT_COMM | CNXX_PROC_EVENT_NONZERO_EXIT | \
	 CNXX_PROC_EVENT_COREDUMP | CNXX_PROC_EVENT_EXIT)

/* struct proc_input: a subscription with an event filter (6.6+). */
struct cnxx_proc_input {
	__u32 mcast_op;
	__u32 event_type;
};

/* struct proc_event; pids are __kernel_pid_t (int) there. */
struct cnxx_proc_event {
	__u32 what;
	__u32 cpu;
	__u64 __attribute__((aligned(8))) timestamp_ns;
	union {
		struct {
			__u32 err;
		} ack;
		struct {
			__s32 parent_pid;
			__s32 parent_tgid;
			__s32 child_pid;
			__s32 child_tgid;
		} fork;
		struct {
			__s32 process_pid;
			__s32 process_tgid;
		} exec;
		struct {
			__s32 process_pid;
			__s32 process_tgid;
			__u32 real;	/* ruid or rgid */
			__u32 effective; /* euid or egid */
		} id;
		struct {
			__s32 process_pid;
			__s32 process_tgid;
		} sid;
		struct {
			__s32 process_pid;
			__s32 process_tgid;
			__s32 tracer_pid;
			__s32 tracer_tgid;
		} ptrace;
		struct {
			__s32 process_pid;
			__s32 process_tgid;
			char comm[16];
		} comm;
		struct {
			__s32 process_pid;
			__s32 process_tgid;
			__s32 parent_pid;
			__s32 parent_tgid;
		} coredump;
		struct {
			__s32 process_pid;
			__s32 process_tgid;
			__u32 exit_code;
			__u32 exit_signal;
			__s32 parent_pid;
			__s32 parent_tgid;
		} exit;
	} event_data;
};

#endif /* _UAPI_CNXX_CNXX_PROC_H */
