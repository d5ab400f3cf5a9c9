/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Ids and message kinds shared by the reliability tests: cnxx_stress.ko,
 * cnxx_cycle.ko, cnstress and nlfuzz.
 *
 * cnxx_stress ids, all under STRESS_IDX (also its broadcast group):
 *   {23,1}  sink: counts messages; user sends here must all arrive
 *   {23,2}  control: struct stress_ctrl, adds/removes a dynamic id
 *   {23,3}  echo: the same message back to the sender (unicast, atomic)
 *   {23,100 .. 100+STRESS_NDYN-1}  dynamic: registered and removed in a
 *           loop by kthreads and by the control callback
 * Broadcasts to group STRESS_IDX carry id {23, STRESS_VAL_B_*}: the val
 * says which sender made them, so each side can count per sender; routed
 * ones (group 0) carry the dynamic id they were routed by.
 *
 * The module is driven through debugfs: STRESS_DEBUGFS/control takes the
 * words "start" (resets the counters), "stop", "reset", "fail on",
 * "fail off" (make_it_fail in the kthreads), "faultadd" and "faultsend"
 * (fail-nth walks in the writer's context; "faultsend" needs a listener on
 * group STRESS_IDX); STRESS_DEBUGFS/stats prints "name value" lines.
 */
#ifndef CNXX_STRESSPROTO_H
#define CNXX_STRESSPROTO_H

#include <linux/types.h>

#include "../kmod/cntest_ids.h"

#define STRESS_IDX		CNTEST_IDX_STRESS
#define CYCLE_IDX		CNTEST_IDX_CYCLE
/* where cnstress asks for registration notifications of the dynamic ids */
#define STRESS_NOTIFY_GROUP	CNTEST_GROUP_STRESS_NOTIFY

#define STRESS_VAL_SINK		1
#define STRESS_VAL_CTRL		2
#define STRESS_VAL_ECHO		3

/* broadcast kinds */
#define STRESS_VAL_B_THREAD	10	/* kthread, GFP_KERNEL, to the group */
#define STRESS_VAL_B_TIMER	11	/* hrtimer in softirq, GFP_ATOMIC */
#define STRESS_VAL_B_REPLY	12	/* a callback replying, GFP_KERNEL */
#define STRESS_VAL_B_MULT	13	/* cn_netlink_send_mult, 3 records */
#define STRESS_VAL_B_ROUTED	14	/* kind only: sent to a dynamic id, group 0 */
#define STRESS_B_FIRST		STRESS_VAL_B_THREAD
#define STRESS_B_KINDS		5

#define STRESS_VAL_DYN		100
#define STRESS_NDYN		16

/* data of a message to {STRESS_IDX, STRESS_VAL_CTRL} */
struct stress_ctrl {
	__u32 op;	/* STRESS_CTRL_* */
	__u32 slot;	/* dynamic id STRESS_VAL_DYN + slot % STRESS_NDYN */
};

#define STRESS_CTRL_ADD		1
#define STRESS_CTRL_DEL		2

/* cnxx_cycle ids: {CYCLE_IDX, 1 .. CYCLE_NIDS}; replies go to CYCLE_IDX */
#define CYCLE_NIDS		4

#define STRESS_DEBUGFS		"/sys/kernel/debug/cnxx_stress"

#endif /* CNXX_STRESSPROTO_H */
