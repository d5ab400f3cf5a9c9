/* SPDX-License-Identifier: GPL-2.0 */
/*
 * platform.h - what the C++ runtime needs from the platform it runs on:
 * memory, RCU, locks, per-CPU counters, waiting, work items and logging.
 *
 * Implemented (cnxx_pf_*) by the kernel shim kmod/platform.c and by the
 * host fake tests/host/fake_platform.cpp; the runtime implements
 * cnxx_rcu_reclaim() for them. A C header that includes nothing, only
 * types the compiler provides, so that kernel C, the freestanding C++ and
 * the host tests all read the same one. Code built on the runtime adds its
 * own platform functions in its own header (kmod/core/cnxx_abi.h).
 */
#ifndef CXXRT_PLATFORM_H
#define CXXRT_PLATFORM_H

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned long long cnxx_u64; /* u64 on every Linux ABI */
typedef __SIZE_TYPE__ cnxx_size_t;

enum cnxx_gfp {
	CNXX_GFP_KERNEL, /* may sleep */
	CNXX_GFP_ATOMIC, /* any context */
};

/* kmalloc()/kfree(). Returns NULL on failure; memory is not zeroed. */
void *cnxx_pf_alloc(cnxx_size_t size, enum cnxx_gfp gfp);
void cnxx_pf_free(const void *ptr);
/*
 * kvmalloc(GFP_KERNEL)/kvfree(), for tables of any size. May sleep.
 * _free_large accepts NULL.
 */
void *cnxx_pf_alloc_large(cnxx_size_t size);
void cnxx_pf_free_large(const void *ptr);

/*
 * Same layout as struct rcu_head (the shim checks it at build time), so
 * that C++ objects can embed one without a kernel header. Its fields
 * belong to the platform.
 */
struct cnxx_rcu_head {
	void *next;
	void (*func)(void *head);
};

/*
 * call_rcu(): after a grace period the platform calls cnxx_rcu_reclaim()
 * with @head, in softirq context. The function the kernel calls is the
 * platform's own, with the kernel's prototype (kCFI), and it calls the
 * runtime directly.
 */
void cnxx_pf_call_rcu(struct cnxx_rcu_head *head);
/* Implemented by the runtime: frees the object that embeds @head. */
void cnxx_rcu_reclaim(struct cnxx_rcu_head *head);
/* rcu_barrier(): waits for every pending cnxx_pf_call_rcu() callback. May sleep. */
void cnxx_pf_rcu_barrier(void);
/* rcu_read_lock()/rcu_read_unlock(): no sleeping in between. */
void cnxx_pf_rcu_read_lock(void);
void cnxx_pf_rcu_read_unlock(void);

/*
 * Sleeping locks. Each belongs to a lock class, a static object of the
 * platform that the code above the runtime names (a lockdep class in the
 * kernel); locks of one class are never nested. _create stores the new
 * mutex in *@mutex and returns 0, or returns -ENOMEM; it may sleep.
 * _destroy accepts NULL.
 */
struct cnxx_lock_class;
struct cnxx_mutex;
int cnxx_pf_mutex_create(struct cnxx_lock_class *lock_class,
			 struct cnxx_mutex **mutex);
void cnxx_pf_mutex_destroy(struct cnxx_mutex *mutex);
void cnxx_pf_mutex_lock(struct cnxx_mutex *mutex);
void cnxx_pf_mutex_unlock(struct cnxx_mutex *mutex);

/*
 * Spinning locks (raw_spinlock_t: they spin on PREEMPT_RT too, so one may
 * be taken inside an atomic section), embedded in the object they guard:
 * the storage is the platform's (the shim checks at build time that the
 * lock fits). Process context only; nothing may sleep while one is held.
 * Each belongs to a lock class, as the mutexes do. Used only where
 * CXXRT_PLATFORM_SPINLOCK is defined (cxxrt/lock.h).
 */
struct cnxx_spinlock {
	unsigned long storage[10];
};
void cnxx_pf_spin_init(struct cnxx_spinlock *lock,
		       struct cnxx_lock_class *lock_class);
void cnxx_pf_spin_lock(struct cnxx_spinlock *lock);
void cnxx_pf_spin_unlock(struct cnxx_spinlock *lock);

/*
 * An atomic section: an RCU read-side critical section in which the task
 * is not preempted (rcu_read_lock_sched(): since the RCU flavours were
 * consolidated, call_rcu() waits for those too). Nothing inside may sleep.
 * Sections nest. The runtime's bit locks (cxxrt/lock.h) are taken only
 * inside one, so that they are plain atomic instructions in the C++ code,
 * with no platform call: a holder cannot be preempted, and the section is
 * paid once for a lookup and a lock together.
 *
 * _enter also returns the running task (current), which the code opening
 * a section on a hot path needs next (a call frame names its task): one
 * platform call where two were. Only ever compared.
 */
struct task_struct;
const struct task_struct *cnxx_pf_atomic_enter(void);
void cnxx_pf_atomic_exit(void);
/* cpu_relax(): a spinner's pause while a bit lock is contended. */
void cnxx_pf_cpu_relax(void);

/* The running task (current), only ever compared. */
const struct task_struct *cnxx_pf_current(void);

/*
 * wait_var_event()/wake_up_var(): sleep until @done(@arg) is true; a waker
 * changes the state with a full barrier (e.g. a seq_cst atomic RMW), or
 * under a lock that @done takes too, then calls cnxx_pf_wake(@key). @key
 * is only an address: it is never dereferenced.
 */
void cnxx_pf_wait(const void *key, bool (*done)(const void *arg),
		  const void *arg);
void cnxx_pf_wake(const void *key);

/*
 * A work item on the system workqueue that runs @fn(@arg). _create stores
 * the new item in *@work and returns 0, or returns -ENOMEM. _destroy waits
 * for a queued or running @fn, then frees the item; it accepts NULL. May
 * sleep.
 */
struct cnxx_work;
int cnxx_pf_work_create(void (*fn)(void *arg), void *arg,
			struct cnxx_work **work);
void cnxx_pf_work_queue(struct cnxx_work *work);
void cnxx_pf_work_destroy(struct cnxx_work *work);

enum cnxx_log_level {
	CNXX_LOG_ERR,
	CNXX_LOG_WARN,
	CNXX_LOG_INFO,
	CNXX_LOG_DEBUG,
};
/*
 * printk() with the module prefix; @fmt ends with a newline, as in the
 * kernel. The _ratelimited variant drops floods.
 */
void cnxx_pf_log(enum cnxx_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cnxx_pf_log_ratelimited(enum cnxx_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif

#endif /* CXXRT_PLATFORM_H */
