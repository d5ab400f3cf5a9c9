// SPDX-License-Identifier: GPL-2.0
/*
 * cnunload - what rmmod of a connector user must survive, against
 * cnxx_unload.ko (loaded by the caller; this program unloads it).
 *
 *   cnunload selfdel   a callback removes its own id and keeps running for
 *                      800 ms; rmmod, whose exit removes the same id, must
 *                      wait for it (the module's text must not go first).
 *   cnunload replies   uid 65534 sends one datagram of 400 messages to a
 *                      callback that answers each with 4 KiB, and never
 *                      reads; rmmod must still end within about a second.
 *
 * Prints "# ..." lines with the figures; exit status 0 when it passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cnxx/libcnxx.h>

#include "cnxx_unloadproto.h"

#define MODULE_NAME	"cnxx_unload"
#define FLOOD_COUNT	400
/* How long rmmod may take beyond the callback's own time. */
#define UNLOAD_SLACK_MS	2500
/* After this, rmmod counts as held: the sender is killed to free it. */
#define UNLOAD_GIVE_UP_MS 8000

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Opens a socket and sends @count messages to {UNLOAD_IDX, @val} in one
 * datagram; the socket stays open (and unread) until the process exits.
 */
static int send_datagram(unsigned int val, unsigned int count)
{
	size_t one = NLMSG_SPACE(sizeof(struct cn_msg));
	struct cnxx_record rec = { .id = { UNLOAD_IDX, val } };
	char *buf = calloc(count, one);
	struct cnxx_sock *sock;
	unsigned int i;
	int err;

	if (!buf)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		rec.seq = i;
		cnxx_frame(buf + i * one, one, &rec, 0, i, 0);
	}
	err = cnxx_open(&sock);
	if (!err)
		err = cnxx_send_raw(sock, 0, buf, count * one);
	if (err)
		printf("# send: %s\n", strerror(-err));
	free(buf);
	return err;
}

/* Starts rmmod in a child; returns its pid. */
static pid_t start_rmmod(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK) ? errno : 0);
	return pid;
}

/* Waits up to @ms for @pid; its exit status, or -1 if still running. */
static int wait_for(pid_t pid, long ms)
{
	long end = now_ms() + ms;
	int status;

	do {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		usleep(10000);
	} while (now_ms() < end);
	return -1;
}

static int test_selfdel(void)
{
	long start, took;
	pid_t sender, rm;
	int rc;

	sender = fork();
	if (sender == 0) {
		/* Returns once the callback has: it runs in this task. */
		_exit(send_datagram(UNLOAD_VAL_SELFDEL, 1) != 0);
	}
	/* Let the callback remove its id and start its sleep. */
	usleep(200000);
	start = now_ms();
	rm = start_rmmod();
	rc = wait_for(rm, UNLOAD_GIVE_UP_MS);
	took = now_ms() - start;
	printf("# rmmod took %ld ms while the self-removed callback slept\n", took);
	if (rc != 0) {
		printf("# rmmod: %s\n", rc < 0 ? "did not end" : strerror(rc));
		kill(sender, SIGKILL);
		return 1;
	}
	if (wait_for(sender, 5000) != 0) {
		printf("# the sender failed\n");
		return 1;
	}
	/* 800 ms of callback, 200 of them before rmmod: it must have waited. */
	if (took < UNLOAD_SELFDEL_MS - 200 - 100) {
		printf("# rmmod returned before the callback did\n");
		return 1;
	}
	return 0;
}

/* A counter of cnxx.ko, or -1. */
static long long read_stat(const char *key)
{
	uint64_t value;

	return cnxx_read_stat(CNXX_STATS_PATH, key, &value) ? -1 : (long long)value;
}

static int test_replies(void)
{
	long long dropped_before = read_stat("tx_replies_dropped"), dropped;
	long start, took;
	pid_t sender, rm;
	int rc, failed = 0;

	sender = fork();
	if (sender == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		if (send_datagram(UNLOAD_VAL_REPLY, FLOOD_COUNT))
			_exit(1);
		/* Never reads. */
		for (;;)
			pause();
	}
	/* Long enough for the receive buffer to fill and a reply to block. */
	usleep(1500000);
	start = now_ms();
	rm = start_rmmod();
	rc = wait_for(rm, UNLOAD_GIVE_UP_MS);
	took = now_ms() - start;
	if (rc < 0) {
		printf("# rmmod still blocked after %d ms: killing the sender\n",
		       UNLOAD_GIVE_UP_MS);
		failed = 1;
	}
	kill(sender, SIGKILL);
	waitpid(sender, NULL, 0);
	if (rc < 0)
		rc = wait_for(rm, 60000);
	printf("# rmmod took %ld ms with %d messages from a sender that never reads\n",
	       took, FLOOD_COUNT);
	if (rc != 0) {
		printf("# rmmod: %s\n", rc < 0 ? "did not end" : strerror(rc));
		return 1;
	}
	if (took > UNLOAD_SLACK_MS) {
		printf("# more than %d ms\n", UNLOAD_SLACK_MS);
		failed = 1;
	}
	dropped = read_stat("tx_replies_dropped");
	printf("# tx_replies_dropped %lld -> %lld\n", dropped_before, dropped);
	if (dropped_before < 0 || dropped <= dropped_before) {
		printf("# the dropped replies were not counted\n");
		failed = 1;
	}
	return failed;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "selfdel"))
		return test_selfdel();
	if (argc == 2 && !strcmp(argv[1], "replies"))
		return test_replies();
	fprintf(stderr, "usage: cnunload selfdel|replies\n");
	return 2;
}
