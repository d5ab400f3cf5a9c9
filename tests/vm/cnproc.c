// SPDX-License-Identifier: GPL-2.0
/*
 * cnproc - listeners and request floods against cnxx_proc.ko (process
 * events on {CN_IDX_PROC, CN_VAL_PROC}).
 *
 *   cnproc listen [-n SOCKETS]
 *       SOCKETS sockets (default 3) join the process-events group, send
 *       LISTEN and read until SIGINT or SIGTERM. SIGUSR1 (after cnxx_proc
 *       was loaded again) sends LISTEN anew and starts the next epoch. Every
 *       message must be a well-formed event or an ack without error, and
 *       every epoch must have brought events. Closes without IGNORE.
 *   cnproc flood [-n SOCKETS] [-o OPS] [-j THREADS] [-s SEED]
 *       Each of THREADS threads (default 1) makes OPS random requests
 *       (default 5000) on its SOCKETS sockets (default 200, half of them in
 *       the group): LISTEN and IGNORE as a 4-byte op and as a proc_input,
 *       unknown ops, wrong sizes, and closes without IGNORE. The listener
 *       count of /proc/net/cnxx_proc must never be negative; with one
 *       thread it must be, after every request, what the kernel's rules
 *       give (6.1: one count for all, IGNORE stops at 0, a close changes
 *       nothing; 6.6+: a count of the sockets listening). At the end all
 *       sockets close: on 6.6+ the count is back where it started.
 *   cnproc loadfaults MODULE.ko [PARAMS]
 *       Loads the module (with the parameters PARAMS) with its n-th
 *       allocation failing (fail-nth), for n = 1, 2, ... until a load makes
 *       fewer than n allocations; unloads it after each load that succeeds
 *       despite the failure. Prints how many allocations the load makes,
 *       and every 100 loads the time so far.
 *   cnproc notify [-n REQUESTS] [-i IDX] [-v VAL]
 *       Stores REQUESTS registration-notification requests (default 64),
 *       all for {IDX, VAL} and {IDX, VAL + 1} (default {CN_IDX_PROC,
 *       CN_VAL_PROC}) to group 5 with different ranges, and closes: each
 *       change of those ids queues as many notifications, for a work item
 *       that runs for a while.
 *
 * Figures are KTAP diagnostics ("# proc: ..."); exit status 0 on success.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include <cnxx/cnxx_proc.h>

#include "cnxx_stressutil.h"

#define PROC_STATS "/proc/net/cnxx_proc"

static const char *modpath;
#define PROC_GROUP CN_IDX_PROC

/* The kernel's dialect: 6.6 added proc_input and per-socket state. */
static int per_socket;

static int kernel_per_socket(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return 0;
	return major > 6 || (major == 6 && minor >= 6);
}

/* The "listeners N" line of /proc/net/cnxx_proc; 0 when it is readable. */
static int read_listeners(long *count)
{
	char *text, *line;
	size_t len;
	int err = cnxx_read_file(PROC_STATS, &text, &len);

	if (err)
		return err;
	err = -EBADMSG;
	for (line = text; line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (!strncmp(line, "listeners ", 10)) {
			*count = strtol(line + 10, NULL, 10);
			err = 0;
			break;
		}
	}
	free(text);
	return err;
}

/* A LISTEN or IGNORE request: a 4-byte op, or a proc_input when @events. */
static int send_op(int fd, uint32_t op, int input, uint32_t events, uint32_t seq)
{
	struct cnxx_proc_input in = { .mcast_op = op, .event_type = events };

	if (input)
		return cn_send(fd, CN_IDX_PROC, CN_VAL_PROC, seq, &in, sizeof(in), 0);
	return cn_send(fd, CN_IDX_PROC, CN_VAL_PROC, seq, &op, sizeof(op), 0);
}

/* ---- listen ---- */

static atomic_int stop, relisten;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		relisten = 1;
	else
		stop = 1;
}

struct epoch {
	uint64_t events, acks, bad, overruns;
};

