/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the parts of libcnxx share and callers do not see: the socket
 * object, frame layout and deadlines.
 */
#ifndef CNXX_LIBCNXX_INTERNAL_H
#define CNXX_LIBCNXX_INTERNAL_H

#include <cnxx/libcnxx.h>

#include <time.h>

struct mnl_socket;

/*
 * Room for the largest message the kernel sends: cn_netlink_send_mult()
 * takes a u16 length on top of the first header.
 */
#define CNXX_RXBUF (NLMSG_SPACE(sizeof(struct cn_msg) + 0xffff) + 4096)

/* nlmsghdr + cn_msg, the part of a frame before the data. */
#define CNXX_FRAME_HDR (NLMSG_HDRLEN + sizeof(struct cn_msg))

struct cnxx_sock {
	struct mnl_socket *nl;
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

/* Not part of the library's ABI: hidden from the shared library. */
#pragma GCC visibility push(hidden)

/* frame.c: nlmsghdr + cn_msg of @rec into the CNXX_FRAME_HDR bytes at @buf. */
void cnxx_put_header(void *buf, const struct cnxx_record *rec,
		     uint16_t nl_flags, uint32_t nl_seq, uint32_t nl_pid);

/* exchange.c: deadlines; a timeout < 0 never expires. */
struct timespec cnxx_deadline(int timeout_ms);
int cnxx_remaining_ms(const struct timespec *deadline, int timeout_ms);

/* exchange.c: receive errors after which waiting for an answer goes on. */
bool cnxx_transient(int err);

#pragma GCC visibility pop

#endif /* CNXX_LIBCNXX_INTERNAL_H */
