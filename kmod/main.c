// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx - the kernel connector with a C++ core: module init and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/stringify.h>

#include "shims.h"

#ifndef CNXX_VERSION
#define CNXX_VERSION "0.0"
#endif

/*
 * An unsigned parameter with the range that works: a value outside it
 * fails the load with -EINVAL and a line naming the parameter and range.
 */
struct cnxx_uint_param {
	unsigned int value;
	unsigned int min;
	unsigned int max;
};

static int cnxx_param_set(const char *val, const struct kernel_param *kp)
{
	struct cnxx_uint_param *p = kp->arg;
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v < p->min || v > p->max) {
		pr_err("%s=%s is out of range %u-%u\n", kp->name, val, p->min,
		       p->max);
		return -EINVAL;
	}
	p->value = v;
	return 0;
}

static int cnxx_param_get(char *buffer, const struct kernel_param *kp)
{
	const struct cnxx_uint_param *p = kp->arg;

	return sysfs_emit(buffer, "%u\n", p->value);
}

static const struct kernel_param_ops cnxx_param_ops = {
	.set = cnxx_param_set,
	.get = cnxx_param_get,
};

/* The range in MODULE_PARM_DESC is the one cnxx_param_set() enforces. */
#define CNXX_PARAM(name, def, lo, hi, desc)				\
	static struct cnxx_uint_param name = { def, lo, hi };		\
	module_param_cb(name, &cnxx_param_ops, &name, 0444);		\
	MODULE_PARM_DESC(name, desc " (" __stringify(lo) "-"		\
			 __stringify(hi) ", default " __stringify(def) ")")

CNXX_PARAM(hash_bits, 12, 4, CNXX_MAX_HASH_BITS,
	   "Registry hash table size as a power of two");
CNXX_PARAM(notify_max_requests, 64, 0, 4096,
	   "Stored registration-notification requests, at most");
CNXX_PARAM(notify_max_ranges, 32, 2, 2040,
	   "idx + val ranges in one notification request, at most");
CNXX_PARAM(notify_max_pending, 1024, 1, 1048576,
	   "Notifications queued for sending, at most; more are dropped");
CNXX_PARAM(reply_timeout_ms, 1000, 0, 60000,
	   "How long a blocking unicast waits for room at a full receiver; then it is dropped and counted");
/*
 * Netlink allocates groups / 8 bytes for the kernel socket's listener mask
 * and for each user socket that joins any group; a join or leave rebuilds
 * the mask from every member socket (README, "More than 32 groups").
 */
CNXX_PARAM(groups, 32, 32, 65536,
	   "Netlink multicast groups of the connector socket");

/*
 * unit: "auto" (stored as -1) or a netlink unit. Reads back the unit in
 * use, for user space to find cnxx (libcnxx's cnxx_unit()).
 */
static int unit_request = -1;

static int cnxx_unit_set(const char *val, const struct kernel_param *kp)
{
	int v;

	if (sysfs_streq(val, "auto")) {
		unit_request = -1;
		return 0;
	}
	if (kstrtoint(val, 0, &v) || v < 0 || v >= MAX_LINKS) {
		pr_err("unit=%s is out of range: auto or 0-%d\n", val,
		       MAX_LINKS - 1);
		return -EINVAL;
	}
	/* Registered at boot with no kernel socket: ours would be let in. */
	if (v == NETLINK_USERSOCK) {
		pr_err("unit=%d is NETLINK_USERSOCK, for user space only\n", v);
		return -EINVAL;
	}
	unit_request = v;
	return 0;
}

static int cnxx_unit_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%d\n", cnxx_unit);
}

static const struct kernel_param_ops cnxx_unit_ops = {
	.set = cnxx_unit_set,
	.get = cnxx_unit_get,
};

module_param_cb(unit, &cnxx_unit_ops, NULL, 0444);
MODULE_PARM_DESC(unit, "Netlink unit below " __stringify(MAX_LINKS)
		 ", or auto: " __stringify(NETLINK_CONNECTOR)
		 " without a built-in connector, else the first free from "
		 __stringify(CNXX_UNIT_AUTO_FIRST) " down to "
		 __stringify(CNXX_UNIT_AUTO_LAST) " (default auto; reads back the unit in use)");

struct cnxx_core *cnxx_core;

static int cnxx_core_init(void)
{
	struct cnxx_core_config config = {
		.hash_bits = hash_bits.value,
		.groups = groups.value,
		.max_notify_requests = notify_max_requests.value,
		.max_notify_ranges = notify_max_ranges.value,
		.max_notify_pending = notify_max_pending.value,
		.ops = &cnxx_netlink_ops,
	};

	return cnxx_core_create(&config, &cnxx_core);
}

static void cnxx_core_exit(void)
{
	cnxx_core_destroy(cnxx_core);
	cnxx_core = NULL;
}

/*
 * Each step is undone by the steps before it in reverse. The socket's
 * input calls into the core, so the core exists before the socket and goes
 * after it; the proc files read both. Nothing can have queued a
 * notification yet: no module can register a callback before init ends.
 * The log names the step that failed; the init_faults guest step fails
 * each allocation of the load in turn (fail-nth) and expects every step.
 */
static int __init cnxx_init(void)
{
	const char *step;
	int err;

	step = "core";
	err = cnxx_core_init();
	if (err)
		goto err_core;
	step = "socket";
	err = cnxx_netlink_init(unit_request, reply_timeout_ms.value,
				groups.value);
	if (err)
		goto err_socket;
	step = "proc";
	err = cnxx_proc_init();
	if (err)
		goto err_proc;

	cnxx_selftest_init();
	pr_info("connector ready on netlink unit %d%s (version %s)\n",
		cnxx_unit, CNXX_BESIDE ? ", beside the built-in connector" : "",
		CNXX_VERSION);
	return 0;

err_proc:
	cnxx_netlink_exit();
err_socket:
	cnxx_core_exit();
err_core:
	pr_err("init failed: %s: %d\n", step, err);
	return err;
}

/*
 * Every user socket of cnxx's unit holds a reference on this module, and
 * modules with callbacks depend on it, so no input arrives once exit runs.
 * The core goes before the socket: its notification work, queued by the
 * last cn_del_callback() and perhaps still running, sends through the
 * socket, and destroying the core stops it.
 */
static void __exit cnxx_exit(void)
{
	cnxx_selftest_exit();
	cnxx_proc_exit();
	cnxx_core_exit();
	cnxx_netlink_exit();
}

module_init(cnxx_init);
module_exit(cnxx_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel connector with a C++ core, registration notifications and safe unregister");
MODULE_AUTHOR("cnxx developers");
MODULE_VERSION(CNXX_VERSION);
/* Beside a built-in connector, NETLINK_CONNECTOR is that connector's. */
#if !CNXX_BESIDE
MODULE_ALIAS_NET_PF_PROTO(PF_NETLINK, NETLINK_CONNECTOR);
#endif
