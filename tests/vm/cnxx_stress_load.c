// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_stress: the load while started - registrar kthreads that add and
 * remove dynamic ids, sender kthreads that broadcast (GFP_KERNEL, send_mult
 * and routed by a dynamic id), and a softirq hrtimer that broadcasts with
 * GFP_ATOMIC.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/random.h>
#include <linux/sched.h>

#include "cntest.h"
#include "cnxx_stress.h"

#define STRESS_MAX_THREADS	8
#define STRESS_AT_MOST		", at most " __stringify(STRESS_MAX_THREADS)

CNTEST_UINT_PARAM(registrars, 2, "kthreads adding and removing ids" STRESS_AT_MOST);
CNTEST_UINT_PARAM(senders, 1, "kthreads sending broadcasts" STRESS_AT_MOST);
CNTEST_UINT_PARAM(timer_us, 1000, "period of the softirq sender in us, 0 for none");
CNTEST_UINT_PARAM(gap_us, 300, "pause of the kthreads between operations in us");

static struct task_struct *stress_threads[2 * STRESS_MAX_THREADS];
static unsigned int stress_nthreads;
static bool stress_started;
static struct hrtimer stress_timer;
static bool stress_timer_active;
static int stress_timer_stop;
/* "fail on": the kthreads set make_it_fail, for failslab's task filter */
static int stress_fail;

bool stress_running(void)
{
	return READ_ONCE(stress_started);
}

void stress_fail_tasks(bool on)
{
	WRITE_ONCE(stress_fail, on);
}

static void stress_set_fail(void)
{
#ifdef CONFIG_FAULT_INJECTION
	current->make_it_fail = READ_ONCE(stress_fail);
#endif
}

static void stress_pause(void)
{
	usleep_range(gap_us, 2 * gap_us + 10);
}

static int stress_registrar(void *arg)
{
	while (!kthread_should_stop()) {
		stress_set_fail();
		stress_change_slot(get_random_u32(), STRESS_TOGGLE);
		stress_pause();
	}
	return 0;
}

/* One of three sends, in turn: to the group, send_mult, routed. */
static void stress_send(unsigned int turn)
{
	struct stress_small rec[3];
	unsigned int k;

	switch (turn % 3) {
	case 0:
		stress_fill(&rec[0], STRESS_VAL_B_THREAD);
		stress_account(STRESS_VAL_B_THREAD,
			       cn_netlink_send(&rec[0].msg, 0, STRESS_IDX,
					       GFP_KERNEL));
		break;
	case 1:
		/* records are packed: cn_msg, 8 data bytes, ... */
		for (k = 0; k < ARRAY_SIZE(rec); k++)
			stress_fill(&rec[k], STRESS_VAL_B_MULT);
		stress_account(STRESS_VAL_B_MULT,
			       cntest_send_mult(&rec[0].msg,
						sizeof(rec) - sizeof(rec[0].msg),
						0, STRESS_IDX, GFP_KERNEL));
		break;
	default:
		/* group 0: the group of the id's callback, if any */
		stress_fill(&rec[0], STRESS_VAL_DYN +
			    get_random_u32() % STRESS_NDYN);
		stress_account(STRESS_VAL_B_ROUTED,
			       cn_netlink_send(&rec[0].msg, 0, 0, GFP_KERNEL));
		break;
	}
}

static int stress_sender(void *arg)
{
	unsigned int turn = 0;

	while (!kthread_should_stop()) {
		stress_set_fail();
		stress_send(turn++);
		stress_pause();
	}
	return 0;
}

static enum hrtimer_restart stress_timer_fn(struct hrtimer *t)
{
	struct stress_small s;

	stress_inc(SC_TIMER);
	stress_fill(&s, STRESS_VAL_B_TIMER);
	stress_account(STRESS_VAL_B_TIMER,
		       cn_netlink_send(&s.msg, 0, STRESS_IDX, GFP_ATOMIC));
	if (READ_ONCE(stress_timer_stop))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime((u64)timer_us * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

void stress_stop(void)
{
	unsigned int i;

	if (stress_timer_active) {
		WRITE_ONCE(stress_timer_stop, 1);
		hrtimer_cancel(&stress_timer);
		stress_timer_active = false;
	}
	for (i = 0; i < stress_nthreads; i++)
		kthread_stop(stress_threads[i]);
	stress_nthreads = 0;
	WRITE_ONCE(stress_started, false);
}

/* Resets the counters and starts the kthreads and the timer. */
int stress_start(void)
{
	struct task_struct *t;
	unsigned int i, nreg, nsend;

	if (stress_started)
		return -EBUSY;
	stress_reset();
	nreg = min(registrars, STRESS_MAX_THREADS);
	nsend = min(senders, STRESS_MAX_THREADS);
	for (i = 0; i < nreg + nsend; i++) {
		if (i < nreg)
			t = kthread_run(stress_registrar, NULL, "cnxx_sreg/%u", i);
		else
			t = kthread_run(stress_sender, NULL, "cnxx_ssend/%u",
					i - nreg);
		if (IS_ERR(t)) {
			stress_stop();
			return PTR_ERR(t);
		}
		stress_threads[stress_nthreads++] = t;
	}
	if (timer_us) {
		WRITE_ONCE(stress_timer_stop, 0);
		hrtimer_start(&stress_timer,
			      ns_to_ktime((u64)timer_us * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_SOFT);
		stress_timer_active = true;
	}
	WRITE_ONCE(stress_started, true);
	return 0;
}

void stress_load_init(void)
{
	hrtimer_init(&stress_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	stress_timer.function = stress_timer_fn;
}
