// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz - malformed-input fuzzing and privilege checks for a connector.
 *
 *   nlfuzz fuzz [-n COUNT] [-s SEED] [-u PERCENT]
 *       Sends COUNT random and structurally bad NETLINK_CONNECTOR datagrams
 *       (short headers, lying nlmsg_len and cn_msg.len, oversize, several
 *       messages per datagram, wrong ids, control-id garbage, with and
 *       without NLM_F_ACK), PERCENT of them (default 20) from a child
 *       running as uid 65534, while cnxx_stress.ko's kthreads (if loaded)
 *       add and remove ids. Reproducible: the same SEED gives the same
 *       datagrams. Then checks that the connector still answers (echo and
 *       sink of cnxx_stress.ko) and prints the /proc/net/cnxx_stats deltas.
 *   nlfuzz priv [-n REQUESTS] [-b MESSAGES]
 *       As uid 65534: joining groups, notification requests, sending to
 *       groups must be refused, and a flood of REQUESTS notification
 *       requests (default 10000) and MESSAGES 16 KB messages (default 8192)
 *       must not make the kernel keep memory.
 *
 * Figures are KTAP diagnostics ("# fuzz: ..."); exit status 0 on success.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "nlfuzz.h"

#define NOBODY 65534
#define BATCH 32

/* ------------------------------------------------------------------ */
/* Sending and acks                                                   */
/* ------------------------------------------------------------------ */

struct fuzz_counts {
	uint64_t sent, bytes, send_err, kinds[G_NR];
	uint64_t err_hist[140];
	uint64_t acks[140];	/* by -error; acks[0] = success */
	uint64_t replies, overruns;
};

static void count_ack(const struct cnxx_msg *msg, void *ctx)
{
	struct fuzz_counts *c = ctx;

	if (msg && msg->type == CNXX_MSG_ACK) {
		int e = -msg->error;

		c->acks[e >= 0 && e < 140 ? e : 139]++;
	} else {
		c->replies++;
	}
}

static void drain_acks(int fd, struct fuzz_counts *c)
{
	static char buf[1 << 17];

	while (recv_each(fd, buf, sizeof(buf), &c->overruns, count_ack, c) >= 0)
		;
}

static int fuzz_socket(int variant)
{
	int fd = cn_socket(2 << 20), one = 1;

	if (fd < 0)
		return -1;
	/* half the sockets get capped, extended acks */
	if (variant & 1) {
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	}
	return fd;
}

static void fuzz_run(uint64_t seed, uint64_t count, struct fuzz_counts *c)
{
	static uint8_t bufs[BATCH][MAXDGRAM];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint64_t rng, done = 0;
	int fds[2] = { fuzz_socket(0), fuzz_socket(1) }, b = 0, k;

	if (fds[0] < 0 || fds[1] < 0) {
		fail("fuzz: socket: %s", strerror(errno));
		return;
	}
	rng_seed(&rng, seed);
	while (done < count) {
		int n = count - done < BATCH ? (int)(count - done) : BATCH;
		int fd = fds[b++ & 1], i;

		for (i = 0; i < n; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = gen(&rng, bufs[i], &k);
			c->kinds[k]++;
			c->bytes += iov[i].iov_len;
			memset(&msgs[i], 0, sizeof(msgs[i]));
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &sa;
			msgs[i].msg_hdr.msg_namelen = sizeof(sa);
		}
		/* sendmmsg stops at the first error: go on after it */
		for (i = 0; i < n;) {
			int r = sendmmsg(fd, msgs + i, n - i, 0);

			if (r < 0) {
				c->err_hist[errno < 140 ? errno : 139]++;
				c->send_err++;
				r = 1;
			}
			i += r;
		}
		done += n;
		c->sent += n;
		drain_acks(fds[0], c);
		drain_acks(fds[1], c);
	}
	drain_acks(fds[0], c);
	drain_acks(fds[1], c);
	for (k = 0; k < 140; k++) {
		/* empty datagrams, full buffers, above the socket's sndbuf */
		if (!c->err_hist[k] || k == ENODATA || k == ENOBUFS ||
		    k == ENOMEM || k == EMSGSIZE)
			continue;
		fail("fuzz: %llu sends failed with %s", (unsigned long long)c->err_hist[k],
		     strerror(k));
	}
	close(fds[0]);
	close(fds[1]);
}

