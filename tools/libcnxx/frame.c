// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Framing: one cn_msg in one netlink message; decoding the netlink messages
 * of a received datagram and the cn_msg records of a payload. Pure: no
 * socket.
 */
#include "internal.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <string.h>

void cnxx_put_header(void *buf, const struct cnxx_record *rec,
		     uint16_t nl_flags, uint32_t nl_seq, uint32_t nl_pid)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct cn_msg cn = {
		.id = rec->id,
		.seq = rec->seq,
		.ack = rec->ack,
		.len = rec->len,
		.flags = rec->flags,
	};

	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(cn)), &cn, sizeof(cn));
	/* connector senders give the unpadded length, as the kernel does */
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(cn) + rec->len);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = nl_flags;
	nlh->nlmsg_seq = nl_seq;
	nlh->nlmsg_pid = nl_pid;
}

ssize_t cnxx_frame(void *buf, size_t size, const struct cnxx_record *rec,
		   uint16_t nl_flags, uint32_t nl_seq, uint32_t nl_pid)
{
	size_t total = NLMSG_SPACE(sizeof(struct cn_msg) + rec->len);
	unsigned char *p = buf;

	if (rec->len && !rec->data)
		return -EINVAL;
	if (size < total)
		return -ENOSPC;
	memset(p, 0, total);
	cnxx_put_header(p, rec, nl_flags, nl_seq, nl_pid);
	if (rec->len)
		memcpy(p + CNXX_FRAME_HDR, rec->data, rec->len);
	return total;
}

int cnxx_record_next(const void *payload, size_t size, size_t *offset,
		     struct cnxx_record *rec)
{
	const unsigned char *p = payload;
	size_t off = *offset;
	struct cn_msg hdr;

	if (off >= size)
		return 0;
	if (size - off < sizeof(hdr)) {
		/* senders framing like samples/connector/ucon.c pad to 4 */
		if (NLMSG_ALIGN(off) == size)
			return 0;
		return -EBADMSG;
	}
	memcpy(&hdr, p + off, sizeof(hdr));	/* records may be unaligned */
	if (hdr.len > size - off - sizeof(hdr))
		return -EBADMSG;

	rec->id = hdr.id;
	rec->seq = hdr.seq;
	rec->ack = hdr.ack;
	rec->len = hdr.len;
	rec->flags = hdr.flags;
	rec->data = p + off + sizeof(hdr);
	*offset = off + sizeof(hdr) + hdr.len;
	return 1;
}


/* One netlink message at @nlh: 1 for a message in @msg, 0 to skip it. */
static int cnxx_decode(const struct nlmsghdr *nlh, struct cnxx_msg *msg)
{
	size_t plen = mnl_nlmsg_get_payload_len(nlh), off = 0;

	memset(msg, 0, sizeof(*msg));
	msg->nl_type = nlh->nlmsg_type;
	msg->nl_flags = nlh->nlmsg_flags;
	msg->nl_seq = nlh->nlmsg_seq;
	msg->nl_pid = nlh->nlmsg_pid;

	switch (nlh->nlmsg_type) {
	case NLMSG_NOOP:
	case NLMSG_OVERRUN:
		return 0;
	case NLMSG_ERROR: {
		struct nlmsgerr err;

		if (plen < sizeof(err))
			return -EBADMSG;
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		msg->type = CNXX_MSG_ACK;
		msg->error = err.error;
		msg->acked_seq = err.msg.nlmsg_seq;
		return 1;
	}
	}

	/* the kernel sends cn_msg as NLMSG_DONE; peers may use any type */
	msg->type = CNXX_MSG_DATA;
	msg->payload = mnl_nlmsg_get_payload(nlh);
	msg->payload_len = plen;
	if (cnxx_record_next(msg->payload, plen, &off, &msg->rec) != 1)
		return -EBADMSG;
	return 1;
}

int cnxx_msg_parse(const void *buf, size_t len, size_t *offset,
		   struct cnxx_msg *msg)
{
	const unsigned char *p = buf;
	int ret;

	do {
		const struct nlmsghdr *nlh = (const void *)(p + *offset);
		size_t left;

		if (*offset >= len)
			return 0;
		left = len - *offset;
		if (!mnl_nlmsg_ok(nlh, (int)left)) {
			/* nothing behind a broken header can be trusted */
			*offset = len;
			return -EBADMSG;
		}
		*offset += NLMSG_ALIGN(nlh->nlmsg_len) < left ?
			   NLMSG_ALIGN(nlh->nlmsg_len) : left;
		ret = cnxx_decode(nlh, msg);
	} while (!ret);
	return ret;
}
