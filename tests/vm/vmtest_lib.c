// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest helpers: assertions, raw connector sockets, frames sent and
 * checked byte by byte.
 */
#include "vmtest.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int cur_fail;
const char *cur_skip;
int cmd_fd = -1;
static uint32_t seq_next = 0x1000;

union vm_buf rx, tx;
size_t rx_len;

void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}


uint32_t next_seq(void)
{
	return seq_next += 0x10;
}

/* "-19 (ENODEV)"; a few may be used in one printf. */
const char *errname(int err)
{
	static char bufs[4][64];
	static unsigned int n;
	char *buf = bufs[n++ % 4];
	const char *name = err < 0 ? cnxx_errname(err) : NULL;

	if (err >= 0)
		snprintf(buf, sizeof(bufs[0]), "%d", err);
	else
		snprintf(buf, sizeof(bufs[0]), "%d (%s)", err,
			 name ? name : strerror(-err));
	return buf;
}

uint8_t pattern(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq + i);
}

/* ---- sockets ---------------------------------------------------------- */

void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* A connector socket; @groups is the nl_groups bit mask given to bind(). */
int nl_open_mask(uint32_t groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int size = 8 << 20;
	int fd;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, cnxx_unit());
	if (fd < 0) {
		FAIL("socket(unit %d): %s", cnxx_unit(), strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		FAIL("bind(nl_groups 0x%x): %s", groups, strerror(errno));
		close(fd);
		return -1;
	}
	/* Many large broadcasts queue up before they are read. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return fd;
}

/* A connector socket that joined @group (0: none) by NETLINK_ADD_MEMBERSHIP. */
int nl_open(unsigned int group)
{
	int fd = nl_open_mask(0);

	if (fd < 0 || !group)
		return fd;
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group))) {
		FAIL("NETLINK_ADD_MEMBERSHIP %u: %s", group, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

uint32_t nl_port(int fd)
{
	struct sockaddr_nl sa;
	socklen_t len = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &len)) {
		FAIL("getsockname: %s", strerror(errno));
		return 0;
	}
	return sa.nl_pid;
}

int nl_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl dst = { .nl_family = AF_NETLINK };
	ssize_t n;

	n = sendto(fd, buf, len, 0, (struct sockaddr *)&dst, sizeof(dst));
	if (n < 0) {
		FAIL("sendto(%zu bytes): %s", len, strerror(errno));
		return -1;
	}
	if ((size_t)n != len) {
		FAIL("sendto: %zd of %zu bytes", n, len);
		return -1;
	}
	return 0;
}

/*
 * Puts one connector message at @buf (libcnxx's framing, type NLMSG_DONE as
 * every connector user sends, nlmsg_pid 0). Returns its aligned size, the
 * offset of a following message.
 */
size_t cn_put(void *buf, uint32_t idx, uint32_t val, uint32_t seq,
	      uint32_t ack, const void *data, size_t dlen, uint16_t nlflags,
	      uint32_t nlseq)
{
	const struct cnxx_record rec = {
		.id = { idx, val }, .seq = seq, .ack = ack,
		.len = (uint16_t)dlen, .data = data,
	};

	return cnxx_frame(buf, NLMSG_SPACE(CN_HDR + dlen), &rec, nlflags,
			  nlseq, 0);
}

struct cn_msg *cn_of(void *nlh)
{
	return NLMSG_DATA((struct nlmsghdr *)nlh);
}

/* Sends one message whose data follows pattern(seq, i). */
int cn_send(int fd, uint32_t idx, uint32_t val, uint32_t seq,
	    size_t dlen, uint16_t nlflags)
{
	static uint8_t data[MAX_PAYLOAD * 4];
	size_t i;

	for (i = 0; i < dlen; i++)
		data[i] = pattern(seq, i);
	return nl_send(fd, tx.b, cn_put(tx.b, idx, val, seq, 0, data, dlen,
					  nlflags, seq));
}

/*
 * Waits up to @ms for one datagram into rx. 1: received, 0: nothing came,
 * -1: error (reported).
 */
