/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netlink_send.h - sending a connector message on cnxx's socket, for the
 * exported sends (api.c) and the notifications (netlink.c), and the record
 * check of debug builds. Cost: inline, no call of its own before netlink's.
 */
#ifndef CNXX_NETLINK_SEND_H
#define CNXX_NETLINK_SEND_H

#include <linux/gfp.h>
#include <net/netlink.h>

#include "netlink_msg.h"
#include "shims.h"

/* The NETLINK_CONNECTOR kernel socket (netlink.c); set while loaded. */
extern struct sock *cnxx_nls;

/*
 * Sends @skb to @portid. A blocking unicast (GFP_KERNEL, as callbacks
 * reply) waits for room in a full receiver at most the socket's send
 * timeout (reply_timeout_ms), and not at all from a callback whose removal
 * is pending, so that no sender can hold cn_del_callback() or rmmod. What
 * does not fit is dropped with -EAGAIN and counted.
 */
static __always_inline int cnxx_netlink_unicast(struct sk_buff *skb,
						u32 portid, gfp_t gfp)
{
	int nonblock = !gfpflags_allow_blocking(gfp) ||
		       !cnxx_core_reply_may_block(cnxx_core);

	return netlink_unicast(cnxx_nls, skb, portid, nonblock);
}

/*
 * Sends @msg and the @len bytes after its header as one nlmsg to @portid,
 * or broadcasts it to @group, skipping @portid. Any context.
 */
static __always_inline int cnxx_netlink_xmit(const struct cn_msg *msg,
					     u16 len, u32 portid, u32 group,
					     gfp_t gfp, void *filter,
					     void *filter_data)
{
	struct sk_buff *skb;
	int err;

	err = cnxx_netlink_msg(cnxx_nls, msg, len, portid, group, gfp, &skb);
	if (err)
		return err;
	if (group)
#ifdef CNXX_HAVE_SEND_FILTER
		return netlink_broadcast_filtered(cnxx_nls, skb, portid, group,
						  gfp, filter, filter_data);
#else
		return netlink_broadcast(cnxx_nls, skb, portid, group, gfp);
#endif
	return cnxx_netlink_unicast(skb, portid, gfp);
}

/*
 * Whether @msg and the @len bytes after its header are whole cn_msg
 * records laid end to end, as cn_netlink_send_mult() takes them: the walk
 * from header to header lands exactly on the end. It reads only headers
 * that lie whole inside those bytes (@msg itself is one). Debug builds
 * check every send with it (api.c).
 */
static inline bool cnxx_send_records_fit(const struct cn_msg *msg, u16 len)
{
	size_t next = 0;	/* the next record, as an offset from @msg */
	u16 record_len;

	do {
		memcpy(&record_len,
		       (const u8 *)msg + next + offsetof(struct cn_msg, len),
		       sizeof(record_len));
		next += sizeof(*msg) + record_len;
	} while (next <= len);
	return next == sizeof(*msg) + len;
}

#endif /* CNXX_NETLINK_SEND_H */
