// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/connector in the in-tree connector's format (drop-in builds:
 * beside a built-in connector the file is that connector's), plus the cnxx
 * counters: /proc/net/cnxx per callback, /proc/net/cnxx_stats module-wide.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "shims.h"

static void cnxx_proc_show_id(void *arg, const struct cnxx_cb_info *info)
{
	seq_printf(arg, "%-15s %u:%u\n", info->name, info->id.idx,
		   info->id.val);
}

static int cnxx_proc_connector_show(struct seq_file *m, void *v)
{
	seq_puts(m, "Name            ID\n");
	cnxx_core_for_each(cnxx_core, cnxx_proc_show_id, m);
	return 0;
}

static void cnxx_proc_show_counters(void *arg,
				    const struct cnxx_cb_info *info)
{
	char id[24];

	snprintf(id, sizeof(id), "%u:%u", info->id.idx, info->id.val);
	seq_printf(arg, "%-15s %-21s %-6u %-12llu %-12llu %-12llu %llu\n",
		   info->name, id, info->group, info->delivered, info->dropped,
		   info->send_errors, info->replies_dropped);
}

static int cnxx_proc_counters_show(struct seq_file *m, void *v)
{
	seq_puts(m, "Name            ID                    Group  Delivered    Dropped      SendErrors   RepliesDropped\n");
	cnxx_core_for_each(cnxx_core, cnxx_proc_show_counters, m);
	return 0;
}

static int cnxx_proc_stats_show(struct seq_file *m, void *v)
{
	u64 tx_messages, tx_errors, tx_replies_dropped;
	struct cnxx_stats s;

	cnxx_core_stats(cnxx_core, &s);
	cnxx_send_stats(&tx_messages, &tx_errors, &tx_replies_dropped);
	seq_printf(m, "unit %d\n", cnxx_unit);
#define CNXX_STAT(name) seq_printf(m, #name " %llu\n", s.name)
	CNXX_STAT(rx_messages);
	CNXX_STAT(rx_delivered);
	CNXX_STAT(rx_invalid);
	CNXX_STAT(rx_oversize);
	CNXX_STAT(rx_unknown);
	CNXX_STAT(rx_control);
	CNXX_STAT(rx_denied);
	seq_printf(m, "tx_messages %llu\n", tx_messages);
	seq_printf(m, "tx_errors %llu\n", tx_errors);
	seq_printf(m, "tx_replies_dropped %llu\n", tx_replies_dropped);
	CNXX_STAT(callbacks);
	CNXX_STAT(notify_requests);
	CNXX_STAT(notify_sent);
	CNXX_STAT(notify_failed);
	CNXX_STAT(groups);
#undef CNXX_STAT
	return 0;
}

int cnxx_proc_init(void)
{
	if (!IS_ENABLED(CONFIG_PROC_FS))
		return 0;
	if (!CNXX_BESIDE &&
	    !proc_create_single("connector", 0444, init_net.proc_net,
				cnxx_proc_connector_show))
		goto err;
	if (!proc_create_single("cnxx", 0444, init_net.proc_net,
				cnxx_proc_counters_show))
		goto err_connector;
	if (!proc_create_single("cnxx_stats", 0444, init_net.proc_net,
				cnxx_proc_stats_show))
		goto err_counters;
	return 0;

err_counters:
	remove_proc_entry("cnxx", init_net.proc_net);
err_connector:
	if (!CNXX_BESIDE)
		remove_proc_entry("connector", init_net.proc_net);
err:
	return -ENOMEM;
}

void cnxx_proc_exit(void)
{
	remove_proc_entry("cnxx_stats", init_net.proc_net);
	remove_proc_entry("cnxx", init_net.proc_net);
	if (!CNXX_BESIDE)
		remove_proc_entry("connector", init_net.proc_net);
}