int rx_wait(int fd, int ms, const char *who)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int r;

	do {
		r = poll(&p, 1, ms);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		FAIL("%s: poll: %s", who, strerror(errno));
		return -1;
	}
	if (!r)
		return 0;
	n = recv(fd, rx.b, sizeof(rx.b), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0) {
		FAIL("%s: recv: %s", who, strerror(errno));
		return -1;
	}
	if ((size_t)n > sizeof(rx.b)) {
		FAIL("%s: datagram of %zd bytes truncated", who, n);
		return -1;
	}
	rx_len = n;
	if (rx_len < NLMSG_HDRLEN || rx.h.nlmsg_len < NLMSG_HDRLEN ||
	    rx.h.nlmsg_len > rx_len) {
		FAIL("%s: malformed datagram: %zu bytes, nlmsg_len %u", who,
		     rx_len, rx_len >= 4 ? rx.h.nlmsg_len : 0);
		return -1;
	}
	return 1;
}

/* One line describing what is in rx, for diagnostics. */
const char *rx_str(void)
{
	static char buf[200];
	const struct nlmsghdr *h = &rx.h;

	if (h->nlmsg_type == NLMSG_ERROR &&
	    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
		const struct nlmsgerr *e = NLMSG_DATA(h);

		snprintf(buf, sizeof(buf), "ack nlmsg_seq %u error %s",
			 h->nlmsg_seq, errname(e->error));
	} else if (h->nlmsg_len >= NLMSG_LENGTH(CN_HDR)) {
		const struct cn_msg *cn = NLMSG_DATA(h);

		snprintf(buf, sizeof(buf),
			 "nlmsg type %u len %u seq %u: cn_msg {%u,%u} seq %u ack %u len %u",
			 h->nlmsg_type, h->nlmsg_len, h->nlmsg_seq,
			 cn->id.idx, cn->id.val, cn->seq, cn->ack, cn->len);
	} else {
		snprintf(buf, sizeof(buf), "nlmsg type %u len %u seq %u",
			 h->nlmsg_type, h->nlmsg_len, h->nlmsg_seq);
	}
	return buf;
}

/*
 * Checks the framing of a connector message the kernel sent, as in
 * cn_netlink_send_mult(): one nlmsg of type NLMSG_DONE, nlmsg_seq = seq of
 * the first cn_msg, no flags, sender port 0, aligned datagram, zeroed
 * padding. @single:
 * one cn_msg exactly fills the nlmsg (not so for send_mult).
 */
struct cn_msg *rx_cn_check(const char *who, int single)
{
	const struct nlmsghdr *h = &rx.h;
	struct cn_msg *cn = NLMSG_DATA(h);
	int bad = 0;
	size_t i;

	if (h->nlmsg_type != NLMSG_DONE || h->nlmsg_len < NLMSG_LENGTH(CN_HDR)) {
		FAIL("%s: not a connector message: %s", who, rx_str());
		return NULL;
	}
	if (single ? h->nlmsg_len != NLMSG_LENGTH(CN_HDR + cn->len) :
		     h->nlmsg_len < NLMSG_LENGTH(CN_HDR + cn->len)) {
		FAIL("%s: nlmsg_len %u, cn_msg.len %u wants %u", who,
		     h->nlmsg_len, cn->len,
		     (unsigned int)NLMSG_LENGTH(CN_HDR + cn->len));
		bad = 1;
	}
	if (h->nlmsg_seq != cn->seq || h->nlmsg_flags || h->nlmsg_pid) {
		FAIL("%s: nlmsg seq %u flags 0x%x pid %u, want seq %u flags 0 pid 0",
		     who, h->nlmsg_seq, h->nlmsg_flags, h->nlmsg_pid, cn->seq);
		bad = 1;
	}
	if (rx_len != NLMSG_ALIGN(h->nlmsg_len)) {
		FAIL("%s: datagram %zu bytes for nlmsg_len %u", who, rx_len,
		     h->nlmsg_len);
		bad = 1;
	}
	/* nlmsg_put() zeroes the padding: no kernel memory goes out. */
	for (i = h->nlmsg_len; i < rx_len; i++) {
		if (rx.b[i]) {
			FAIL("%s: padding byte %zu of %zu is 0x%02x, want 0",
			     who, i, rx_len, (unsigned char)rx.b[i]);
			bad = 1;
			break;
		}
	}
	return bad ? NULL : cn;
}

struct cn_msg *rx_cn(const char *who)
{
	return rx_cn_check(who, 1);
}

