/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcnxx - speak the kernel connector protocol from user space without
 * writing netlink code, on cnxx's netlink unit (see cnxx_unit()).
 *
 * Conventions:
 *  - Functions returning int return 0 (or a count) on success and a
 *    negative errno on failure; they never set errno for the caller.
 *  - Timeouts are in milliseconds: < 0 waits forever, 0 does not wait.
 *  - Pointers into received data (struct cnxx_msg, struct cnxx_record)
 *    point into the socket's receive buffer: they stay valid until the next
 *    receiving call on that socket (cnxx_recv(), cnxx_send_sync(),
 *    cnxx_request(), cnxx_notify_*()) or cnxx_close().
 *  - A struct cnxx_sock is not thread-safe: use one per thread.
 *
 * Installed as <cnxx/libcnxx.h>, next to the modules' uapi headers
 * <cnxx/cnxx_wire.h>, which defines the wire format (control id, struct
 * cn_ctl_msg, notification acks, group count), and <cnxx/cnxx_proc.h>, that
 * of process events; the netlink layer is libmnl.
 */
#ifndef CNXX_LIBCNXX_H
#define CNXX_LIBCNXX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <cnxx/cnxx_proc.h>
#include <cnxx/cnxx_wire.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef NETLINK_CONNECTOR
#define NETLINK_CONNECTOR 11
#endif

/* Largest cn_msg data the kernel accepts: CONNECTOR_MAX_MSG_SIZE - header. */
#define CNXX_MAX_DATA (CONNECTOR_MAX_MSG_SIZE - sizeof(struct cn_msg))

struct cnxx_sock;

/*
 * One cn_msg: the header fields plus a pointer to its @len data bytes.
 * Filled by the receiving functions; read by the sending functions.
 */
struct cnxx_record {
	struct cb_id id;
	uint32_t seq;
	uint32_t ack;
	uint16_t len;
	uint16_t flags;
	const void *data;	/* @len bytes; may be unaligned */
};

enum cnxx_msg_type {
	CNXX_MSG_DATA,	/* a cn_msg: rec, payload and payload_len are valid */
	CNXX_MSG_ACK,	/* an NLMSG_ERROR: error and acked_seq are valid */
};

/* One received netlink message. */
struct cnxx_msg {
	enum cnxx_msg_type type;

	/* CNXX_MSG_DATA */
	struct cnxx_record rec;	/* first record of the payload */
	const void *payload;	/* all records: see cnxx_record_next() */
	size_t payload_len;

	/* CNXX_MSG_ACK */
	int error;		/* 0 or a negative errno */
	uint32_t acked_seq;	/* nlmsg_seq of the acknowledged message */

	/* netlink header */
	uint16_t nl_type;
	uint16_t nl_flags;
	uint32_t nl_seq;
	uint32_t nl_pid;

	/* datagram */
	uint32_t src_pid;	/* sending port: 0 is the kernel */
	uint32_t group;		/* multicast group, 0 for unicast */
};

/* Options of cnxx_send(). */
#define CNXX_SEND_ACK 0x1	/* set NLM_F_ACK: cnxx answers with an ack */

/* Where cnxx.ko tells its unit, and the variable that overrides it. */
#define CNXX_UNIT_PATH "/sys/module/cnxx/parameters/unit"
#define CNXX_UNIT_ENV "CNXX_UNIT"

/*
 * cnxx_unit() - the netlink unit of cnxx's socket
 *
 * $CNXX_UNIT when it is set, else the unit cnxx.ko reads back at
 * CNXX_UNIT_PATH, else NETLINK_CONNECTOR (cnxx not loaded: the kernel's own
 * connector, if any). On a kernel with the connector built in, cnxx runs
 * beside it on a unit of its own, and NETLINK_CONNECTOR reaches the
 * built-in one.
 * Return: the unit (0-31), or -EINVAL when $CNXX_UNIT is not a unit.
 */
int cnxx_unit(void);

/*
 * cnxx_open() - open and bind a socket on cnxx_unit()
 * @sockp: receives the socket; free it with cnxx_close()
 *
 * Return: 0, -EPROTONOSUPPORT when no connector (cnxx.ko or the in-tree
 * cn) is loaded, -EINVAL for a bad $CNXX_UNIT, -ENOMEM, or another
 * socket()/bind() error.
 */
int cnxx_open(struct cnxx_sock **sockp);

