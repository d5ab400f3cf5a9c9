// SPDX-License-Identifier: GPL-2.0
/*
 * The platform functions the C++ side calls: the runtime's
 * (cxxrt/platform.h: memory, RCU, atomic sections, locks, waiting, work
 * items, logging) and the core's (kmod/core/cnxx_abi.h: lock classes,
 * calling a callback).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/processor.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include "shims.h"
#include "../cxxrt/errno.h"

static_assert(sizeof(struct cnxx_rcu_head) == sizeof(struct rcu_head));
static_assert(__alignof__(struct cnxx_rcu_head) >= __alignof__(struct rcu_head));

/* The core returns errno values it cannot take from a kernel header. */
#define CNXX_CHECK_ERRNO(name) \
	static_assert(CXXRT_##name == name, "cxxrt/errno.h: " #name);
CXXRT_ERRNO_LIST(CNXX_CHECK_ERRNO)

void *cnxx_pf_alloc(size_t size, enum cnxx_gfp gfp)
{
	return kmalloc(size, gfp == CNXX_GFP_ATOMIC ? GFP_ATOMIC : GFP_KERNEL);
}

void cnxx_pf_free(const void *ptr)
{
	kfree(ptr);
}

void *cnxx_pf_alloc_large(size_t size)
{
	return kvmalloc(size, GFP_KERNEL);
}

void cnxx_pf_free_large(const void *ptr)
{
	kvfree(ptr);
}

/* The kernel calls only C functions of its own prototype (kCFI). */
static void cnxx_rcu_done(struct rcu_head *head)
{
	/* SAFETY: every head queued here is a cnxx_rcu_head, same layout. */
	cnxx_rcu_reclaim((struct cnxx_rcu_head *)head);
}

void cnxx_pf_call_rcu(struct cnxx_rcu_head *head)
{
	/* SAFETY: same layout as struct rcu_head, checked above. */
	call_rcu((struct rcu_head *)head, cnxx_rcu_done);
}

void cnxx_pf_rcu_barrier(void)
{
	rcu_barrier();
}

void cnxx_pf_rcu_read_lock(void)
{
	rcu_read_lock();
}

void cnxx_pf_rcu_read_unlock(void)
{
	rcu_read_unlock();
}

struct cnxx_mutex {
	struct mutex mutex;
};

/* A lockdep class: its key must be static, so it lives here. */
struct cnxx_lock_class {
	struct lock_class_key key;
	const char *name;
};

struct cnxx_lock_class cnxx_registry_lock_class = { .name = "cnxx_registry" };
struct cnxx_lock_class cnxx_notify_lock_class = { .name = "cnxx_notify" };
struct cnxx_lock_class cnxx_entry_lock_class = { .name = "cnxx_entry" };

int cnxx_pf_mutex_create(struct cnxx_lock_class *lock_class,
			 struct cnxx_mutex **mutex)
{
	struct cnxx_mutex *m = kmalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	__mutex_init(&m->mutex, lock_class->name, &lock_class->key);
	*mutex = m;
	return 0;
}

void cnxx_pf_mutex_destroy(struct cnxx_mutex *m)
{
	if (m)
		mutex_destroy(&m->mutex);
	kfree(m);
}

void cnxx_pf_mutex_lock(struct cnxx_mutex *m)
{
	mutex_lock(&m->mutex);
}

void cnxx_pf_mutex_unlock(struct cnxx_mutex *m)
{
	mutex_unlock(&m->mutex);
}

#ifdef CXXRT_PLATFORM_SPINLOCK
static_assert(sizeof(raw_spinlock_t) <= sizeof(struct cnxx_spinlock));
static_assert(__alignof__(raw_spinlock_t) <= __alignof__(struct cnxx_spinlock));

/* SAFETY: the storage holds a raw_spinlock_t, checked above. */
static raw_spinlock_t *cnxx_spinlock(struct cnxx_spinlock *lock)
{
	return (raw_spinlock_t *)lock->storage;
}

void cnxx_pf_spin_init(struct cnxx_spinlock *lock,
		       struct cnxx_lock_class *lock_class)
{
	raw_spin_lock_init(cnxx_spinlock(lock));
	lockdep_set_class_and_name(cnxx_spinlock(lock), &lock_class->key,
				   lock_class->name);
}

void cnxx_pf_spin_lock(struct cnxx_spinlock *lock)
{
	raw_spin_lock(cnxx_spinlock(lock));
}

void cnxx_pf_spin_unlock(struct cnxx_spinlock *lock)
{
	raw_spin_unlock(cnxx_spinlock(lock));
}
#endif

/* The C++ bit locks inside rely on the preemption this disables. */
const struct task_struct *cnxx_pf_atomic_enter(void)
{
	rcu_read_lock_sched();
	return current;
}

void cnxx_pf_atomic_exit(void)
{
	rcu_read_unlock_sched();
}

void cnxx_pf_cpu_relax(void)
{
	cpu_relax();
}

const struct task_struct *cnxx_pf_current(void)
{
	return current;
}

void cnxx_pf_wait(const void *key, bool (*done)(const void *arg),
		  const void *arg)
{
	wait_var_event((void *)key, done(arg));
}

void cnxx_pf_wake(const void *key)
{
	wake_up_var((void *)key);
}

struct cnxx_work {
	struct work_struct work;
	void (*fn)(void *arg);
	void *arg;
};

static void cnxx_work_run(struct work_struct *work)
{
	struct cnxx_work *w = container_of(work, struct cnxx_work, work);

	w->fn(w->arg);
}

int cnxx_pf_work_create(void (*fn)(void *arg), void *arg,
			struct cnxx_work **work)
{
	struct cnxx_work *w = kmalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return -ENOMEM;
	INIT_WORK(&w->work, cnxx_work_run);
	w->fn = fn;
	w->arg = arg;
	*work = w;
	return 0;
}

void cnxx_pf_work_queue(struct cnxx_work *w)
{
	schedule_work(&w->work);
}

void cnxx_pf_work_destroy(struct cnxx_work *w)
{
	if (!w)
		return;
	cancel_work_sync(&w->work);
	kfree(w);
}

/*
 * One lockdep class for every callback: a call holds it, a remover takes
 * and drops it before waiting, as process_one_work() and flush_work() do
 * with a work item's map.
 */
#ifdef CONFIG_LOCKDEP
static struct lock_class_key cnxx_calls_key;
static struct lockdep_map cnxx_calls_map =
	STATIC_LOCKDEP_MAP_INIT("cnxx_callback", &cnxx_calls_key);
#endif

void cnxx_pf_invoke(cnxx_callback_t cb, struct cn_msg *msg,
		    struct netlink_skb_parms *sender)
{
#ifdef CONFIG_LOCKDEP
	lock_map_acquire(&cnxx_calls_map);
#endif
	cb(msg, sender);
#ifdef CONFIG_LOCKDEP
	lock_map_release(&cnxx_calls_map);
#endif
}

void cnxx_pf_lockdep_wait_calls(void)
{
#ifdef CONFIG_LOCKDEP
	/* A callback may remove ids: it cannot deadlock on its own class. */
	if (lock_is_held(&cnxx_calls_map))
		return;
	lock_map_acquire(&cnxx_calls_map);
	lock_map_release(&cnxx_calls_map);
#endif
}

static const char *const cnxx_levels[] = {
	[CNXX_LOG_ERR] = KERN_ERR,
	[CNXX_LOG_WARN] = KERN_WARNING,
	[CNXX_LOG_INFO] = KERN_INFO,
	[CNXX_LOG_DEBUG] = KERN_DEBUG,
};

static void cnxx_vlog(enum cnxx_log_level level, const char *fmt,
		      va_list *ap)
{
	struct va_format vaf = { .fmt = fmt, .va = ap };

	if (level > CNXX_LOG_DEBUG)
		level = CNXX_LOG_DEBUG;
	printk("%s" KBUILD_MODNAME ": %pV", cnxx_levels[level], &vaf);
}

void cnxx_pf_log(enum cnxx_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cnxx_vlog(level, fmt, &ap);
	va_end(ap);
}

void cnxx_pf_log_ratelimited(enum cnxx_log_level level, const char *fmt, ...)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	va_list ap;

	if (!__ratelimit(&rs))
		return;
	va_start(ap, fmt);
	cnxx_vlog(level, fmt, &ap);
	va_end(ap);
}
