/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the vmtest groups share: assertions, raw sockets, frames checked
 * byte by byte, the test module's commands, /proc readers. Protocol
 * encoding (frames, control requests, proc parsing) comes from libcnxx.
 */
#ifndef VMTEST_H
#define VMTEST_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/connector.h>
#include <linux/netlink.h>
#include <cnxx/libcnxx.h>

#include "cnxx_testproto.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define TIMEOUT_MS	2000	/* any expected message */
#define QUIET_MS	300	/* how long "nothing arrives" is watched */
#define CN_HDR		((uint32_t)sizeof(struct cn_msg))
#define MAX_PAYLOAD	CONNECTOR_MAX_MSG_SIZE
#define MAX_DATA	(MAX_PAYLOAD - CN_HDR)

/* Groups nobody else uses: one for "no listener", one for notifications. */
#define GROUP_EMPTY	21
#define GROUP_NOTIFY	20
#define GROUP_NOTIFY2	22

#define NOBODY		65534
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * A message whose nlmsg_len runs past the end of the datagram, with
 * NLM_F_ACK: 1 expects an -EINVAL ack; 0 expects silence, as from the
 * kernel's netlink_rcv_skb() (netlink_ack() would copy nlmsg_len bytes).
 */
#ifndef VMTEST_ACK_TRUNCATED
#define VMTEST_ACK_TRUNCATED 1
#endif
#define NO_ACK		1	/* struct part.want: NLM_F_ACK set, no ack due */

enum {
	G_BASE = 1,
	G_CNXX = 2,
	G_NOTIFY = 4,
	G_POST = 8,
	G_PROC = 16,
	G_GROUPS = 32,
};

/* Set by FAIL(): the running test failed. */
extern int cur_fail;
/* Set by SKIP(): why the running test does not apply here. */
extern const char *cur_skip;

#define SKIP(why)	(cur_skip = (why))
/* The socket of tm_cmd(), closed between tests. */
extern int cmd_fd;

/* Datagram buffers: the last one received, the next one to send. */
union vm_buf {
	struct nlmsghdr h;
	char b[96 * 1024];
};

extern union vm_buf rx, tx;
extern size_t rx_len;

#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __maybe_unused __attribute__((__unused__))

void diag(const char *fmt, ...) __printf(1, 2);

#define FAIL(...)				\
	do {					\
		diag(__VA_ARGS__);		\
		cur_fail = 1;			\
	} while (0)

#define EXPECT(cond, ...)			\
	do {					\
		if (!(cond))			\
			FAIL(__VA_ARGS__);	\
	} while (0)

struct cb_row {
	char name[64];
	uint32_t idx, val, group;
	unsigned long long delivered, dropped, send_errors;
};

/* vmtest_lib.c: sequence numbers, sockets, frames sent and checked. */
uint32_t next_seq(void);
const char *errname(int err);
uint8_t pattern(uint32_t seq, uint32_t i);
void close_fd(int *fd);
int nl_open_mask(uint32_t groups);
int nl_open(unsigned int group);
uint32_t nl_port(int fd);
int nl_send(int fd, const void *buf, size_t len);
size_t cn_put(void *buf, uint32_t idx, uint32_t val, uint32_t seq,
	      uint32_t ack, const void *data, size_t dlen,
	      uint16_t nlflags, uint32_t nlseq);
struct cn_msg *cn_of(void *nlh);
int cn_send(int fd, uint32_t idx, uint32_t val, uint32_t seq,
	    size_t dlen, uint16_t nlflags);
int rx_wait(int fd, int ms, const char *who);
const char *rx_str(void);
struct cn_msg *rx_cn_check(const char *who, int single);
struct cn_msg *rx_cn(const char *who);
void expect_quiet(int fd, int ms, const char *who);
uint32_t expect_stream(int fd, const char *who, uint32_t idx,
		       uint32_t val, uint32_t seq0, uint32_t n,
		       uint32_t size);
int rx_ack(int fd, uint32_t seq, int *err, const char *who);
void expect_ack(int fd, size_t len, int want, const char *what);

