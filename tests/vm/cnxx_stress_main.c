// SPDX-License-Identifier: GPL-2.0
/*
 * cnxx_stress - concurrency and fault-injection stress for a connector.
 *
 * Uses only the public connector API, so it runs on cnxx.ko and on the
 * kernel's own cn.ko. Ids and kinds: see cnxx_stressproto.h; the parts of
 * the module: see cnxx_stress.h.
 *
 * While started ("start" written to debugfs control):
 *  - registrar kthreads add and remove random dynamic ids in a loop;
 *  - sender kthreads broadcast with GFP_KERNEL, with cn_netlink_send_mult
 *    and routed by a dynamic id (group 0);
 *  - a softirq hrtimer broadcasts with GFP_ATOMIC.
 * Callbacks, called by user senders, count deliveries, sometimes sleep,
 * take a mutex, allocate with GFP_KERNEL or reply with cn_netlink_send, as
 * real users do; the control callback adds and removes other ids.
 *
 * This file: the counters, the debugfs control and stats, init and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cnxx_stress.h"

/* The longest control word, with room to spare. */
#define STRESS_CMD_MAX		31

static const char *const stress_counter_names[SC_NR] = {
	[SC_ADD_OK] = "add_ok",
	[SC_ADD_ENOMEM] = "add_enomem",
	[SC_ADD_EINVAL] = "add_einval",
	[SC_ADD_OTHER] = "add_other",
	[SC_DEL] = "del",
	[SC_BUSY] = "busy",
	[SC_CTRL_ADD] = "ctrl_add",
	[SC_CTRL_DEL] = "ctrl_del",
	[SC_CTRL_BAD] = "ctrl_bad",
	[SC_SINK] = "sink",
	[SC_CTRL] = "ctrl",
	[SC_ECHO] = "echo",
	[SC_DYN] = "dyn",
	[SC_BAD_ID] = "bad_id",
	[SC_CB_SLEEP] = "cb_sleep",
	[SC_CB_MUTEX] = "cb_mutex",
	[SC_CB_ALLOC] = "cb_alloc",
	[SC_CB_ALLOC_FAIL] = "cb_alloc_fail",
	[SC_ECHO_FAIL] = "echo_fail",
	[SC_TIMER] = "timer",
	[SC_VIOL_CALL_AFTER_DEL] = "viol_call_after_del",
	[SC_VIOL_RUNNING_AT_DEL] = "viol_running_at_del",
	[SC_VIOL_DEL_DURING_CALL] = "viol_del_during_call",
	[SC_FAULT_ADD_POINTS] = "fault_add_points",
	[SC_FAULT_ADD_INJECTED] = "fault_add_injected",
	[SC_FAULT_ADD_ENOMEM] = "fault_add_enomem",
	[SC_FAULT_ADD_BAD] = "fault_add_bad",
	[SC_FAULT_SEND_POINTS] = "fault_send_points",
	[SC_FAULT_SEND_INJECTED] = "fault_send_injected",
	[SC_FAULT_SEND_ENOMEM] = "fault_send_enomem",
	[SC_FAULT_SEND_BAD] = "fault_send_bad",
};

/* Results of sends, per broadcast kind. */
enum stress_tx {
	TX_OK,
	TX_ENOBUFS,
	TX_ESRCH,
	TX_ENOMEM,
	TX_ENODEV,
	TX_OTHER,
	TX_NR,
};

static const char *const stress_tx_names[TX_NR] = {
	"ok", "enobufs", "esrch", "enomem", "enodev", "other",
};

static const char *const stress_kind_names[STRESS_B_KINDS] = {
	"thread", "timer", "reply", "mult", "routed",
};

atomic64_t stress_cnt[SC_NR];
static atomic64_t stress_tx_cnt[STRESS_B_KINDS][TX_NR];
static atomic_t stress_seq;

/* Serialises start, stop and the fault walks. */
static DEFINE_MUTEX(stress_ctl_lock);
static struct dentry *stress_dir;