/* Nothing may arrive on @fd for @ms. */
int cnxx_debug_build(void)
{
	return !access("/sys/kernel/debug/cnxx/selftest", F_OK);
}

static int write_str(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return 0;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok;
}

void expect_warning(int begin)
{
	static char pow[16] = "1";
	const char *saved;

	if (begin) {
		saved = read_file("/proc/sys/kernel/panic_on_warn");
		if (saved)
			snprintf(pow, sizeof(pow), "%s", saved);
		if (!write_str("/proc/sys/kernel/panic_on_warn", "0"))
			FAIL("cannot clear panic_on_warn: %s", strerror(errno));
	}
	/* The report's level: the markers show wherever the report does. */
	if (!write_str("/dev/kmsg", begin ? "<4>cnxx-expect: begin WARNING\n" :
					    "<4>cnxx-expect: end WARNING\n"))
		FAIL("cannot write to /dev/kmsg: %s", strerror(errno));
	if (!begin && !write_str("/proc/sys/kernel/panic_on_warn", pow))
		FAIL("cannot restore panic_on_warn: %s", strerror(errno));
}

void expect_quiet(int fd, int ms, const char *who)
{
	while (rx_wait(fd, ms, who) > 0) {
		FAIL("%s: unexpected %s", who, rx_str());
		ms = 50;
	}
}

/*
 * Reads @n messages {@idx,@val}, seq @seq0 + i, @size data bytes of
 * pattern(seq, j), in order. Returns how many were right.
 */
uint32_t expect_stream(int fd, const char *who, uint32_t idx,
		       uint32_t val, uint32_t seq0, uint32_t n,
		       uint32_t size)
{
	uint32_t i, j, ok = 0;
	struct cn_msg *cn;
	int r;

	for (i = 0; i < n; i++) {
		r = rx_wait(fd, TIMEOUT_MS, who);
		if (r <= 0) {
			if (!r)
				FAIL("%s: got %u of %u messages (seq %u..), then nothing",
				     who, i, n, seq0);
			break;
		}
		cn = rx_cn(who);
		if (!cn)
			continue;
		if (cn->id.idx != idx || cn->id.val != val ||
		    cn->seq != seq0 + i || cn->len != size) {
			FAIL("%s: message %u: %s; want {%u,%u} seq %u len %u",
			     who, i, rx_str(), idx, val, seq0 + i, size);
			continue;
		}
		for (j = 0; j < size; j++)
			if (cn->data[j] != pattern(cn->seq, j))
				break;
		if (j < size) {
			FAIL("%s: message %u: data byte %u is 0x%02x, want 0x%02x",
			     who, i, j, cn->data[j], pattern(cn->seq, j));
			continue;
		}
		ok++;
	}
	return ok;
}

/*
 * Waits for the ack of the message with nlmsg_seq @seq. 1 with *@err set,
 * 0 if none came (not reported: some tests expect that).
 */
int rx_ack(int fd, uint32_t seq, int *err, const char *who)
{
	const struct nlmsgerr *e;

	while (rx_wait(fd, TIMEOUT_MS, who) > 0) {
		if (rx.h.nlmsg_type != NLMSG_ERROR) {
			FAIL("%s: unexpected %s while waiting for an ack", who,
			     rx_str());
			continue;
		}
		if (rx.h.nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
			FAIL("%s: NLMSG_ERROR of nlmsg_len %u", who,
			     rx.h.nlmsg_len);
			continue;
		}
		e = NLMSG_DATA(&rx.h);
		if (rx.h.nlmsg_seq != seq || e->msg.nlmsg_seq != seq) {
			FAIL("%s: ack for nlmsg_seq %u/%u, want %u", who,
			     rx.h.nlmsg_seq, e->msg.nlmsg_seq, seq);
			continue;
		}
		*err = e->error;
		return 1;
	}
	return 0;
}

/* Sends @len bytes of tx with NLM_F_ACK set and checks the ack error. */
void expect_ack(int fd, size_t len, int want, const char *what)
{
	uint32_t seq = tx.h.nlmsg_seq;
	int err;

	if (nl_send(fd, tx.b, len))
		return;
	if (!rx_ack(fd, seq, &err, what))
		FAIL("%s: no ack, want %s", what, errname(want));
	else if (err != want)
		FAIL("%s: ack %s, want %s", what, errname(err), errname(want));
}