/* cnxx_close() - close the socket and free it; NULL is a no-op. */
void cnxx_close(struct cnxx_sock *sock);

/* cnxx_fd() - the file descriptor, for poll(); owned by @sock. */
int cnxx_fd(const struct cnxx_sock *sock);

/* cnxx_portid() - the netlink port id the socket is bound to. */
uint32_t cnxx_portid(const struct cnxx_sock *sock);

/*
 * cnxx_join() / cnxx_leave() - join or leave multicast group @group
 *
 * Any group the kernel socket has, through NETLINK_ADD_MEMBERSHIP and
 * NETLINK_DROP_MEMBERSHIP: 1..32 by default, more when cnxx is loaded with
 * its groups parameter ("groups" in CNXX_STATS_PATH); bind()'s nl_groups
 * reaches only 1..32.
 *
 * Return: 0, -EINVAL for group 0 or one the kernel socket does not have,
 * -EPERM without CAP_NET_ADMIN (group 1 is open to everyone on 6.6+
 * kernels).
 */
int cnxx_join(struct cnxx_sock *sock, uint32_t group);
int cnxx_leave(struct cnxx_sock *sock, uint32_t group);

/*
 * cnxx_frame() - build the netlink message carrying one cn_msg
 * @buf:      receives the message (NLMSG_DONE, padding zeroed)
 * @size:     bytes at @buf
 * @rec:      the cn_msg; rec->data may be NULL when rec->len is 0
 * @nl_flags: nlmsg_flags, e.g. NLM_F_ACK
 * @nl_seq:   nlmsg_seq
 * @nl_pid:   nlmsg_pid
 *
 * Pure; cnxx_send() uses the same layout. Return: the bytes written
 * (NLMSG_SPACE of the cn_msg), -ENOSPC when @size is too small, -EINVAL
 * for a NULL rec->data with a non-zero rec->len.
 */
ssize_t cnxx_frame(void *buf, size_t size, const struct cnxx_record *rec,
		   uint16_t nl_flags, uint32_t nl_seq, uint32_t nl_pid);

/*
 * cnxx_send() - send one cn_msg to the kernel
 * @opts: 0 or CNXX_SEND_ACK
 *
 * nlmsg_seq is rec->seq, so acks can be matched. Return: 0 or the
 * negative errno of sendmsg(); -EINVAL as for cnxx_frame().
 */
int cnxx_send(struct cnxx_sock *sock, const struct cnxx_record *rec,
	      unsigned int opts);

/*
 * cnxx_send_raw() - send @len bytes as they are to port @portid
 *
 * For crafted (also malformed) input and for talking to another user-space
 * socket; port 0 is the kernel. Return: 0 or a negative errno.
 */
int cnxx_send_raw(struct cnxx_sock *sock, uint32_t portid, const void *buf,
		  size_t len);

/*
 * cnxx_wait_ack() - wait for the kernel's ack of the message sent with
 * nlmsg_seq @seq (cnxx_send() uses rec->seq)
 * @ack_err: receives the ack's error: 0 (delivered) or a negative errno
 *
 * Messages other than that ack are discarded. Return: as cnxx_send_sync().
 */
int cnxx_wait_ack(struct cnxx_sock *sock, uint32_t seq, int timeout_ms,
		  int *ack_err);

/*
 * cnxx_send_sync() - send with NLM_F_ACK and wait for the kernel's ack
 * @ack_err: receives the ack's error: 0 (delivered) or a negative errno
 *           such as -ENODEV (no callback for the id) or -EPERM
 *
 * Messages other than the ack that arrive meanwhile are discarded.
 * Return: 0 when the ack arrived (then see *@ack_err), -ETIMEDOUT when it
 * did not (the in-tree connector never acks), -EINTR on a signal, or a
 * local negative errno.
 */
int cnxx_send_sync(struct cnxx_sock *sock, const struct cnxx_record *rec,
		   int timeout_ms, int *ack_err);

/*
 * cnxx_recv() - receive the next netlink message
 * @msg: filled on success; its pointers follow the rule at the top
 *
 * Netlink messages sharing one datagram are returned one per call;
 * NLMSG_NOOP and NLMSG_OVERRUN are skipped. For CNXX_MSG_DATA the first
 * record has been validated (header present, len within the payload);
 * walk further records with cnxx_record_next().
 *
 * Return: 0; -ETIMEDOUT; -EINTR on a signal; -ENOBUFS when the receive
 * queue overflowed and messages were lost (the socket stays usable);
 * -EBADMSG for a malformed message, -EMSGSIZE for a datagram larger than
 * the receive buffer (both skipped, so the next call goes on); or another
 * negative errno of recvmsg()/poll().
 */
