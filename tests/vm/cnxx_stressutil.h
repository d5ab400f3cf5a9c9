/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space helpers shared by cnstress, nlfuzz and cnproc: raw sockets
 * (their receive buffers and failure injection are the point), seeded
 * random numbers, files. Frames and proc parsing come from libcnxx.
 */
#ifndef CNXX_STRESSUTIL_H
#define CNXX_STRESSUTIL_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/connector.h>
#include <linux/netlink.h>
#include <cnxx/libcnxx.h>

#include "cnxx_stressproto.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Checks that failed, counted by fail(); the exit status. */
extern int failures;

#define out(...) do { printf(__VA_ARGS__); fflush(stdout); } while (0)

/* Prints "# FAIL: ..." as a KTAP diagnostic and counts it. */
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Reads one datagram from @fd without waiting into @buf and hands each of
 * its netlink messages, decoded by libcnxx, to @each (NULL for a malformed
 * one). Returns 1 for a datagram, 0 for an overrun (counted in
 * *@overruns: the socket stays usable), -1 when nothing is queued.
 */
int recv_each(int fd, void *buf, size_t size, uint64_t *overruns,
	      void (*each)(const struct cnxx_msg *msg, void *ctx), void *ctx);

#define STRESS_STATS_FILE STRESS_DEBUGFS "/stats"
#define STRESS_CONTROL_FILE STRESS_DEBUGFS "/control"

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* xorshift64*: small, fast, and the same sequence for the same seed. */
static inline uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static inline uint32_t rng_below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)((rng_next(s) >> 32) % n) : 0;
}

static inline void rng_seed(uint64_t *s, uint64_t seed)
{
	*s = seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
	if (!*s)
		*s = 1;
	rng_next(s);
}

/* A socket on cnxx_unit(), bound with an automatic port id; -1 on error. */
static inline int cn_socket(int rcvbuf)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, cnxx_unit());

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	if (rcvbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return fd;
}

static inline int cn_join(int fd, int group)
{
	return setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
			  sizeof(group));
}

/*
 * Sends one cn_msg with id {@idx,@val}, @seq, @len data bytes, in one
 * nlmsg with @flags. Returns 0 or -errno.
 */
static inline int cn_send(int fd, uint32_t idx, uint32_t val, uint32_t seq,
			  const void *data, uint16_t len, uint16_t flags)
{
	static __thread char buf[NLMSG_SPACE(sizeof(struct cn_msg) + 65536)];
	const struct cnxx_record rec = {
		.id = { idx, val }, .seq = seq, .len = len, .data = data,
	};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t size = cnxx_frame(buf, sizeof(buf), &rec, flags, seq, 0);

	if (size < 0)
		return (int)size;
	/* the unpadded length, as the kernel's own senders give it */
	size = NLMSG_LENGTH(sizeof(struct cn_msg) + len);
	if (sendto(fd, buf, size, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/* The value of @key in the "key value" file @file, or @def. */
static inline long long kv_get(const char *file, const char *key, long long def)
{
	uint64_t v;

	return cnxx_read_stat(file, key, &v) ? def : (long long)v;
}

static inline int file_write(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int e;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	e = errno;
	close(fd);
	return n < 0 ? -e : 0;
}

static inline int file_read(const char *file, char *buf, size_t size)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

static inline int have_cnxx(void)
{
	return access(CNXX_STATS_PATH, R_OK) == 0;
}

/* /proc/meminfo field in kB, or -1. */
static inline long meminfo_kb(const char *key)
{
	char line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			v = strtol(line + kl + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/*
 * Waits up to @ms for a reply from the echo id with seq @seq and the
 * payload @data; drops anything else. 1 if it came, 0 if not.
 */
static inline int cn_wait_echo(int fd, uint32_t seq, const void *data,
			       uint16_t len, int ms)
{
	static char buf[1 << 17];
	double end = now_s() + ms / 1000.0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct cnxx_msg msg;

	while (now_s() < end) {
		const struct cnxx_record *r = &msg.rec;
		size_t off = 0;
		ssize_t n;
		int ret;

		if (poll(&p, 1, 50) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			continue;
		while ((ret = cnxx_msg_parse(buf, n, &off, &msg))) {
			if (ret > 0 && msg.type == CNXX_MSG_DATA &&
			    r->id.idx == STRESS_IDX && r->id.val == STRESS_VAL_ECHO &&
			    r->seq == seq && r->ack == seq + 1 && r->len == len &&
			    !memcmp(r->data, data, len))
				return 1;
		}
	}
	return 0;
}

/* One echo round trip on a fresh socket: the connector still works. */
static inline int cn_echo_check(uint32_t seq)
{
	static const char payload[] = "cnxx still answers";
	int fd = cn_socket(1 << 20), ok = 0, i;

	if (fd < 0)
		return 0;
	for (i = 0; i < 3 && !ok; i++) {
		if (cn_send(fd, STRESS_IDX, STRESS_VAL_ECHO, seq + i, payload,
			    sizeof(payload), 0) < 0)
			continue;
		ok = cn_wait_echo(fd, seq + i, payload, sizeof(payload), 3000);
	}
	close(fd);
	return ok;
}

#endif /* CNXX_STRESSUTIL_H */
