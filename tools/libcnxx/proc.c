// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Process events: subscribing to {CN_IDX_PROC, CN_VAL_PROC} in the way the
 * kernel understands (6.1 or 6.6+ semantics), receiving and decoding
 * struct cnxx_proc_event, event names.
 */
#include "internal.h"

#include <errno.h>
#include <string.h>

/* An unanswered filter means 6.1 semantics: do not wait long for it. */
#define CNXX_PROC_PROBE_MS 500

static const struct {
	uint32_t what;
	const char *name;
} cnxx_proc_names[] = {
	{ CNXX_PROC_EVENT_FORK, "fork" },
	{ CNXX_PROC_EVENT_EXEC, "exec" },
	{ CNXX_PROC_EVENT_UID, "uid" },
	{ CNXX_PROC_EVENT_GID, "gid" },
	{ CNXX_PROC_EVENT_SID, "sid" },
	{ CNXX_PROC_EVENT_PTRACE, "ptrace" },
	{ CNXX_PROC_EVENT_COMM, "comm" },
	{ CNXX_PROC_EVENT_NONZERO_EXIT, "nonzero-exit" },
	{ CNXX_PROC_EVENT_COREDUMP, "coredump" },
	{ CNXX_PROC_EVENT_EXIT, "exit" },
};

#define CNXX_PROC_NAMES (sizeof(cnxx_proc_names) / sizeof(cnxx_proc_names[0]))

const char *cnxx_proc_event_name(uint32_t what)
{
	size_t i;

	if (what == CNXX_PROC_EVENT_NONE)
		return "none";
	for (i = 0; i < CNXX_PROC_NAMES; i++)
		if (cnxx_proc_names[i].what == what)
			return cnxx_proc_names[i].name;
	return NULL;
}

/* The bits of the name of @len bytes at @name, or 0 when unknown. */
static uint32_t cnxx_proc_bits(const char *name, size_t len)
{
	size_t i;

	if (len == 3 && !memcmp(name, "all", 3))
		return CNXX_PROC_EVENT_ALL;
	for (i = 0; i < CNXX_PROC_NAMES; i++)
		if (strlen(cnxx_proc_names[i].name) == len &&
		    !memcmp(cnxx_proc_names[i].name, name, len))
			return cnxx_proc_names[i].what;
	return 0;
}

int cnxx_proc_parse_events(const char *list, uint32_t *events,
			   const char **bad)
{
	const char *p = list;
	uint32_t mask = 0;

	for (;;) {
		size_t len = strcspn(p, ",");
		uint32_t bits = cnxx_proc_bits(p, len);

		if (!bits) {
			if (bad)
				*bad = p;
			return -EINVAL;
		}
		mask |= bits;
		if (!p[len])
			break;
		p += len + 1;
	}
	*events = mask;
	return 0;
}

int cnxx_proc_decode(const struct cnxx_record *rec,
		     struct cnxx_proc_event *ev)
{
	if (rec->id.idx != CN_IDX_PROC || rec->id.val != CN_VAL_PROC)
		return -ENOMSG;
	if (rec->len < sizeof(*ev))
		return -EBADMSG;
	memcpy(ev, rec->data, sizeof(*ev));
	return 0;
}

bool cnxx_proc_wanted(uint32_t events, const struct cnxx_proc_event *ev)
{
	if ((events & CNXX_PROC_EVENT_ALL) == CNXX_PROC_EVENT_ALL)
		return true;
	if ((events & CNXX_PROC_EVENT_NONZERO_EXIT) &&
	    ev->what == CNXX_PROC_EVENT_EXIT && ev->event_data.exit.exit_code)
		return true;
	return events & ev->what;
}

/* A cn_msg ack that other sockets' requests are unlikely to use. */
static uint32_t cnxx_proc_cookie(const struct cnxx_sock *sock, uint32_t seq)
{
	return sock->portid * 2654435761u + seq;
}

/* Sends a LISTEN or IGNORE request; *@ack: the ack its answer carries. */
static int cnxx_proc_send(struct cnxx_sock *sock, const void *data,
			  uint16_t len, unsigned int opts, uint32_t *nl_seq,
			  uint32_t *ack)
{
	struct cnxx_record rec = {
		.id = { CN_IDX_PROC, CN_VAL_PROC },
		.seq = sock->seq++,
		.len = len,
		.data = data,
	};

	rec.ack = cnxx_proc_cookie(sock, rec.seq);
	if (nl_seq)
		*nl_seq = rec.seq;
	if (ack)
		*ack = rec.ack + 1;
	return cnxx_send(sock, &rec, opts);
}

/* Whether @msg is the kernel's answer to the request answered with @ack. */
static bool cnxx_proc_is_answer(const struct cnxx_msg *msg, uint32_t ack,
				int *err)
{
	struct cnxx_proc_event ev;

	if (msg->type != CNXX_MSG_DATA || msg->src_pid != 0 ||
	    msg->rec.ack != ack || cnxx_proc_decode(&msg->rec, &ev) ||
	    ev.what != CNXX_PROC_EVENT_NONE)
		return false;
	*err = -(int)ev.event_data.ack.err;
	return true;
}

