// SPDX-License-Identifier: GPL-2.0
/*
 * cnbench - the user side of the connector benchmark.
 *
 * Talks to cnbench_kmod.ko (on cn.ko or cnxx.ko) or cnbench_raw.ko over
 * NETLINK_CONNECTOR; see cnbench_proto.h. Prints one line per figure:
 *
 *   BENCH provider=P workload=W PARAM=V rate=R unit=U mean=M n=N ns=T
 *
 * R is the best of the 5 ms slices of the workload's time, M the rate
 * over all of it (N events in T ns); rate=na when the provider cannot do
 * the workload. Every workload checks what it got (counts, seq/ack,
 * record contents); any mismatch or error makes the exit status non-zero.
 * --quick: every workload, tiny counts, the same checks. --group G: the
 * group to listen on, the bench module's bcast_group (default CNBENCH_GROUP).
 *
 *   cnbench [--quick] [--provider NAME] [--time-ms MS] [--only W,...] [--group G]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/connector.h>
#include <linux/netlink.h>
#include <cnxx/libcnxx.h>

#include "cnbench_proto.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define BATCH		64	/* messages per sendmmsg() */
/*
 * Records per broadcast command. Small enough that a burst's skbs fit in
 * the slabs the allocator keeps: with 1,024 every burst allocated and
 * freed whole slabs, and how many depended on what else the loaded
 * modules had allocated, not on their send paths.
 */
#define BURST		256
#define MULT		16	/* records per cn_netlink_send_mult() */
#define MULT_SIZE	64	/* payload of each of those records */
#define RCVBUF		(8 << 20)
#define RX_SIZE		(1 << 17)

struct bench {
	int fd;
	__u32 seq;
	const char *provider;
	int group;		/* joined: the module's bcast_group */
	int quick;
	double secs;		/* per workload */
	int errors;
	__u64 rx[RX_SIZE / sizeof(__u64)];	/* aligned for nlmsghdr */
};

/* A message as the connector expects it: nlmsghdr, cn_msg, data. */
struct wire {
	struct nlmsghdr nlh;
	struct cn_msg msg;
	unsigned char data[sizeof(struct cnbench_cmd)];
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fail(struct bench *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "cnbench: %s: ", b->provider);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	b->errors++;
}

/* Frames with libcnxx; returns the unpadded length, as the kernel sends. */
static size_t wire_fill(struct wire *w, __u32 val, __u32 seq, const void *data,
			__u16 len)
{
	const struct cnxx_record rec = {
		.id = { CNBENCH_IDX, val }, .seq = seq, .len = len, .data = data,
	};

	if (cnxx_frame(w, sizeof(*w), &rec, 0, seq, 0) < 0)
		return 0;
	return NLMSG_LENGTH(sizeof(w->msg) + len);
}

/* BATCH empty messages to {CNBENCH_IDX, @val}, seq 0.., for sendmmsg(). */
static void batch_fill(struct mmsghdr *v, struct iovec *iov, struct wire *w,
		       __u32 val)
{
	int i;

	memset(v, 0, BATCH * sizeof(*v));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = &w[i];
		iov[i].iov_len = wire_fill(&w[i], val, i, NULL, 0);
		v[i].msg_hdr.msg_iov = &iov[i];
		v[i].msg_hdr.msg_iovlen = 1;
	}
}

