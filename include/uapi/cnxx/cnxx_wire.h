/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * cnxx_wire.h - the wire format cnxx adds to <linux/connector.h>, for user
 * space, kernel modules and cnxx's own core, which all read it from here.
 *
 * Registration notifications: a sender with CAP_NET_ADMIN sends a cn_msg to
 * the control id {CN_IDX_CONNECTOR, CN_VAL_CONNECTOR} whose data is a
 * struct cn_ctl_msg. From then on, whenever a callback whose id falls in one
 * of the request's idx ranges and one of its val ranges is registered or
 * unregistered, a cn_msg with that id, len 0, and ack 0 (registered) or
 * 1 (unregistered) is sent to the request's netlink group. A request with
 * group 0 removes the earlier request with the same ranges.
 *
 * This is the wire format of the original connector (removed from the
 * kernel in 2.6.34), so programs written for it keep working.
 *
 * Plain C on the __u32 names of <linux/types.h> and nothing else, so that
 * the freestanding C++ core can include it too. CN_NETLINK_GROUPS is
 * written in terms of CN_NETLINK_USERS: use it where <linux/connector.h>
 * is included.
 */
#ifndef _UAPI_CNXX_CNXX_WIRE_H
#define _UAPI_CNXX_CNXX_WIRE_H

#include <linux/types.h>

#define CN_IDX_CONNECTOR		0xffffffff
#define CN_VAL_CONNECTOR		0xffffffff

/*
 * The group count the in-tree connector asks netlink for, which raises it
 * to 32. cnxx's socket has the count of its groups parameter: 32 by
 * default, "groups" in /proc/net/cnxx_stats.
 */
#define CN_NETLINK_GROUPS		(CN_NETLINK_USERS + 0xf)

/* ack of a notification */
#define CN_NOTIFY_REGISTERED		0
#define CN_NOTIFY_UNREGISTERED		1

/* The ids first .. first + range - 1; range > 0, no wrap past 2^32. */
struct cn_notify_req {
	__u32 first;
	__u32 range;
};

/*
 * data: idx_notify_num idx ranges, then val_notify_num val ranges;
 * len = (idx_notify_num + val_notify_num) * sizeof(struct cn_notify_req).
 */
struct cn_ctl_msg {
	__u32 idx_notify_num;
	__u32 val_notify_num;
	__u32 group;
	__u32 len;
	__u8 data[];
};

#endif /* _UAPI_CNXX_CNXX_WIRE_H */