int cnxx_recv(struct cnxx_sock *sock, struct cnxx_msg *msg, int timeout_ms);

/*
 * cnxx_record_next() - walk the cn_msg records of a payload
 * @payload: e.g. cnxx_msg.payload; records follow each other unpadded,
 *           as cn_netlink_send_mult() packs them
 * @size:    bytes at @payload
 * @offset:  in: where the next record starts (0 for the first);
 *           out: just after the returned record
 * @rec:     receives the record; rec->data points into @payload
 *
 * Return: 1 for a record, 0 at the end, -EBADMSG when the bytes left are
 * not a whole record.
 */
int cnxx_record_next(const void *payload, size_t size, size_t *offset,
		     struct cnxx_record *rec);

/*
 * cnxx_msg_parse() - decode the next netlink message of a datagram
 * @buf, @len: the datagram, e.g. from recv() on a socket of one's own
 * @offset:    in: where the next message starts (0 for the first);
 *             out: just after it
 * @msg:       filled as by cnxx_recv(); src_pid and group are 0 (they are
 *             not in the bytes); its pointers point into @buf
 *
 * What cnxx_recv() does with each datagram, for programs that need their
 * own sockets. NLMSG_NOOP and NLMSG_OVERRUN are skipped.
 *
 * Return: 1 for a message, 0 at the end of the datagram, -EBADMSG for a
 * malformed message (*@offset then is past it, or at @len when its header
 * is broken, so the caller can go on).
 */
int cnxx_msg_parse(const void *buf, size_t len, size_t *offset,
		   struct cnxx_msg *msg);

/*
 * cnxx_request() - send @req and wait for its reply
 * @reply: the answer, see below; pointers follow the rule at the top
 *
 * The reply is the first record, in any message (unicast, or multicast to
 * a joined group: join the group a callback replies to first), with
 * seq == req->seq and ack == req->seq + 1. @req is sent with NLM_F_ACK, so cnxx refusing
 * it ends the wait early. Other messages are discarded.
 *
 * Return: 0 when an answer came: reply->type is CNXX_MSG_DATA with
 * reply->rec the matching record, or CNXX_MSG_ACK with reply->error the
 * kernel's negative errno. -ETIMEDOUT, -EINTR, or a local negative errno
 * otherwise.
 */
int cnxx_request(struct cnxx_sock *sock, const struct cnxx_record *req,
		 int timeout_ms, struct cnxx_msg *reply);

/* One range of ids: first .. first + range - 1 (struct cn_notify_req). */
struct cnxx_range {
	uint32_t first;
	uint32_t range;
};

/* cnxx_ctl_size() - bytes of a struct cn_ctl_msg with these range counts. */
size_t cnxx_ctl_size(uint32_t n_idx, uint32_t n_val);

/*
 * cnxx_ctl_build() - encode a notification request (struct cn_ctl_msg)
 * @buf:   receives cnxx_ctl_size(@n_idx, @n_val) bytes
 * @group: group to notify; 0 removes an equal earlier request
 *
 * Pure encoding: the ranges are not checked, the kernel does that.
 * Return: the bytes written, -ENOSPC when @size is too small, -E2BIG when
 * the ranges do not fit a cn_msg.
 */
ssize_t cnxx_ctl_build(void *buf, size_t size, const struct cnxx_range *idx,
		       uint32_t n_idx, const struct cnxx_range *val,
		       uint32_t n_val, uint32_t group);

/*
 * cnxx_notify_send() - send a notification request without waiting
 * @group: group to notify; 0 removes the request with the same ranges
 * @opts:  0 or CNXX_SEND_ACK
 * @seq:   if not NULL, receives the seq its ack will carry (acked_seq)
 *
 * For callers that must not miss notifications arriving before the ack,
 * which the waiting helpers below discard. Return: 0, -E2BIG, -ENOMEM or
 * a cnxx_send() error.
 */
