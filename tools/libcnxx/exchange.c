// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Waiting for an answer: acks, replies to a request, deadlines.
 */
#include "internal.h"

#include <errno.h>
#include <stdbool.h>

/* Deadlines: a timeout < 0 never expires. */
struct timespec cnxx_deadline(int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (timeout_ms > 0) {
		ts.tv_sec += timeout_ms / 1000;
		ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
	}
	return ts;
}

int cnxx_remaining_ms(const struct timespec *deadline, int timeout_ms)
{
	struct timespec now;
	long long ns;

	if (timeout_ms < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (long long)(deadline->tv_sec - now.tv_sec) * 1000000000 +
	     (deadline->tv_nsec - now.tv_nsec);
	if (ns <= 0)
		return 0;
	return (int)((ns + 999999) / 1000000);
}

bool cnxx_transient(int err)
{
	return err == -EBADMSG || err == -EMSGSIZE || err == -ENOBUFS;
}

static bool cnxx_is_ack_for(const struct cnxx_msg *msg, uint32_t seq)
{
	return msg->type == CNXX_MSG_ACK && msg->src_pid == 0 &&
	       msg->acked_seq == seq;
}

int cnxx_wait_ack(struct cnxx_sock *sock, uint32_t seq, int timeout_ms,
		  int *ack_err)
{
	struct timespec deadline = cnxx_deadline(timeout_ms);
	struct cnxx_msg msg;
	int ret;

	for (;;) {
		ret = cnxx_recv(sock, &msg,
				cnxx_remaining_ms(&deadline, timeout_ms));
		if (cnxx_transient(ret))
			continue;
		if (ret)
			return ret;
		if (cnxx_is_ack_for(&msg, seq)) {
			*ack_err = msg.error;
			return 0;
		}
	}
}

int cnxx_send_sync(struct cnxx_sock *sock, const struct cnxx_record *rec,
		   int timeout_ms, int *ack_err)
{
	int ret = cnxx_send(sock, rec, CNXX_SEND_ACK);

	if (ret)
		return ret;
	return cnxx_wait_ack(sock, rec->seq, timeout_ms, ack_err);
}

/* Finds the record answering @seq in @msg and makes it msg->rec. */
static bool cnxx_find_reply(struct cnxx_msg *msg, uint32_t seq)
{
	struct cnxx_record rec;
	size_t off = 0;

	if (msg->type != CNXX_MSG_DATA)
		return false;
	while (cnxx_record_next(msg->payload, msg->payload_len, &off,
				&rec) == 1) {
		if (rec.seq == seq && rec.ack == seq + 1) {
			msg->rec = rec;
			return true;
		}
	}
	return false;
}

int cnxx_request(struct cnxx_sock *sock, const struct cnxx_record *req,
		 int timeout_ms, struct cnxx_msg *reply)
{
	struct timespec deadline;
	int ret;

	ret = cnxx_send(sock, req, CNXX_SEND_ACK);
	if (ret)
		return ret;
	deadline = cnxx_deadline(timeout_ms);
	for (;;) {
		ret = cnxx_recv(sock, reply,
				cnxx_remaining_ms(&deadline, timeout_ms));
		if (cnxx_transient(ret))
			continue;
		if (ret)
			return ret;
		/* a positive ack only says the callback ran: keep waiting */
		if (cnxx_is_ack_for(reply, req->seq) && reply->error)
			return 0;
		if (cnxx_find_reply(reply, req->seq))
			return 0;
	}
}

