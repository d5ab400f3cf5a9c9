// SPDX-License-Identifier: GPL-2.0
/*
 * Where cnxx_proc's events come from. cn_proc.c is called from fork, exec,
 * exit, commit_creds() and so on; a module has the kernel's tracepoints
 * there instead (found by name at load), and kretprobes where there is
 * none. A kprobe's entry handler may run as an NMI (int3), where nothing
 * may be sent: entry handlers only read, return handlers send. Every
 * probe is armed from load to unload: arming a kprobe patches kernel text
 * with IPIs to every CPU, which nothing a user can repeat (a LISTEN and
 * an IGNORE) may cause.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <uapi/linux/cn_proc.h>
#include <linux/cred.h>
#include <linux/cpumask.h>
#include <linux/kprobes.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "proc.h"

#ifdef PF_USER_WORKER
#define CNXX_PF_WORKERS (PF_KTHREAD | PF_USER_WORKER)
#else
#define CNXX_PF_WORKERS (PF_KTHREAD | PF_IO_WORKER)
#endif

static bool cnxx_proc_nobody_listens(void)
{
	return atomic_read(&cnxx_proc_listeners) < 1;
}

static void cnxx_proc_task_ids(struct cnxx_proc_facts *f,
			       const struct task_struct *task)
{
	f->pid = task->pid;
	f->tgid = task->tgid;
}

/* As cn_proc.c: the real parent, if @task is still hashed. */
static void cnxx_proc_parent_ids(struct cnxx_proc_facts *f,
				 struct task_struct *task)
{
	struct task_struct *parent;

	rcu_read_lock();
	if (pid_alive(task)) {
		parent = rcu_dereference(task->real_parent);
		f->peer_pid = parent->pid;
		f->peer_tgid = parent->tgid;
	}
	rcu_read_unlock();
}

/* ---- tracepoints ---- */

static void cnxx_proc_on_newtask(void *data, struct task_struct *task,
				 unsigned long clone_flags)
{
	struct cnxx_proc_facts f = { .what = PROC_EVENT_FORK };

	if (cnxx_proc_nobody_listens())
		return;
	cnxx_proc_task_ids(&f, task);
	/* copy_process() has hashed the child: it is alive here. */
	cnxx_proc_parent_ids(&f, task);
	cnxx_proc_emit(CNXX_PROC_FORK, &f);
}

static void cnxx_proc_on_exec(void *data, struct task_struct *task,
			      pid_t old_pid, struct linux_binprm *bprm)
{
	struct cnxx_proc_facts f = { .what = PROC_EVENT_EXEC };

	if (cnxx_proc_nobody_listens())
		return;
	cnxx_proc_task_ids(&f, task);
	cnxx_proc_emit(CNXX_PROC_EXEC, &f);
}

/*
 * A fatal signal with a core-dumping default makes cn_proc.c send a
 * coredump event from get_signal(), under the siglock here. The dying
 * thread is remembered and the event sent when it exits, before its exit
 * event; a slot that is never freed cannot happen, as that thread cannot
 * but exit.
 */
#define CNXX_PROC_DUMPERS 64
static struct task_struct *cnxx_proc_dumpers[CNXX_PROC_DUMPERS];
static atomic_t cnxx_proc_dumpers_marked = ATOMIC_INIT(0);
static atomic_long_t cnxx_proc_dumpers_missed = ATOMIC_LONG_INIT(0);

static void cnxx_proc_on_signal(void *data, int sig,
				struct kernel_siginfo *info,
				struct k_sigaction *ka)
{
	int i;

	if (cnxx_proc_nobody_listens() || ka->sa.sa_handler != SIG_DFL ||
	    !sig_kernel_coredump(sig) ||
	    (current->signal->flags & SIGNAL_UNKILLABLE) ||
	    (current->flags & CNXX_PF_WORKERS))
		return;
	for (i = 0; i < CNXX_PROC_DUMPERS; i++) {
		if (!cmpxchg(&cnxx_proc_dumpers[i], NULL, current)) {
			atomic_inc(&cnxx_proc_dumpers_marked);
			return;
		}
	}
	atomic_long_inc(&cnxx_proc_dumpers_missed);
}

