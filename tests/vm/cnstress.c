// SPDX-License-Identifier: GPL-2.0
/*
 * cnstress - the user-space half of the connector reliability tests.
 *
 *   cnstress stress [-t SECONDS] [-n THREADS] [-F]
 *       Drives cnxx_stress.ko: sender threads send to its sink, dynamic,
 *       control and echo ids while its kthreads add and remove ids and
 *       broadcast; a receiver counts the broadcasts. Checks that every
 *       message sent to a permanent id was delivered, that on cnxx each
 *       message a dynamic id accepted (ack 0) reached its callback and no
 *       other did (ack -ENODEV), that each broadcast the kernel queued
 *       arrived, that each registration change was notified or counted as
 *       failed, and that no callback ran after its cn_del_callback()
 *       returned. -F: under failslab (the caller sets it up), sender
 *       threads and kthreads with make-it-fail.
 *   cnstress cycle [-c CYCLES] [-m MODULE.ko]
 *       Loads and unloads MODULE (cnxx_cycle.ko) CYCLES times while two
 *       threads send to its ids.
 *   cnstress fault [-t SECONDS] [-p PERCENT]
 *       failslab: walks every allocation of cn_add_callback(),
 *       cn_netlink_send() (in the module) and of user sends (fail-nth),
 *       then a stress run with PERCENT of the stressing tasks' allocations
 *       failing. Expects -ENOMEM or success, never anything else.
 *
 * Figures are printed as KTAP diagnostics ("# stress: ..."); exit status 0
 * when every check passed.
 */
#include "cnstress.h"

/* ------------------------------------------------------------------ */
/* cycle: load/unload with messages in flight                         */
/* ------------------------------------------------------------------ */

struct cycler {
	pthread_t th;
	int fd;
	uint64_t rng, sent, err_other;
	int last_err;
	struct ack_counts acks;
};

static void *cycle_sender(void *arg)
{
	struct cycler *c = arg;
	uint32_t seq = 0;
	char data[32] = "cycle";

	while (!atomic_load(&stop_senders)) {
		uint16_t flags = rng_below(&c->rng, 2) ? NLM_F_ACK : 0;
		int rc = cn_send(c->fd, CYCLE_IDX,
				 1 + rng_below(&c->rng, CYCLE_NIDS), ++seq, data,
				 sizeof(data), flags);

		if (!rc) {
			c->sent++;
		} else if (rc != -ENOBUFS && rc != -ENOMEM) {
			c->err_other++;
			c->last_err = rc;
		}
		drain(c->fd, &c->acks);
	}
	return NULL;
}

