/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Command protocol between cnxx_testmod.ko and the in-VM test program.
 *
 * All ids live under TEST_IDX, which is also the netlink group the
 * connector gives them. A command is a cn_msg to {TEST_IDX, TEST_VAL_CMD}
 * whose data is a struct cnxx_test_cmd; the module answers by unicast to
 * the sender's port with a cn_msg on the same id, seq = command seq,
 * ack = seq + 1, data = struct cnxx_test_result.
 *
 * Messages the module sends for a command carry seq = cmd.seq + i and
 * data bytes data[j] = (seq + j) & 0xff, so the receiver can check them.
 */
#ifndef CNXX_TESTPROTO_H
#define CNXX_TESTPROTO_H

#include <linux/types.h>

#include "../kmod/cntest_ids.h"

#define TEST_IDX		CNTEST_IDX_TESTMOD

#define TEST_VAL_ECHO		1	/* replies with the same data, ack = seq + 1 */
#define TEST_VAL_CMD		2	/* struct cnxx_test_cmd */
#define TEST_VAL_SINK		3	/* counts messages; target of sends */

enum cnxx_test_op {
	/*
	 * cn_netlink_send() @count messages of @size data bytes with id
	 * {@idx, @val} to @portid/@group; result.rc[] holds the returns.
	 */
	CNXX_TEST_OP_SEND = 1,
	/*
	 * cn_netlink_send_mult() of @count consecutive records of @size data
	 * bytes each; the len argument is the exact one plus @extra.
	 */
	CNXX_TEST_OP_SEND_MULT,
	/* cn_add_callback({@idx, @val}) with a counting callback */
	CNXX_TEST_OP_REGISTER,
	/* cn_del_callback({@idx, @val}) of an id added by OP_REGISTER */
	CNXX_TEST_OP_UNREGISTER,
	/* result.val[] = enum cnxx_test_counter */
	CNXX_TEST_OP_COUNTERS,
	/*
	 * cnxx_notify_request() for idx range @range[0..1] and val range
	 * @range[2..3] to @group (0: remove); result.err is its return.
	 */
	CNXX_TEST_OP_NOTIFY,
};

/* OP_SEND: send with GFP_ATOMIC ... */
#define CNXX_TEST_F_ATOMIC	0x1
/* ... from a timer (softirq) instead of the callback */
#define CNXX_TEST_F_TIMER	0x2
/* ... message i to group @group + i: one message to each of @count groups */
#define CNXX_TEST_F_EACH_GROUP	0x4

struct cnxx_test_cmd {
	__u32 op;
	__u32 flags;
	__u32 idx;
	__u32 val;
	__u32 portid;
	__u32 group;
	__u32 count;
	__u32 size;
	__u32 seq;
	__s32 extra;
	__u32 range[4];
};

/* Bounds the module enforces on a command. */
#define CNXX_TEST_MAX_COUNT	1024
#define CNXX_TEST_MAX_RC	16

enum cnxx_test_counter {
	CNXX_TEST_CNT_ECHO,		/* messages echoed */
	CNXX_TEST_CNT_SINK,		/* messages to TEST_VAL_SINK */
	CNXX_TEST_CNT_SINK_SEQSUM,	/* sum of their seq, mod 2^32 */
	CNXX_TEST_CNT_SINK_LEN,		/* cn_msg.len of the last one */
	CNXX_TEST_CNT_DYN,		/* messages to OP_REGISTER ids */
	CNXX_TEST_CNT_CMDS,		/* commands handled */
	CNXX_TEST_CNT_DYN_IDS,		/* ids currently added by OP_REGISTER */
	CNXX_TEST_CNT_SINK_PID,		/* tgid the last sink call ran in */
	CNXX_TEST_CNT_SINK_TASK,	/* 1 if it ran in task context */
	CNXX_TEST_NCOUNTERS,
};

struct cnxx_test_result {
	__u32 op;
	__s32 err;	/* 0, or a negative errno: command failed or first failed send */
	__u32 done;	/* sends that returned >= 0 */
	__u32 nrc;	/* entries used in rc[] */
	__s32 rc[CNXX_TEST_MAX_RC];	/* returns of the first sends */
	__u32 val[CNXX_TEST_NCOUNTERS];
};

#endif /* CNXX_TESTPROTO_H */
