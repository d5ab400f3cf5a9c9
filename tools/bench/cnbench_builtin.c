// SPDX-License-Identifier: GPL-2.0
/*
 * cnbench_builtin - cnbench_kmod built on vmlinux's own cn_*, for kernels
 * with the connector built in: there cnbench_kmod.ko goes through
 * <cnxx/connector.h> to cnxx, and this module, the same source without
 * that header, to the kernel's connector on NETLINK_CONNECTOR.
 */
#include "cnbench_kmod.c"
