// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx's kernel netlink socket, on NETLINK_CONNECTOR or beside a built-in
 * connector on a unit of its own: input, sending, acks and the permission
 * checks, translated to and from the core's C ABI.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/export.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>

#include <cnxx/cnxx_kernel.h>

#include "netlink_send.h"
#include "shims.h"

/* Also read by api.c's inline sends (netlink_send.h). */
struct sock *cnxx_nls;

/* Runs in the sender's process context; callbacks may sleep. */
static void cnxx_netlink_input(struct sk_buff *skb)
{
	/* SAFETY: netlink input skbs are linear; the core reads only @len. */
	cnxx_core_receive(cnxx_core, skb->data, skb->len, &NETLINK_CB(skb),
			  skb);
}

static void cnxx_netlink_ack(void *ctx, struct sk_buff *rx,
			     const struct nlmsghdr *nlh, int err)
{
	/* SAFETY: netlink_ack() only reads @nlh; it takes no const. */
	netlink_ack(rx, (struct nlmsghdr *)nlh, err, NULL);
}

static int cnxx_netlink_notify(void *ctx, const struct cn_msg *msg,
			       size_t size, u32 group)
{
	/* The core's work is stopped before the socket goes (cnxx_exit()). */
	return cnxx_netlink_xmit(msg, size - sizeof(*msg), 0, group,
				 GFP_KERNEL, NULL, NULL);
}

static bool cnxx_netlink_capable(void *ctx,
				 const struct netlink_skb_parms *sender)
{
	return __netlink_ns_capable(sender, &init_user_ns, CAP_NET_ADMIN);
}

const struct cnxx_core_ops cnxx_netlink_ops = {
	.ack = cnxx_netlink_ack,
	.notify = cnxx_netlink_notify,
	.sender_capable = cnxx_netlink_capable,
};

#ifdef CNXX_HAVE_SEND_FILTER
/*
 * Kernels whose connector has send filters (6.6+) let everyone join the
 * process-events group and only CAP_NET_ADMIN the others. Their cn_bind()
 * tests bit 0 of the group number, which opens every odd group; cnxx opens
 * CN_IDX_PROC only, as documented.
 */
static int cnxx_netlink_bind(struct net *net, int group)
{
	if (group == CN_IDX_PROC || ns_capable(net->user_ns, CAP_NET_ADMIN))
		return 0;
	return -EPERM;
}
#endif

/* Netlink gained its release callback with the send filters (6.6). */
#ifdef CNXX_HAVE_SEND_FILTER
static const bool cnxx_netlink_has_release = true;
#else
static const bool cnxx_netlink_has_release;
#endif
static LIST_HEAD(cnxx_release_hooks);
static DEFINE_MUTEX(cnxx_release_hooks_lock);

/* Netlink has unlinked @sk; its modules may now free what they keep. */
static void __maybe_unused cnxx_netlink_release(struct sock *sk,
						unsigned long *groups)
{
	struct cnxx_release_hook *hook;

	rcu_read_lock();
	list_for_each_entry_rcu(hook, &cnxx_release_hooks, node)
		hook->release(sk, groups);
	rcu_read_unlock();
}

int cnxx_register_release_hook(struct cnxx_release_hook *hook)
{
	if (!cnxx_netlink_has_release)
		return -EOPNOTSUPP;
	mutex_lock(&cnxx_release_hooks_lock);
	list_add_tail_rcu(&hook->node, &cnxx_release_hooks);
	mutex_unlock(&cnxx_release_hooks_lock);
	return 0;
}
CNXX_EXPORT(cnxx_register_release_hook);

void cnxx_unregister_release_hook(struct cnxx_release_hook *hook)
{
	if (!cnxx_netlink_has_release)
		return;
	mutex_lock(&cnxx_release_hooks_lock);
	list_del_rcu(&hook->node);
	mutex_unlock(&cnxx_release_hooks_lock);
	synchronize_rcu();
}
CNXX_EXPORT(cnxx_unregister_release_hook);