static void print_counts(const char *who, uint64_t seed,
			 const struct fuzz_counts *c, double secs)
{
	char line[1024];
	int i, o;

	out("# fuzz: %s: %llu datagrams (%llu bytes), seed %llu, %.1f s (%.0f/s)\n",
	    who, (unsigned long long)c->sent, (unsigned long long)c->bytes,
	    (unsigned long long)seed, secs, secs > 0 ? c->sent / secs : 0);
	o = snprintf(line, sizeof(line), "# fuzz: %s: kinds", who);
	for (i = 0; i < G_NR; i++)
		o += snprintf(line + o, sizeof(line) - o, " %s %llu", gen_names[i],
			      (unsigned long long)c->kinds[i]);
	out("%s\n", line);
	o = snprintf(line, sizeof(line), "# fuzz: %s: acks", who);
	for (i = 0; i < 140; i++)
		if (c->acks[i])
			o += snprintf(line + o, sizeof(line) - o, " %s%s %llu",
				      i ? "-" : "", i ? strerrorname_np(i) : "ok",
				      (unsigned long long)c->acks[i]);
	o += snprintf(line + o, sizeof(line) - o,
		      "; replies %llu; ack overruns %llu; send errors %llu",
		      (unsigned long long)c->replies,
		      (unsigned long long)c->overruns,
		      (unsigned long long)c->send_err);
	for (i = 0; i < 140; i++)
		if (c->err_hist[i])
			o += snprintf(line + o, sizeof(line) - o, " %s %llu",
				      strerrorname_np(i),
				      (unsigned long long)c->err_hist[i]);
	out("%s\n", line);
}

static const char *const stat_keys[] = {
	"rx_messages", "rx_delivered", "rx_invalid", "rx_oversize",
	"rx_unknown", "rx_control", "rx_denied", "tx_messages", "tx_errors",
	"callbacks", "notify_requests", "notify_sent", "notify_failed",
};
#define NSTATS ARRAY_SIZE(stat_keys)

static void stats_read(long long *v)
{
	size_t i;

	for (i = 0; i < NSTATS; i++)
		v[i] = kv_get(CNXX_STATS_PATH, stat_keys[i], 0);
}

static void setuid_nobody(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY) ||
	    geteuid() != NOBODY) {
		printf("# FAIL: cannot become uid %d: %s\n", NOBODY,
		       strerror(errno));
		exit(1);
	}
}

/* The connector answers and delivers after the fuzzing. */
static void liveness(void)
{
	long long sink0;
	int fd, i, sent = 0;

	if (access(STRESS_STATS_FILE, R_OK)) {
		out("# fuzz: cnxx_stress not loaded: no check that the connector still works\n");
		return;
	}
	if (!cn_echo_check(0xf022))
		fail("fuzz: no echo reply after fuzzing");
	sink0 = kv_get(STRESS_STATS_FILE, "sink", -1);
	fd = cn_socket(0);
	for (i = 0; i < 100; i++)
		sent += !cn_send(fd, STRESS_IDX, STRESS_VAL_SINK, i, "x", 1, 0);
	close(fd);
	if (kv_get(STRESS_STATS_FILE, "sink", -1) - sink0 != 100 || sent != 100)
		fail("fuzz: sink got %lld of %d messages after fuzzing",
		     kv_get(STRESS_STATS_FILE, "sink", -1) - sink0, sent);
	else
		out("# fuzz: after fuzzing: echo answered, sink got 100 of 100\n");
}

