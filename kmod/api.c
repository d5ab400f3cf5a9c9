// SPDX-License-Identifier: GPL-2.0
/*
 * The exported connector API, with the signatures of the <linux/connector.h>
 * this module is built against. The names are the kernel's cn_* in drop-in
 * builds; beside a built-in connector <cnxx/connector.h> (through
 * cnxx_kernel.h) turns every cn_* below into cnxx_*, exported in namespace
 * CNXX, as it does for the modules that call them.
 */
#include <linux/export.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <kunit/visibility.h>

#include <cnxx/cnxx_kernel.h>

#include "netlink_send.h"
#include "shims.h"

/* What the casts below and the core's copy of a name rely on. */
static_assert(sizeof(struct cb_id) == sizeof(struct cnxx_cb_id));
static_assert(offsetof(struct cb_id, idx) == offsetof(struct cnxx_cb_id, idx));
static_assert(offsetof(struct cb_id, val) == offsetof(struct cnxx_cb_id, val));
static_assert(CNXX_NAME_LEN == CN_CBQ_NAMELEN);
static_assert(sizeof(struct cn_msg) == CNXX_CN_MSG_SIZE);
static_assert(offsetof(struct cn_msg, len) == CNXX_CN_MSG_LEN_OFFSET);

int cn_add_callback(const struct cb_id *id, const char *name,
		    void (*callback)(struct cn_msg *, struct netlink_skb_parms *))
{
	/* SAFETY: same layout, checked above. */
	return cnxx_core_add(cnxx_core, (const struct cnxx_cb_id *)id, name,
			     callback);
}
CNXX_EXPORT(cn_add_callback);

/* Returns only when no call of the callback runs any more (see the core). */
void cn_del_callback(const struct cb_id *id)
{
	cnxx_core_del(cnxx_core, (const struct cnxx_cb_id *)id);
}
CNXX_EXPORT(cn_del_callback);

/*
 * The exported sends, counted here; the core counts a failure against its
 * callback too (cnxx_core_send_failed()).
 */
struct cnxx_send_count {
	u64 messages;		/* successful sends */
	u64 errors;		/* failed sends */
	u64 replies_dropped;	/* of which unicasts to a full receiver */
};
static DEFINE_PER_CPU(struct cnxx_send_count, cnxx_send_count);

void cnxx_send_stats(u64 *messages, u64 *errors, u64 *replies_dropped)
{
	int cpu;

	*messages = *errors = *replies_dropped = 0;
	for_each_possible_cpu(cpu) {
		const struct cnxx_send_count *c = per_cpu_ptr(&cnxx_send_count,
							      cpu);

		*messages += READ_ONCE(c->messages);
		*errors += READ_ONCE(c->errors);
		*replies_dropped += READ_ONCE(c->replies_dropped);
	}
}

/* Out of line: a failure costs the send's fast path nothing. */
static noinline void cnxx_send_failed(const struct cnxx_cb_id *id, int err)
{
	this_cpu_inc(cnxx_send_count.errors);
	if (err == -EAGAIN)
		this_cpu_inc(cnxx_send_count.replies_dropped);
	cnxx_core_send_failed(cnxx_core, id, err);
}

/*
 * The group of @id's callback, or a negative errno: cnxx_core_route() out
 * of line, so that the send below keeps no local whose address is taken.
 */
static noinline s64 cnxx_route_by_id(const struct cnxx_cb_id *id)
{
	u32 group;
	int err = cnxx_core_route(cnxx_core, id, &group);

	/* Both as s64: in "err ? err : group" the errno would turn unsigned. */
	if (err)
		return err;
	return group;
}

/*
 * Whether @msg and its @len bytes are records that do not add up: API
 * misuse, checked in debug builds only (like DEBUG_NET_WARN_ON_ONCE()).
 * A kernel caller's buffer is its own, which the in-tree connector sends
 * as it is given.
 */
static __always_inline bool cnxx_send_misused(const struct cn_msg *msg,
					      u16 len)
{
#ifdef CNXX_DEBUG
	return WARN_ONCE(!cnxx_send_records_fit(msg, len),
			 "cnxx: cn_netlink_send_mult(): len %u is not whole records (id %u:%u)\n",
			 len, msg->id.idx, msg->id.val);
#else
	return false;
#endif
}