static void count_event(const struct cnxx_msg *msg, void *ctx)
{
	const struct cnxx_proc_event *ev;
	struct epoch *e = ctx;
	struct cnxx_record rec;
	size_t off = 0;

	if (!msg || msg->type != CNXX_MSG_DATA) {
		e->bad++;
		return;
	}
	while (cnxx_record_next(msg->payload, msg->payload_len, &off, &rec) == 1) {
		ev = rec.data;
		if (rec.id.idx != CN_IDX_PROC || rec.id.val != CN_VAL_PROC ||
		    rec.len != sizeof(*ev)) {
			e->bad++;
			continue;
		}
		switch (ev->what) {
		case CNXX_PROC_EVENT_NONE:
			e->acks++;
			if (ev->event_data.ack.err) {
				fail("ack with error %u", ev->event_data.ack.err);
				e->bad++;
			}
			break;
		case CNXX_PROC_EVENT_FORK:
		case CNXX_PROC_EVENT_EXEC:
		case CNXX_PROC_EVENT_UID:
		case CNXX_PROC_EVENT_GID:
		case CNXX_PROC_EVENT_SID:
		case CNXX_PROC_EVENT_PTRACE:
		case CNXX_PROC_EVENT_COMM:
		case CNXX_PROC_EVENT_COREDUMP:
		case CNXX_PROC_EVENT_EXIT:
			e->events++;
			break;
		default:
			fail("unknown event 0x%x", ev->what);
			e->bad++;
		}
	}
}

static int listen_all(const int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (send_op(fds[i], CNXX_PROC_CN_MCAST_LISTEN, 0, 0, i) < 0)
			return -1;
	return 0;
}

static int end_epoch(int no, const struct epoch *e)
{
	out("# proc: epoch %d: %llu events, %llu acks, %llu bad, %llu overruns\n",
	    no, (unsigned long long)e->events, (unsigned long long)e->acks,
	    (unsigned long long)e->bad, (unsigned long long)e->overruns);
	if (!e->events)
		fail("epoch %d brought no events", no);
	return e->events && !e->bad;
}

static int run_listen(int n)
{
	static char buf[1 << 16];
	struct pollfd *p = calloc(n, sizeof(*p));
	int *fds = calloc(n, sizeof(*fds));
	struct sigaction sa = { .sa_handler = on_signal };
	struct epoch e = { 0 };
	int i, no = 1, ok = 1;

	if (!p || !fds)
		return 1;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	for (i = 0; i < n; i++) {
		fds[i] = cn_socket(1 << 20);
		if (fds[i] < 0 || cn_join(fds[i], PROC_GROUP) < 0) {
			fail("socket %d: %s", i, strerror(errno));
			return 1;
		}
		p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	}
	if (listen_all(fds, n)) {
		fail("LISTEN: %s", strerror(errno));
		return 1;
	}
	out("# proc: %d sockets listening\n", n);
	while (!stop) {
		if (relisten) {
			relisten = 0;
			ok &= end_epoch(no++, &e);
			memset(&e, 0, sizeof(e));
			if (listen_all(fds, n))
				fail("LISTEN again: %s", strerror(errno));
		}
		if (poll(p, n, 100) <= 0)
			continue;
		for (i = 0; i < n; i++)
			while (p[i].revents &&
			       recv_each(fds[i], buf, sizeof(buf), &e.overruns,
					 count_event, &e) >= 0)
				;
	}
	ok &= end_epoch(no, &e);
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	free(p);
	return !ok || failures;
}

/* ---- flood ---- */

enum flood_op {
	OP_LISTEN, OP_IGNORE, OP_LISTEN_INPUT, OP_IGNORE_INPUT, OP_UNKNOWN,
	OP_WRONG_SIZE, OP_CLOSE, OP_KINDS
};

static const char *const op_names[OP_KINDS] = {
	"listen", "ignore", "listen_input", "ignore_input", "unknown",
	"wrong_size", "close",
};

/*
 * Out of 100, in phases of PHASE_OPS requests: listening grows, then
 * shrinks, so that the count also meets IGNOREs at 0.
 */
#define PHASE_OPS 100
static const int op_weights[2][OP_KINDS] = {
	{ 34, 12, 16, 6, 6, 6, 20 },
	{ 8, 40, 4, 18, 6, 6, 18 },
};

