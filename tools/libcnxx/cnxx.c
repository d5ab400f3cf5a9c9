// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libcnxx: NETLINK_CONNECTOR sockets, cn_msg framing, notification requests
 * and the cnxx proc files. Plain sockets rather than libmnl: the tools are
 * also linked fully static and Debian ships no libmnl.a.
 */
#include "cnxx.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* The uapi header of the module: the wire format this file encodes. */
#include <cnxx/connector.h>

_Static_assert(sizeof(struct cnxx_range) == sizeof(struct cn_notify_req),
	       "cnxx_range must match cn_notify_req");
_Static_assert(sizeof(struct cn_ctl_msg) == 16, "cn_ctl_msg header");
_Static_assert(CNXX_CTL_IDX == CN_IDX_CONNECTOR &&
	       CNXX_CTL_VAL == CN_VAL_CONNECTOR, "control id");
_Static_assert(CNXX_NOTIFY_REGISTERED == CN_NOTIFY_REGISTERED &&
	       CNXX_NOTIFY_UNREGISTERED == CN_NOTIFY_UNREGISTERED,
	       "notification acks");

/*
 * Room for the largest message the kernel sends: cn_netlink_send_mult()
 * takes a u16 length on top of the first header.
 */
#define CNXX_RXBUF (NLMSG_SPACE(sizeof(struct cn_msg) + 0xffff) + 4096)

/* nlmsghdr + cn_msg, the part of a frame before the data. */
#define CNXX_FRAME_HDR (NLMSG_HDRLEN + sizeof(struct cn_msg))

struct cnxx_sock {
	int fd;
	uint32_t portid;
	uint32_t seq;		/* of control requests */
	/* the last datagram: buf[off, len) holds unread netlink messages */
	unsigned char *buf;
	size_t len;
	size_t off;
	uint32_t src_pid;
	uint32_t group;
};

int cnxx_open(struct cnxx_sock **sockp)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	socklen_t alen = sizeof(addr);
	struct cnxx_sock *sock;
	int one = 1;
	int err;

	sock = calloc(1, sizeof(*sock));
	if (!sock)
		return -ENOMEM;
	sock->buf = malloc(CNXX_RXBUF);
	if (!sock->buf) {
		err = -ENOMEM;
		goto err_free;
	}
	sock->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			  NETLINK_CONNECTOR);
	if (sock->fd < 0) {
		err = -errno;
		goto err_free;
	}
	if (bind(sock->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    getsockname(sock->fd, (struct sockaddr *)&addr, &alen) < 0) {
		err = -errno;
		goto err_close;
	}
	/* tells which group a multicast message came from */
	if (setsockopt(sock->fd, SOL_NETLINK, NETLINK_PKTINFO, &one,
		       sizeof(one)) < 0) {
		err = -errno;
		goto err_close;
	}
	sock->portid = addr.nl_pid;
	sock->seq = 1;
	*sockp = sock;
	return 0;

err_close:
	close(sock->fd);
err_free:
	free(sock->buf);
	free(sock);
	return err;
}

void cnxx_close(struct cnxx_sock *sock)
{
	if (!sock)
		return;
	close(sock->fd);
	free(sock->buf);
	free(sock);
}

int cnxx_fd(const struct cnxx_sock *sock)
{
	return sock->fd;
}

uint32_t cnxx_portid(const struct cnxx_sock *sock)
{
	return sock->portid;
}

static int cnxx_membership(struct cnxx_sock *sock, int opt, uint32_t group)
{
	unsigned int val = group;

	if (!group)
		return -EINVAL;
	if (setsockopt(sock->fd, SOL_NETLINK, opt, &val, sizeof(val)) < 0)
		return -errno;
	return 0;
}

int cnxx_join(struct cnxx_sock *sock, uint32_t group)
{
	return cnxx_membership(sock, NETLINK_ADD_MEMBERSHIP, group);
}

int cnxx_leave(struct cnxx_sock *sock, uint32_t group)
{
	return cnxx_membership(sock, NETLINK_DROP_MEMBERSHIP, group);
}

