// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_stress: fail-nth walks ("faultadd", "faultsend"). Each runs one
 * operation with the n-th slab allocation of the writing task failing,
 * for n = 1, 2, ... until the operation makes fewer than n allocations,
 * and counts what every failure point returned: -ENOMEM or success, and
 * a failed add must leave nothing behind.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/sched.h>

#include "cntest.h"
#include "cnxx_stress.h"

#ifdef CONFIG_FAULT_INJECTION

/* id used by the walks; not among the dynamic ids */
#define STRESS_VAL_FAULT	50
#define STRESS_FAULT_MAX_POINTS	256

static const struct cb_id stress_fault_id = { STRESS_IDX, STRESS_VAL_FAULT };

static void stress_nop_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp)
{
}

/* Runs @fn at each failure point in turn; @check judges each result. */
static void stress_fault_walk(int (*fn)(void), enum stress_counter points,
			      void (*check)(int rc, bool injected))
{
	unsigned int n, left;
	int rc;

	for (n = 1; n <= STRESS_FAULT_MAX_POINTS; n++) {
		WRITE_ONCE(current->fail_nth, n);
		rc = fn();
		left = READ_ONCE(current->fail_nth);
		WRITE_ONCE(current->fail_nth, 0);
		stress_inc(points);
		check(rc, !left);
		if (left)
			break;
	}
}

static int stress_fault_add_one(void)
{
	return cn_add_callback(&stress_fault_id, "cnxx_stress_f",
			       stress_nop_cb);
}

/* A failed add must leave nothing behind: adding again must work. */
static void stress_fault_add_check(int rc, bool injected)
{
	if (injected)
		stress_inc(SC_FAULT_ADD_INJECTED);
	if (rc == -ENOMEM) {
		stress_inc(SC_FAULT_ADD_ENOMEM);
		rc = stress_fault_add_one();
	}
	if (rc) {
		stress_inc(SC_FAULT_ADD_BAD);
		pr_err("fault walk: cn_add_callback returned %d\n", rc);
		return;
	}
	cn_del_callback(&stress_fault_id);
}

/* A broadcast, a send routed by the sink's id, a send_mult. */
static int stress_fault_send_one(void)
{
	struct stress_small rec[2];
	int rc;

	stress_fill(&rec[0], STRESS_VAL_B_THREAD);
	rc = cn_netlink_send(&rec[0].msg, 0, STRESS_IDX, GFP_KERNEL);
	stress_account(STRESS_VAL_B_THREAD, rc);
	if (rc)
		return rc;
	stress_fill(&rec[0], STRESS_VAL_SINK);
	rc = cn_netlink_send(&rec[0].msg, 0, 0, GFP_KERNEL);
	if (rc)
		return rc;
	stress_fill(&rec[0], STRESS_VAL_B_MULT);
	stress_fill(&rec[1], STRESS_VAL_B_MULT);
	rc = cntest_send_mult(&rec[0].msg, sizeof(rec) - sizeof(rec[0].msg),
			      0, STRESS_IDX, GFP_KERNEL);
	stress_account(STRESS_VAL_B_MULT, rc);
	return rc;
}

static void stress_fault_send_check(int rc, bool injected)
{
	if (injected)
		stress_inc(SC_FAULT_SEND_INJECTED);
	if (rc == -ENOMEM) {
		stress_inc(SC_FAULT_SEND_ENOMEM);
	} else if (rc) {
		stress_inc(SC_FAULT_SEND_BAD);
		pr_err("fault walk: send returned %d\n", rc);
	}
}

/* "faultsend" needs a listener on group STRESS_IDX. */
int stress_fault(bool send)
{
	if (send)
		stress_fault_walk(stress_fault_send_one, SC_FAULT_SEND_POINTS,
				  stress_fault_send_check);
	else
		stress_fault_walk(stress_fault_add_one, SC_FAULT_ADD_POINTS,
				  stress_fault_add_check);
	return 0;
}

#else

int stress_fault(bool send)
{
	return -EOPNOTSUPP;
}

#endif