static bool cnxx_proc_take_dumper(struct task_struct *task)
{
	int i;

	if (!atomic_read(&cnxx_proc_dumpers_marked))
		return false;
	for (i = 0; i < CNXX_PROC_DUMPERS; i++) {
		if (READ_ONCE(cnxx_proc_dumpers[i]) == task) {
			WRITE_ONCE(cnxx_proc_dumpers[i], NULL);
			atomic_dec(&cnxx_proc_dumpers_marked);
			return true;
		}
	}
	return false;
}

/*
 * cn_proc.c reads the parent after exit_notify(), which has released a
 * task nobody will wait for: its parent is then 0. This tracepoint comes
 * before exit_notify(); the same decision is made here.
 */
static bool cnxx_proc_reaped_at_exit(struct task_struct *tsk)
{
	struct sighand_struct *sighand;
	struct k_sigaction *act;
	bool ignored = false;

	if (tsk->ptrace)
		return false;
	if (!thread_group_leader(tsk))
		return true;
	if (!thread_group_empty(tsk) || tsk->exit_signal != SIGCHLD)
		return false;
	rcu_read_lock();
	/* NULL if the parent is being released; then init adopts @tsk. */
	sighand = rcu_dereference(rcu_dereference(tsk->parent)->sighand);
	if (sighand) {
		act = &sighand->action[SIGCHLD - 1];
		ignored = act->sa.sa_handler == SIG_IGN ||
			  (act->sa.sa_flags & SA_NOCLDWAIT);
	}
	rcu_read_unlock();
	return ignored;
}

static void cnxx_proc_on_exit(void *data, struct task_struct *task)
{
	struct cnxx_proc_facts f = { 0 };
	bool dumped = cnxx_proc_take_dumper(task);

	if (cnxx_proc_nobody_listens())
		return;
	cnxx_proc_task_ids(&f, task);
	if (dumped) {
		f.what = PROC_EVENT_COREDUMP;
		cnxx_proc_parent_ids(&f, task);
		cnxx_proc_emit(CNXX_PROC_COREDUMP, &f);
	}
	f.what = PROC_EVENT_EXIT;
	f.exit_code = task->exit_code;
	f.exit_signal = task->exit_signal;
	f.peer_pid = 0;
	f.peer_tgid = 0;
	if (!cnxx_proc_reaped_at_exit(task))
		cnxx_proc_parent_ids(&f, task);
	cnxx_proc_emit(CNXX_PROC_EXIT, &f);
}

#define cnxx_proc_for_each(p, table) \
	for ((p) = (table); (p) < (table) + ARRAY_SIZE(table); (p)++)

struct cnxx_proc_tracepoint {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	enum cnxx_proc_kind kind;
	bool required;
	bool registered;
};

static struct cnxx_proc_tracepoint cnxx_proc_tracepoints[] = {
	{ "task_newtask", cnxx_proc_on_newtask, NULL, CNXX_PROC_FORK, true },
	{ "sched_process_exec", cnxx_proc_on_exec, NULL, CNXX_PROC_EXEC, true },
	{ "sched_process_exit", cnxx_proc_on_exit, NULL, CNXX_PROC_EXIT, true },
	{ "signal_deliver", cnxx_proc_on_signal, NULL, CNXX_PROC_COREDUMP },
};

static void cnxx_proc_find_tracepoint(struct tracepoint *tp, void *priv)
{
	struct cnxx_proc_tracepoint *t;

	cnxx_proc_for_each(t, cnxx_proc_tracepoints)
		if (!strcmp(tp->name, t->name))
			t->tp = tp;
}

/* ---- kretprobes ---- */

/*
 * Whether a probed function that returns int failed; the upper half of
 * the register is not part of an int.
 */
static bool cnxx_proc_failed(struct pt_regs *regs)
{
	return (int)regs_return_value(regs) != 0;
}

/* commit_creds(new): cn_proc.c sends uid and gid events after it. */
struct cnxx_proc_creds {
	bool uid_changed, gid_changed;
	u32 uid, euid, gid, egid;
};

