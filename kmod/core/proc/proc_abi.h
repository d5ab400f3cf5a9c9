/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proc_abi.h - the C boundary between cnxx_proc.ko's probe glue
 * (kmod/proc/) and its C++ core (kmod/core/proc/): the glue reads facts
 * from the kernel, the core turns them into messages and decides who gets
 * them. Like cnxx_abi.h it includes no kernel or libc header.
 */
#ifndef CNXX_PROC_ABI_H
#define CNXX_PROC_ABI_H

#include "../../../include/uapi/cnxx/cnxx_proc.h"

struct cn_msg;

#ifdef __cplusplus
extern "C" {
#endif

/* The request format of the kernel cnxx_proc is built for. */
enum cnxx_proc_dialect {
	CNXX_PROC_DIALECT_6_1,	/* a __u32 op; CAP_NET_ADMIN; no filters */
	CNXX_PROC_DIALECT_6_6,	/* a __u32 op or a proc_input; per socket */
};

/*
 * What the glue read of one event, by kind (@what):
 *  FORK      pid/tgid: the child; peer: its real parent
 *  EXEC, SID pid/tgid
 *  UID, GID  pid/tgid; real_id, effective_id (init_user_ns)
 *  PTRACE    pid/tgid: the tracee; peer: the tracer (0 on detach)
 *  COMM      pid/tgid; comm
 *  COREDUMP  pid/tgid; peer: the parent (0 when reaped)
 *  EXIT      pid/tgid; exit_code, exit_signal; peer: the parent (0 when
 *            reaped)
 *  NONE      an ack: ack_err, and the request's ack_seq and ack_ack
 */
struct cnxx_proc_facts {
	__u32 what;
	__u64 timestamp_ns;
	__s32 pid;
	__s32 tgid;
	__s32 peer_pid;
	__s32 peer_tgid;
	__u32 real_id;
	__u32 effective_id;
	__u32 exit_code;
	__u32 exit_signal;
	__u32 ack_err;
	__u32 ack_seq;
	__u32 ack_ack;
	char comm[16];
};

/*
 * struct cn_msg followed by struct proc_event, as cn_proc.c builds it: 20
 * bytes of header, so the event starts 4 bytes into an 8-byte aligned
 * buffer of CNXX_PROC_MSG_SIZE and the message at cnxx_proc_msg(buffer).
 */
#define CNXX_PROC_MSG_SIZE (24 + sizeof(struct cnxx_proc_event))

/*
 * Writes the message for @facts into @buffer (CNXX_PROC_MSG_SIZE bytes,
 * 8-byte aligned): cn_msg {CN_IDX_PROC, CN_VAL_PROC}, len, ack, then the
 * event with every byte of event_data set. seq and cpu are left for the
 * sender, which numbers messages per CPU. Returns the cn_msg inside
 * @buffer.
 */
struct cn_msg *cnxx_proc_encode(const struct cnxx_proc_facts *facts,
				void *buffer);

/* Per socket (6.6 dialect): what it asked for. Owned by the glue. */
struct cnxx_proc_subscription {
	__u32 events;		/* CNXX_PROC_EVENT_* filter bits */
	__u8 listening;		/* counted as a listener */
	__u8 ignoring;		/* sent IGNORE last: gets nothing */
};

/* A parsed LISTEN or IGNORE request. */
struct cnxx_proc_request {
	__u32 op;
	__u32 events;
};

/*
 * Parses the @len bytes at @data sent to {CN_IDX_PROC, CN_VAL_PROC}.
 * Returns 0, or -EMSGSIZE for a length the dialect does not know: such a
 * message is dropped without an ack, as the kernel does.
 */
int cnxx_proc_parse(enum cnxx_proc_dialect dialect, const void *data,
		    __u16 len, struct cnxx_proc_request *request);

/*
 * Applies @request to @sub (NULL in the 6.1 dialect, which keeps no state
 * per socket). Sets *@listener_delta to the change of the listener count:
 * with @sub, +1 or -1 only when the socket starts or stops listening, so a
 * flood of requests cannot move the count past the number of sockets.
 * Returns the error for the ack: 0, or EINVAL for an unknown op, which
 * changes nothing.
 */
__u32 cnxx_proc_apply(const struct cnxx_proc_request *request,
		      struct cnxx_proc_subscription *sub, int *listener_delta);

/*
 * Whether the socket with subscription @sub (NULL: never subscribed) is
 * not to get an event of kind @what with @exit_code: the kernel's
 * cn_filter().
 */
bool cnxx_proc_filtered_out(const struct cnxx_proc_subscription *sub,
			     __u32 what, __u32 exit_code);

#ifdef __cplusplus
}
#endif

#endif /* CNXX_PROC_ABI_H */
