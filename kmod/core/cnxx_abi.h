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
 *                 and by tests/host/fake_platform.cpp on the host: what the
 *                 runtime needs (cxxrt/platform.h) and, below, what the
 *                 core needs on top of it.
 *
 * Per-instance I/O (netlink replies, notifications) goes through
 * struct cnxx_core_ops so that KUnit and host tests can run private cores.
 */
#ifndef CNXX_ABI_H
#define CNXX_ABI_H

#include "../../cxxrt/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef __UINT8_TYPE__ cnxx_u8;
typedef __UINT16_TYPE__ cnxx_u16;
typedef __UINT32_TYPE__ cnxx_u32;

/*
 * Kernel structures the ABI passes by pointer, declared by name only: the
 * core hands them on, or reads their bytes, never through these types.
 */
struct cn_msg;			/* a connector message, header and data */
struct cn_ctl_msg;		/* a notification request (uapi) */
struct netlink_skb_parms;	/* the sender of a received message */
struct nlmsghdr;		/* a netlink header inside a received buffer */
struct sk_buff;			/* the received buffer, for acks */

/* Same layout as struct cb_id (checked in kmod/api.c). */
struct cnxx_cb_id {
	cnxx_u32 idx;
	cnxx_u32 val;
};

/* CN_CBQ_NAMELEN (checked in kmod/api.c): 31 bytes of a name and a NUL. */
#define CNXX_NAME_LEN 32

/* A connector callback, with the kernel's exact type. */
typedef void (*cnxx_callback_t)(struct cn_msg *msg,
				struct netlink_skb_parms *sender);

/* ---------------------------------------------------------------------- */
/* Platform: what the core needs beyond the runtime's platform.          */
/* ---------------------------------------------------------------------- */

/* The lock classes of the core's mutexes (cxxrt/platform.h). */
extern struct cnxx_lock_class cnxx_registry_lock_class;
extern struct cnxx_lock_class cnxx_notify_lock_class;
extern struct cnxx_lock_class cnxx_entry_lock_class;

/*
 * Calls @cb(@msg, @sender), which may sleep: outside any atomic section or
 * lock. Under lockdep the call holds the callbacks' lockdep map, which
 * cnxx_pf_lockdep_wait_calls() acquires too: "a remover holds L while a
 * callback takes L" is then reported as a deadlock, as for flush_work().
 */
void cnxx_pf_invoke(cnxx_callback_t cb, struct cn_msg *msg,
		    struct netlink_skb_parms *sender);
/*
 * The remover's half of that annotation, before it waits for calls. Does
 * nothing when the current task is itself inside a callback (a callback
 * may remove ids, its own included). May sleep.
 */
void cnxx_pf_lockdep_wait_calls(void);

/* ---------------------------------------------------------------------- */
/* Core: one connector instance.                                          */
/* ---------------------------------------------------------------------- */

struct cnxx_core;

/* Per-instance I/O, supplied by whoever creates the core. */
struct cnxx_core_ops {
	/*
	 * Answers a netlink message that asked for NLM_F_ACK: @nlh is its
	 * header, inside the buffer given to cnxx_core_receive() (@rx is that
	 * call's @rx), or a copy trimmed to the header alone when its
	 * nlmsg_len does not fit the buffer, so that an error ack, which
	 * echoes nlmsg_len bytes, never reads past it. @err is 0 or a
	 * negative errno. Process context.
	 */
	void (*ack)(void *ctx, struct sk_buff *rx, const struct nlmsghdr *nlh,
		    int err);
	/*
	 * Sends one notification, @msg with its data, @size bytes in all,
	 * to netlink group @group. Process context, may sleep. Returns 0 or a
	 * negative errno (-ESRCH when nobody listens).
	 */
	int (*notify)(void *ctx, const struct cn_msg *msg, cnxx_size_t size,
		      cnxx_u32 group);
	/* Whether @sender has CAP_NET_ADMIN. */
	bool (*sender_capable)(void *ctx,
			       const struct netlink_skb_parms *sender);
};

/* The largest hash_bits: 8 MiB of buckets, from kvmalloc(). */
#define CNXX_MAX_HASH_BITS 20

struct cnxx_core_config {
	cnxx_u32 hash_bits;		/* registry has 1 << hash_bits buckets */
	cnxx_u32 groups;		/* netlink groups: 1 .. groups */
	cnxx_u32 max_notify_requests;	/* stored notification requests */
	cnxx_u32 max_notify_ranges;	/* idx + val ranges in one request */
	cnxx_u32 max_notify_pending;	/* queued, unsent notifications */
	const struct cnxx_core_ops *ops;
	void *ctx;			/* first argument of every op */
};

/*
 * Creates a core in *@core: 0, -EINVAL for an invalid config (hash_bits
 * above CNXX_MAX_HASH_BITS, a missing op), -ENOMEM. May sleep.
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
		       struct netlink_skb_parms *sender, struct sk_buff *rx);

/*
 * The send path's one question to the core: the group of the callback
 * registered for @id, in *@group, for a send that names neither a port nor
 * a group. 0, or -ENODEV if no callback has @id. A group beyond
 * config->groups is netlink's to refuse (-ESRCH: nobody can listen there).
 * Any context; never sleeps.
 */
int cnxx_core_route(struct cnxx_core *core, const struct cnxx_cb_id *id,
		    cnxx_u32 *group);

/* struct cn_msg: its size and where it keeps len (checked in api.c, wire.h). */
#define CNXX_CN_MSG_SIZE 20
#define CNXX_CN_MSG_LEN_OFFSET 16

/*
 * Whether a unicast the current task sends now may wait for a full
 * receiver: false while the task runs a callback whose removal is
 * pending, so that no sender can hold a remover. Cheap when no removal is
 * under way. May sleep (process context, a blocking send).
 */
bool cnxx_core_reply_may_block(struct cnxx_core *core);

/*
 * Counts a failed send (@err, a negative errno) of a message whose id is
 * @id against the callback registered for @id, if any: its send errors,
 * and -EAGAIN from a unicast also as a dropped reply. The sends themselves
 * are the shim's to count. Any context; never sleeps.
 */
void cnxx_core_send_failed(struct cnxx_core *core,
			   const struct cnxx_cb_id *id, int err);

/*
 * A notification request from a kernel module: @ctl and its ranges, @size
 * bytes in all. Same rules as one from user space, without
 * the capability check. 0 or a negative errno. May sleep.
 */
int cnxx_core_notify_request(struct cnxx_core *core,
			     const struct cn_ctl_msg *ctl, cnxx_size_t size);

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

/* Module-wide counters of the core (sends are the shim's to count). */
struct cnxx_stats {
	cnxx_u64 rx_messages;	/* netlink messages seen */
	cnxx_u64 rx_delivered;	/* handed to a callback */
	cnxx_u64 rx_invalid;	/* malformed: bad header or lengths */
	cnxx_u64 rx_oversize;	/* payload > CONNECTOR_MAX_MSG_SIZE */
	cnxx_u64 rx_unknown;	/* no callback for the id */
	cnxx_u64 rx_control;	/* control requests handled */
	cnxx_u64 rx_denied;	/* control requests without CAP_NET_ADMIN */
	cnxx_u64 callbacks;	/* currently registered */
	cnxx_u64 notify_requests;	/* currently stored */
	cnxx_u64 notify_sent;	/* notifications sent */
	cnxx_u64 notify_failed;	/* dropped: no memory, queue full, send error */
	cnxx_u64 groups;	/* config->groups: netlink groups 1 .. groups */
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
