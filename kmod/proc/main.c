// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_proc - process events on {CN_IDX_PROC, CN_VAL_PROC}, with the wire
 * format and semantics of the kernel's drivers/connector/cn_proc.c, for
 * kernels whose connector is a module (where that file is never built).
 * The events come from tracepoints and kprobes (probes.c); the messages,
 * request parsing and filter from the C++ core (kmod/core/proc/).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <uapi/linux/cn_proc.h>
#include <linux/cred.h>
#include <linux/local_lock.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include <cnxx/cnxx_kernel.h>

#include "proc.h"

/* The core's copy of the wire format is the kernel's, field by field. */
#define CNXX_PROC_AT(kernel, cnxx) \
	static_assert(offsetof(struct proc_event, kernel) == \
		      offsetof(struct cnxx_proc_event, cnxx))
#define CNXX_PROC_SAME(field) CNXX_PROC_AT(field, field)
static_assert(sizeof(struct proc_event) == sizeof(struct cnxx_proc_event));
CNXX_PROC_SAME(cpu);
CNXX_PROC_SAME(timestamp_ns);
CNXX_PROC_SAME(event_data.fork.child_tgid);
CNXX_PROC_AT(event_data.id.r.ruid, event_data.id.real);
CNXX_PROC_AT(event_data.id.e.euid, event_data.id.effective);
CNXX_PROC_SAME(event_data.ptrace.tracer_tgid);
CNXX_PROC_SAME(event_data.comm.comm);
CNXX_PROC_SAME(event_data.coredump.parent_tgid);
CNXX_PROC_SAME(event_data.exit.exit_signal);
CNXX_PROC_SAME(event_data.exit.parent_tgid);
#define CNXX_PROC_SAME_VALUE(name) static_assert(CNXX_##name - name == 0)
CNXX_PROC_SAME_VALUE(PROC_EVENT_FORK);
CNXX_PROC_SAME_VALUE(PROC_EVENT_UID);
CNXX_PROC_SAME_VALUE(PROC_EVENT_COMM);
CNXX_PROC_SAME_VALUE(PROC_EVENT_COREDUMP);
CNXX_PROC_SAME_VALUE(PROC_EVENT_EXIT);
CNXX_PROC_SAME_VALUE(PROC_CN_MCAST_IGNORE);
#ifdef CNXX_HAVE_SEND_FILTER
static_assert(sizeof(struct proc_input) == sizeof(struct cnxx_proc_input));
CNXX_PROC_SAME_VALUE(PROC_EVENT_ALL);
#define CNXX_PROC_DIALECT CNXX_PROC_DIALECT_6_6
#else
#define CNXX_PROC_DIALECT CNXX_PROC_DIALECT_6_1
#endif

atomic_t cnxx_proc_listeners = ATOMIC_INIT(0);

static struct cb_id cnxx_proc_id = { CN_IDX_PROC, CN_VAL_PROC };

/* The message sequence number counts per CPU, as cn_proc.c's. */
struct cnxx_proc_cpu {
	local_lock_t lock;
	u32 count;
};

static DEFINE_PER_CPU(struct cnxx_proc_cpu, cnxx_proc_cpu) = {
	.lock = INIT_LOCAL_LOCK(lock),
};

#ifdef CNXX_HAVE_SEND_FILTER
/*
 * A socket's subscription lives in sk_user_data, as in cn_proc.c, so that
 * the filter finds it without a lookup; the socket is held while it does.
 */
struct cnxx_proc_sock {
	struct cnxx_proc_subscription sub;
	struct sock *sk;
	struct list_head node;
};

static LIST_HEAD(cnxx_proc_socks);
static DEFINE_SPINLOCK(cnxx_proc_socks_lock);

/* netlink_filter_fn: non-zero drops the event for @dsk. */
static int cnxx_proc_filter(struct sock *dsk, struct sk_buff *skb, void *data)
{
	const struct cnxx_proc_sock *ps = dsk ? READ_ONCE(dsk->sk_user_data) : NULL;
	const u32 *what_and_code = data;

	return cnxx_proc_filtered_out(ps ? &ps->sub : NULL, what_and_code[0],
				      what_and_code[1]);
}
#endif