static int open_socket(struct bench *b)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 60 };
	int rcvbuf = RCVBUF;

	b->fd = socket(AF_NETLINK, SOCK_DGRAM, cnxx_unit());
	if (b->fd < 0) {
		perror("cnbench: socket(cnxx_unit())");
		return -1;
	}
	if (bind(b->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    connect(b->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("cnbench: bind/connect");
		return -1;
	}
	/* Room for a whole burst: the kernel sends it before we read. */
	if (setsockopt(b->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)) < 0)
		perror("cnbench: SO_RCVBUFFORCE");
	/* A lost reply must fail the run, not hang it. */
	setsockopt(b->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (setsockopt(b->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &b->group,
		       sizeof(b->group)) < 0) {
		perror("cnbench: NETLINK_ADD_MEMBERSHIP");
		return -1;
	}
	return 0;
}

/* Broadcast records seen while waiting for a reply. */
struct drain {
	__u32 size;		/* payload of each record */
	__u32 records;		/* per message */
	__u64 messages;
	__u64 total;		/* records */
	int bad;
};

/* Checks one broadcast message: record r has seq = message number, ack r. */
static void check_bcast(struct drain *d, const void *payload, size_t len)
{
	struct cnxx_record rec;
	size_t off = 0;
	__u32 r = 0, i;
	int ret;

	while ((ret = cnxx_record_next(payload, len, &off, &rec)) == 1) {
		const unsigned char *data = rec.data;

		if (rec.len != d->size || rec.seq != (__u32)d->messages ||
		    rec.ack != r) {
			d->bad++;
			return;
		}
		for (i = 0; i < d->size; i++)
			if (data[i] != (unsigned char)(r + i)) {
				d->bad++;
				return;
			}
		r++;
	}
	if (ret < 0) {
		d->bad++;
		return;
	}
	if (r != d->records)
		d->bad++;
	d->messages++;
	d->total += r;
}

/*
 * Receives until the message with id {CNBENCH_IDX, @val} and seq @seq
 * (ack seq + 1) arrives; copies its data to @out. Broadcasts on the way go
 * to @d (an error without one).
 */
static int wait_reply(struct bench *b, __u32 val, __u32 seq, void *out,
		      size_t outlen, struct drain *d)
{
	for (;;) {
		ssize_t n = recv(b->fd, b->rx, sizeof(b->rx), 0);
		const struct cnxx_record *r;
		struct cnxx_msg msg;
		size_t off = 0;

		if (n < 0) {
			fail(b, "recv: %s", strerror(errno));
			return -1;
		}
		if (cnxx_msg_parse(b->rx, n, &off, &msg) != 1 ||
		    msg.type != CNXX_MSG_DATA || msg.nl_type != NLMSG_DONE) {
			fail(b, "malformed message (%zd bytes)", n);
			return -1;
		}
		r = &msg.rec;
		if (r->id.idx == CNBENCH_IDX && r->id.val == val && r->seq == seq) {
			if (r->ack != seq + 1 || r->len != outlen) {
				fail(b, "bad reply: seq %u ack %u len %u", r->seq,
				     r->ack, r->len);
				return -1;
			}
			memcpy(out, r->data, outlen);
			return 0;
		}
		if (d && r->id.idx == CNBENCH_IDX &&
		    r->id.val == CNBENCH_VAL_TARGET) {
			check_bcast(d, msg.payload, msg.payload_len);
			continue;
		}
		fail(b, "unexpected message {%u,%u} seq %u", r->id.idx,
		     r->id.val, r->seq);
		return -1;
	}
}

static int command(struct bench *b, __u32 op, __u32 a0, __u32 a1, __u32 a2,
		   struct cnbench_reply *rep, struct drain *d)
{
	struct cnbench_cmd cmd = { .op = op, .arg = { a0, a1, a2 } };
	__u32 seq = ++b->seq;
	struct wire w;
	size_t len = wire_fill(&w, CNBENCH_VAL_CMD, seq, &cmd, sizeof(cmd));

	if (send(b->fd, &w, len, 0) != (ssize_t)len) {
		fail(b, "sending op %u: %s", op, strerror(errno));
		return -1;
	}
	if (wait_reply(b, CNBENCH_VAL_CMD, seq, rep, sizeof(*rep), d))
		return -1;
	if (rep->op != op) {
		fail(b, "reply to op %u for op %u", rep->op, op);
		return -1;
	}
	return 0;
}

/*
 * A workload's time is cut into slices of at least SLICE_NS; the figure of
 * a run is its best slice: on a shared host a slice can only lose time to
 * other load, and short slices often see none. The mean over the whole
 * run is printed too.
 */
#define SLICE_NS 5e6

struct meter {
	double slice_ns;
	double n, ns;		/* current slice */
	double best;		/* per second */
	double total_n, total_ns;
};

static void meter_init(struct bench *b, struct meter *m)
{
	memset(m, 0, sizeof(*m));
	m->slice_ns = b->quick ? b->secs * 1e9 / 4 : SLICE_NS;
}

static void meter_add(struct meter *m, double n, double ns)
{
	m->n += n;
	m->ns += ns;
	m->total_n += n;
	m->total_ns += ns;
	if (m->ns >= m->slice_ns) {
		if (m->n * 1e9 / m->ns > m->best)
			m->best = m->n * 1e9 / m->ns;
		m->n = 0;
		m->ns = 0;
	}
}

static void report(struct bench *b, const char *workload, const char *param,
		   const struct meter *m, const char *unit)
{
	double best = m->best;

	if (m->total_ns <= 0) {
		printf("BENCH provider=%s workload=%s %s rate=na unit=%s\n",
		       b->provider, workload, param, unit);
	} else {
		if (best == 0)	/* no whole slice */
			best = m->total_n * 1e9 / m->total_ns;
		printf("BENCH provider=%s workload=%s %s rate=%.0f unit=%s mean=%.0f n=%.0f ns=%.0f\n",
		       b->provider, workload, param, best, unit,
		       m->total_n * 1e9 / m->total_ns, m->total_n, m->total_ns);
	}
	fflush(stdout);
}

/* user -> kernel: messages of payload 0 to TARGET, BATCH per syscall. */
/* Makes the module register @ids ids; 0 or -1 (reported). */
static int set_ids(struct bench *b, __u32 ids)
{
	struct cnbench_reply rep;

	if (command(b, CNBENCH_OP_IDS, ids, 0, 0, &rep, NULL))
		return -1;
	if (rep.status) {
		fail(b, "registering %u ids: %s", ids, strerror(-rep.status));
		return -1;
	}
	return 0;
}

static void bench_dispatch(struct bench *b, __u32 ids)
{
	static struct wire w[BATCH];
	struct mmsghdr v[BATCH];
	struct iovec iov[BATCH];
	struct cnbench_reply rep;
	double start, t, last;
	struct meter m;
	__u64 sent = 0;
	char param[32];
	int i, n;

	snprintf(param, sizeof(param), "ids=%u", ids);
	if (set_ids(b, ids))
		return;
	if (command(b, CNBENCH_OP_HITS, 0, 0, 0, &rep, NULL))
		return;
	batch_fill(v, iov, w, CNBENCH_VAL_TARGET);
	meter_init(b, &m);
	start = now();
	last = start;
	do {
		for (i = 0; i < BATCH; i += n) {
			n = sendmmsg(b->fd, v + i, BATCH - i, 0);
			if (n <= 0) {
				fail(b, "sendmmsg: %s", strerror(errno));
				return;
			}
		}
		sent += BATCH;
		t = now();
		meter_add(&m, BATCH, (t - last) * 1e9);
		last = t;
	} while (t - start < b->secs);

	if (command(b, CNBENCH_OP_HITS, 0, 0, 0, &rep, NULL))
		return;
	if (rep.count != sent) {
		fail(b, "dispatch ids=%u: sent %llu, callback saw %llu", ids,
		     (unsigned long long)sent, (unsigned long long)rep.count);
		return;
	}
	report(b, "dispatch", param, &m, "msg/s");
}

/* What one sender of bench_send2() reports to the parent. */
struct send2_result {
	__u32 val;		/* the id it sent to */
	__u64 sent;
	double start, end;	/* CLOCK_MONOTONIC, seconds */
	int err;		/* errno, or 0 */
};

/*
 * One sender of bench_send2(), in a child: pinned to @cpu, on a socket of
 * its own, sends BATCH messages per sendmmsg() to {CNBENCH_IDX, @val}
 * from the parent's go (a byte on @go) for the workload's time.
 */
static void send2_child(struct bench *b, int cpu, __u32 val, int ready,
			int go, int out)
{
	static struct wire w[BATCH];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct send2_result res = { .val = val };
	struct mmsghdr v[BATCH];
	struct iovec iov[BATCH];
	cpu_set_t set;
	int fd, i, n;
	char c;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	fd = socket(AF_NETLINK, SOCK_DGRAM, cnxx_unit());
	if (sched_setaffinity(0, sizeof(set), &set) || fd < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		res.err = errno;
	batch_fill(v, iov, w, val);
	c = 0;
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
		res.err = res.err ? res.err : EPIPE;
	res.start = now();
	res.end = res.start;
	while (!res.err && res.end - res.start < b->secs) {
		for (i = 0; i < BATCH; i += n) {
			n = sendmmsg(fd, v + i, BATCH - i, 0);
			if (n <= 0) {
				res.err = errno;
				break;
			}
			res.sent += n;
		}
		res.end = now();
	}
	if (write(out, &res, sizeof(res)) != sizeof(res))
		_exit(1);
	_exit(0);
}

/*
 * Two senders at once, each a process pinned to a CPU of its own (CPUs 0
 * and 1), both to TARGET (@callbacks 1) or one to TARGET and one to
 * TARGET2 (2): how the receive path scales. The figure is all messages
 * over the time from the first start to the last end; no slices, as the
 * two must overlap. Checked: each callback saw every message sent to it.
 */
static void bench_send2(struct bench *b, __u32 callbacks)
{
	struct send2_result res[2];
	int ready[2], go[2], out[2];
	struct cnbench_reply rep;
	__u64 hits[2] = { 0, 0 };
	double start, end;
	struct meter m;
	char param[32];
	pid_t pid[2];
	char c;
	int i;

	snprintf(param, sizeof(param), "callbacks=%u", callbacks);
	meter_init(b, &m);
	/* One CPU (an -icount guest): nothing to measure. */
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		report(b, "send2", param, &m, "msg/s");
		return;
	}
	if (set_ids(b, 1) || command(b, CNBENCH_OP_HITS, 0, 0, 0, &rep, NULL))
		return;
	if (pipe(ready) || pipe(go) || pipe(out)) {
		fail(b, "pipe: %s", strerror(errno));
		return;
	}
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			send2_child(b, i, i && callbacks == 2 ?
				    CNBENCH_VAL_TARGET2 : CNBENCH_VAL_TARGET,
				    ready[1], go[0], out[1]);
		if (pid[i] < 0) {
			fail(b, "fork: %s", strerror(errno));
			return;
		}
	}
	/* Both set up and waiting: then both go at once. */
	for (i = 0; i < 2; i++)
		if (read(ready[0], &c, 1) != 1)
			fail(b, "a sender did not start");
	if (write(go[1], "gg", 2) != 2)
		fail(b, "cannot start the senders");
	for (i = 0; i < 2; i++) {
		if (read(out[0], &res[i], sizeof(res[i])) != sizeof(res[i])) {
			fail(b, "a sender did not report");
			res[i].err = EPIPE;
		}
		waitpid(pid[i], NULL, 0);
	}
	for (i = 0; i < 2; i++) {
		close(ready[i]);
		close(go[i]);
		close(out[i]);
	}
	for (i = 0; i < 2; i++)
		if (res[i].err) {
			fail(b, "send2 %s: %s", param, strerror(res[i].err));
			return;
		}
	start = res[0].start < res[1].start ? res[0].start : res[1].start;
	end = res[0].end > res[1].end ? res[0].end : res[1].end;
	if (command(b, CNBENCH_OP_HITS, 0, 0, 0, &rep, NULL))
		return;
	for (i = 0; i < 2; i++)
		hits[res[i].val == CNBENCH_VAL_TARGET2] += res[i].sent;
	if (rep.count != hits[0] || rep.aux != hits[1]) {
		fail(b, "send2 %s: sent %llu + %llu, callbacks saw %llu + %llu",
		     param, (unsigned long long)hits[0],
		     (unsigned long long)hits[1],
		     (unsigned long long)rep.count,
		     (unsigned long long)rep.aux);
		return;
	}
	/* One slice: the whole overlap. */
	m.slice_ns = (end - start) * 1e9;
	meter_add(&m, hits[0] + hits[1], (end - start) * 1e9);
	report(b, "send2", param, &m, "msg/s");
}