/* vmtest_tm.c: the test module, the proc files, an unprivileged child. */
int tm_cmd(struct cnxx_test_cmd *cmd, struct cnxx_test_result *res);
int tm_send(uint32_t idx, uint32_t val, uint32_t portid, uint32_t group,
	    uint32_t count, uint32_t size, uint32_t seq, uint32_t flags,
	    struct cnxx_test_result *res);
void expect_rc(const struct cnxx_test_result *res, uint32_t count,
	       int want, const char *what);
int tm_simple(uint32_t op, uint32_t idx, uint32_t val);
int tm_register(uint32_t idx, uint32_t val);
int tm_unregister(uint32_t idx, uint32_t val);
int tm_counters(uint32_t *val);
int tm_counters_then_open(uint32_t *val);
void expect_alive(void);
char *read_file(const char *path);
int proc_count(const char *text, const char *line);
void proc_line(char *buf, size_t n, const char *name, uint32_t idx,
	       uint32_t val);
long long stat_get(const char *key);
int cb_row_get(uint32_t idx, uint32_t val, struct cb_row *row);
void run_unprivileged(void (*fn)(void));

/*
 * Whether the loaded cnxx is a debug build (CNXX_DEBUG, Kbuild.probe):
 * those have the selftest file, and refuse misuse of the API with a
 * warning.
 */
int cnxx_debug_build(void);
/*
 * Brackets (@begin 1, then 0) a warning the kernel must log exactly once:
 * "cnxx-expect" markers in the kernel log, which scripts/ktap.py checks,
 * and panic_on_warn off in between.
 */
void expect_warning(int begin);

/* vmtest_base.c: cn_netlink_send_mult() of @count records by the module. */
int tm_send_mult(uint32_t portid, uint32_t group, uint32_t count,
		 uint32_t size, uint32_t seq, int32_t extra);

/* The tests, one per scenario (see the table in vmtest.c). */
void t_echo(void);
void t_broadcast(void);
void t_group0_route(void);
void t_group_and_port(void);
void t_unicast(void);
void t_unicast_refused(void);
void t_esrch(void);
void t_enodev_send(void);
void t_atomic(void);
void t_send_mult(void);
void t_unpriv_join(void);
void t_malformed(void);
void t_proc_connector(void);
void t_callback_context(void);
void t_register(void);
void t_ack_ok(void);
void t_enodev_ack(void);
void t_malformed_ack(void);
void t_multi_message(void);
void t_send_mult_bad(void);
void t_proc_cnxx(void);
void t_notify_basic(void);
void t_notify_dup(void);
void t_notify_groups(void);
void t_notify_invalid(void);
void t_notify_unpriv(void);
void t_notify_kernel(void);
void t_after_unload(void);
/* vmtest_groups.c, and t_groups_notify() in vmtest_notify.c */
void t_groups_members(void);
void t_groups_beyond(void);
void t_groups_unpriv(void);
void t_groups_notify(void);

/*
 * Process events of cnxx_proc.ko: vmtest_proc_lib.c (proc_setup() and
 * what the cases share, vmtest_proc.h), vmtest_proc_life.c (fork, exec,
 * exit, coredump), vmtest_proc_change.c (comm, ids, sid, ptrace),
 * vmtest_proc_sub.c (sources, acks, privileges, filters, listeners, quiet).
 */
void proc_setup(void);
void t_proc_sources(void);
void t_proc_fork(void);
void t_proc_exec(void);
void t_proc_exit(void);
void t_proc_comm(void);
void t_proc_ids(void);
void t_proc_sid(void);
void t_proc_ptrace(void);
void t_proc_ptrace_waiting(void);
void t_proc_ptrace32(void);
void t_proc_coredump(void);
void t_proc_acks(void);
void t_proc_unpriv_eperm(void);
void t_proc_unpriv_listen(void);
void t_proc_filter(void);
void t_proc_listeners(void);
void t_proc_quiet(void);
void t_proc_toggle(void);

#endif /* VMTEST_H */
