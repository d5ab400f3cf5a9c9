/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of cnxx_stress.ko share:
 *   cnxx_stress_main.c   counters, the debugfs control, init and exit
 *   cnxx_stress_cb.c     the callbacks and the dynamic ids they check
 *   cnxx_stress_load.c   kthreads and the softirq timer that send and churn
 *   cnxx_stress_fault.c  fail-nth walks over add and send
 */
#ifndef CNXX_STRESS_H
#define CNXX_STRESS_H

#include <linux/atomic.h>
#include <linux/connector.h>

#include "cnxx_stressproto.h"

enum stress_counter {
	SC_ADD_OK,
	SC_ADD_ENOMEM,
	SC_ADD_EINVAL,
	SC_ADD_OTHER,
	SC_DEL,
	SC_BUSY,
	SC_CTRL_ADD,
	SC_CTRL_DEL,
	SC_CTRL_BAD,
	SC_SINK,
	SC_CTRL,
	SC_ECHO,
	SC_DYN,
	SC_BAD_ID,
	SC_CB_SLEEP,
	SC_CB_MUTEX,
	SC_CB_ALLOC,
	SC_CB_ALLOC_FAIL,
	SC_ECHO_FAIL,
	SC_TIMER,
	SC_VIOL_CALL_AFTER_DEL,
	SC_VIOL_RUNNING_AT_DEL,
	SC_VIOL_DEL_DURING_CALL,
	SC_FAULT_ADD_POINTS,
	SC_FAULT_ADD_INJECTED,
	SC_FAULT_ADD_ENOMEM,
	SC_FAULT_ADD_BAD,
	SC_FAULT_SEND_POINTS,
	SC_FAULT_SEND_INJECTED,
	SC_FAULT_SEND_ENOMEM,
	SC_FAULT_SEND_BAD,
	SC_NR,
};

extern atomic64_t stress_cnt[SC_NR];

static inline void stress_inc(enum stress_counter c)
{
	atomic64_inc(&stress_cnt[c]);
}

/* Counts the result @rc of a send of broadcast kind STRESS_VAL_B_* @val. */
void stress_account(u32 val, int rc);
void stress_reset(void);

/* A message for a broadcast: a cn_msg and 8 data bytes. */
struct stress_small {
	struct cn_msg msg;
	u8 data[8];
};

/* A message to {STRESS_IDX, @val} with the next seq. Any context. */
void stress_fill(struct stress_small *s, u32 val);

/* cnxx_stress_cb.c */
enum stress_op { STRESS_TOGGLE, STRESS_ADD, STRESS_DEL };

int stress_change_slot(u32 slot, enum stress_op op);
unsigned int stress_registered(void);
int stress_callbacks_add(void);
void stress_callbacks_del(void);

/* cnxx_stress_load.c; start and stop with the control lock held */
int stress_start(void);
void stress_stop(void);
bool stress_running(void);
void stress_fail_tasks(bool on);
void stress_load_init(void);

/* cnxx_stress_fault.c, with the control lock held */
int stress_fault(bool send);

#endif /* CNXX_STRESS_H */
