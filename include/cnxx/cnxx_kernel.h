/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cnxx_kernel.h - the kernel API cnxx adds to <linux/connector.h>, for
 * modules; the wire format it adds is <uapi/cnxx/cnxx_wire.h>. Exported in
 * namespace CNXX beside a built-in connector, which <cnxx/connector.h>
 * imports.
 */
#ifndef _CNXX_CNXX_KERNEL_H
#define _CNXX_CNXX_KERNEL_H

#include <cnxx/connector.h>
#include <linux/connector.h>
#include <linux/list.h>
#include <uapi/cnxx/cnxx_wire.h>

struct sock;

/**
 * cnxx_notify_request() - ask for registration notifications from a module
 * @ctl:	the request, as user space would send it to {-1,-1}
 * @size:	bytes at @ctl: sizeof(*ctl) + ctl->len
 *
 * Adds the request (ctl->group != 0) or removes the equal earlier one
 * (ctl->group == 0). Context: process, may sleep.
 * Return: 0, -EINVAL for a malformed request, -ENOENT when removing an
 * unknown one, -ENOSPC/-E2BIG over the configured bounds, -ENOMEM.
 */
int cnxx_notify_request(const struct cn_ctl_msg *ctl, size_t size);

/*
 * The name the original connector documentation gives cn_netlink_send_mult
 * (cnxx_netlink_send_multi beside a built-in connector).
 */
int cn_netlink_send_multi(struct cn_msg *msg, u16 len, u32 portid, u32 group,
			  gfp_t gfp_mask);

/**
 * struct cnxx_release_hook - told when a socket of cnxx's unit closes
 * @release:	called with the socket, already unlinked so that no message
 *		reaches it any more, and its group bitmap (may be NULL); for
 *		state a module keeps per socket, as cn_proc keeps its filter
 *		in sk_user_data. Process context, under rcu_read_lock(): must
 *		not sleep.
 * @node:	cnxx's, while registered
 */
struct cnxx_release_hook {
	void (*release)(struct sock *sk, unsigned long *groups);
	struct list_head node;
};

/**
 * cnxx_register_release_hook() - call @hook for every closing socket
 * Return: 0, or -EOPNOTSUPP on kernels whose netlink has no release
 * callback (before 6.6).
 */
int cnxx_register_release_hook(struct cnxx_release_hook *hook);

/**
 * cnxx_unregister_release_hook() - stop calling @hook
 * Returns only when no call of @hook runs any more. May sleep.
 */
void cnxx_unregister_release_hook(struct cnxx_release_hook *hook);

#endif /* _CNXX_CNXX_KERNEL_H */