/*
 * kernel -> user: bursts of BURST records, @records per message, @size
 * bytes each; the rate is records over the kernel's send time.
 */
static void bench_bcast(struct bench *b, const char *workload, __u32 size,
			__u32 records, const char *unit)
{
	__u32 burst = (b->quick ? 4 * MULT : BURST) / records;
	struct cnbench_reply rep;
	double start = now();
	struct meter m;
	char param[32];

	snprintf(param, sizeof(param), "size=%u", size);
	meter_init(b, &m);
	do {
		struct drain d = { .size = size, .records = records };

		if (command(b, CNBENCH_OP_BCAST, burst, size, records, &rep, &d))
			return;
		if (rep.status || rep.count != burst) {
			fail(b, "%s size=%u: sent %llu of %u: %s", workload, size,
			     (unsigned long long)rep.count, burst,
			     strerror(-rep.status));
			return;
		}
		if (d.bad || d.messages != burst) {
			fail(b, "%s size=%u: received %llu of %u messages, %d bad",
			     workload, size, (unsigned long long)d.messages, burst,
			     d.bad);
			return;
		}
		meter_add(&m, d.total, rep.ns);
	} while (now() - start < b->secs);
	report(b, workload, param, &m, unit);
}

/* Round trip: one message to ECHO, wait for seq back with ack = seq + 1. */
static void bench_rtt(struct bench *b)
{
	struct cnbench_reply none;
	double start, t, last;
	struct meter m;
	struct wire w;
	size_t len;
	int i;

	meter_init(b, &m);
	start = now();
	last = start;
	do {
		for (i = 0; i < 16; i++) {
			__u32 seq = ++b->seq;

			len = wire_fill(&w, CNBENCH_VAL_ECHO, seq, NULL, 0);
			if (send(b->fd, &w, len, 0) != (ssize_t)len) {
				fail(b, "send echo: %s", strerror(errno));
				return;
			}
			if (wait_reply(b, CNBENCH_VAL_ECHO, seq, &none, 0, NULL))
				return;
		}
		t = now();
		meter_add(&m, 16, (t - last) * 1e9);
		last = t;
	} while (t - start < b->secs);
	report(b, "rtt", "size=0", &m, "msg/s");
}

