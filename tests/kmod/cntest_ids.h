/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The connector idx of each test module, in one table so that no two
 * collide; each protocol header takes its idx from here, for the module
 * and for its user-space programs alike. An idx is also the netlink group
 * its broadcasts go to, so all lie above the in-kernel users
 * (CN_NETLINK_USERS = 11) and within the groups of the connector's socket
 * (32 by default). Taken elsewhere:
 *   14      the kernel's samples/connector/cn_test.c
 *   15, 17  ids vmtest registers through cnxx_testmod (vmtest.h)
 *   20-22   vmtest's groups (vmtest.h)
 *   24      cnbench (tools/bench/cnbench_proto.h)
 */
#ifndef CNTEST_IDS_H
#define CNTEST_IDS_H

#define CNTEST_IDX_UNLOAD	12	/* cnxx_unload.ko */
#define CNTEST_IDX_TESTMOD	16	/* cnxx_testmod.ko */
#define CNTEST_IDX_CYCLE	18	/* cnxx_cycle.ko, and its replies */
#define CNTEST_GROUP_STRESS_NOTIFY 19	/* cnstress's notifications */
#define CNTEST_IDX_STRESS	23	/* cnxx_stress.ko, and its broadcasts */
#define CNTEST_GROUP_UNHEARD	25	/* a group nothing listens to (KUnit) */

#endif /* CNTEST_IDS_H */
