/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <cnxx/connector.h> - the kernel's connector API, served by cnxx.
 *
 * A kernel without a built-in connector (CONFIG_CONNECTOR m or n) gets cnxx
 * as a drop-in: it exports the cn_* names of <linux/connector.h> and this
 * header adds nothing. A kernel with CONFIG_CONNECTOR=y already exports
 * them from vmlinux, so cnxx runs beside that connector and exports the
 * same functions as cnxx_* in the symbol namespace CNXX. Here the cn_*
 * names are mapped onto those and the namespace is imported, so that an
 * unmodified connector user builds against cnxx with build lines only:
 *
 *	ccflags-y += -include /path/to/cnxx/include/cnxx/connector.h
 *	make ... KBUILD_EXTRA_SYMBOLS=/path/to/cnxx/Module.symvers
 *
 * Forced in front of a source, this header comes before the source's own
 * pr_fmt, which any kernel header would define first: so it includes none.
 * What it uses, Kbuild puts in front of every source already:
 * <linux/kconfig.h> and <linux/compiler_types.h>.
 */
#ifndef _CNXX_CONNECTOR_H
#define _CNXX_CONNECTOR_H

#if IS_BUILTIN(CONFIG_CONNECTOR)
#define CNXX_BESIDE 1

/*
 * Included after <linux/connector.h>: the cnxx_* names get the types of
 * the kernel's own. Otherwise that header, included later, declares them
 * through the names below.
 */
#ifdef __CONNECTOR_H
extern typeof(cn_add_callback) cnxx_add_callback;
extern typeof(cn_del_callback) cnxx_del_callback;
extern typeof(cn_netlink_send) cnxx_netlink_send;
extern typeof(cn_netlink_send_mult) cnxx_netlink_send_mult;
#endif

#define cn_add_callback cnxx_add_callback
#define cn_del_callback cnxx_del_callback
#define cn_netlink_send cnxx_netlink_send
#define cn_netlink_send_mult cnxx_netlink_send_mult
#define cn_netlink_send_multi cnxx_netlink_send_multi

/* MODULE_IMPORT_NS(CNXX), as <linux/moduleparam.h> spells it for modules. */
static const char cnxx_import_ns[] __used __section(".modinfo") __aligned(1) =
	"import_ns=CNXX";
#else
#define CNXX_BESIDE 0
#endif

#endif /* _CNXX_CONNECTOR_H */
