/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the cnxx_kunit suites that drive a private core through
 * the core ABI (receive.c, route.c, unregister.c, notify.c): each case
 * gets a core of its own, and the fixture records what the core's ops and
 * the cases' callbacks saw.
 *
 * Every wait is bounded, so a core that deadlocks fails a case instead of
 * hanging the module load. Message buffers are exact-size kmalloc()
 * allocations, so that KASAN (debug kernels) reports a read past their end.
 */
#ifndef CNXX_KUNIT_FIXTURE_H
#define CNXX_KUNIT_FIXTURE_H

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/connector.h>
#include <linux/jiffies.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>

#include "core/cnxx_abi.h"

/* The private cores' configuration. */
#define KT_HASH_BITS	10
#define KT_GROUPS	32

#define KT_MAX_ACKS	16
#define KT_MAX_CALLS	16
#define KT_MAX_THREADS	4
#define KT_MAX_BUFS	8
#define KT_MAX_INFOS	16

/* Anything that should finish at once, with room for a slow emulator. */
#define KT_TIMEOUT	msecs_to_jiffies(5000)

/* Marked slow where KUnit knows the attribute (6.6+), to quiet its note. */
#ifdef KUNIT_CASE_SLOW
#define KT_CASE_SLOW(fn) KUNIT_CASE_SLOW(fn)
#else
#define KT_CASE_SLOW(fn) KUNIT_CASE(fn)
#endif

/* Suite "cnxx_@suite" of the {}-ended array @cases, run at module load. */
#define KT_SUITE(suite, init_fn, exit_fn, cases)			\
	static struct kunit_suite kt_##suite##_suite = {		\
		.name = "cnxx_" #suite,					\
		.init = init_fn,					\
		.exit = exit_fn,					\
		.test_cases = cases,					\
	};								\
	kunit_test_suites(&kt_##suite##_suite)

struct kt_ack {
	const struct nlmsghdr *nlh;
	struct sk_buff *rx;
	int err;
};

struct kt_call {
	struct cb_id id;
	u32 seq;
	u16 len;
	bool data_ok;
	void *sender;
};

struct kt_fix;

struct kt_thread {
	struct kt_fix *fix;
	int (*fn)(struct kt_thread *t);
	struct completion done;
	bool running;		/* started and not yet joined */
	int ret;
	void *buf;
	size_t len;
	struct cnxx_cb_id id;
};

/* One test case's private core and everything its ops and callbacks saw. */
struct kt_fix {
	struct kunit *test;
	struct cnxx_core *core;
	struct cnxx_core_config cfg;
	struct netlink_skb_parms sender;	/* the fake sender: all zero */
	struct sk_buff rx_token;		/* only its address, the @rx */

	spinlock_t lock;			/* acks, calls */
	unsigned int nacks;
	unsigned int ncalls;
	struct kt_ack acks[KT_MAX_ACKS];
	struct kt_call calls[KT_MAX_CALLS];

	/* for the callbacks of unregister.c */
	struct completion entered;
	struct completion release;
	struct completion del_started;
	atomic_t hits;
	atomic_t violations;
	bool deleted;
	bool stop;		/* set at exit: threads of a failed case end */
	bool release_timed_out;
	int cb_ret[2];

	struct kt_thread threads[KT_MAX_THREADS];
	void *bufs[KT_MAX_BUFS];
	unsigned int nbufs;
};

/* Callbacks get no context: they find the running case's fixture here. */
extern struct kt_fix *kt_cur;

/* The suite's init and exit: a fresh core, then everything freed. */
int kt_fix_init(struct kunit *test);
void kt_fix_exit(struct kunit *test);

static inline struct cnxx_cb_id kt_id(u32 idx, u32 val)
{
	return (struct cnxx_cb_id) { .idx = idx, .val = val };
}

/* Zeroed, exactly @len bytes, freed at exit; NULL after KT_MAX_BUFS. */
void *kt_buf(struct kt_fix *fix, size_t len);
int kt_add(struct kt_fix *fix, u32 idx, u32 val, const char *name,
	   cnxx_callback_t cb);
int kt_del(struct kt_fix *fix, u32 idx, u32 val);
struct cnxx_stats kt_stats(struct kt_fix *fix);

struct kt_infos {
	unsigned int n;
	struct cnxx_cb_info info[KT_MAX_INFOS];
};

/* The registry in cnxx_core_for_each() order. */
struct kt_infos *kt_list(struct kunit *test, struct kt_fix *fix);
const struct cnxx_cb_info *kt_find(const struct kt_infos *l, u32 idx,
				   u32 val);

/* Records a delivery and checks the data against the sender's pattern. */
void kt_record_cb(struct cn_msg *msg, struct netlink_skb_parms *nsp);

/* One netlink message of a receive buffer. */
struct kt_spec {
	u32 idx;
	u32 val;
	u32 seq;
	u16 cn_len;	/* cn_msg.len */
	u16 flags;	/* nlmsg_flags */
	u32 payload;	/* bytes present after the nlmsghdr; 0: cn_msg + cn_len */
	bool claim;	/* write nl_len as nlmsg_len instead of the real one */
	u32 nl_len;
};

/*
 * Builds @n messages back to back, each aligned as netlink does except the
 * last, which ends the buffer unpadded unless @tail bytes of a partial
 * header follow. @offs gets each message's offset.
 */
u8 *kt_build(struct kunit *test, struct kt_fix *fix, const struct kt_spec *s,
	     unsigned int n, size_t tail, size_t *lenp, size_t *offs);

void kt_rx(struct kt_fix *fix, void *buf, size_t len);
/* Receives in a thread, so that a walk that never ends fails the case. */
void kt_rx_bounded(struct kunit *test, struct kt_fix *fix, void *buf,
		   size_t len);

/* Runs @fn in a kthread of the case; kt_join() waits for it. */
struct kt_thread *kt_start(struct kunit *test, struct kt_fix *fix,
			   int (*fn)(struct kt_thread *t), void *buf,
			   size_t len, struct cnxx_cb_id id);
bool kt_join(struct kt_thread *t, unsigned long timeout);
/* A thread that receives @t->buf. */
int kt_rx_fn(struct kt_thread *t);

/* The @i-th call recorded by kt_record_cb(), and the @i-th ack. */
void kt_expect_call(struct kunit *test, struct kt_fix *fix, unsigned int i,
		    u32 idx, u32 val, u32 seq, u16 len);
void kt_expect_ack(struct kunit *test, struct kt_fix *fix, unsigned int i,
		   const u8 *nlh, int err);

#endif /* CNXX_KUNIT_FIXTURE_H */
