/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shims.h - declarations shared by the kernel shims of cnxx. Nothing here
 * is exported: modules use <linux/connector.h> and <cnxx/cnxx_kernel.h>.
 */
#ifndef CNXX_SHIMS_H
#define CNXX_SHIMS_H

#include <cnxx/connector.h>
#include <linux/connector.h>
#include <linux/export.h>
#include <linux/types.h>
#include <linux/version.h>
#include <uapi/cnxx/cnxx_wire.h>

#include "core/cnxx_abi.h"

/* The connector instance behind the exported API; set while loaded. */
extern struct cnxx_core *cnxx_core;

/*
 * The exported API: the kernel's names in drop-in builds, cnxx_* (mapped by
 * <cnxx/connector.h>) in namespace CNXX beside a built-in connector.
 */
#if !CNXX_BESIDE
#define CNXX_EXPORT(sym) EXPORT_SYMBOL_GPL(sym)
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define CNXX_EXPORT(sym) EXPORT_SYMBOL_NS_GPL(sym, "CNXX")
#else	/* a bare identifier up to 6.12 */
#define CNXX_EXPORT(sym) EXPORT_SYMBOL_NS_GPL(sym, CNXX)
#endif

/*
 * unit=auto beside a built-in connector: netlink units no kernel cnxx
 * supports uses, from the top down, so that the units the kernel adds next
 * (23, 24, ...) are taken last. 30 belongs to a staging driver (gdm724x)
 * and 31 is a favourite of out-of-tree code.
 */
#define CNXX_UNIT_AUTO_FIRST 29
#define CNXX_UNIT_AUTO_LAST 23

/* netlink.c: the kernel socket, on unit cnxx_unit (-1: none). */
extern int cnxx_unit;
int cnxx_netlink_init(int unit, unsigned int reply_timeout_ms,
		      unsigned int groups);
void cnxx_netlink_exit(void);
/* api.c: what the exported sends counted, summed over the CPUs. */
void cnxx_send_stats(u64 *messages, u64 *errors, u64 *replies_dropped);

/* netlink_send.h: cnxx_netlink_xmit(), inline. */
extern const struct cnxx_core_ops cnxx_netlink_ops;

/*
 * procfs.c: /proc/net/cnxx, /proc/net/cnxx_stats and, in drop-in builds,
 * /proc/net/connector.
 */
int cnxx_proc_init(void);
void cnxx_proc_exit(void);

/* selftest.c, debug-flavor builds only: /sys/kernel/debug/cnxx/selftest. */
#ifdef CNXX_SELFTEST
void cnxx_selftest_init(void);
void cnxx_selftest_exit(void);
#else
static inline void cnxx_selftest_init(void) {}
static inline void cnxx_selftest_exit(void) {}
#endif

#endif /* CNXX_SHIMS_H */
