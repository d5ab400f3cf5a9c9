// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The socket: open, groups, send, receive one netlink message at a time.
 *
 * libmnl opens, binds and configures the socket. Sending and receiving use
 * sendmsg()/recvmsg() on its descriptor: sends gather header and data
 * without copying and may go to a user-space port, and receives need the
 * sender's address and the NETLINK_PKTINFO group, none of which
 * mnl_socket_sendto()/mnl_socket_recvfrom() offer.
 */
#include "internal.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* "N\n" or "N" with N a unit, as the environment or sysfs give it. */
static int cnxx_parse_unit(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || (*end && strcmp(end, "\n")) || v < 0 ||
	    v >= MAX_LINKS)
		return -EINVAL;
	return (int)v;
}

int cnxx_unit(void)
{
	const char *env = getenv(CNXX_UNIT_ENV);
	char buf[16];
	FILE *f;
	int unit = -1;

	if (env)
		return cnxx_parse_unit(env);
	f = fopen(CNXX_UNIT_PATH, "re");
	if (f) {
		if (fgets(buf, sizeof(buf), f))
			unit = cnxx_parse_unit(buf);
		fclose(f);
	}
	return unit < 0 ? NETLINK_CONNECTOR : unit;
}

int cnxx_open(struct cnxx_sock **sockp)
{
	struct cnxx_sock *sock;
	int unit = cnxx_unit();
	int one = 1;
	int err;

	if (unit < 0)
		return unit;
	sock = calloc(1, sizeof(*sock));
	if (!sock)
		return -ENOMEM;
	sock->buf = malloc(CNXX_RXBUF);
	if (!sock->buf) {
		err = -ENOMEM;
		goto err_free;
	}
	sock->nl = mnl_socket_open2(unit, SOCK_CLOEXEC);
	if (!sock->nl) {
		err = -errno;
		goto err_free;
	}
	if (mnl_socket_bind(sock->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto err_close;
	}
	/* tells which group a multicast message came from */
	if (mnl_socket_setsockopt(sock->nl, NETLINK_PKTINFO, &one,
				  sizeof(one)) < 0) {
		err = -errno;
		goto err_close;
	}
	sock->fd = mnl_socket_get_fd(sock->nl);
	sock->portid = mnl_socket_get_portid(sock->nl);
	sock->seq = 1;
	*sockp = sock;
	return 0;

err_close:
	mnl_socket_close(sock->nl);
err_free:
	free(sock->buf);
	free(sock);
	return err;
}

void cnxx_close(struct cnxx_sock *sock)
{
	if (!sock)
		return;
	mnl_socket_close(sock->nl);
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
	if (mnl_socket_setsockopt(sock->nl, opt, &val, sizeof(val)) < 0)
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

int cnxx_recv(struct cnxx_sock *sock, struct cnxx_msg *msg, int timeout_ms)
{
	struct timespec deadline = cnxx_deadline(timeout_ms);
	int ret;

	for (;;) {
		ret = cnxx_msg_parse(sock->buf, sock->len, &sock->off, msg);
		if (ret) {
			msg->src_pid = sock->src_pid;
			msg->group = sock->group;
			return ret < 0 ? ret : 0;
		}
		ret = cnxx_fill(sock, cnxx_remaining_ms(&deadline, timeout_ms));
		if (ret && ret != -EAGAIN)
			return ret;
	}
}

