// SPDX-License-Identifier: GPL-2.0
/*
 * cnprocbench - what process events cost the processes: fork + exit, or
 * fork + exec + exit, in a loop. Built static, so that its own startup and
 * mappings stay small and are the same on every kernel.
 *
 *   cnprocbench fork [--provider P] [--time-ms MS]
 *   cnprocbench exec PROGRAM [--provider P] [--time-ms MS]
 *
 * Each iteration forks a child that exits with _exit(0), or execs PROGRAM
 * (a program that exits at once, e.g. cnprocexit), and waits for it. Runs
 * for MS ms of the guest clock after a few iterations of warm-up and
 * prints
 *
 *   BENCH provider=P workload=proc OP cost=C unit=ns/iter n=N ns=T
 *
 * C = T / N over the whole run, not a best slice: a listener's work comes
 * in bursts, and its share must count. A child that fails is an error:
 * exit status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARMUP 16

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One fork, the child's exit or exec, and the wait; 0 or -1 (said). */
static int iteration(const char *program)
{
	static char *const envp[] = { NULL };
	char *const argv[] = { (char *)program, NULL };
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0) {
		perror("cnprocbench: fork");
		return -1;
	}
	if (pid == 0) {
		if (program)
			execve(program, argv, envp);
		_exit(program ? 127 : 0);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("cnprocbench: waitpid");
			return -1;
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "cnprocbench: child ended with status %#x%s\n",
			status, program ? " (cannot exec the program?)" : "");
		return -1;
	}
	return 0;
}

static void usage(void)
{
	fputs("usage: cnprocbench fork [--provider P] [--time-ms MS]\n"
	      "       cnprocbench exec PROGRAM [--provider P] [--time-ms MS]\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *provider = "-", *program = NULL, *op;
	double t0, t, limit;
	long ms = 300, n;
	int i;

	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "fork")) {
		op = "fork+exit";
		i = 2;
	} else if (!strcmp(argv[1], "exec") && argc > 2) {
		op = "fork+exec+exit";
		program = argv[2];
		i = 3;
	} else {
		usage();
	}
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--provider") && i + 1 < argc)
			provider = argv[++i];
		else if (!strcmp(argv[i], "--time-ms") && i + 1 < argc)
			ms = strtol(argv[++i], NULL, 10);
		else
			usage();
	}
	if (ms <= 0)
		usage();

	for (i = 0; i < WARMUP; i++)
		if (iteration(program))
			return 1;
	limit = ms * 1e6;
	n = 0;
	t0 = now_ns();
	do {
		if (iteration(program))
			return 1;
		n++;
		t = now_ns() - t0;
	} while (t < limit);
	printf("BENCH provider=%s workload=proc %s cost=%.0f unit=ns/iter n=%ld ns=%.0f\n",
	       provider, op, t / n, n, t);
	return 0;
}