static void cnxx_put_header(unsigned char *buf, const struct cnxx_record *rec,
			    uint16_t nl_flags, uint32_t nl_seq,
			    uint32_t nl_pid)
{
	struct nlmsghdr nlh = {
		.nlmsg_len = NLMSG_LENGTH(sizeof(struct cn_msg) + rec->len),
		.nlmsg_type = NLMSG_DONE,
		.nlmsg_flags = nl_flags,
		.nlmsg_seq = nl_seq,
		.nlmsg_pid = nl_pid,
	};
	struct cn_msg cn = {
		.id = rec->id,
		.seq = rec->seq,
		.ack = rec->ack,
		.len = rec->len,
		.flags = rec->flags,
	};

	memcpy(buf, &nlh, sizeof(nlh));
	memcpy(buf + NLMSG_HDRLEN, &cn, sizeof(cn));
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

static int cnxx_sendmsg(struct cnxx_sock *sock, uint32_t portid,
			struct iovec *iov, size_t iovlen)
{
	struct sockaddr_nl dst = { .nl_family = AF_NETLINK, .nl_pid = portid };
	struct msghdr mh = {
		.msg_name = &dst,
		.msg_namelen = sizeof(dst),
		.msg_iov = iov,
		.msg_iovlen = iovlen,
	};

	if (sendmsg(sock->fd, &mh, 0) < 0)
		return -errno;
	return 0;
}

int cnxx_send(struct cnxx_sock *sock, const struct cnxx_record *rec,
	      unsigned int opts)
{
	static const unsigned char pad[NLMSG_ALIGNTO];
	unsigned char hdr[CNXX_FRAME_HDR];
	size_t body = sizeof(struct cn_msg) + rec->len;
	/* scatter-gather: the data is not copied */
	struct iovec iov[3] = {
		{ .iov_base = hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = (void *)rec->data, .iov_len = rec->len },
		{ .iov_base = (void *)pad,
		  .iov_len = NLMSG_SPACE(body) - NLMSG_LENGTH(body) },
	};
	uint16_t nl_flags = NLM_F_REQUEST;

	if (rec->len && !rec->data)
		return -EINVAL;
	if (opts & CNXX_SEND_ACK)
		nl_flags |= NLM_F_ACK;
	cnxx_put_header(hdr, rec, nl_flags, rec->seq, sock->portid);
	return cnxx_sendmsg(sock, 0, iov, 3);
}

int cnxx_send_raw(struct cnxx_sock *sock, uint32_t portid, const void *buf,
		  size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return cnxx_sendmsg(sock, portid, &iov, 1);
}

/* Deadlines: a timeout < 0 never expires. */
static struct timespec cnxx_deadline(int timeout_ms)
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

static int cnxx_remaining_ms(const struct timespec *deadline, int timeout_ms)
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

/* Reads one datagram into sock->buf. */
static int cnxx_fill(struct cnxx_sock *sock, int timeout_ms)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct nl_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct sockaddr_nl src;
	struct iovec iov = { .iov_base = sock->buf, .iov_len = CNXX_RXBUF };
	struct msghdr mh = {
		.msg_name = &src,
		.msg_namelen = sizeof(src),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	struct pollfd pfd = { .fd = sock->fd, .events = POLLIN };
	struct cmsghdr *cmsg;
	ssize_t n;
	int ret;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return -ETIMEDOUT;
	n = recvmsg(sock->fd, &mh, MSG_DONTWAIT);
	if (n < 0)
		return -errno;	/* -EAGAIN makes the caller poll again */
	if (mh.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;

	sock->len = n;
	sock->off = 0;
	sock->src_pid = src.nl_pid;
	sock->group = 0;
	for (cmsg = CMSG_FIRSTHDR(&mh); cmsg; cmsg = CMSG_NXTHDR(&mh, cmsg)) {
		struct nl_pktinfo info;

		if (cmsg->cmsg_level != SOL_NETLINK ||
		    cmsg->cmsg_type != NETLINK_PKTINFO)
			continue;
		memcpy(&info, CMSG_DATA(cmsg), sizeof(info));
		sock->group = info.group;
	}
	return 0;
}

/*
 * Takes the next netlink message of the buffered datagram.
 * Return: 1 for a message in @msg, 0 for one to skip, -EBADMSG.
 */
static int cnxx_next_nlmsg(struct cnxx_sock *sock, struct cnxx_msg *msg)
{
	size_t left = sock->len - sock->off;
	const struct nlmsghdr *nlh = (const void *)(sock->buf + sock->off);
	size_t plen, off = 0;

	if (left < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN ||
	    nlh->nlmsg_len > left) {
		/* nothing behind a broken header can be trusted */
		sock->off = sock->len;
		return -EBADMSG;
	}
	sock->off += NLMSG_ALIGN(nlh->nlmsg_len) < left ?
		     NLMSG_ALIGN(nlh->nlmsg_len) : left;
	plen = nlh->nlmsg_len - NLMSG_HDRLEN;

	memset(msg, 0, sizeof(*msg));
	msg->nl_type = nlh->nlmsg_type;
	msg->nl_flags = nlh->nlmsg_flags;
	msg->nl_seq = nlh->nlmsg_seq;
	msg->nl_pid = nlh->nlmsg_pid;
	msg->src_pid = sock->src_pid;
	msg->group = sock->group;

	switch (nlh->nlmsg_type) {
	case NLMSG_NOOP:
	case NLMSG_OVERRUN:
		return 0;
	case NLMSG_ERROR: {
		struct nlmsgerr err;

		if (plen < sizeof(err))
			return -EBADMSG;
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
		msg->type = CNXX_MSG_ACK;
		msg->error = err.error;
		msg->acked_seq = err.msg.nlmsg_seq;
		return 1;
	}
	}

	/* the kernel sends cn_msg as NLMSG_DONE; peers may use any type */
	msg->type = CNXX_MSG_DATA;
	msg->payload = NLMSG_DATA(nlh);
	msg->payload_len = plen;
	if (cnxx_record_next(msg->payload, plen, &off, &msg->rec) != 1)
		return -EBADMSG;
	return 1;
}

int cnxx_recv(struct cnxx_sock *sock, struct cnxx_msg *msg, int timeout_ms)
{
	struct timespec deadline = cnxx_deadline(timeout_ms);
	int ret;

	for (;;) {
		if (sock->off < sock->len) {
			ret = cnxx_next_nlmsg(sock, msg);
			if (ret)
				return ret < 0 ? ret : 0;
			continue;
		}
		ret = cnxx_fill(sock, cnxx_remaining_ms(&deadline, timeout_ms));
		if (ret && ret != -EAGAIN)
			return ret;
	}
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

/* Skips what cannot be the awaited answer rather than failing the wait. */
static bool cnxx_transient(int err)
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

size_t cnxx_ctl_size(uint32_t n_idx, uint32_t n_val)
{
	uint64_t size = sizeof(struct cn_ctl_msg) +
			((uint64_t)n_idx + n_val) * sizeof(struct cnxx_range);

	return size > SIZE_MAX ? SIZE_MAX : (size_t)size;
}

ssize_t cnxx_ctl_build(void *buf, size_t size, const struct cnxx_range *idx,
		       uint32_t n_idx, const struct cnxx_range *val,
		       uint32_t n_val, uint32_t group)
{
	size_t total = cnxx_ctl_size(n_idx, n_val);
	unsigned char *p = buf;
	struct cn_ctl_msg ctl = {
		.idx_notify_num = n_idx,
		.val_notify_num = n_val,
		.group = group,
	};

	/* it travels as the data of one cn_msg, whose len is a u16 */
	if (total > 0xffff)
		return -E2BIG;
	if (size < total)
		return -ENOSPC;
	ctl.len = total - sizeof(ctl);
	memcpy(p, &ctl, sizeof(ctl));
	p += sizeof(ctl);
	if (n_idx)
		memcpy(p, idx, n_idx * sizeof(*idx));
	p += n_idx * sizeof(*idx);
	if (n_val)
		memcpy(p, val, n_val * sizeof(*val));
	return total;
}

int cnxx_notify_send(struct cnxx_sock *sock, const struct cnxx_range *idx,
		     uint32_t n_idx, const struct cnxx_range *val,
		     uint32_t n_val, uint32_t group, unsigned int opts,
		     uint32_t *seq)
{
	size_t size = cnxx_ctl_size(n_idx, n_val);
	struct cnxx_record rec = {
		.id = { CNXX_CTL_IDX, CNXX_CTL_VAL },
		.seq = sock->seq++,
	};
	ssize_t len;
	void *buf;
	int ret;

	if (size > 0xffff)
		return -E2BIG;
	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	len = cnxx_ctl_build(buf, size, idx, n_idx, val, n_val, group);
	if (len < 0) {
		ret = len;
		goto out;
	}
	rec.len = len;
	rec.data = buf;
	ret = cnxx_send(sock, &rec, opts);
	if (!ret && seq)
		*seq = rec.seq;
out:
	free(buf);
	return ret;
}

static int cnxx_notify_sync(struct cnxx_sock *sock,
			    const struct cnxx_range *idx, uint32_t n_idx,
			    const struct cnxx_range *val, uint32_t n_val,
			    uint32_t group, int timeout_ms, int *ack_err)
{
	uint32_t seq;
	int ret;

	ret = cnxx_notify_send(sock, idx, n_idx, val, n_val, group,
			       CNXX_SEND_ACK, &seq);
	if (ret)
		return ret;
	return cnxx_wait_ack(sock, seq, timeout_ms, ack_err);
}

int cnxx_notify_add(struct cnxx_sock *sock, const struct cnxx_range *idx,
		    uint32_t n_idx, const struct cnxx_range *val,
		    uint32_t n_val, uint32_t group, int timeout_ms,
		    int *ack_err)
{
	if (!group)
		return -EINVAL;
	return cnxx_notify_sync(sock, idx, n_idx, val, n_val, group,
				timeout_ms, ack_err);
}

int cnxx_notify_remove(struct cnxx_sock *sock, const struct cnxx_range *idx,
		       uint32_t n_idx, const struct cnxx_range *val,
		       uint32_t n_val, int timeout_ms, int *ack_err)
{
	return cnxx_notify_sync(sock, idx, n_idx, val, n_val, 0, timeout_ms,
				ack_err);
}

/* ---- proc files ---- */

static bool cnxx_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Splits off the next line of [*p, end); NULL at the end. */
static const char *cnxx_line(const char **p, const char *end, size_t *n)
{
	const char *line = *p;
	const char *nl;

	if (line >= end)
		return NULL;
	nl = memchr(line, '\n', end - line);
	*n = (nl ? nl : end) - line;
	*p = nl ? nl + 1 : end;
	/* trailing blanks never belong to a field */
	while (*n && cnxx_blank(line[*n - 1]))
		(*n)--;
	return line;
}

/* A decimal number of @n digits, at most @max. */
static int cnxx_uint(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!n)
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (max - d) / 10)
			return -EBADMSG;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int cnxx_u32(const char *s, size_t n, uint32_t *out)
{
	uint64_t v;
	int ret = cnxx_uint(s, n, UINT32_MAX, &v);

	if (!ret)
		*out = (uint32_t)v;
	return ret;
}

static int cnxx_id(const char *s, size_t n, struct cb_id *id)
{
	const char *colon = memchr(s, ':', n);

	if (!colon)
		return -EBADMSG;
	if (cnxx_u32(s, colon - s, &id->idx) ||
	    cnxx_u32(colon + 1, n - (colon - s) - 1, &id->val))
		return -EBADMSG;
	return 0;
}

struct cnxx_field {
	const char *s;
	size_t n;
};

/*
 * Takes the last @count fields of the line [s, s + *n), last one first,
 * and shortens *n to what is left before them.
 */
static int cnxx_tail_fields(const char *s, size_t *n, struct cnxx_field *f,
			    size_t count)
{
	size_t end = *n;
	size_t i;

	for (i = 0; i < count; i++) {
		size_t start;

		while (end && cnxx_blank(s[end - 1]))
			end--;
		start = end;
		while (start && !cnxx_blank(s[start - 1]))
			start--;
		if (start == end)
			return -EBADMSG;
		f[i].s = s + start;
		f[i].n = end - start;
		end = start;
	}
	*n = end;
	return 0;
}

static void cnxx_copy_trimmed(char *dst, size_t size, const char *s, size_t n)
{
	while (n && cnxx_blank(*s)) {
		s++;
		n--;
	}
	while (n && cnxx_blank(s[n - 1]))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int cnxx_cb_line(const char *s, size_t n, bool counters,
			bool replies, struct cnxx_cb_entry *e)
{
	/* last first: [replies_dropped,] send_errors .. id */
	struct cnxx_field f[6], *c;
	size_t nf = counters ? 5 + replies : 1;
	uint64_t group;

	memset(e, 0, sizeof(*e));
	if (cnxx_tail_fields(s, &n, f, nf) || cnxx_id(f[nf - 1].s,
						       f[nf - 1].n, &e->id))
		return -EBADMSG;
	if (counters) {
		c = f + (replies ? 1 : 0);
		if (cnxx_uint(c[3].s, c[3].n, UINT32_MAX, &group) ||
		    cnxx_uint(c[2].s, c[2].n, UINT64_MAX, &e->delivered) ||
		    cnxx_uint(c[1].s, c[1].n, UINT64_MAX, &e->dropped) ||
		    cnxx_uint(c[0].s, c[0].n, UINT64_MAX, &e->send_errors) ||
		    (replies && cnxx_uint(f[0].s, f[0].n, UINT64_MAX,
					  &e->replies_dropped)))
			return -EBADMSG;
		e->group = (uint32_t)group;
		e->has_counters = true;
	}
	cnxx_copy_trimmed(e->name, sizeof(e->name), s, n);
	return 0;
}

/* Appends @item to the array *@arr of *@count items, growing it. */
static int cnxx_append(void **arr, size_t *count, size_t *cap,
		       const void *item, size_t size)
{
	if (*count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void *p = realloc(*arr, ncap * size);

		if (!p)
			return -ENOMEM;
		*arr = p;
		*cap = ncap;
	}
	memcpy((char *)*arr + *count * size, item, size);
	(*count)++;
	return 0;
}

static bool cnxx_contains(const char *s, size_t n, const char *word)
{
	size_t wn = strlen(word);
	size_t i;

	for (i = 0; i + wn <= n; i++)
		if (!memcmp(s + i, word, wn))
			return true;
	return false;
}

int cnxx_parse_callbacks(const char *text, size_t len,
			 struct cnxx_cb_entry **entries, size_t *count)
{
	const char *p = text, *end = text + len, *line;
	bool header = false, counters = false, replies = false;
	void *arr = NULL;
	size_t n, used = 0, cap = 0;
	struct cnxx_cb_entry e;
	int ret = 0;

	while ((line = cnxx_line(&p, end, &n))) {
		if (!n)
			continue;
		if (!header) {
			if (n < 4 || memcmp(line, "Name", 4)) {
				ret = -EBADMSG;
				break;
			}
			counters = cnxx_contains(line, n, "Delivered");
			replies = cnxx_contains(line, n, "RepliesDropped");
			header = true;
			continue;
		}
		ret = cnxx_cb_line(line, n, counters, replies, &e);
		if (!ret)
			ret = cnxx_append(&arr, &used, &cap, &e, sizeof(e));
		if (ret)
			break;
	}
	if (!ret && !header)
		ret = -EBADMSG;
	if (ret) {
		free(arr);
		return ret;
	}
	*entries = arr;
	*count = used;
	return 0;
}

int cnxx_parse_stats(const char *text, size_t len, struct cnxx_stat **stats,
		     size_t *count)
{
	const char *p = text, *end = text + len, *line;
	void *arr = NULL;
	size_t n, used = 0, cap = 0;
	struct cnxx_field f[2];	/* value, key */
	struct cnxx_stat st;
	int ret = 0;

	while ((line = cnxx_line(&p, end, &n))) {
		if (!n)
			continue;
		memset(&st, 0, sizeof(st));
		ret = cnxx_tail_fields(line, &n, f, 2);
		if (!ret)
			ret = cnxx_uint(f[0].s, f[0].n, UINT64_MAX, &st.value);
		/* nothing may precede the key */
		while (!ret && n && cnxx_blank(line[n - 1]))
			n--;
		if (!ret && n)
			ret = -EBADMSG;
		if (!ret) {
			cnxx_copy_trimmed(st.key, sizeof(st.key), f[1].s,
					  f[1].n);
			ret = cnxx_append(&arr, &used, &cap, &st, sizeof(st));
		}
		if (ret)
			break;
	}
	if (ret) {
		free(arr);
		return ret;
	}
	*stats = arr;
	*count = used;
	return 0;
}

int cnxx_stat_get(const struct cnxx_stat *stats, size_t count,
		  const char *key, uint64_t *value)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (!strcmp(stats[i].key, key)) {
			*value = stats[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

int cnxx_read_file(const char *path, char **text, size_t *len)
{
	size_t used = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd, ret = 0;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		goto err_free;
	}
	/* proc files report size 0: read until EOF */
	for (;;) {
		if (cap - used < 2) {
			char *p = realloc(buf, cap * 2);

			if (!p) {
				ret = -ENOMEM;
				goto err_close;
			}
			buf = p;
			cap *= 2;
		}
		n = read(fd, buf + used, cap - used - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto err_close;
		}
		if (n == 0)
			break;
		used += n;
	}
	close(fd);
	buf[used] = '\0';
	*text = buf;
	*len = used;
	return 0;

err_close:
	close(fd);
err_free:
	free(buf);
	return ret;
}

#define CNXX_ERRNAME(e) { e, #e }

static const struct {
	int err;
	const char *name;
} cnxx_errnames[] = {
	CNXX_ERRNAME(EPERM), CNXX_ERRNAME(ENOENT), CNXX_ERRNAME(ESRCH),
	CNXX_ERRNAME(EINTR), CNXX_ERRNAME(EIO), CNXX_ERRNAME(ENXIO),
	CNXX_ERRNAME(E2BIG), CNXX_ERRNAME(EBADF), CNXX_ERRNAME(EAGAIN),
	CNXX_ERRNAME(ENOMEM), CNXX_ERRNAME(EACCES), CNXX_ERRNAME(EFAULT),
	CNXX_ERRNAME(EBUSY), CNXX_ERRNAME(EEXIST), CNXX_ERRNAME(ENODEV),
	CNXX_ERRNAME(EISDIR), CNXX_ERRNAME(EINVAL), CNXX_ERRNAME(ENFILE),
	CNXX_ERRNAME(EMFILE), CNXX_ERRNAME(ENOSPC), CNXX_ERRNAME(EPIPE),
	CNXX_ERRNAME(ERANGE), CNXX_ERRNAME(ENAMETOOLONG),
	CNXX_ERRNAME(EBADMSG), CNXX_ERRNAME(EOVERFLOW),
	CNXX_ERRNAME(ENOTSOCK), CNXX_ERRNAME(EMSGSIZE),
	CNXX_ERRNAME(EPROTOTYPE), CNXX_ERRNAME(ENOPROTOOPT),
	CNXX_ERRNAME(EPROTONOSUPPORT), CNXX_ERRNAME(EOPNOTSUPP),
	CNXX_ERRNAME(EAFNOSUPPORT), CNXX_ERRNAME(EADDRINUSE),
	CNXX_ERRNAME(EADDRNOTAVAIL), CNXX_ERRNAME(ENETDOWN),
	CNXX_ERRNAME(ENOBUFS), CNXX_ERRNAME(ENOTCONN),
	CNXX_ERRNAME(ETIMEDOUT), CNXX_ERRNAME(ECONNREFUSED),
	CNXX_ERRNAME(EALREADY), CNXX_ERRNAME(EINPROGRESS),
	CNXX_ERRNAME(ECANCELED),
};

const char *cnxx_errname(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(cnxx_errnames) / sizeof(cnxx_errnames[0]); i++)
		if (cnxx_errnames[i].err == err)
			return cnxx_errnames[i].name;
	return NULL;
}