/* add + del pairs, timed in the kernel; batches grow to a slice. */
static void bench_adddel(struct bench *b, __u32 ids)
{
	__u32 batch = b->quick ? 8 : 16;
	struct cnbench_reply rep;
	double start = now();
	struct meter m;
	char param[32];

	snprintf(param, sizeof(param), "ids=%u", ids);
	if (set_ids(b, ids))
		return;
	meter_init(b, &m);
	do {
		if (command(b, CNBENCH_OP_ADDDEL, batch, 0, 0, &rep, NULL))
			return;
		if (rep.status == -EOPNOTSUPP) {
			report(b, "adddel", param, &m, "pair/s");
			return;
		}
		if (rep.status) {
			fail(b, "adddel: %s", strerror(-rep.status));
			return;
		}
		meter_add(&m, batch, rep.ns);
		if (!b->quick && rep.ns < m.slice_ns && batch < 65536)
			batch *= 2;
	} while (now() - start < b->secs);
	report(b, "adddel", param, &m, "pair/s");
}

static void case_dispatch(struct bench *b, __u32 ids)
{
	bench_dispatch(b, ids);
}

static void case_adddel(struct bench *b, __u32 ids)
{
	bench_adddel(b, ids);
}

static void case_bcast(struct bench *b, __u32 size)
{
	bench_bcast(b, "bcast", size, 1, "msg/s");
}