static int cnxx_proc_creds_entry(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	const struct cred *new = (void *)regs_get_kernel_argument(regs, 0);
	const struct cred *old = current->real_cred;
	struct cnxx_proc_creds *c = (void *)ri->data;

	c->uid_changed = !uid_eq(new->uid, old->uid) ||
			 !uid_eq(new->euid, old->euid) ||
			 !uid_eq(new->suid, old->suid) ||
			 !uid_eq(new->fsuid, old->fsuid);
	c->gid_changed = !gid_eq(new->gid, old->gid) ||
			 !gid_eq(new->egid, old->egid) ||
			 !gid_eq(new->sgid, old->sgid) ||
			 !gid_eq(new->fsgid, old->fsgid);
	if (!c->uid_changed && !c->gid_changed)
		return 1;
	c->uid = from_kuid_munged(&init_user_ns, new->uid);
	c->euid = from_kuid_munged(&init_user_ns, new->euid);
	c->gid = from_kgid_munged(&init_user_ns, new->gid);
	c->egid = from_kgid_munged(&init_user_ns, new->egid);
	return 0;
}

static int cnxx_proc_creds_return(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	const struct cnxx_proc_creds *c = (void *)ri->data;
	struct cnxx_proc_facts f = { 0 };

	if (cnxx_proc_nobody_listens() || cnxx_proc_failed(regs))
		return 0;
	cnxx_proc_task_ids(&f, current);
	if (c->uid_changed) {
		f.what = PROC_EVENT_UID;
		f.real_id = c->uid;
		f.effective_id = c->euid;
		cnxx_proc_emit(CNXX_PROC_UID, &f);
	}
	if (c->gid_changed) {
		f.what = PROC_EVENT_GID;
		f.real_id = c->gid;
		f.effective_id = c->egid;
		cnxx_proc_emit(CNXX_PROC_GID, &f);
	}
	return 0;
}

/*
 * ksys_setsid(): an event for the new session's leader when it succeeds.
 * It returns an int: the upper half of the register is not its sign.
 */
static int cnxx_proc_setsid_return(struct kretprobe_instance *ri,
				   struct pt_regs *regs)
{
	struct cnxx_proc_facts f = { .what = PROC_EVENT_SID };

	if (cnxx_proc_nobody_listens() || (int)regs_return_value(regs) <= 0)
		return 0;
	cnxx_proc_task_ids(&f, current->group_leader);
	cnxx_proc_emit(CNXX_PROC_SID, &f);
	return 0;
}

/*
 * __set_task_comm(tsk, buf, exec): cn_proc.c sends a comm event for
 * prctl(PR_SET_NAME) and writes to /proc/PID/comm of the caller's own
 * thread group, after the rename; not for exec, kernel threads or io
 * workers.
 */
static int cnxx_proc_comm_entry(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct task_struct *tsk = (void *)regs_get_kernel_argument(regs, 0);
	bool exec = regs_get_kernel_argument(regs, 2);

	if (exec || (tsk->flags & CNXX_PF_WORKERS) ||
	    !same_thread_group(current, tsk))
		return 1;
	*(struct task_struct **)ri->data = tsk;
	return 0;
}

static int cnxx_proc_comm_return(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	struct task_struct *tsk = *(struct task_struct **)ri->data;
	struct cnxx_proc_facts f = { .what = PROC_EVENT_COMM };

	/* The caller holds @tsk until the rename returns. */
	if (cnxx_proc_nobody_listens())
		return 0;
	cnxx_proc_task_ids(&f, tsk);
	get_task_comm(f.comm, tsk);
	cnxx_proc_emit(CNXX_PROC_COMM, &f);
	return 0;
}

/*
 * __ptrace_link(child, new_parent, cred): an attach or seize has passed
 * every check and cannot fail any more. The tracer calls it itself
 * (new_parent is current) from every system call that attaches, native
 * or compat, on every architecture. PTRACE_TRACEME (child is current) and
 * a tracer inherited at fork (new_parent is current's tracer) call it
 * too; cn_proc.c reports neither. It runs under tasklist_lock and never
 * sleeps, so a call holds its kretprobe instance only for a moment; a
 * probe on the system call would hold it while the attach waits for the
 * tracee's cred_guard_mutex, which a task stuck in execve() keeps for as
 * long as its tracer wants.
 */
static int cnxx_proc_attach_entry(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	struct task_struct *child = (void *)regs_get_kernel_argument(regs, 0);
	struct task_struct *tracer = (void *)regs_get_kernel_argument(regs, 1);

	if (tracer != current || child == current)
		return 1;
	*(struct task_struct **)ri->data = child;
	return 0;
}