/* Numbers and sends an encoded event, as cn_proc.c's send_msg(). */
static void cnxx_proc_send(struct cn_msg *msg)
{
	struct cnxx_proc_event *ev = (struct cnxx_proc_event *)msg->data;
#ifdef CNXX_HAVE_SEND_FILTER
	u32 what_and_code[2] = {
		ev->what,
		ev->what == PROC_EVENT_EXIT ? ev->event_data.exit.exit_code : 0,
	};
#endif

	/* Keeps messages of one CPU in sequence order, as cn_proc.c. */
	local_lock(&cnxx_proc_cpu.lock);
	msg->seq = __this_cpu_inc_return(cnxx_proc_cpu.count) - 1;
	ev->cpu = smp_processor_id();
#ifdef CNXX_HAVE_SEND_FILTER
	cn_netlink_send_mult(msg, msg->len, 0, CN_IDX_PROC, GFP_NOWAIT,
			     cnxx_proc_filter, what_and_code);
#else
	cn_netlink_send(msg, 0, CN_IDX_PROC, GFP_NOWAIT);
#endif
	local_unlock(&cnxx_proc_cpu.lock);
}

static void cnxx_proc_build_and_send(struct cnxx_proc_facts *facts)
{
	u8 buffer[CNXX_PROC_MSG_SIZE] __aligned(8);

	facts->timestamp_ns = ktime_get_ns();
	cnxx_proc_send(cnxx_proc_encode(facts, buffer));
}

void cnxx_proc_emit(enum cnxx_proc_kind kind, struct cnxx_proc_facts *facts)
{
	atomic_long_inc(&cnxx_proc_sources[kind].sent);
	cnxx_proc_build_and_send(facts);
}

/* As cn_proc_ack(): only while anybody listens. */
static void cnxx_proc_ack(u32 err, const struct cn_msg *request)
{
	struct cnxx_proc_facts ack = {
		.what = PROC_EVENT_NONE,
		.ack_err = err,
		.ack_seq = request->seq,
		.ack_ack = request->ack,
	};

	if (atomic_read(&cnxx_proc_listeners) > 0)
		cnxx_proc_build_and_send(&ack);
}

static void cnxx_proc_count(int delta)
{
	if (delta > 0)
		atomic_inc(&cnxx_proc_listeners);
	else if (delta < 0)
		/* 6.1 keeps no state per socket: IGNOREs cannot go below 0. */
		atomic_dec_if_positive(&cnxx_proc_listeners);
}

#ifdef CNXX_HAVE_SEND_FILTER
/*
 * Applies @req to @sk's subscription, made on its first request. Returns
 * the ack's error.
 */
static u32 cnxx_proc_subscribe(struct sock *sk,
			       const struct cnxx_proc_request *req, int *delta)
{
	struct cnxx_proc_sock *ps, *fresh;
	u32 err = ENOMEM; /* positive: the ack carries it as cn_proc.c does */

	fresh = READ_ONCE(sk->sk_user_data) ? NULL :
		kzalloc(sizeof(*fresh), GFP_KERNEL);
	spin_lock(&cnxx_proc_socks_lock);
	ps = sk->sk_user_data;
	if (ps || fresh)
		err = cnxx_proc_apply(req, ps ? &ps->sub : &fresh->sub, delta);
	if (!ps && fresh && !err) {
		ps = fresh;
		fresh = NULL;
		ps->sk = sk;
		sock_hold(sk);
		list_add(&ps->node, &cnxx_proc_socks);
		WRITE_ONCE(sk->sk_user_data, ps);
	}
	spin_unlock(&cnxx_proc_socks_lock);
	kfree(fresh);
	return err;
}

static void cnxx_proc_forget(struct cnxx_proc_sock *ps)
{
	list_del(&ps->node);
	WRITE_ONCE(ps->sk->sk_user_data, NULL);
	if (ps->sub.listening)
		atomic_dec(&cnxx_proc_listeners);
	sock_put(ps->sk);
	kfree(ps);
}

/* A closed socket stops listening, which cn_proc.c never counts. */
static void cnxx_proc_release(struct sock *sk, unsigned long *groups)
{
	struct cnxx_proc_sock *ps;

	spin_lock(&cnxx_proc_socks_lock);
	ps = sk->sk_user_data;
	if (ps)
		cnxx_proc_forget(ps);
	spin_unlock(&cnxx_proc_socks_lock);
}