static void case_single16(struct bench *b, __u32 size)
{
	bench_bcast(b, "single16", size, 1, "rec/s");
}

static void case_mult16(struct bench *b, __u32 size)
{
	bench_bcast(b, "mult16", size, MULT, "rec/s");
}

static void case_send2(struct bench *b, __u32 callbacks)
{
	bench_send2(b, callbacks);
}

static void case_rtt(struct bench *b, __u32 unused)
{
	(void)unused;
	bench_rtt(b);
}

static const struct workload {
	const char *name;
	void (*fn)(struct bench *b, __u32 arg);
	__u32 arg, quick_arg;
} workloads[] = {
	{ "dispatch-1", case_dispatch, 1, 1 },
	{ "dispatch-100", case_dispatch, 100, 100 },
	{ "dispatch-10000", case_dispatch, 10000, 1000 },
	{ "adddel-10000", case_adddel, 10000, 1000 },
	{ "bcast-0", case_bcast, 0, 0 },
	{ "bcast-64", case_bcast, 64, 64 },
	{ "bcast-1024", case_bcast, 1024, 1024 },
	{ "single16", case_single16, MULT_SIZE, MULT_SIZE },
	{ "mult16", case_mult16, MULT_SIZE, MULT_SIZE },
	{ "rtt", case_rtt, 0, 0 },
	/* Two CPUs: run by the wall-clock part of `make bench` only. */
	{ "send2-1", case_send2, 1, 1 },
	{ "send2-2", case_send2, 2, 2 },
};