/*
 * Sends a request and waits for its answer. Return: 1 with *@err the
 * answer's negative errno or 0; 0 when none came; a negative errno when
 * sending failed or cnxx refused the message (-ENODEV: no callback).
 */
static int cnxx_proc_request(struct cnxx_sock *sock, const void *data,
			     uint16_t len, int timeout_ms, int *err)
{
	struct timespec deadline = cnxx_deadline(timeout_ms);
	struct cnxx_msg msg;
	uint32_t seq, ack;
	int ret;

	ret = cnxx_proc_send(sock, data, len, CNXX_SEND_ACK, &seq, &ack);
	if (ret)
		return ret;
	for (;;) {
		ret = cnxx_recv(sock, &msg,
				cnxx_remaining_ms(&deadline, timeout_ms));
		if (cnxx_transient(ret))
			continue;
		if (ret == -ETIMEDOUT)
			return 0;
		if (ret)
			return ret;
		if (cnxx_proc_is_answer(&msg, ack, err))
			return 1;
		/*
		 * cnxx acks after the callback returned, and the callback
		 * queued its answer, if any, first: there is none to come.
		 * The in-tree connector never acks; there the time runs out.
		 */
		if (msg.type == CNXX_MSG_ACK && msg.src_pid == 0 &&
		    msg.acked_seq == seq)
			return msg.error;
	}
}

int cnxx_proc_listen(struct cnxx_sock *sock, uint32_t events, int timeout_ms,
		     enum cnxx_proc_filtering *filtering)
{
	struct cnxx_proc_input input = {
		.mcast_op = CNXX_PROC_CN_MCAST_LISTEN,
		.event_type = CNXX_PROC_EVENT_ALL,
	};
	uint32_t op = CNXX_PROC_CN_MCAST_LISTEN;
	enum cnxx_proc_filtering where = CNXX_PROC_FILTER_KERNEL;
	int probe_ms = timeout_ms;
	int ret, err = 0;

	events &= CNXX_PROC_EVENT_ALL;
	if (!events)
		return -EINVAL;
	ret = cnxx_join(sock, CN_IDX_PROC);
	if (ret)
		return ret;

	if (events != CNXX_PROC_EVENT_ALL) {
		if (probe_ms < 0 || probe_ms > CNXX_PROC_PROBE_MS)
			probe_ms = CNXX_PROC_PROBE_MS;
		ret = cnxx_proc_request(sock, &input, sizeof(input), probe_ms,
					&err);
		if (ret < 0)
			return ret;
		if (ret && err)
			return err;
		if (ret) {
			/* its answer would be filtered out: none to wait for */
			input.event_type = events;
			ret = cnxx_proc_send(sock, &input, sizeof(input), 0,
					     NULL, NULL);
			if (!ret && filtering)
				*filtering = CNXX_PROC_FILTER_KERNEL;
			return ret;
		}
		where = CNXX_PROC_FILTER_USER;
	}

	ret = cnxx_proc_request(sock, &op, sizeof(op), timeout_ms, &err);
	if (ret < 0)
		return ret;
	if (!ret)
		return -ETIMEDOUT;
	if (err)
		return err;
	if (filtering)
		*filtering = where;
	return 0;
}

int cnxx_proc_ignore(struct cnxx_sock *sock)
{
	uint32_t op = CNXX_PROC_CN_MCAST_IGNORE;

	return cnxx_proc_send(sock, &op, sizeof(op), 0, NULL, NULL);
}

uint32_t cnxx_proc_seq_note(struct cnxx_proc_seq *s, uint32_t cpu,
			    uint32_t seq)
{
	uint32_t gap;

	if (cpu >= CNXX_PROC_SEQ_CPUS)
		return 0;
	gap = s->seen[cpu] ? seq - s->next[cpu] : 0;
	if (gap > UINT32_MAX / 2)
		gap = 0;
	s->seen[cpu] = 1;
	s->next[cpu] = seq + 1;
	if (gap) {
		s->lost += gap;
		s->last_cpu = cpu;
	}
	return gap;
}

int cnxx_proc_recv(struct cnxx_sock *sock, uint32_t events,
		   struct cnxx_proc_event *ev, int timeout_ms)
{
	return cnxx_proc_recv_seq(sock, events, ev, NULL, timeout_ms);
}

int cnxx_proc_recv_seq(struct cnxx_sock *sock, uint32_t events,
		       struct cnxx_proc_event *ev, struct cnxx_proc_seq *seq,
		       int timeout_ms)
{
	struct timespec deadline = cnxx_deadline(timeout_ms);
	struct cnxx_msg msg;
	int ret;

	for (;;) {
		ret = cnxx_recv(sock, &msg,
				cnxx_remaining_ms(&deadline, timeout_ms));
		if (ret)
			return ret;
		/* cn_proc sends one event per message; only the kernel does */
		if (msg.type != CNXX_MSG_DATA || msg.src_pid != 0)
			continue;
		ret = cnxx_proc_decode(&msg.rec, ev);
		if (ret == -ENOMSG)
			continue;
		if (ret)
			return ret;
		if (seq)
			cnxx_proc_seq_note(seq, ev->cpu, msg.rec.seq);
		if (ev->what != CNXX_PROC_EVENT_NONE &&
		    cnxx_proc_wanted(events, ev))
			return 0;
	}
}