int cnxx_notify_send(struct cnxx_sock *sock, const struct cnxx_range *idx,
		     uint32_t n_idx, const struct cnxx_range *val,
		     uint32_t n_val, uint32_t group, unsigned int opts,
		     uint32_t *seq);

/*
 * cnxx_notify_add() - ask for registration notifications on @group
 * cnxx_notify_remove() - withdraw the request with the same ranges
 *
 * Sends the request to the control id and waits for the ack as
 * cnxx_send_sync() does; the notifications then arrive on @group (join it)
 * as records with the changed id, len 0 and ack CN_NOTIFY_REGISTERED or
 * CN_NOTIFY_UNREGISTERED.
 *
 * Return: as cnxx_send_sync(); -EINVAL for group 0 in cnxx_notify_add().
 * Typical *@ack_err: -EPERM (needs CAP_NET_ADMIN), -EINVAL (bad ranges),
 * -ENOENT (removing an unknown request), -ENOSPC/-E2BIG (over the bounds).
 */
int cnxx_notify_add(struct cnxx_sock *sock, const struct cnxx_range *idx,
		    uint32_t n_idx, const struct cnxx_range *val,
		    uint32_t n_val, uint32_t group, int timeout_ms,
		    int *ack_err);
int cnxx_notify_remove(struct cnxx_sock *sock, const struct cnxx_range *idx,
		       uint32_t n_idx, const struct cnxx_range *val,
		       uint32_t n_val, int timeout_ms, int *ack_err);

/* One line of /proc/net/cnxx (or of the in-tree /proc/net/connector). */
struct cnxx_cb_entry {
	char name[64];		/* trimmed; longer names are truncated */
	struct cb_id id;
	bool has_counters;	/* false for /proc/net/connector */
	uint32_t group;
	uint64_t delivered;
	uint64_t dropped;
	uint64_t send_errors;
	uint64_t replies_dropped;	/* 0 where the file has no such column */
};

/*
 * cnxx_parse_callbacks() - parse the text of /proc/net/cnxx
 * @text, @len: the whole file
 * @entries:    receives a malloc()ed array (NULL when empty); free() it
 * @count:      receives its length
 *
 * The header line decides the format: with a "Delivered" column each line
 * ends in "IDX:VAL GROUP DELIVERED DROPPED SENDERRORS", otherwise (the
 * in-tree /proc/net/connector) in "IDX:VAL"; the name is everything before,
 * trimmed. Empty lines are skipped.
 *
 * Return: 0, -EBADMSG for a missing header or a malformed line, -ENOMEM.
 */
int cnxx_parse_callbacks(const char *text, size_t len,
			 struct cnxx_cb_entry **entries, size_t *count);

/* One "key value" line of /proc/net/cnxx_stats. */
struct cnxx_stat {
	char key[48];		/* longer keys are truncated */
	uint64_t value;
};

/*
 * cnxx_parse_stats() - parse the text of /proc/net/cnxx_stats
 *
 * Keeps the file's order and unknown keys. Ownership as for
 * cnxx_parse_callbacks(). Return: 0, -EBADMSG, -ENOMEM.
 */
int cnxx_parse_stats(const char *text, size_t len, struct cnxx_stat **stats,
		     size_t *count);

/*
 * cnxx_stat_get() - the value of @key in @stats
 * Return: 0, or -ENOENT when the key is absent.
 */
int cnxx_stat_get(const struct cnxx_stat *stats, size_t count,
		  const char *key, uint64_t *value);

/* The statistics file of cnxx.ko. */
#define CNXX_STATS_PATH "/proc/net/cnxx_stats"

/*
 * cnxx_read_stat() - one value of a "key value" file such as CNXX_STATS_PATH
 *
 * Return: 0, -ENOENT when the file (its module not loaded) or the key is
 * absent, -EBADMSG, -ENOMEM, or another errno of open()/read().
 */
int cnxx_read_stat(const char *path, const char *key, uint64_t *value);

/* The status file of cnxx_proc.ko (process events). */
#define CNXX_PROC_STATUS_PATH "/proc/net/cnxx_proc"

/* Room for the event kinds of one status file. */
#define CNXX_PROC_MAX_SOURCES 16

/* One event line of CNXX_PROC_STATUS_PATH. */
struct cnxx_proc_source {
	char event[16];		/* "fork", "exit", ... */
	char hook[64];		/* "tracepoint:task_newtask"; "-" if missing */
	bool available;		/* false: this kernel does not give the event */
	uint64_t sent;		/* events sent; 0 when not available */
};