static struct cnxx_release_hook cnxx_proc_hook = {
	.release = cnxx_proc_release,
};

static void cnxx_proc_forget_all(void)
{
	struct cnxx_proc_sock *ps, *next;

	spin_lock(&cnxx_proc_socks_lock);
	list_for_each_entry_safe(ps, next, &cnxx_proc_socks, node)
		cnxx_proc_forget(ps);
	spin_unlock(&cnxx_proc_socks_lock);
}
#endif

/* The connector callback: LISTEN and IGNORE, in the sender's context. */
static void cnxx_proc_control(struct cn_msg *msg,
			      struct netlink_skb_parms *nsp)
{
	struct cnxx_proc_request req;
	int delta = 0;
	u32 err;

	/* Events carry init-namespace ids: other namespaces are ignored. */
	if (current_user_ns() != &init_user_ns ||
	    task_active_pid_ns(current) != &init_pid_ns)
		return;
	if (cnxx_proc_parse(CNXX_PROC_DIALECT, msg->data, msg->len, &req))
		return;
#ifdef CNXX_HAVE_SEND_FILTER
	err = nsp->sk ? cnxx_proc_subscribe(nsp->sk, &req, &delta) :
			cnxx_proc_apply(&req, NULL, &delta);
#else
	if (!__netlink_ns_capable(nsp, &init_user_ns, CAP_NET_ADMIN))
		err = EPERM;
	else
		err = cnxx_proc_apply(&req, NULL, &delta);
#endif
	cnxx_proc_count(delta);
	cnxx_proc_ack(err, msg);
}

static int cnxx_proc_show(struct seq_file *m, void *v)
{
	const struct cnxx_proc_source *s;

	seq_puts(m, "Event     Hook                                Sent\n");
	for (s = cnxx_proc_sources; s < cnxx_proc_sources + CNXX_PROC_KINDS; s++) {
		if (s->missing)
			seq_printf(m, "%-9s -                                   - (%s)\n",
				   s->event, s->missing);
		else
			seq_printf(m, "%-9s %-35s %ld\n", s->event, s->hook,
				   atomic_long_read(&s->sent));
	}
	seq_printf(m, "listeners %d\n", atomic_read(&cnxx_proc_listeners));
	seq_printf(m, "probe_misses %lu\n", cnxx_proc_probes_missed());
	return 0;
}

static int __init cnxx_proc_init(void)
{
	int err;

	err = cnxx_proc_probes_init();
	if (err)
		return err;
#ifdef CNXX_HAVE_SEND_FILTER
	err = cnxx_register_release_hook(&cnxx_proc_hook);
	if (err)
		goto err_hook;
#endif
	if (!proc_create_single("cnxx_proc", 0444, init_net.proc_net,
				cnxx_proc_show)) {
		err = -ENOMEM;
		goto err_procfs;
	}
	err = cn_add_callback(&cnxx_proc_id, "cn_proc", cnxx_proc_control);
	if (err) {
		pr_err("cannot register {%u,%u}: %d\n", CN_IDX_PROC,
		       CN_VAL_PROC, err);
		goto err_callback;
	}
	return 0;

err_callback:
	remove_proc_entry("cnxx_proc", init_net.proc_net);
err_procfs:
#ifdef CNXX_HAVE_SEND_FILTER
	cnxx_unregister_release_hook(&cnxx_proc_hook);
err_hook:
#endif
	cnxx_proc_probes_exit();
	return err;
}

/*
 * No request after the callback is gone, no close reported after the
 * hook, no event or filter call after the probes: then the per-socket
 * state can go.
 */
static void __exit cnxx_proc_exit(void)
{
	cn_del_callback(&cnxx_proc_id);
	remove_proc_entry("cnxx_proc", init_net.proc_net);
#ifdef CNXX_HAVE_SEND_FILTER
	cnxx_unregister_release_hook(&cnxx_proc_hook);
#endif
	cnxx_proc_probes_exit();
#ifdef CNXX_HAVE_SEND_FILTER
	cnxx_proc_forget_all();
#endif
}

module_init(cnxx_proc_init);
module_exit(cnxx_proc_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Process events connector (cn_proc) on cnxx, from tracepoints and kprobes");
MODULE_AUTHOR("cnxx developers");
MODULE_VERSION(CNXX_VERSION);
