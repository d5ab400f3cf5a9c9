/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cnxx_abi.h - the C boundary between the kernel shims and the C++ core.
 *
 * Included from kernel C (kmod/, kunit/), from the freestanding C++ core and
 * from host tests, so it uses no kernel or libc header: only types the
 * compiler itself provides.
 *
 * Two directions:
 *  - cnxx_core_*: implemented by the core, called by the shims.
 *  - cnxx_pf_*:   the platform, implemented by kmod/platform.c in the kernel
 *                 and by tests/fake_platform.cpp on the host.
 *
 * Per-instance I/O (netlink replies, notifications) goes through
 * struct cnxx_core_ops so that KUnit and host tests can run private cores.
 */
#ifndef CNXX_ABI_H
#define CNXX_ABI_H

#ifdef __cplusplus
extern "C" {
#endif

typedef __UINT8_TYPE__ cnxx_u8;
typedef __UINT16_TYPE__ cnxx_u16;
typedef __UINT32_TYPE__ cnxx_u32;
typedef unsigned long long cnxx_u64; /* u64 on every Linux ABI */
typedef __SIZE_TYPE__ cnxx_size_t;

/* Same layout as struct cb_id. */
struct cnxx_cb_id {
	cnxx_u32 idx;
	cnxx_u32 val;
};

/* CN_CBNAME_LEN: names are truncated to 31 bytes plus NUL, as the kernel does. */
#define CNXX_NAME_LEN 32

/*
 * A connector callback, type-erased: the real type is
 * void (*)(struct cn_msg *, struct netlink_skb_parms *). Only
 * cnxx_pf_invoke() casts it back.
 */
typedef void (*cnxx_callback_t)(void);

/* ---------------------------------------------------------------------- */
/* Platform: provided by the kernel shim or by the host fake.             */
/* ---------------------------------------------------------------------- */

enum cnxx_gfp {
	CNXX_GFP_KERNEL, /* may sleep */
	CNXX_GFP_ATOMIC, /* any context */
};

/* kmalloc()/kfree(). Returns NULL on failure; memory is not zeroed. */
void *cnxx_pf_alloc(cnxx_size_t size, enum cnxx_gfp gfp);
void cnxx_pf_free(const void *ptr);
/* kvmalloc(GFP_KERNEL)/kvfree(), for tables of any size. May sleep. */
void *cnxx_pf_alloc_large(cnxx_size_t size);
void cnxx_pf_free_large(const void *ptr);

/*
 * Same layout as struct rcu_head (the shim checks it at build time), so the
 * core can embed one in its objects without a kernel header. Its fields
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
 * core directly.
 */
void cnxx_pf_call_rcu(struct cnxx_rcu_head *head);
/* Implemented by the core's runtime: frees the object that embeds @head. */
void cnxx_rcu_reclaim(struct cnxx_rcu_head *head);
/* rcu_barrier(): waits for every pending cnxx_pf_call_rcu() callback. May sleep. */
void cnxx_pf_rcu_barrier(void);
/* rcu_read_lock()/rcu_read_unlock(): no sleeping in between. */
void cnxx_pf_rcu_read_lock(void);
void cnxx_pf_rcu_read_unlock(void);

/*
 * Sleeping locks. The class gives each lock its own lockdep class; locks of
 * the same class are never nested.
 */
enum cnxx_lock_class {
	CNXX_LOCK_REGISTRY,
	CNXX_LOCK_NOTIFY,
	CNXX_LOCK_CLASSES,
};
struct cnxx_mutex;
struct cnxx_mutex *cnxx_pf_mutex_create(enum cnxx_lock_class cls); /* NULL on ENOMEM */
void cnxx_pf_mutex_destroy(struct cnxx_mutex *mutex);
void cnxx_pf_mutex_lock(struct cnxx_mutex *mutex);
void cnxx_pf_mutex_unlock(struct cnxx_mutex *mutex);

/*
 * bit_spin_lock() on bit 0 of *@word: a one-word lock for short sections
 * in process or RCU read context; disables preemption while held. *@word
 * holds nothing but the lock, so the unlock may be a plain release store
 * (__bit_spin_unlock()): only the holder writes the word.
 */
void cnxx_pf_bit_lock(unsigned long *word);
void cnxx_pf_bit_unlock(unsigned long *word);

/*
 * A per-CPU statistics counter (alloc_percpu(u64)): _inc adds one to the
 * current CPU's copy with no locked instruction, from any context; _sum
 * adds up every CPU's copy. _create returns NULL on ENOMEM and may sleep;
 * _destroy accepts NULL.
 */
struct cnxx_percpu_counter;
struct cnxx_percpu_counter *cnxx_pf_percpu_counter_create(void);
void cnxx_pf_percpu_counter_destroy(struct cnxx_percpu_counter *counter);
void cnxx_pf_percpu_counter_inc(struct cnxx_percpu_counter *counter);
cnxx_u64 cnxx_pf_percpu_counter_sum(const struct cnxx_percpu_counter *counter);

/* The running task, as an opaque identity (current). */
const void *cnxx_pf_current(void);

/*
 * wait_var_event()/wake_up_var(): sleep until @done(@arg) is true; a waker
 * changes the state with a full barrier (e.g. a seq_cst atomic RMW), then
 * calls cnxx_pf_wake(@var). @var is only a key: it is never dereferenced.
 */
void cnxx_pf_wait(const void *var, bool (*done)(const void *arg),
		  const void *arg);
void cnxx_pf_wake(const void *var);

/* A work item on the system workqueue. */
struct cnxx_work;
struct cnxx_work *cnxx_pf_work_create(void (*fn)(void *arg), void *arg);
void cnxx_pf_work_queue(struct cnxx_work *work);
/* Waits for a queued or running @fn, then frees the item. May sleep. */
void cnxx_pf_work_destroy(struct cnxx_work *work);

/*
 * Calls @cb(msg, sender) with their real kernel types. May sleep. Under
 * lockdep the call holds the callbacks' lockdep map, which
 * cnxx_pf_lockdep_wait_calls() acquires too: "a remover holds L while a
 * callback takes L" is then reported as a deadlock, as for flush_work().
 */
void cnxx_pf_invoke(cnxx_callback_t cb, void *msg, void *sender);
/*
 * The remover's half of that annotation, before it waits for calls. Does
 * nothing when the current task is itself inside a callback (a callback
 * may remove ids, its own included). May sleep.
 */
void cnxx_pf_lockdep_wait_calls(void);

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

/* ---------------------------------------------------------------------- */
/* Core: one connector instance.                                          */
/* ---------------------------------------------------------------------- */

struct cnxx_core;

/* Per-instance I/O, supplied by whoever creates the core. */
struct cnxx_core_ops {
	/*
	 * Answers a netlink message that asked for NLM_F_ACK: @nlh is its
	 * header, inside the buffer given to cnxx_core_receive() (@rx is its
	 * @rx), or a copy trimmed to the header alone when its nlmsg_len
	 * does not fit the buffer, so that an error ack, which echoes
	 * nlmsg_len bytes, never reads past it. @err is 0 or a negative
	 * errno. Process context.
	 */
	void (*ack)(void *ctx, void *rx, const void *nlh, int err);
	/*
	 * Sends one notification, a complete struct cn_msg of @size bytes,
	 * to netlink group @group. Process context, may sleep. Returns 0 or a
	 * negative errno (-ESRCH when nobody listens).
	 */
	int (*notify)(void *ctx, const void *msg, cnxx_size_t size,
		      cnxx_u32 group);
	/* Whether @sender (struct netlink_skb_parms) has CAP_NET_ADMIN. */
	bool (*sender_capable)(void *ctx, void *sender);
};

struct cnxx_core_config {
	cnxx_u32 hash_bits;		/* registry has 1 << hash_bits buckets */
	cnxx_u32 groups;		/* highest valid netlink group */
	cnxx_u32 max_notify_requests;	/* stored notification requests */
	cnxx_u32 max_notify_ranges;	/* idx + val ranges in one request */
	cnxx_u32 max_notify_pending;	/* queued, unsent notifications */
	const struct cnxx_core_ops *ops;
	void *ctx;			/* first argument of every op */
};

/*
 * Creates a core in *@core: 0, -EINVAL for an invalid config (hash_bits
 * above 20, a missing op), -ENOMEM. May sleep.
 */
int cnxx_core_create(const struct cnxx_core_config *config,
		     struct cnxx_core **core);
/*
 * Destroys a core: removes every callback (waiting for running ones),
 * drains queued notifications, frees the requests. May sleep. The caller
 * has stopped all input first.
 */
void cnxx_core_destroy(struct cnxx_core *core);

/*
 * cn_add_callback(): 0, -EINVAL for a duplicate or reserved id (the control
 * id {-1,-1}) or a NULL @name/@cb, -ENOMEM. May sleep.
 */
int cnxx_core_add(struct cnxx_core *core, const struct cnxx_cb_id *id,
		  const char *name, cnxx_callback_t cb);
/*
 * cn_del_callback(): unlinks the callback registered for @id, if any, so
 * that no new call starts, then returns once no call runs of any callback
 * ever registered under @id and unlinked up to now - whoever unlinked it,
 * even a callback that removed its own id and is still running, or
 * another remover of the same id - except calls made by the current task
 * (a callback removing its own id cannot wait for itself). An id added
 * again meanwhile is the one this call unlinks; callbacks registered and
 * removed after this call started are not waited for. Each unlinked entry
 * is freed by the last call or remover to leave it. Returns 0, or -ENOENT
 * if no callback was linked under @id (the wait happens all the same).
 * May sleep.
 */
int cnxx_core_del(struct cnxx_core *core, const struct cnxx_cb_id *id);

/*
 * The receive path: walks every netlink message in @buf (@len bytes),
 * validates it, and calls the callback of its id with @sender, or handles
 * a control request. Messages with NLM_F_ACK are answered through ops->ack
 * with @rx. Process context; callbacks may sleep.
 */
void cnxx_core_receive(struct cnxx_core *core, void *buf, cnxx_size_t len,
		       void *sender, void *rx);

/*
 * The send path, before the platform builds the skb: checks that @msg
 * (struct cn_msg) followed by @len bytes holds whole cn_msg records
 * (-EINVAL if not) and picks the destination group: @group if @portid or
 * @group is set, else the group of the callback registered for msg->id
 * (-ENODEV if none). Any context; never sleeps.
 */
int cnxx_core_route(struct cnxx_core *core, const void *msg, cnxx_u16 len,
		    cnxx_u32 portid, cnxx_u32 group, cnxx_u32 *dst_group);
/*
 * Whether a unicast the current task sends now may wait for a full
 * receiver: false while the task runs a callback whose removal is
 * pending, so that no sender can hold a remover. Cheap when no removal is
 * under way. May sleep (process context, a blocking send).
 */
bool cnxx_core_reply_may_block(struct cnxx_core *core);

/*
 * Accounts the result of a send of a message whose id is @id. -EAGAIN from
 * a unicast counts as a dropped reply. Any context.
 */
void cnxx_core_account_send(struct cnxx_core *core,
			    const struct cnxx_cb_id *id, int result);

/*
 * A notification request from a kernel module: @ctl is a struct
 * cn_ctl_msg of @size bytes. Same rules as one from user space, without
 * the capability check. 0 or a negative errno. May sleep.
 */
int cnxx_core_notify_request(struct cnxx_core *core, const void *ctl,
			     cnxx_size_t size);

/* What a reader of the statistics sees of one callback. */
struct cnxx_cb_info {
	struct cnxx_cb_id id;
	char name[CNXX_NAME_LEN];
	cnxx_u32 group;
	cnxx_u64 delivered;	/* messages handed to the callback */
	cnxx_u64 dropped;	/* messages for this id not delivered */
	cnxx_u64 send_errors;	/* failed sends of messages with this id */
	cnxx_u64 replies_dropped; /* of which unicasts to a full receiver */
};

/*
 * Calls @visit for each callback, in registration order, under the
 * registry lock: @visit may sleep but must not call back into the core.
 */
void cnxx_core_for_each(struct cnxx_core *core,
			void (*visit)(void *arg, const struct cnxx_cb_info *info),
			void *arg);

/* Module-wide counters. */
struct cnxx_stats {
	cnxx_u64 rx_messages;	/* netlink messages seen */
	cnxx_u64 rx_delivered;	/* handed to a callback */
	cnxx_u64 rx_invalid;	/* malformed: bad header or lengths */
	cnxx_u64 rx_oversize;	/* payload > CONNECTOR_MAX_MSG_SIZE */
	cnxx_u64 rx_unknown;	/* no callback for the id */
	cnxx_u64 rx_control;	/* control requests handled */
	cnxx_u64 rx_denied;	/* control requests without CAP_NET_ADMIN */
	cnxx_u64 tx_messages;	/* successful sends */
	cnxx_u64 tx_errors;	/* failed sends */
	cnxx_u64 tx_replies_dropped;	/* of which unicasts to a full receiver */
	cnxx_u64 callbacks;	/* currently registered */
	cnxx_u64 notify_requests;	/* currently stored */
	cnxx_u64 notify_sent;	/* notifications sent */
	cnxx_u64 notify_failed;	/* dropped: no memory, queue full, send error */
};
void cnxx_core_stats(struct cnxx_core *core, struct cnxx_stats *stats);

/*
 * Debug-flavor builds only (kmod/core/debug/): reads the byte just past a
 * @size-byte allocation, a deliberate out-of-bounds read for KASAN to
 * report. Returns the byte or -ENOMEM. May sleep.
 */
int cnxx_core_selftest_oob_read(cnxx_size_t size);

#ifdef __cplusplus
}
#endif

#endif /* CNXX_ABI_H */
