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
 * cnxx_core_route() for what the fast path below does not decide: the
 * group, or a negative errno. Out of line, so that the fast path keeps no
 * local whose address is taken (and needs no stack canary).
 */
static noinline s64 cnxx_route_slow(const struct cn_msg *msg, u16 len,
				    u32 portid, u32 group)
{
	u32 dst;
	int err = cnxx_core_route(cnxx_core, msg, len, portid, group, &dst);

	/* Both as s64: in "err ? err : dst" the errno would turn unsigned. */
	if (err)
		return err;
	return dst;
}

/*
 * Named apart from libcnxx's cnxx_send(): one name, one function.
 *
 * What a send costs on top of building and sending the skb is kept to a
 * few inline instructions: the records are checked inline, the core is
 * called only when cnxx_route_is_direct() (cnxx_abi.h, the core's own
 * rule) says the send needs a registry lookup or is malformed, and a
 * success is counted here with a per-CPU increment of the core's counter;
 * only a failure goes to cnxx_core_account_send(). This and
 * cnxx_netlink_xmit() are inlined into each exported function:
 * cn_netlink_send() makes no call of its own before netlink's (the
 * in-tree one goes through cn_netlink_send_mult()).
 */
static __always_inline int cnxx_route_and_send(struct cn_msg *msg, u16 len,
					       u32 portid, u32 group,
					       gfp_t gfp, void *filter,
					       void *filter_data)
{
	s64 dst = group;
	int err;

	if (unlikely(!cnxx_route_is_direct(msg, len, portid, group,
					   cnxx_groups))) {
		dst = cnxx_route_slow(msg, len, portid, group);
		if (dst < 0) {
			err = dst;
			goto fail;
		}
	}
	err = cnxx_netlink_xmit(msg, len, portid, dst, gfp, filter,
				filter_data);
	if (likely(err >= 0)) {
		cnxx_percpu_counter_inc(cnxx_sent_counter);
		return err;
	}
fail:
	cnxx_core_account_send(cnxx_core, (const struct cnxx_cb_id *)&msg->id,
			       err);
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
EXPORT_SYMBOL_IF_KUNIT(cnxx_core_route);
EXPORT_SYMBOL_IF_KUNIT(cnxx_core_notify_request);
EXPORT_SYMBOL_IF_KUNIT(cnxx_core_for_each);
EXPORT_SYMBOL_IF_KUNIT(cnxx_core_stats);
