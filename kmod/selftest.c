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
static const struct cnxx_cb_id cnxx_selftest_id = { 0x434e5844, 1 };

static DEFINE_MUTEX(cnxx_selftest_lock);
static struct dentry *cnxx_selftest_dir;

static void cnxx_selftest_cb(struct cn_msg *msg,
			     struct netlink_skb_parms *nsp)
{
	mutex_lock(&cnxx_selftest_lock);
	mutex_unlock(&cnxx_selftest_lock);
}

static int cnxx_selftest_lockdep(void)
{
	struct netlink_skb_parms sender = {};
	size_t len = NLMSG_LENGTH(sizeof(struct cn_msg));
	struct nlmsghdr *nlh;
	struct cn_msg *msg;
	int err;

	nlh = kzalloc(len, GFP_KERNEL);
	if (!nlh)
		return -ENOMEM;
	nlh->nlmsg_len = len;
	nlh->nlmsg_type = NLMSG_DONE;
	msg = nlmsg_data(nlh);
	memcpy(&msg->id, &cnxx_selftest_id, sizeof(msg->id));

	err = cnxx_core_add(cnxx_core, &cnxx_selftest_id, "cnxx_selftest",
			    cnxx_selftest_cb);
	if (!err) {
		/* The callback takes the lock inside a call ... */
		cnxx_core_receive(cnxx_core, nlh, len, &sender, NULL);
		/* ... and the remover waits for calls holding it. */
		mutex_lock(&cnxx_selftest_lock);
		err = cnxx_core_del(cnxx_core, &cnxx_selftest_id);
		mutex_unlock(&cnxx_selftest_lock);
	}
	kfree(nlh);
	return err;
}

static ssize_t cnxx_selftest_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	char buf[16];
	int err;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';

	if (sysfs_streq(buf, "kasan")) {
		pr_info("selftest: out-of-bounds read in C++\n");
		err = cnxx_core_selftest_oob_read(16);
	} else if (sysfs_streq(buf, "lockdep")) {
		pr_info("selftest: removal under a lock the callback takes\n");
		err = cnxx_selftest_lockdep();
	} else {
		return -EINVAL;
	}
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