struct flood {
	int sockets, ops, exact;
	uint64_t seed;
	long start;
	atomic_long lowest;
	atomic_int model;	/* 6.1: the one count; exact runs only */
};

struct worker {
	struct flood *f;
	int no;
	int *fds;
	char *listening;	/* 6.6+: the socket counts */
	uint64_t done[OP_KINDS];
	uint64_t ignored_at_zero;	/* 6.1: IGNOREs the count stopped at 0 */
};

static int open_one(struct worker *w, int i)
{
	w->fds[i] = cn_socket(1 << 16);
	if (w->fds[i] < 0)
		return -1;
	w->listening[i] = 0;
	/* Half of them get the events (and acks), which they drain. */
	return i % 2 ? 0 : cn_join(w->fds[i], PROC_GROUP);
}

static void drain(int fd)
{
	static __thread char buf[1 << 16];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0 || errno == ENOBUFS)
		;
}

/* What the kernel's rules make of @op on socket @i, into the model. */
static void model_apply(struct worker *w, int i, enum flood_op op)
{
	int input = op == OP_LISTEN_INPUT || op == OP_IGNORE_INPUT;
	int c;

	if (per_socket) {
		if (op == OP_LISTEN || op == OP_LISTEN_INPUT)
			w->listening[i] = 1;
		else if (op == OP_IGNORE || op == OP_IGNORE_INPUT || op == OP_CLOSE)
			w->listening[i] = 0;
		return;
	}
	/* 6.1: a proc_input is a wrong size there, and ignored. */
	if (input)
		return;
	if (op == OP_LISTEN) {
		atomic_fetch_add(&w->f->model, 1);
	} else if (op == OP_IGNORE) {
		c = atomic_load(&w->f->model);
		if (c > 0)
			atomic_store(&w->f->model, c - 1);
		else
			w->ignored_at_zero++;
	}
}

static long model_count(struct worker *w)
{
	long sum = w->f->start;
	int i;

	if (!per_socket)
		return atomic_load(&w->f->model);
	for (i = 0; i < w->f->sockets; i++)
		sum += w->listening[i];
	return sum;
}

static int do_op(struct worker *w, int i, enum flood_op op, uint64_t *rng)
{
	uint32_t events = (uint32_t)rng_next(rng);
	uint32_t seq = (uint32_t)w->no << 24 | (uint32_t)w->done[op];
	uint16_t junk = 0x0101;
	int fd = w->fds[i];

	switch (op) {
	case OP_LISTEN:
		return send_op(fd, CNXX_PROC_CN_MCAST_LISTEN, 0, 0, seq);
	case OP_IGNORE:
		return send_op(fd, CNXX_PROC_CN_MCAST_IGNORE, 0, 0, seq);
	case OP_LISTEN_INPUT:
		return send_op(fd, CNXX_PROC_CN_MCAST_LISTEN, 1, events, seq);
	case OP_IGNORE_INPUT:
		return send_op(fd, CNXX_PROC_CN_MCAST_IGNORE, 1, events, seq);
	case OP_UNKNOWN:
		return send_op(fd, 3 + rng_below(rng, 100), rng_below(rng, 2), events, seq);
	case OP_WRONG_SIZE:
		return cn_send(fd, CN_IDX_PROC, CN_VAL_PROC, seq, &junk,
			       1 + rng_below(rng, 2), 0);
	case OP_CLOSE:
		close(fd);
		return open_one(w, i);
	default:
		return -EINVAL;
	}
}

