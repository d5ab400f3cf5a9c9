/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netlink_msg.h - the netlink message a connector sends, built exactly as
 * the in-tree connector builds it. Header-only, so that the raw-netlink
 * benchmark module (tools/bench/cnbench_raw.c) measures the same code
 * without depending on cnxx.ko.
 */
#ifndef CNXX_NETLINK_MSG_H
#define CNXX_NETLINK_MSG_H

#include <linux/connector.h>
#include <linux/err.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <net/netlink.h>

/*
 * One nlmsg of type NLMSG_DONE holding @msg and the @len bytes after its
 * header, for @portid or group @group of @nls. Returns the skb, or
 * ERR_PTR(-ESRCH) for a broadcast nobody listens to, -ENOMEM or -EMSGSIZE.
 * Any context. Always inline, as the in-tree connector has it in its send
 * function: -Os would keep a copy and call it.
 */
static __always_inline struct sk_buff *
cnxx_netlink_msg(struct sock *nls, const struct cn_msg *msg, u16 len,
		 u32 portid, u32 group, gfp_t gfp)
{
	unsigned int size = sizeof(*msg) + len;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	if (!portid && !netlink_has_listeners(nls, group))
		return ERR_PTR(-ESRCH);
	skb = nlmsg_new(size, gfp);
	if (!skb)
		return ERR_PTR(-ENOMEM);
	nlh = nlmsg_put(skb, 0, msg->seq, NLMSG_DONE, size, 0);
	if (!nlh) {
		kfree_skb(skb);
		return ERR_PTR(-EMSGSIZE);
	}
	memcpy(nlmsg_data(nlh), msg, size);
	NETLINK_CB(skb).dst_group = group;
	return skb;
}

#endif /* CNXX_NETLINK_MSG_H */
