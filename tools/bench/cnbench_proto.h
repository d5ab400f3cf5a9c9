/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * cnbench wire protocol, shared by the bench modules and the cnbench client.
 *
 * Everything travels as connector messages (an nlmsg of type NLMSG_DONE
 * holding a struct cn_msg), so the client cannot tell cn.ko, cnxx.ko and
 * the raw-netlink module apart. Ids, all under CNBENCH_IDX:
 *   {IDX, CMD}     commands: data is a struct cnbench_cmd; the answer is a
 *                  unicast cn_msg with the same id and seq, ack = seq + 1,
 *                  data a struct cnbench_reply
 *   {IDX, ECHO}    round trip: a len 0 reply, same seq, ack = seq + 1
 *   {IDX, TARGET}  dispatch: counted, nothing else
 *   {IDX, TARGET2} registered at load: counted apart, nothing else (the
 *                  second callback of the two-sender workload)
 *   {IDX, FILLER + i}  registry fillers (never sent to)
 * Broadcasts go to netlink group CNBENCH_IDX, or to the modules'
 * bcast_group parameter (cnbench --group).
 */
#ifndef CNBENCH_PROTO_H
#define CNBENCH_PROTO_H

#include <linux/types.h>

/* A user group (above CN_NETLINK_USERS) below the kernel socket's limit. */
#define CNBENCH_IDX		24
#define CNBENCH_GROUP		CNBENCH_IDX
#define CNBENCH_VAL_CMD		1
#define CNBENCH_VAL_ECHO	2
#define CNBENCH_VAL_TARGET	3
#define CNBENCH_VAL_TARGET2	4
#define CNBENCH_VAL_FILLER	0x10000
/* add/del pairs use ids above every filler */
#define CNBENCH_VAL_ADDDEL	0x40000000

#define CNBENCH_MAX_IDS		100000
#define CNBENCH_MAX_PAYLOAD	4096
#define CNBENCH_MAX_RECORDS	64
#define CNBENCH_MAX_BURST	100000

#define CNBENCH_VERSION		2

enum cnbench_op {
	/* -> kind (CNBENCH_KIND_*) in count, CNBENCH_VERSION in aux */
	CNBENCH_OP_HELLO = 1,
	/* -> messages counted at TARGET in count, at TARGET2 in aux; resets both */
	CNBENCH_OP_HITS,
	/*
	 * arg[0] = n: registers ids until exactly n are present, n - 1
	 * fillers then TARGET (re-added so it is the last one registered);
	 * 0 removes them all. -> ns spent
	 */
	CNBENCH_OP_IDS,
	/*
	 * arg[0] messages of arg[2] records of arg[1] payload bytes each,
	 * to group CNBENCH_GROUP (or bcast_group): records 1 uses cn_netlink_send(), more
	 * cn_netlink_send_mult(). Record r of message m has seq m, ack r and
	 * data bytes (r + i) & 0xff. -> ns spent sending, sent in count
	 */
	CNBENCH_OP_BCAST,
	/*
	 * arg[0] pairs of cn_add_callback() + cn_del_callback() of a new id
	 * -> ns spent; -EOPNOTSUPP from the raw module
	 */
	CNBENCH_OP_ADDDEL,
};

enum cnbench_kind {
	CNBENCH_KIND_CONNECTOR = 1,	/* through a connector's API */
	CNBENCH_KIND_RAW = 2,		/* straight on netlink, no registry */
};

struct cnbench_cmd {
	__u32 op;
	__u32 arg[3];
};

struct cnbench_reply {
	__s32 status;	/* 0 or a negative errno */
	__u32 op;
	__u64 ns;
	__u64 count;
	__u64 aux;
};

#endif /* CNBENCH_PROTO_H */
