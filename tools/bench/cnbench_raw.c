// SPDX-License-Identifier: GPL-2.0
/*
 * cnbench_raw - the practical limit for cnbench: the same wire format and
 * workloads as cnbench_kmod, done straight on its own NETLINK_CONNECTOR
 * kernel socket with netlink_unicast()/netlink_broadcast() and no registry.
 * Loads only while no connector owns its unit: NETLINK_CONNECTOR, or beside
 * a built-in connector the free unit given as unit=N.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <uapi/cnxx/cnxx_wire.h>

#include "../../kmod/netlink_msg.h"

#define CNBENCH_KIND CNBENCH_KIND_RAW
#include "cnbench_kern.h"

static struct sock *cnbench_nls;

/* Beside a built-in connector, unit 11 is the kernel's: a free one then. */
static int unit = NETLINK_CONNECTOR;
module_param(unit, int, 0444);
MODULE_PARM_DESC(unit, "Netlink unit of the socket (default NETLINK_CONNECTOR)");

/* What the connector does to send, minus the group lookup. */
static int cnbench_send_mult(struct cn_msg *msg, u16 len, u32 portid,
			     u32 group, gfp_t gfp)
{
	struct sk_buff *skb;
	int err;

	err = cnxx_netlink_msg(cnbench_nls, msg, len, portid, group, gfp, &skb);
	if (err)
		return err;
	if (group)
		return netlink_broadcast(cnbench_nls, skb, portid, group, gfp);
	return netlink_unicast(cnbench_nls, skb, portid,
			       !gfpflags_allow_blocking(gfp));
}

static int cnbench_send(struct cn_msg *msg, u32 portid, u32 group, gfp_t gfp)
{
	return cnbench_send_mult(msg, msg->len, portid, group, gfp);
}

/* No registry: nothing to fill. */
static int cnbench_set_ids(u32 n)
{
	return n > CNBENCH_MAX_IDS ? -EINVAL : 0;
}

static int cnbench_add_del(u32 pairs)
{
	return -EOPNOTSUPP;
}

/*
 * The connector's checks of the first message of @skb, then a direct call
 * instead of a registry lookup. Runs in the sender's context.
 */
static void cnbench_input(struct sk_buff *skb)
{
	struct nlmsghdr *nlh;
	struct cn_msg *msg;
	int len;

	if (skb->len < NLMSG_HDRLEN)
		return;
	nlh = nlmsg_hdr(skb);
	len = nlmsg_len(nlh);
	if (len < (int)sizeof(*msg) || skb->len < nlh->nlmsg_len ||
	    len > CONNECTOR_MAX_MSG_SIZE)
		return;
	msg = nlmsg_data(nlh);
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*msg) + msg->len ||
	    msg->id.idx != CNBENCH_IDX)
		return;

	switch (msg->id.val) {
	case CNBENCH_VAL_TARGET:
		cnbench_count();
		break;
	case CNBENCH_VAL_TARGET2:
		cnbench_count2();
		break;
	case CNBENCH_VAL_ECHO:
		cnbench_echo(msg, NETLINK_CB(skb).portid);
		break;
	case CNBENCH_VAL_CMD:
		cnbench_command(msg, NETLINK_CB(skb).portid);
		break;
	}
}

static int __init cnbench_raw_init(void)
{
	struct netlink_kernel_cfg cfg = {
		.groups = CN_NETLINK_GROUPS,
		.input = cnbench_input,
	};

	if (unit < 0 || unit >= MAX_LINKS) {
		pr_err("unit=%d: no netlink unit (0-%d)\n", unit, MAX_LINKS - 1);
		return -EINVAL;
	}
	cnbench_nls = netlink_kernel_create(&init_net, unit, &cfg);
	if (!cnbench_nls) {
		pr_err("netlink unit %d is taken; unload its owner first\n",
		       unit);
		return -EBUSY;
	}
	return 0;
}

static void __exit cnbench_raw_exit(void)
{
	netlink_kernel_release(cnbench_nls);
}

module_init(cnbench_raw_init);
module_exit(cnbench_raw_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Connector benchmark: raw netlink reference, no registry");