static void *flood_worker(void *arg)
{
	struct worker *w = arg;
	struct flood *f = w->f;
	const int *weights;
	uint64_t rng;
	long got, want, low;
	int n, i, r, k, err, mismatches = 0;

	rng_seed(&rng, f->seed + w->no);
	for (i = 0; i < f->sockets; i++)
		if (open_one(w, i) < 0) {
			fail("socket %d: %s", i, strerror(errno));
			return NULL;
		}
	for (n = 0; n < f->ops; n++) {
		i = rng_below(&rng, f->sockets);
		r = rng_below(&rng, 100);
		weights = op_weights[n / PHASE_OPS % 2];
		for (k = 0; k < OP_KINDS - 1 && r >= weights[k]; k++)
			r -= weights[k];
		err = do_op(w, i, k, &rng);
		if (err) {
			fail("op %s on socket %d: %s", op_names[k], i, strerror(-err));
			break;
		}
		w->done[k]++;
		model_apply(w, i, k);
		if (w->fds[i] >= 0 && !(i % 2))
			drain(w->fds[i]);
		if (read_listeners(&got)) {
			fail("%s unreadable", PROC_STATS);
			break;
		}
		low = atomic_load(&f->lowest);
		while (got < low && !atomic_compare_exchange_weak(&f->lowest, &low, got))
			;
		want = model_count(w);
		if (f->exact && got != want && mismatches++ < 5)
			fail("after %s on socket %d (op %d): listeners %ld, want %ld",
			     op_names[k], i, n, got, want);
	}
	for (i = 0; i < f->sockets; i++) {
		close(w->fds[i]);
		model_apply(w, i, OP_CLOSE);
	}
	return NULL;
}

static int run_flood(int sockets, int ops, int threads, uint64_t seed)
{
	struct worker *w = calloc(threads, sizeof(*w));
	pthread_t *tid = calloc(threads, sizeof(*tid));
	struct flood f = {
		.sockets = sockets, .ops = ops, .seed = seed,
		.exact = threads == 1,
	};
	uint64_t total[OP_KINDS] = { 0 }, at_zero = 0;
	double t0 = now_s();
	long end, want;
	int i, k;

	if (!w || !tid || read_listeners(&f.start)) {
		fail("%s unreadable: is cnxx_proc loaded?", PROC_STATS);
		return 1;
	}
	atomic_init(&f.lowest, f.start);
	atomic_init(&f.model, (int)f.start);
	out("# proc: flood: %d threads x %d sockets x %d requests, seed %llu, %s rules, listeners %ld\n",
	    threads, sockets, ops, (unsigned long long)seed,
	    per_socket ? "per-socket (6.6+)" : "global (6.1)", f.start);
	for (i = 0; i < threads; i++) {
		w[i].f = &f;
		w[i].no = i;
		w[i].fds = calloc(sockets, sizeof(int));
		w[i].listening = calloc(sockets, 1);
		if (!w[i].fds || !w[i].listening ||
		    pthread_create(&tid[i], NULL, flood_worker, &w[i])) {
			fail("thread %d", i);
			return 1;
		}
	}
	for (i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		for (k = 0; k < OP_KINDS; k++)
			total[k] += w[i].done[k];
		at_zero += w[i].ignored_at_zero;
		free(w[i].fds);
		free(w[i].listening);
	}
	if (read_listeners(&end))
		fail("%s unreadable at the end", PROC_STATS);
	printf("# proc: flood: %.1f s:", now_s() - t0);
	for (k = 0; k < OP_KINDS; k++)
		printf(" %s %llu", op_names[k], (unsigned long long)total[k]);
	if (!per_socket && f.exact)
		printf("; %llu IGNOREs at 0", (unsigned long long)at_zero);
	out("; listeners lowest %ld, at the end %ld\n", atomic_load(&f.lowest), end);
	if (atomic_load(&f.lowest) < 0)
		fail("the listener count went negative: %ld", atomic_load(&f.lowest));
	/* 6.1 counts no closes; its count is the model's if exact. */
	want = per_socket ? f.start : f.exact ? atomic_load(&f.model) : end;
	if (end != want)
		fail("listeners %ld after every socket closed, want %ld", end, want);
	free(w);
	free(tid);
	return failures != 0;
}

