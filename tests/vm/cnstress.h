/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the cnstress modes share: the sender acks, the receiver thread,
 * the stress run that the fault mode repeats under failslab.
 */
#ifndef CNSTRESS_H
#define CNSTRESS_H

#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#include "cnxx_stressutil.h"

#define MAX_SENDERS 8
#define FAILSLAB "/sys/kernel/debug/failslab"

/*
 * What a sender sends; its messages carry the kind in bits 24-27 of the
 * seq, so that an ack (which echoes the request's header) names it.
 */
enum send_kind { K_SINK, K_DYN, K_CTRL, K_ECHO, K_UNKNOWN, K_NR };

struct ack_counts {
	uint64_t ok, enodev, enomem, other, overruns, echo, echo_bad, data;
	uint64_t ok_k[K_NR], enodev_k[K_NR];
	int last_other;
};

struct receiver {
	pthread_t th;
	int fd;
	int cycle;	/* replies of cnxx_cycle, counted in @other */
	uint64_t kind[STRESS_B_KINDS];
	uint64_t other, bad, overruns, notify_reg, notify_unreg;
	double last_rx;
	void (*count)(struct receiver *r, const struct cnxx_msg *msg);
};

extern atomic_int stop_senders;
extern atomic_int stop_receivers;

/* cnxx_stress.ko's and cnxx's counters; 0 when absent. */
long long st(const char *key);
long long cnxx_st(const char *key);
/* Reads everything queued on @fd without waiting, counting acks. */
void drain(int fd, struct ack_counts *a);
/* Adds @a to @sum. */
void ack_counts_add(struct ack_counts *sum, const struct ack_counts *a);
/* failslab's task filter: this thread's allocations may fail */
void make_it_fail(int on);
/* A receiver thread: hands every netlink message to r->count. */
void *receiver_fn(void *arg);
/* Counts one broadcast of cnxx_stress, or one reply of cnxx_cycle. */
void count_broadcast(struct receiver *r, const struct cnxx_msg *msg);
/* Writes @cmd to cnxx_stress's control file; a failure is counted. */
int control(const char *cmd);
/* Waits until @r has been quiet for @idle seconds (at most 30 s). */
void wait_quiet(struct receiver *r, double idle);
/* The data of a notification request for the dynamic ids to @group. */
ssize_t notify_request_build(void *buf, size_t size, uint32_t group);
int notify_request(uint32_t group);

int run_stress(const char *tag, double secs, int nsend, int fault,
	       uint64_t seed);
int run_cycle(int cycles, const char *path, uint64_t seed);
int run_fault(double secs, int percent, uint64_t seed);

#endif /* CNSTRESS_H */