/*
 * Every exported send, inlined into each (named apart from libcnxx's
 * cnxx_send()). The shim checks (debug builds), routes, transmits and
 * counts. It routes as the in-tree connector does: a port or group the
 * caller names goes to netlink as it is (which refuses a group beyond the
 * socket's with -ESRCH), and only a send that names neither asks the core,
 * for the group of its id.
 * Cost: no call of its own but netlink's for a send to a named destination.
 */
static __always_inline int cnxx_route_and_send(struct cn_msg *msg, u16 len,
					       u32 portid, u32 group,
					       gfp_t gfp, void *filter,
					       void *filter_data)
{
	/* SAFETY: same layout, checked above. */
	const struct cnxx_cb_id *id = (const struct cnxx_cb_id *)&msg->id;
	int err;

	if (cnxx_send_misused(msg, len)) {
		err = -EINVAL;
		goto out;
	}
	if (unlikely(!portid && !group)) {
		s64 dst = cnxx_route_by_id(id);

		if (dst < 0) {
			err = dst;
			goto out;
		}
		group = dst;
	}
	err = cnxx_netlink_xmit(msg, len, portid, group, gfp, filter,
				filter_data);
	if (likely(err >= 0)) {
		this_cpu_inc(cnxx_send_count.messages);
		return err;
	}
out:
	cnxx_send_failed(id, err);
	return err;
}

#ifdef CNXX_HAVE_SEND_FILTER
int cn_netlink_send_mult(struct cn_msg *msg, u16 len, u32 portid, u32 group,
			 gfp_t gfp_mask, netlink_filter_fn filter,
			 void *filter_data)
{
	return cnxx_route_and_send(msg, len, portid, group, gfp_mask, filter,
				   filter_data);
}
#else
int cn_netlink_send_mult(struct cn_msg *msg, u16 len, u32 portid, u32 group,
			 gfp_t gfp_mask)
{
	return cnxx_route_and_send(msg, len, portid, group, gfp_mask, NULL,
				   NULL);
}
#endif
CNXX_EXPORT(cn_netlink_send_mult);

/* As the kernel's: cn_netlink_send_mult() of one record, no filter. */
int cn_netlink_send(struct cn_msg *msg, u32 portid, u32 group, gfp_t gfp_mask)
{
	return cnxx_route_and_send(msg, msg->len, portid, group, gfp_mask,
				   NULL, NULL);
}
CNXX_EXPORT(cn_netlink_send);

/* The name the original connector documentation uses for _mult. */
int cn_netlink_send_multi(struct cn_msg *msg, u16 len, u32 portid, u32 group,
			  gfp_t gfp_mask)
{
	return cnxx_route_and_send(msg, len, portid, group, gfp_mask, NULL,
				   NULL);
}
CNXX_EXPORT(cn_netlink_send_multi);

int cnxx_notify_request(const struct cn_ctl_msg *ctl, size_t size)
{
	return cnxx_core_notify_request(cnxx_core, ctl, size);
}
CNXX_EXPORT(cnxx_notify_request);

/*
 * The core ABI, for the KUnit suites that test private cores: exported
 * only on kernels with KUnit, in its namespace EXPORTED_FOR_KUNIT_TESTING.
 * No other module needs the core.
 */
EXPORT_SYMBOL_IF_KUNIT(cnxx_core_create);
EXPORT_SYMBOL_IF_KUNIT(cnxx_core_destroy);
EXPORT_SYMBOL_IF_KUNIT(cnxx_core_add);
EXPORT_SYMBOL_IF_KUNIT(cnxx_core_del);
EXPORT_SYMBOL_IF_KUNIT(cnxx_core_receive);
EXPORT_SYMBOL_IF_KUNIT(cnxx_core_notify_request);
EXPORT_SYMBOL_IF_KUNIT(cnxx_core_for_each);
EXPORT_SYMBOL_IF_KUNIT(cnxx_core_stats);