/* The whole of CNXX_PROC_STATUS_PATH. */
struct cnxx_proc_status {
	struct cnxx_proc_source sources[CNXX_PROC_MAX_SOURCES];
	size_t n_sources;
	int64_t listeners;	/* signed: a count gone wrong shows as such */
	uint64_t probe_misses;
};

/*
 * cnxx_parse_proc_status() - parse the text of CNXX_PROC_STATUS_PATH
 *
 * A header line "Event Hook Sent", one line per event kind
 * "EVENT HOOK SENT" or "EVENT - - (WHY)" for a kind the kernel does not
 * give, then "listeners N" and "probe_misses N", both required.
 *
 * Return: 0, -EBADMSG for a malformed or missing line, -E2BIG for more
 * than CNXX_PROC_MAX_SOURCES event lines.
 */
int cnxx_parse_proc_status(const char *text, size_t len,
			   struct cnxx_proc_status *status);

/*
 * cnxx_read_proc_status() - read and parse a status file such as
 * CNXX_PROC_STATUS_PATH
 *
 * Return: as cnxx_parse_proc_status(), or as cnxx_read_file() (-ENOENT:
 * cnxx_proc.ko is not loaded).
 */
int cnxx_read_proc_status(const char *path, struct cnxx_proc_status *status);

/*
 * cnxx_proc_source_find() - the line of event @event in @status
 * Return: it, or NULL.
 */
const struct cnxx_proc_source *
cnxx_proc_source_find(const struct cnxx_proc_status *status,
		      const char *event);

/*
 * cnxx_read_file() - read a whole (proc) file
 * @text: receives a malloc()ed, NUL-terminated buffer; free() it
 * @len:  receives its length without the NUL
 *
 * Return: 0 or the negative errno of open()/read() (-ENOENT when the
 * module providing the file is not loaded).
 */
int cnxx_read_file(const char *path, char **text, size_t *len);

/*
 * cnxx_errname() - the symbolic name of an errno ("ENODEV")
 * @err: positive or negative
 *
 * Return: a static string, or NULL for 0 and unknown values.
 */
const char *cnxx_errname(int err);

/*
 * Process events: cnxx_proc.ko (or the kernel's own cn_proc) multicasts a
 * struct cnxx_proc_event on {CN_IDX_PROC, CN_VAL_PROC} to group
 * CN_IDX_PROC while anybody listens.
 */

/* Where a subscription's event filter is applied. */
enum cnxx_proc_filtering {
	CNXX_PROC_FILTER_KERNEL,	/* 6.6+: only the wanted events come */
	CNXX_PROC_FILTER_USER,		/* 6.1: all come; cnxx_proc_recv() sorts */
};

/*
 * cnxx_proc_listen() - join group CN_IDX_PROC and subscribe to events
 * @events:     CNXX_PROC_EVENT_* bits (CNXX_PROC_EVENT_ALL: everything)
 * @timeout_ms: how long to wait for each answer of the kernel
 * @filtering:  if not NULL, receives where @events is applied
 *
 * A filter is a struct cnxx_proc_input, which 6.1 semantics drop without
 * an answer and 6.6+ kernels answer only when it asks for all events (the
 * answer is a CNXX_PROC_EVENT_NONE event, which a narrower filter drops):
 * so an input for all events is sent first, and when it is answered the
 * filter follows; otherwise the __u32 LISTEN is sent and the filter is
 * left to cnxx_proc_recv(). Events arriving before the answer are
 * discarded.
 *
 * Return: 0; -EINVAL when @events has no known bit; -EPERM without
 * CAP_NET_ADMIN on kernels before 6.6 (from joining the group, or the
 * answer); -ENODEV when cnxx has no callback for {CN_IDX_PROC,
 * CN_VAL_PROC} (cnxx_proc.ko is not loaded); -ETIMEDOUT when nothing
 * answered (no process-events connector, or an EPERM answer nobody
 * else's listening let through); or another negative errno.
 */
int cnxx_proc_listen(struct cnxx_sock *sock, uint32_t events, int timeout_ms,
		     enum cnxx_proc_filtering *filtering);

/*
 * cnxx_proc_ignore() - unsubscribe: send PROC_CN_MCAST_IGNORE
 *
 * Does not wait for the answer. Needed before closing on 6.1 semantics,
 * which count listeners globally and never notice a closed socket.
 * Return: 0 or a cnxx_send() error.
 */