#define NWORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

/* Marks the workloads named in the comma-separated @list; -1 on a bad name. */
static int select_workloads(const char *list, int *on)
{
	char *copy = strdup(list), *save = NULL, *name;
	unsigned int i;
	int rc = 0;

	for (name = strtok_r(copy, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NWORKLOADS; i++)
			if (!strcmp(name, workloads[i].name))
				break;
		if (i == NWORKLOADS) {
			fprintf(stderr, "cnbench: no workload '%s'\n", name);
			rc = -1;
		} else {
			on[i] = 1;
		}
	}
	free(copy);
	return rc;
}

static int run(struct bench *b, const int *on)
{
	struct cnbench_reply rep;
	unsigned int i;

	if (open_socket(b))
		return 1;
	if (command(b, CNBENCH_OP_HELLO, 0, 0, 0, &rep, NULL))
		return 1;
	if (rep.aux != CNBENCH_VERSION) {
		fail(b, "module speaks version %llu, not %d",
		     (unsigned long long)rep.aux, CNBENCH_VERSION);
		return 1;
	}
	if (!b->provider)
		b->provider = rep.count == CNBENCH_KIND_RAW ? "raw" :
			      access("/proc/net/cnxx", F_OK) == 0 ? "cnxx" : "cn";

	for (i = 0; i < NWORKLOADS; i++)
		if (on[i])
			workloads[i].fn(b, b->quick ? workloads[i].quick_arg :
						      workloads[i].arg);
	if (command(b, CNBENCH_OP_IDS, 0, 0, 0, &rep, NULL) || rep.status)
		fail(b, "removing the ids");

	if (b->errors)
		fprintf(stderr, "cnbench: %s: %d errors\n", b->provider,
			b->errors);
	return b->errors ? 1 : 0;
}

static void print_usage(void)
{
	unsigned int i;

	fputs("usage: cnbench [--quick] [--provider NAME] [--time-ms MS] [--only W,...]\n"
	      "               [--group G]\n"
	      "workloads:", stderr);
	for (i = 0; i < NWORKLOADS; i++)
		fprintf(stderr, " %s", workloads[i].name);
	fputc('\n', stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static struct bench b = { .fd = -1, .group = CNBENCH_GROUP };
	int on[NWORKLOADS] = { 0 };
	const char *only = NULL;
	long ms = 300;
	unsigned int c;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick"))
			b.quick = 1;
		else if (!strcmp(argv[i], "--provider") && i + 1 < argc)
			b.provider = argv[++i];
		else if (!strcmp(argv[i], "--time-ms") && i + 1 < argc)
			ms = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--group") && i + 1 < argc)
			b.group = (int)strtol(argv[++i], NULL, 10);
		else
			print_usage();
	}
	if (ms <= 0)
		print_usage();
	if (only) {
		if (select_workloads(only, on))
			print_usage();
	} else {
		for (c = 0; c < NWORKLOADS; c++)
			on[c] = 1;
	}
	b.secs = b.quick ? 0.01 : ms / 1e3;
	return run(&b, on);
}