static int cnxx_proc_attach_return(struct kretprobe_instance *ri,
				   struct pt_regs *regs)
{
	struct task_struct *child = *(struct task_struct **)ri->data;
	struct cnxx_proc_facts f = { .what = PROC_EVENT_PTRACE };

	/* The caller holds @child and tasklist_lock until it returns. */
	if (cnxx_proc_nobody_listens())
		return 0;
	cnxx_proc_task_ids(&f, child);
	f.peer_pid = current->pid;
	f.peer_tgid = current->tgid;
	cnxx_proc_emit(CNXX_PROC_PTRACE, &f);
	return 0;
}

/* ptrace_request(child, PTRACE_DETACH, ...): tracer 0 when it succeeds. */
static int cnxx_proc_detach_entry(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	struct task_struct *child = (void *)regs_get_kernel_argument(regs, 0);

	if (regs_get_kernel_argument(regs, 1) != PTRACE_DETACH)
		return 1;
	*(struct task_struct **)ri->data = child;
	return 0;
}

static int cnxx_proc_detach_return(struct kretprobe_instance *ri,
				   struct pt_regs *regs)
{
	struct task_struct *child = *(struct task_struct **)ri->data;
	struct cnxx_proc_facts f = { .what = PROC_EVENT_PTRACE };

	/* sys_ptrace() holds @child until it returns. */
	if (cnxx_proc_nobody_listens() || cnxx_proc_failed(regs))
		return 0;
	cnxx_proc_task_ids(&f, child);
	cnxx_proc_emit(CNXX_PROC_PTRACE, &f);
	return 0;
}

#define CNXX_KRETPROBE(sym, entry, ret, type)				\
	{ .kp = { .symbol_name = sym },					\
	  .entry_handler = entry, .handler = ret,			\
	  .data_size = sizeof(type) }

struct cnxx_proc_kretprobe {
	struct kretprobe rp;
	enum cnxx_proc_kind kind;
	bool registered;
};

static struct cnxx_proc_kretprobe cnxx_proc_kretprobes[] = {
	{ CNXX_KRETPROBE("commit_creds", cnxx_proc_creds_entry,
			 cnxx_proc_creds_return, struct cnxx_proc_creds),
	  CNXX_PROC_UID },
	{ CNXX_KRETPROBE("ksys_setsid", NULL, cnxx_proc_setsid_return, long),
	  CNXX_PROC_SID },
	{ CNXX_KRETPROBE("__set_task_comm", cnxx_proc_comm_entry,
			 cnxx_proc_comm_return, void *),
	  CNXX_PROC_COMM },
	{ CNXX_KRETPROBE("__ptrace_link", cnxx_proc_attach_entry,
			 cnxx_proc_attach_return, void *),
	  CNXX_PROC_PTRACE },
	{ CNXX_KRETPROBE("ptrace_request", cnxx_proc_detach_entry,
			 cnxx_proc_detach_return, void *),
	  CNXX_PROC_PTRACE },
};

/* ---- what this kernel gives, and the module's lifetime ---- */

struct cnxx_proc_source cnxx_proc_sources[CNXX_PROC_KINDS] = {
	[CNXX_PROC_FORK] = { "fork", "tracepoint:task_newtask" },
	[CNXX_PROC_EXEC] = { "exec", "tracepoint:sched_process_exec" },
	[CNXX_PROC_EXIT] = { "exit", "tracepoint:sched_process_exit" },
	[CNXX_PROC_COMM] = { "comm", "kretprobe:__set_task_comm" },
	[CNXX_PROC_UID] = { "uid", "kretprobe:commit_creds" },
	[CNXX_PROC_GID] = { "gid", "kretprobe:commit_creds" },
	[CNXX_PROC_SID] = { "sid", "kretprobe:ksys_setsid" },
	[CNXX_PROC_PTRACE] = { "ptrace", "kretprobe:__ptrace_link,ptrace_request" },
	[CNXX_PROC_COREDUMP] = { "coredump", "tracepoint:signal_deliver" },
};

static void cnxx_proc_missing(enum cnxx_proc_kind kind, const char *why)
{
	if (!cnxx_proc_sources[kind].missing)
		cnxx_proc_sources[kind].missing = why;
	if (kind == CNXX_PROC_UID)
		cnxx_proc_missing(CNXX_PROC_GID, why);
}