void stress_account(u32 val, int rc)
{
	enum stress_tx r;

	switch (rc) {
	case 0:
		r = TX_OK;
		break;
	case -ENOBUFS:
		r = TX_ENOBUFS;
		break;
	case -ESRCH:
		r = TX_ESRCH;
		break;
	case -ENOMEM:
		r = TX_ENOMEM;
		break;
	case -ENODEV:
		r = TX_ENODEV;
		break;
	default:
		r = rc > 0 ? TX_OK : TX_OTHER;
		break;
	}
	atomic64_inc(&stress_tx_cnt[val - STRESS_B_FIRST][r]);
}

void stress_reset(void)
{
	unsigned int i, j;

	for (i = 0; i < SC_NR; i++)
		atomic64_set(&stress_cnt[i], 0);
	for (i = 0; i < STRESS_B_KINDS; i++)
		for (j = 0; j < TX_NR; j++)
			atomic64_set(&stress_tx_cnt[i][j], 0);
}

void stress_fill(struct stress_small *s, u32 val)
{
	memset(s, 0, sizeof(*s));
	s->msg.id.idx = STRESS_IDX;
	s->msg.id.val = val;
	s->msg.seq = atomic_inc_return(&stress_seq);
	s->msg.len = sizeof(s->data);
	memcpy(s->data, "cnstress", sizeof(s->data));
}

/* One control word; the control lock is held. */
static int stress_command(const char *cmd)
{
	if (!strcmp(cmd, "start"))
		return stress_start();
	if (!strcmp(cmd, "faultadd"))
		return stress_fault(false);
	if (!strcmp(cmd, "faultsend"))
		return stress_fault(true);
	if (!strcmp(cmd, "stop"))
		stress_stop();
	else if (!strcmp(cmd, "reset"))
		stress_reset();
	else if (!strcmp(cmd, "fail on"))
		stress_fail_tasks(true);
	else if (!strcmp(cmd, "fail off"))
		stress_fail_tasks(false);
	else
		return -EINVAL;
	return 0;
}

static ssize_t stress_control_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	char *buf;
	int rc;

	if (count > STRESS_CMD_MAX)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&stress_ctl_lock);
	rc = stress_command(strim(buf));
	mutex_unlock(&stress_ctl_lock);
	kfree(buf);
	return rc ? rc : count;
}

static const struct file_operations stress_control_fops = {
	.owner = THIS_MODULE,
	.write = stress_control_write,
	.llseek = noop_llseek,
};

static int stress_stats_show(struct seq_file *m, void *v)
{
	unsigned int i, j;

	for (i = 0; i < SC_NR; i++)
		seq_printf(m, "%s %lld\n", stress_counter_names[i],
			   (long long)atomic64_read(&stress_cnt[i]));
	for (i = 0; i < STRESS_B_KINDS; i++)
		for (j = 0; j < TX_NR; j++)
			seq_printf(m, "tx_%s_%s %lld\n", stress_kind_names[i],
				   stress_tx_names[j],
				   (long long)atomic64_read(&stress_tx_cnt[i][j]));
	seq_printf(m, "registered %u\n", stress_registered());
	seq_printf(m, "running %d\n", stress_running());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stress_stats);

static int __init stress_init(void)
{
	int rc;

	stress_load_init();
	rc = stress_callbacks_add();
	if (rc)
		return rc;
	stress_dir = debugfs_create_dir("cnxx_stress", NULL);
	debugfs_create_file("control", 0200, stress_dir, NULL,
			    &stress_control_fops);
	debugfs_create_file("stats", 0444, stress_dir, NULL,
			    &stress_stats_fops);
	return 0;
}

static void __exit stress_exit(void)
{
	debugfs_remove_recursive(stress_dir);
	mutex_lock(&stress_ctl_lock);
	stress_stop();
	mutex_unlock(&stress_ctl_lock);
	stress_callbacks_del();
}

module_init(stress_init);
module_exit(stress_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Concurrency and fault-injection stress for the kernel connector");
MODULE_AUTHOR("cnxx developers");
