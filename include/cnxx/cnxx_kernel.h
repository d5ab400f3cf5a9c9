/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cnxx_kernel.h - the kernel API cnxx adds to <linux/connector.h>, for
 * modules; the wire format it adds is <uapi/cnxx/cnxx_wire.h>.
 */
#ifndef _CNXX_CNXX_KERNEL_H
#define _CNXX_CNXX_KERNEL_H

#include <linux/connector.h>
#include <uapi/cnxx/cnxx_wire.h>

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

/* The name the original connector documentation gives cn_netlink_send_mult. */
int cn_netlink_send_multi(struct cn_msg *msg, u16 len, u32 portid, u32 group,
			  gfp_t gfp_mask);

#endif /* _CNXX_CNXX_KERNEL_H */