static int load_with_nth(int nth_fd, int mod_fd, const char *params, int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n), err;

	if (pwrite(nth_fd, buf, len, 0) != len) {
		fail("loadfaults: writing fail-nth: %s", strerror(errno));
		return -1;
	}
	err = syscall(SYS_finit_module, mod_fd, params, 0) ? errno : 0;
	len = pread(nth_fd, buf, sizeof(buf) - 1, 0);
	buf[len > 0 ? len : 0] = 0;
	/* a count not used up would fail an allocation of the unload */
	if (pwrite(nth_fd, "0", 1, 0) != 1)
		fail("loadfaults: clearing fail-nth: %s", strerror(errno));
	if (!err) {
		const char *name = strrchr(modpath, '/');
		char mod[64];

		snprintf(mod, sizeof(mod), "%s", name ? name + 1 : modpath);
		*strchrnul(mod, '.') = 0;
		if (syscall(SYS_delete_module, mod, O_NONBLOCK))
			fail("loadfaults: unloading %s: %s", mod, strerror(errno));
	}
	/* fail-nth still counting down: this load made fewer allocations */
	return atoi(buf) ? 1 : 0;
}

static int run_loadfaults(const char *path, const char *params)
{
	int nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	int mod_fd = open(path, O_RDONLY | O_CLOEXEC), n, r = 0;
	double t0;

	modpath = path;
	if (nth_fd < 0 || mod_fd < 0) {
		fail("loadfaults: %s: %s", nth_fd < 0 ? "fail-nth" : path,
		     strerror(errno));
		return 1;
	}
	t0 = now_s();
	for (n = 1; n < 100000 && !r; n++) {
		r = load_with_nth(nth_fd, mod_fd, params, n);
		if (n % 100 == 0)
			out("# loadfaults: %d loads, %.1f s\n", n, now_s() - t0);
	}
	out("# loadfaults: the load makes %d allocations, each failed once (%.0f s)\n",
	    n - 2, now_s() - t0);
	close(nth_fd);
	close(mod_fd);
	return r < 0 ? 1 : 0;
}

static int run_notify(int requests, uint32_t idx_first, uint32_t val_first)
{
	struct cnxx_range idx = { idx_first, 1 };
	struct cnxx_sock *sock;
	int i, err, ack_err = 0;

	err = cnxx_open(&sock);
	if (err) {
		fail("notify: no socket: %s", strerror(-err));
		return 1;
	}
	for (i = 0; i < requests; i++) {
		struct cnxx_range val = { val_first, (uint32_t)i + 2 };

		err = cnxx_notify_add(sock, &idx, 1, &val, 1, 5, 2000, &ack_err);
		if (err || ack_err) {
			fail("notify: request %d: %s", i,
			     strerror(-(err ? err : ack_err)));
			break;
		}
	}
	cnxx_close(sock);
	out("# notify: %d requests for %u:%u stored\n", i, idx_first,
	    val_first);
	return i == requests ? 0 : 1;
}

int main(int argc, char **argv)
{
	int sockets = -1, ops = 5000, threads = 1, opt;
	uint32_t idx = CN_IDX_PROC, val = CN_VAL_PROC;
	uint64_t seed = (uint64_t)time(NULL);
	const char *mode = argc > 1 ? argv[1] : "";

	per_socket = kernel_per_socket();
	optind = 2;
	while ((opt = getopt(argc, argv, "n:o:j:s:i:v:")) != -1) {
		switch (opt) {
		case 'n':
			sockets = atoi(optarg);
			break;
		case 'o':
			ops = atoi(optarg);
			break;
		case 'j':
			threads = atoi(optarg);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'i':
			idx = strtoul(optarg, NULL, 0);
			break;
		case 'v':
			val = strtoul(optarg, NULL, 0);
			break;
		default:
			return 2;
		}
	}
	if (!strcmp(mode, "listen"))
		return run_listen(sockets > 0 ? sockets : 3);
	if (!strcmp(mode, "loadfaults") && argc > 2)
		return run_loadfaults(argv[2], argc > 3 ? argv[3] : "");
	if (!strcmp(mode, "notify"))
		return run_notify(sockets > 0 ? sockets : 64, idx, val);
	if (!strcmp(mode, "flood") && threads > 0)
		return run_flood(sockets > 0 ? sockets : 200, ops, threads, seed);
	fprintf(stderr, "usage: cnproc listen [-n SOCKETS]\n"
		"       cnproc flood [-n SOCKETS] [-o OPS] [-j THREADS] [-s SEED]\n"
		"       cnproc notify [-n REQUESTS] [-i IDX] [-v VAL]\n"
		"       cnproc loadfaults MODULE.ko [PARAMS]\n");
	return 2;
}