/* Who owns the units below 23 in the kernels cnxx supports. */
static const char *const cnxx_unit_names[] = {
	"NETLINK_ROUTE", NULL, "NETLINK_USERSOCK", NULL, "NETLINK_SOCK_DIAG",
	"NETLINK_NFLOG", "NETLINK_XFRM", "NETLINK_SELINUX", "NETLINK_ISCSI",
	"NETLINK_AUDIT", "NETLINK_FIB_LOOKUP", "NETLINK_CONNECTOR",
	"NETLINK_NETFILTER", NULL, NULL, "NETLINK_KOBJECT_UEVENT",
	"NETLINK_GENERIC", NULL, "NETLINK_SCSITRANSPORT", NULL, "NETLINK_RDMA",
	"NETLINK_CRYPTO", "NETLINK_SMC",
};

static const char *cnxx_unit_owner(int unit)
{
	if (unit == NETLINK_CONNECTOR)
		return CNXX_BESIDE ? "the kernel's built-in connector" :
				     "another connector (cn.ko?)";
	if (unit < ARRAY_SIZE(cnxx_unit_names) && cnxx_unit_names[unit])
		return cnxx_unit_names[unit];
	return "an out-of-tree module";
}

/* The unit of cnxx's socket, or -1 while there is none. */
int cnxx_unit = -1;

static struct sock *cnxx_netlink_create(int unit, unsigned int groups)
{
	struct netlink_kernel_cfg cfg = {
		.groups = groups,
		.input = cnxx_netlink_input,
#ifdef CNXX_HAVE_SEND_FILTER
		.flags = NL_CFG_F_NONROOT_RECV,
		.bind = cnxx_netlink_bind,
		.release = cnxx_netlink_release,
#endif
	};

	/*
	 * NULL when the unit has a kernel socket already (-EADDRINUSE inside
	 * netlink); the only other cause is a failed allocation of a few
	 * hundred bytes.
	 */
	return netlink_kernel_create(&init_net, unit, &cfg);
}

/*
 * Creates the kernel socket on @unit, or with @unit < 0 on the first free
 * unit of CNXX_UNIT_AUTO: NETLINK_CONNECTOR in drop-in builds, the range
 * CNXX_UNIT_AUTO_FIRST down to CNXX_UNIT_AUTO_LAST beside a built-in
 * connector. Logs every taken unit with its owner.
 */
int cnxx_netlink_init(int unit, unsigned int reply_timeout_ms,
		      unsigned int groups)
{
	int first = unit, last = unit;

	if (unit < 0) {
		first = CNXX_BESIDE ? CNXX_UNIT_AUTO_FIRST : NETLINK_CONNECTOR;
		last = CNXX_BESIDE ? CNXX_UNIT_AUTO_LAST : NETLINK_CONNECTOR;
	}
	for (unit = first; unit >= last; unit--) {
		cnxx_nls = cnxx_netlink_create(unit, groups);
		if (cnxx_nls)
			break;
		if (first == last)
			pr_err("netlink unit %d is taken, by %s\n", unit,
			       cnxx_unit_owner(unit));
		else
			pr_info("netlink unit %d is taken, by %s; trying the next\n",
				unit, cnxx_unit_owner(unit));
	}
	if (!cnxx_nls) {
		if (first != last)
			pr_err("no free netlink unit in %d-%d; choose one with unit=N\n",
			       last, first);
		return -EBUSY;
	}
	cnxx_unit = unit;
	/* Bounds every blocking unicast: see cnxx_netlink_unicast(). */
	cnxx_nls->sk_sndtimeo = msecs_to_jiffies(reply_timeout_ms);
	return 0;
}

void cnxx_netlink_exit(void)
{
	netlink_kernel_release(cnxx_nls);
	cnxx_nls = NULL;
	cnxx_unit = -1;
}