unsigned long cnxx_proc_probes_missed(void)
{
	unsigned long missed = atomic_long_read(&cnxx_proc_dumpers_missed);
	const struct cnxx_proc_kretprobe *k;

	cnxx_proc_for_each(k, cnxx_proc_kretprobes)
		if (k->registered)
			missed += k->rp.nmissed;
	return missed;
}

/*
 * Instances per kretprobe: calls of one probed function in flight at once.
 * Only reported calls take one, and none of those sleeps for long.
 */
static unsigned int kretprobe_instances;
module_param(kretprobe_instances, uint, 0444);
MODULE_PARM_DESC(kretprobe_instances,
		 "Calls of one probed function followed at once (default: 64, or 2 per possible CPU if more)");

static void cnxx_proc_kretprobes_init(void)
{
	struct cnxx_proc_kretprobe *k;
	int err;

	cnxx_proc_for_each(k, cnxx_proc_kretprobes) {
		if (!IS_ENABLED(CONFIG_KRETPROBES)) {
			cnxx_proc_missing(k->kind, "needs CONFIG_KRETPROBES");
			continue;
		}
		k->rp.maxactive = kretprobe_instances ?:
			max_t(int, 64, 2 * num_possible_cpus());
		err = register_kretprobe(&k->rp);
		if (err) {
			pr_warn("no kretprobe on %s (%d)\n",
				k->rp.kp.symbol_name, err);
			cnxx_proc_missing(k->kind, "no kretprobe on the kernel function");
			continue;
		}
		k->registered = true;
	}
}

static void cnxx_proc_kretprobes_exit(void)
{
	struct cnxx_proc_kretprobe *k;

	cnxx_proc_for_each(k, cnxx_proc_kretprobes) {
		if (k->registered)
			unregister_kretprobe(&k->rp);
		k->registered = false;
	}
}

static void cnxx_proc_tracepoints_exit(void)
{
	struct cnxx_proc_tracepoint *t;

	/* Only what was registered: the kernel warns about the rest. */
	cnxx_proc_for_each(t, cnxx_proc_tracepoints) {
		if (t->registered)
			tracepoint_probe_unregister(t->tp, t->probe, NULL);
		t->registered = false;
		t->tp = NULL;
	}
	tracepoint_synchronize_unregister();
}

static int cnxx_proc_tracepoints_init(void)
{
	struct cnxx_proc_tracepoint *t;
	int err;

	for_each_kernel_tracepoint(cnxx_proc_find_tracepoint, NULL);
	cnxx_proc_for_each(t, cnxx_proc_tracepoints) {
		if (!t->tp && t->required) {
			pr_err("the kernel has no tracepoint %s: it needs CONFIG_TRACEPOINTS (selected by CONFIG_FTRACE with CONFIG_ENABLE_DEFAULT_TRACERS)\n",
			       t->name);
			err = -ENOENT;
			goto err;
		}
		if (!t->tp) {
			cnxx_proc_missing(t->kind, "no tracepoint");
			continue;
		}
		err = tracepoint_probe_register(t->tp, t->probe, NULL);
		if (err) {
			pr_err("cannot attach to tracepoint %s: %d\n", t->name, err);
			if (t->required)
				goto err;
			cnxx_proc_missing(t->kind, "tracepoint refused the probe");
			continue;
		}
		t->registered = true;
	}
	return 0;
err:
	cnxx_proc_tracepoints_exit();
	return err;
}

int cnxx_proc_probes_init(void)
{
	char given[96] = "", missing[96] = "";
	const struct cnxx_proc_source *s;
	int err;

	err = cnxx_proc_tracepoints_init();
	if (err)
		return err;
	cnxx_proc_kretprobes_init();
	for (s = cnxx_proc_sources; s < cnxx_proc_sources + CNXX_PROC_KINDS; s++) {
		strlcat(s->missing ? missing : given, " ", sizeof(given));
		strlcat(s->missing ? missing : given, s->event, sizeof(given));
	}
	pr_info("process events:%s%s%s\n", given, *missing ? "; not on this kernel:" : "",
		missing);
	return 0;
}

void cnxx_proc_probes_exit(void)
{
	cnxx_proc_kretprobes_exit();
	cnxx_proc_tracepoints_exit();
	memset(cnxx_proc_dumpers, 0, sizeof(cnxx_proc_dumpers));
	atomic_set(&cnxx_proc_dumpers_marked, 0);
}