int cnxx_proc_ignore(struct cnxx_sock *sock);

/*
 * cnxx_proc_decode() - the process event in a received record
 * @ev: receives a copy (rec->data may be unaligned)
 *
 * Pure. Return: 0; -ENOMSG when @rec is not on {CN_IDX_PROC, CN_VAL_PROC};
 * -EBADMSG when it is shorter than struct cnxx_proc_event.
 */
int cnxx_proc_decode(const struct cnxx_record *rec,
		     struct cnxx_proc_event *ev);

/*
 * cnxx_proc_wanted() - whether a subscription for @events gets @ev
 *
 * The kernel's filter: CNXX_PROC_EVENT_ALL takes everything; otherwise an
 * event is taken when its kind is in @events, and an exit with a non-zero
 * exit_code also when CNXX_PROC_EVENT_NONZERO_EXIT is.
 */
bool cnxx_proc_wanted(uint32_t events, const struct cnxx_proc_event *ev);

/*
 * cnxx_proc_recv() - receive the next process event that @events wants
 * @ev: receives the event
 *
 * Skips other messages, messages not from the kernel, and answers to
 * subscriptions (CNXX_PROC_EVENT_NONE). Return: 0; -EBADMSG for a short
 * event (skipped, so the next call goes on); otherwise as cnxx_recv().
 */
int cnxx_proc_recv(struct cnxx_sock *sock, uint32_t events,
		   struct cnxx_proc_event *ev, int timeout_ms);

/*
 * Loss of process events, from the kernel's sequence numbers: every
 * message (event or answer) sent to the process-events group has the
 * cn_msg seq of a per-CPU counter that goes up by one, and its event the
 * number of that CPU. A socket that gets every message (events
 * CNXX_PROC_EVENT_ALL, or any before 6.6, where the kernel does not
 * filter) sees a gap exactly where messages were lost, such as those
 * dropped while its receive buffer was full (recv() then fails once with
 * ENOBUFS). A socket with a kernel filter also sees the filtered events
 * as gaps: do not count there.
 */
#define CNXX_PROC_SEQ_CPUS 1024

struct cnxx_proc_seq {
	uint64_t lost;		/* messages missed so far */
	uint32_t last_cpu;	/* the CPU of the last gap */
	uint32_t next[CNXX_PROC_SEQ_CPUS];
	uint8_t seen[CNXX_PROC_SEQ_CPUS];
};

/*
 * cnxx_proc_seq_note() - account message @seq of CPU @cpu in @s
 *
 * A jump back or of more than 2^31 (the module was loaded again) starts
 * over without counting; CPUs from CNXX_PROC_SEQ_CPUS on are not counted.
 * Return: the messages of @cpu missed just before this one.
 */
uint32_t cnxx_proc_seq_note(struct cnxx_proc_seq *s, uint32_t cpu,
			    uint32_t seq);

/*
 * cnxx_proc_recv_seq() - cnxx_proc_recv(), noting in @seq (which may be
 * NULL) the sequence number of every process-events message that comes,
 * taken or not.
 */
int cnxx_proc_recv_seq(struct cnxx_sock *sock, uint32_t events,
		       struct cnxx_proc_event *ev, struct cnxx_proc_seq *seq,
		       int timeout_ms);

/*
 * cnxx_proc_event_name() - "fork", "exec", "uid", "gid", "sid", "ptrace",
 * "comm", "coredump", "exit", "nonzero-exit" (a filter bit) or "none"
 * (an answer) for a CNXX_PROC_EVENT_* value; NULL for others.
 */
const char *cnxx_proc_event_name(uint32_t what);

/*
 * cnxx_proc_parse_events() - "fork,exec,nonzero-exit" as event bits
 * @events: receives the bits; "all" is CNXX_PROC_EVENT_ALL
 * @bad:    if not NULL, receives on -EINVAL where the unknown (or empty)
 *          name starts in @list; it ends at the next ',' or the end
 *
 * Names as cnxx_proc_event_name(), without "none". Return: 0 or -EINVAL.
 */
int cnxx_proc_parse_events(const char *list, uint32_t *events,
			   const char **bad);

#ifdef __cplusplus
}
#endif

#endif /* CNXX_LIBCNXX_H */