static int run_fuzz(uint64_t count, uint64_t seed, int unpriv_pct)
{
	uint64_t n_unpriv = count * unpriv_pct / 100, n_root = count - n_unpriv;
	uint64_t seed2 = seed ^ 0x6e6f626f6479ULL;	/* "nobody" */
	long long s0[NSTATS], s1[NSTATS];
	struct fuzz_counts c;
	int cnxx = have_cnxx(), status, kthreads;
	char line[1024];
	double t;
	pid_t pid;
	size_t i;
	int o;

	out("# fuzz: seed %llu, %llu datagrams as root, %llu as uid %d (seed %llu)\n",
	    (unsigned long long)seed, (unsigned long long)n_root,
	    (unsigned long long)n_unpriv, NOBODY, (unsigned long long)seed2);
	if (cnxx)
		stats_read(s0);

	/* ids come and go under the fuzzing: cnxx_stress's kthreads */
	kthreads = !file_write(STRESS_CONTROL_FILE, "start");
	memset(&c, 0, sizeof(c));
	t = now_s();
	fuzz_run(seed, n_root, &c);
	print_counts("root", seed, &c, now_s() - t);

	pid = fork();
	if (pid == 0) {
		setuid_nobody();
		memset(&c, 0, sizeof(c));
		t = now_s();
		fuzz_run(seed2, n_unpriv, &c);
		print_counts("uid 65534", seed2, &c, now_s() - t);
		exit(failures ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("fuzz: the unprivileged part failed");
	else
		out("# fuzz: %llu datagrams in all\n", (unsigned long long)count);

	if (kthreads) {
		file_write(STRESS_CONTROL_FILE, "stop");
		out("# fuzz: meanwhile ids added %lld, removed %lld; violations %lld; bad ids %lld\n",
		    kv_get(STRESS_STATS_FILE, "add_ok", 0),
		    kv_get(STRESS_STATS_FILE, "del", 0),
		    kv_get(STRESS_STATS_FILE, "viol_call_after_del", 0) +
		    kv_get(STRESS_STATS_FILE, "viol_running_at_del", 0) +
		    kv_get(STRESS_STATS_FILE, "viol_del_during_call", 0),
		    kv_get(STRESS_STATS_FILE, "bad_id", 0));
		if (kv_get(STRESS_STATS_FILE, "viol_call_after_del", 0) ||
		    kv_get(STRESS_STATS_FILE, "viol_running_at_del", 0) ||
		    kv_get(STRESS_STATS_FILE, "viol_del_during_call", 0) ||
		    kv_get(STRESS_STATS_FILE, "bad_id", 0) ||
		    kv_get(STRESS_STATS_FILE, "add_einval", 0))
			fail("fuzz: callbacks ran for removed or wrong ids");
	}
	if (cnxx) {
		stats_read(s1);
		o = snprintf(line, sizeof(line), "# fuzz: cnxx_stats deltas:");
		for (i = 0; i < NSTATS; i++)
			o += snprintf(line + o, sizeof(line) - o, " %s %+lld",
				      stat_keys[i], s1[i] - s0[i]);
		out("%s\n", line);
		if (s1[0] - s0[0] <= 0 || s1[2] - s0[2] <= 0)
			fail("fuzz: cnxx saw no messages or no invalid ones");
	}
	liveness();
	return failures ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* priv                                                               */
/* ------------------------------------------------------------------ */

static int kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	uname(&u);
	if (sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return 0;
	return ma > major || (ma == major && mi >= minor);
}

static int ctl_request(int fd, uint32_t first, uint32_t group, uint16_t flags)
{
	const struct cnxx_range idx = { first, 1 }, val = { 0, 0xffffffffu };
	unsigned char req[64];
	ssize_t len = cnxx_ctl_build(req, sizeof(req), &idx, 1, &val, 1, group);

	return cn_send(fd, CN_IDX_CONNECTOR, CN_VAL_CONNECTOR, first, req,
		       len, flags);
}

/* Runs as uid 65534. */
static void priv_child(int flood, int nbig, int cnxx, long long denied0)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct fuzz_counts c;
	char joined[256] = "", refused[256] = "";
	int fd, g, jo = 0, ro = 0, one_allowed = kernel_at_least(6, 6);
	long free0, slab0, free1, slab1;
	static char big[16384];
	long long req0, bytes = 0;
	double t;

	setuid_nobody();

	/* Joining: bind() with a group mask, and NETLINK_ADD_MEMBERSHIP. */
	for (g = 1; g <= CN_NETLINK_GROUPS; g++) {
		int b_ok, s_ok;

		fd = socket(AF_NETLINK, SOCK_DGRAM, cnxx_unit());
		sa.nl_groups = g <= 32 ? 1u << (g - 1) : 0;
		b_ok = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
		if (!b_ok && errno != EPERM)
			fail("priv: bind to group %d: %s, want EPERM", g,
			     strerror(errno));
		close(fd);
		fd = cn_socket(0);
		s_ok = !cn_join(fd, g);
		if (!s_ok && errno != EPERM)
			fail("priv: joining group %d: %s, want EPERM", g,
			     strerror(errno));
		close(fd);
		if (b_ok || s_ok) {
			jo += snprintf(joined + jo, sizeof(joined) - jo, " %d%s", g,
				       b_ok && s_ok ? "" : b_ok ? "(bind)" : "(sockopt)");
			/* 6.6+ lets everyone listen to process events */
			if (!(g == CN_IDX_PROC && one_allowed))
				fail("priv: uid %d could join group %d", NOBODY, g);
		} else {
			ro += snprintf(refused + ro, sizeof(refused) - ro, " %d", g);
		}
	}
	out("# priv: groups refused to uid %d:%s\n", NOBODY, refused);
	out("# priv: groups joined by uid %d:%s%s\n", NOBODY, jo ? joined : " none",
	    one_allowed ? " (group 1 is open on 6.6+)" : "");

	/* Sending to a group needs the right too. */
	fd = cn_socket(0);
	sa.nl_groups = 1u << (STRESS_IDX - 1);
	if (sendto(fd, big, 64, 0, (struct sockaddr *)&sa, sizeof(sa)) >= 0)
		fail("priv: uid %d could send to group %d", NOBODY, STRESS_IDX);
	else if (errno != EPERM)
		fail("priv: sending to a group: %s, want EPERM", strerror(errno));
	else
		out("# priv: sending to group %d: EPERM\n", STRESS_IDX);

	if (!cnxx) {
		out("# priv: no /proc/net/cnxx_stats: notification checks skipped\n");
		close(fd);
		exit(failures ? 1 : 0);
	}

	/* A notification request with NLM_F_ACK: -EPERM. */
	memset(&c, 0, sizeof(c));
	drain_acks(fd, &c);
	memset(&c, 0, sizeof(c));
	if (ctl_request(fd, 1000, 20, NLM_F_ACK))
		fail("priv: sending a request: %s", strerror(errno));
	usleep(200000);
	drain_acks(fd, &c);
	if (c.acks[EPERM] != 1)
		fail("priv: notification request: no -EPERM ack (ok %llu, EPERM %llu)",
		     (unsigned long long)c.acks[0], (unsigned long long)c.acks[EPERM]);
	else
		out("# priv: notification request as uid %d: -EPERM ack\n", NOBODY);
	close(fd);

	/* Flood: requests and 16 KB messages; the kernel must keep nothing. */
	req0 = kv_get(CNXX_STATS_PATH, "notify_requests", 0);
	free0 = meminfo_kb("MemFree");
	slab0 = meminfo_kb("Slab");
	fd = cn_socket(0);
	t = now_s();
	for (g = 0; g < flood; g++) {
		ctl_request(fd, 2000 + g, 1 + g % 26, g & 1 ? NLM_F_ACK : 0);
		if (g % 64 == 0) {
			memset(&c, 0, sizeof(c));
			drain_acks(fd, &c);
		}
	}
	/* more than the debug caches (KASAN quarantine) could hide */
	for (g = 0; g < nbig; g++) {
		cn_send(fd, g & 8 ? STRESS_IDX : 77, STRESS_VAL_SINK, g, big,
			sizeof(big) - CN_HDR - NL_HDR, g & 4 ? NLM_F_ACK : 0);
		bytes += sizeof(big);
		if (g % 64 == 0) {
			memset(&c, 0, sizeof(c));
			drain_acks(fd, &c);
		}
	}
	close(fd);
	usleep(500000);
	free1 = meminfo_kb("MemFree");
	slab1 = meminfo_kb("Slab");
	out("# priv: flood as uid %d: %d requests, %d messages of 16 KB (%lld MB) in %.1f s; notify_requests %lld -> %lld; rx_denied +%lld\n",
	    NOBODY, flood, nbig, bytes >> 20, now_s() - t, req0,
	    kv_get(CNXX_STATS_PATH, "notify_requests", 0),
	    kv_get(CNXX_STATS_PATH, "rx_denied", 0) - denied0);
	out("# priv: memory: MemFree %ld -> %ld kB (%+ld), Slab %ld -> %ld kB (%+ld)\n",
	    free0, free1, free1 - free0, slab0, slab1, slab1 - slab0);
	if (kv_get(CNXX_STATS_PATH, "notify_requests", 0) != req0)
		fail("priv: uid %d added notification requests", NOBODY);
	if (kv_get(CNXX_STATS_PATH, "rx_denied", 0) - denied0 < flood)
		fail("priv: rx_denied grew by less than the %d requests", flood);
	/*
	 * Bounded, whatever the debug caches keep (KASAN's quarantine holds
	 * up to 1/32 of memory): with -b 8192, 128 MB were sent.
	 */
	if (slab1 - slab0 > 64 * 1024 || free0 - free1 > 96 * 1024)
		fail("priv: memory grew by Slab %+ld kB, MemFree %+ld kB",
		     slab1 - slab0, free1 - free0);
	exit(failures ? 1 : 0);
}

static int run_priv(int flood, int nbig)
{
	int cnxx = have_cnxx(), status;
	long long denied0 = kv_get(CNXX_STATS_PATH, "rx_denied", 0);
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		priv_child(flood, nbig, cnxx, denied0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: nlfuzz fuzz [-n COUNT] [-s SEED] [-u PERCENT]\n"
			"       nlfuzz priv [-n REQUESTS] [-b MESSAGES]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t count = 100000, seed = (uint64_t)time(NULL) ^ getpid();
	int unpriv = 20, opt, rc, n_set = 0, nbig = 8192;
	const char *mode;

	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "n:s:u:b:")) != -1) {
		switch (opt) {
		case 'b':
			nbig = atoi(optarg);
			break;
		case 'n':
			count = strtoull(optarg, NULL, 0);
			n_set = 1;
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'u':
			unpriv = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (unpriv < 0 || unpriv > 100)
		usage();
	if (!strcmp(mode, "fuzz"))
		rc = run_fuzz(count, seed, unpriv);
	else if (!strcmp(mode, "priv"))
		rc = run_priv(n_set ? (int)count : 10000, nbig);
	else
		usage();
	out("# nlfuzz %s: %s\n", mode, rc || failures ? "FAILED" : "passed");
	return rc || failures ? 1 : 0;
}
