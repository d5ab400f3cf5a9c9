/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shims.h - declarations shared by the kernel shims of cnxx. Nothing here
 * is exported: modules use <linux/connector.h> and <cnxx/cnxx_kernel.h>.
 */
#ifndef CNXX_SHIMS_H
#define CNXX_SHIMS_H

#include <linux/connector.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <uapi/cnxx/cnxx_wire.h>

#include "core/cnxx_abi.h"

/* The connector instance behind the exported API; set while loaded. */
extern struct cnxx_core *cnxx_core;
/* Its cnxx_core_sent_counter(), for api.c's inline count of sends. */
extern struct cnxx_percpu_counter *cnxx_sent_counter;
/* Its config's group count, for api.c's inline route (main.c). */
extern u32 cnxx_groups;

/* A platform per-CPU counter is an alloc_percpu(u64) (platform.c). */
static inline void cnxx_percpu_counter_inc(struct cnxx_percpu_counter *c)
{
	this_cpu_inc(*(u64 __percpu *)c);
}

/* netlink.c: the NETLINK_CONNECTOR kernel socket. */
int cnxx_netlink_init(unsigned int reply_timeout_ms, unsigned int groups);
void cnxx_netlink_exit(void);
/* netlink_send.h: cnxx_netlink_send(), inline. */
extern const struct cnxx_core_ops cnxx_netlink_ops;

/* procfs.c: /proc/net/connector, /proc/net/cnxx, /proc/net/cnxx_stats. */
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
