// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx - the kernel connector with a C++ core: module init and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/netlink.h>

#include "cnxx.h"

#ifndef CNXX_VERSION
#define CNXX_VERSION "0.0"
#endif

static unsigned int hash_bits = 12;
module_param(hash_bits, uint, 0444);
MODULE_PARM_DESC(hash_bits, "Registry hash table size as a power of two (4-20, default 12)");

static unsigned int notify_max_requests = 64;
module_param(notify_max_requests, uint, 0444);
MODULE_PARM_DESC(notify_max_requests, "Stored registration-notification requests, at most (default 64)");

static unsigned int notify_max_ranges = 32;
module_param(notify_max_ranges, uint, 0444);
MODULE_PARM_DESC(notify_max_ranges, "idx + val ranges in one notification request, at most (default 32)");

static unsigned int notify_max_pending = 1024;
module_param(notify_max_pending, uint, 0444);
MODULE_PARM_DESC(notify_max_pending, "Notifications queued for sending, at most; more are dropped (default 1024)");

struct cnxx_core *cnxx_core;

static int __init cnxx_init(void)
{
	struct cnxx_core_config config = {
		.hash_bits = hash_bits,
		.groups = CN_NETLINK_USERS + 0xf,
		.max_notify_requests = notify_max_requests,
		.max_notify_ranges = notify_max_ranges,
		.max_notify_pending = notify_max_pending,
		.ops = &cnxx_netlink_ops,
	};
	int err;

	if (hash_bits < 4 || hash_bits > 20) {
		pr_err("hash_bits=%u out of range 4-20\n", hash_bits);
		return -EINVAL;
	}

	cnxx_core = cnxx_core_create(&config);
	if (!cnxx_core)
		return -ENOMEM;

	err = cnxx_netlink_init();
	if (err)
		goto err_core;

	err = cnxx_proc_init();
	if (err)
		goto err_netlink;

	pr_info("connector ready (version %s)\n", CNXX_VERSION);
	return 0;

err_netlink:
	cnxx_core_destroy(cnxx_core);
	cnxx_netlink_exit();
	return err;
err_core:
	cnxx_core_destroy(cnxx_core);
	return err;
}

/*
 * Every user NETLINK_CONNECTOR socket holds a reference on this module, and
 * modules with callbacks depend on it, so no input arrives once exit runs.
 * The core drains its notifications through the socket, so that goes last.
 */
static void __exit cnxx_exit(void)
{
	cnxx_proc_exit();
	cnxx_core_destroy(cnxx_core);
	cnxx_core = NULL;
	cnxx_netlink_exit();
}

module_init(cnxx_init);
module_exit(cnxx_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel connector (NETLINK_CONNECTOR) with a C++ core, registration notifications and safe unregister");
MODULE_AUTHOR("cnxx developers");
MODULE_VERSION(CNXX_VERSION);
MODULE_ALIAS_NET_PF_PROTO(PF_NETLINK, NETLINK_CONNECTOR);