int run_cycle(int cycles, const char *path, uint64_t seed)
{
	struct cycler c[2];
	struct receiver rx = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC), i, done, before = failures;
	long long cb0 = have_cnxx() ? cnxx_st("callbacks") : 0;
	uint64_t rng, sent = 0, retries = 0;
	struct ack_counts a = { 0 };
	double t0 = now_s();

	if (fd < 0) {
		fail("cycle: %s: %s", path, strerror(errno));
		return -1;
	}
	rng_seed(&rng, seed);
	rx.fd = cn_socket(4 << 20);
	rx.cycle = 1;
	if (rx.fd < 0 || cn_join(rx.fd, CYCLE_IDX))
		fail("cycle: cannot join group %d", CYCLE_IDX);
	atomic_store(&stop_senders, 0);
	atomic_store(&stop_receivers, 0);
	rx.count = count_broadcast;
	pthread_create(&rx.th, NULL, receiver_fn, &rx);
	for (i = 0; i < 2; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		rng_seed(&c[i].rng, seed + 1 + i);
		c[i].fd = cn_socket(1 << 20);
		pthread_create(&c[i].th, NULL, cycle_sender, &c[i]);
	}
	for (i = 0; i < cycles && failures == before; i++) {
		int tries = 0;

		if (syscall(SYS_finit_module, fd, "", 0)) {
			fail("cycle %d: loading %s: %s", i, path, strerror(errno));
			break;
		}
		/* let some messages reach the callbacks, some sleep in them */
		usleep(rng_below(&rng, 20000));
		while (syscall(SYS_delete_module, "cnxx_cycle", O_NONBLOCK)) {
			if ((errno != EAGAIN && errno != EBUSY) || ++tries > 500) {
				fail("cycle %d: unloading: %s", i, strerror(errno));
				break;
			}
			retries++;
			usleep(10000);
		}
	}
	done = i;
	atomic_store(&stop_senders, 1);
	for (i = 0; i < 2; i++) {
		pthread_join(c[i].th, NULL);
		drain(c[i].fd, &c[i].acks);
		close(c[i].fd);
		sent += c[i].sent;
		ack_counts_add(&a, &c[i].acks);
		if (c[i].err_other)
			fail("cycle: %llu sends failed (last %d)",
			     (unsigned long long)c[i].err_other, c[i].last_err);
		if (c[i].acks.other)
			fail("cycle: acks with unexpected errors (last %d)",
			     c[i].acks.last_other);
	}
	wait_quiet(&rx, 0.5);
	atomic_store(&stop_receivers, 1);
	pthread_join(rx.th, NULL);
	close(rx.fd);
	close(fd);

	out("# cycle: %d load/unload cycles of %s in %.0f s (%llu unload retries), seed %llu\n",
	    done, path, now_s() - t0, (unsigned long long)retries,
	    (unsigned long long)seed);
	out("# cycle: messages sent %llu, acks ok %llu, ENODEV %llu, ENOMEM %llu, other %llu, ack overruns %llu, replies received %llu (overruns %llu)\n",
	    (unsigned long long)sent, (unsigned long long)a.ok,
	    (unsigned long long)a.enodev, (unsigned long long)a.enomem,
	    (unsigned long long)a.other, (unsigned long long)a.overruns,
	    (unsigned long long)rx.other, (unsigned long long)rx.overruns);
	if (done < cycles)
		fail("cycle: only %d of %d cycles", done, cycles);
	if (have_cnxx() && cnxx_st("callbacks") != cb0)
		fail("cycle: %lld callbacks registered before, %lld after", cb0,
		     cnxx_st("callbacks"));
	if (!sent)
		fail("cycle: nothing sent");
	if (rx.bad)
		fail("cycle: %llu malformed replies", (unsigned long long)rx.bad);
	return failures == before ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: cnstress stress [-t SECONDS] [-n THREADS] [-F] [-s SEED]\n"
		"       cnstress cycle [-c CYCLES] [-m MODULE.ko] [-s SEED]\n"
		"       cnstress fault [-t SECONDS] [-p PERCENT] [-s SEED]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *mode, *module = "/cnxx/cnxx_cycle.ko";
	double secs = 20;
	int threads = 2, cycles = 200, percent = 10, fault = 0, opt, rc;
	uint64_t seed = (uint64_t)time(NULL);

	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "t:n:Fc:m:p:s:")) != -1) {
		switch (opt) {
		case 't':
			secs = atof(optarg);
			break;
		case 'n':
			threads = atoi(optarg);
			break;
		case 'F':
			fault = 1;
			break;
		case 'c':
			cycles = atoi(optarg);
			break;
		case 'm':
			module = optarg;
			break;
		case 'p':
			percent = atoi(optarg);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (threads < 1 || threads > MAX_SENDERS)
		usage();
	signal(SIGPIPE, SIG_IGN);

	if (!strcmp(mode, "stress"))
		rc = run_stress("stress", secs, threads, fault, seed);
	else if (!strcmp(mode, "cycle"))
		rc = run_cycle(cycles, module, seed);
	else if (!strcmp(mode, "fault"))
		rc = run_fault(secs, percent, seed);
	else
		usage();
	out("# cnstress %s: %s\n", mode, rc || failures ? "FAILED" : "passed");
	return rc || failures ? 1 : 0;
}
