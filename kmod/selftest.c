// SPDX-License-Identifier: GPL-2.0
/*
 * Debug-flavor builds only: /sys/kernel/debug/cnxx/selftest, which makes
 * the kernel's checkers report deliberate bugs, for the debug job to prove
 * that they see cnxx:
 *   "kasan"    an out-of-bounds read in the C++ core
 *   "lockdep"  "a remover holds L while the callback takes L": a callback
 *              that takes a mutex is called once, then removed while the
 *              remover holds that mutex - the deadlock of a module exit
 *              that holds a lock its callback takes.
 * Each write triggers one report; the kernel keeps running.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "shims.h"

/* Far from any id a test or a user registers. */
static const struct cb_id cnxx_selftest_id = { 0x434e5844, 1 };

static DEFINE_MUTEX(cnxx_selftest_lock);
static struct dentry *cnxx_selftest_dir;

static void cnxx_selftest_cb(struct cn_msg *msg,
			     struct netlink_skb_parms *nsp)
{
	mutex_lock(&cnxx_selftest_lock);
	mutex_unlock(&cnxx_selftest_lock);
}

static int cnxx_selftest_kasan(void)
{
	return cnxx_core_selftest_oob_read(16);
}

static int cnxx_selftest_lockdep(void)
{
	struct netlink_skb_parms sender = {};
	struct {
		struct nlmsghdr nlh;
		struct cn_msg msg;
	} input = {
		.nlh = { .nlmsg_len = sizeof(input), .nlmsg_type = NLMSG_DONE },
		.msg = { .id = cnxx_selftest_id },
	};
	int err;

	err = cn_add_callback(&cnxx_selftest_id, "cnxx_selftest",
			      cnxx_selftest_cb);
	if (err)
		return err;
	/* The callback takes the lock inside a call ... */
	cnxx_core_receive(cnxx_core, &input, sizeof(input), &sender, NULL);
	/* ... and the remover waits for calls holding it. */
	mutex_lock(&cnxx_selftest_lock);
	cn_del_callback(&cnxx_selftest_id);
	mutex_unlock(&cnxx_selftest_lock);
	return 0;
}

static const struct cnxx_selftest {
	const char *name;	/* what to write to the file */
	const char *what;	/* what the log says it does */
	int (*run)(void);
} cnxx_selftests[] = {
	{ "kasan", "out-of-bounds read in C++", cnxx_selftest_kasan },
	{ "lockdep", "removal under a lock the callback takes",
	  cnxx_selftest_lockdep },
};

static const struct cnxx_selftest *cnxx_selftest_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cnxx_selftests); i++)
		if (sysfs_streq(name, cnxx_selftests[i].name))
			return &cnxx_selftests[i];
	return NULL;
}

static ssize_t cnxx_selftest_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	const struct cnxx_selftest *test;
	char *name;
	int err;

	if (count >= 16)
		return -EINVAL;
	name = memdup_user_nul(ubuf, count);
	if (IS_ERR(name))
		return PTR_ERR(name);
	test = cnxx_selftest_find(name);
	kfree(name);
	if (!test)
		return -EINVAL;
	pr_info("selftest: %s\n", test->what);
	err = test->run();
	return err < 0 ? err : count;
}
static const struct file_operations cnxx_selftest_fops = {
	.owner = THIS_MODULE,
	.write = cnxx_selftest_write,
	.llseek = noop_llseek,
};

void cnxx_selftest_init(void)
{
	cnxx_selftest_dir = debugfs_create_dir("cnxx", NULL);
	debugfs_create_file("selftest", 0200, cnxx_selftest_dir, NULL,
			    &cnxx_selftest_fops);
}

void cnxx_selftest_exit(void)
{
	debugfs_remove_recursive(cnxx_selftest_dir);
}
