// SPDX-License-Identifier: GPL-2.0
/*
 * cnproclisten - one process-events listener for the benchmark: joins
 * group CN_IDX_PROC, sends PROC_CN_MCAST_LISTEN, reads every event until
 * SIGTERM or SIGINT, then sends PROC_CN_MCAST_IGNORE (the kernel's cn_proc
 * does not count a closed socket out) and prints what it got:
 *
 *   ready                                   once the LISTEN is acked
 *   LISTEN fork=F exec=E exit=X other=O lost=L
 *
 * L counts receive-queue overflows (-ENOBUFS): events were dropped. Works
 * with cnxx_proc.ko and with the kernel's own cn_proc alike. Exits non-zero
 * when the LISTEN is not acked with 0 or a receive fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <cnxx/cnxx_proc.h>
#include <cnxx/libcnxx.h>

/* Room for bursts while the load runs on the only CPU. */
#define RCVBUF (8 << 20)
#define ACK_TIMEOUT_MS 5000
/* How soon a signal that came just before a receive is seen. */
#define POLL_MS 100

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * The answer to a request carries its ack + 1 (its seq is replaced by the
 * sender's event count): @tag tells the answers apart.
 */
static int subscribe(struct cnxx_sock *s, __u32 op, __u32 tag)
{
	struct cnxx_record rec = {
		.id = { CN_IDX_PROC, CN_VAL_PROC },
		.seq = tag,
		.ack = tag,
		.len = sizeof(op),
		.data = &op,
	};

	return cnxx_send(s, &rec, 0);
}

static const struct cnxx_proc_event *event_of(const struct cnxx_msg *m)
{
	if (m->type != CNXX_MSG_DATA || m->rec.id.idx != CN_IDX_PROC ||
	    m->rec.id.val != CN_VAL_PROC ||
	    m->rec.len < sizeof(struct cnxx_proc_event))
		return NULL;
	return m->rec.data;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * Waits for the acknowledgement of request @tag among the events of other
 * listeners; 0 or -1 (said).
 */
static int wait_ack(struct cnxx_sock *s, __u32 tag)
{
	long long deadline = now_ms() + ACK_TIMEOUT_MS, left;
	const struct cnxx_proc_event *ev;
	struct cnxx_proc_event copy;
	struct cnxx_msg m;
	int err;

	while (!stop && (left = deadline - now_ms()) > 0) {
		err = cnxx_recv(s, &m, left);
		if (err == -EBADMSG || err == -ENOBUFS || err == -EINTR)
			continue;
		if (err)
			break;
		ev = event_of(&m);
		if (!ev || m.rec.ack != tag + 1)
			continue;
		memcpy(&copy, ev, sizeof(copy));	/* may be unaligned */
		if (copy.what != CNXX_PROC_EVENT_NONE)
			continue;
		if (copy.event_data.ack.err) {
			fprintf(stderr, "cnproclisten: LISTEN refused: %s\n",
				strerror(copy.event_data.ack.err));
			return -1;
		}
		return 0;
	}
	fprintf(stderr, "cnproclisten: no ack of LISTEN\n");
	return -1;
}

int main(void)
{
	unsigned long fork_n = 0, exec_n = 0, exit_n = 0, other = 0, lost = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	struct cnxx_sock *s;
	struct cnxx_msg m;
	__u32 what;
	int size = RCVBUF, err, rc = 0;

	/* No SA_RESTART: the signal ends the blocking receive. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	err = cnxx_open(&s);
	if (err) {
		fprintf(stderr, "cnproclisten: %s\n", strerror(-err));
		return 1;
	}
	if (setsockopt(cnxx_fd(s), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(cnxx_fd(s), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	err = cnxx_join(s, CN_IDX_PROC);
	if (!err)
		err = subscribe(s, CNXX_PROC_CN_MCAST_LISTEN, 1);
	if (err) {
		fprintf(stderr, "cnproclisten: %s\n", strerror(-err));
		cnxx_close(s);
		return 1;
	}
	if (wait_ack(s, 1)) {
		cnxx_close(s);
		return 1;
	}
	puts("ready");
	fflush(stdout);

	while (!stop) {
		err = cnxx_recv(s, &m, POLL_MS);
		if (err == -ENOBUFS) {
			lost++;
			continue;
		}
		if (err == -EINTR || err == -ETIMEDOUT || err == -EBADMSG)
			continue;
		if (err) {
			fprintf(stderr, "cnproclisten: receive: %s\n", strerror(-err));
			rc = 1;
			break;
		}
		if (!event_of(&m)) {
			other++;
			continue;
		}
		memcpy(&what, m.rec.data, sizeof(what));
		if (what == CNXX_PROC_EVENT_FORK)
			fork_n++;
		else if (what == CNXX_PROC_EVENT_EXEC)
			exec_n++;
		else if (what == CNXX_PROC_EVENT_EXIT)
			exit_n++;
		else
			other++;
	}
	err = subscribe(s, CNXX_PROC_CN_MCAST_IGNORE, 2);
	if (err) {
		fprintf(stderr, "cnproclisten: IGNORE: %s\n", strerror(-err));
		rc = 1;
	}
	printf("LISTEN fork=%lu exec=%lu exit=%lu other=%lu lost=%lu\n",
	       fork_n, exec_n, exit_n, other, lost);
	cnxx_close(s);
	return rc;
}
