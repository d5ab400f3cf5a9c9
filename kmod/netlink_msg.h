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
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <net/netlink.h>

/*
 * Builds one nlmsg of type NLMSG_DONE holding @msg and the @len bytes after
 * its header, for @portid or group @group of @nls, in *@skbp. Returns 0,
 * -ESRCH for a broadcast nobody listens to, or -ENOMEM. Any context.
 *
 * The same bytes as the in-tree connector's nlmsg_put() and memcpy():
 * nlmsg_new() made room for exactly this message, so the header goes in
 * with __skb_put(), and clearing the last word before the copy zeroes the
 * padding (@size is at least a cn_msg, so that word is never the header).
 * Cost: inline (-Os would keep a copy), an errno apart: one test a failure.
 */
static __always_inline int cnxx_netlink_msg(struct sock *nls,
					    const struct cn_msg *msg, u16 len,
					    u32 portid, u32 group, gfp_t gfp,
					    struct sk_buff **skbp)
{
	unsigned int size = sizeof(*msg) + len;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	if (!portid && !netlink_has_listeners(nls, group))
		return -ESRCH;
	skb = nlmsg_new(size, gfp);
	if (!skb)
		return -ENOMEM;
	nlh = __skb_put(skb, nlmsg_total_size(size));
	nlh->nlmsg_len = nlmsg_msg_size(size);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = 0;
	nlh->nlmsg_seq = msg->seq;
	nlh->nlmsg_pid = 0;
	memset((u8 *)nlh + nlmsg_total_size(size) - 4, 0, 4);
	memcpy(nlmsg_data(nlh), msg, size);
	NETLINK_CB(skb).dst_group = group;
	*skbp = skb;
	return 0;
}

#endif /* CNXX_NETLINK_MSG_H */
