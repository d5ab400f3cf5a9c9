// SPDX-License-Identifier: GPL-2.0
/*
 * ptrace32 PID: a 32-bit tracer (built static with -m32), whose ptrace()
 * calls enter the kernel through compat_sys_ptrace() rather than the
 * native system call. Attaches to PID, waits for it to stop, detaches;
 * then seizes it, interrupts it, waits, detaches. Exits 0 if every call
 * succeeded; the test (proc_ptrace32 in vmtest) checks the events.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

/* The point of this program is the compat system call. */
_Static_assert(sizeof(long) == 4, "ptrace32 must be built with -m32");

static int stopped(pid_t pid, const char *what)
{
	int status;

	if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status)) {
		fprintf(stderr, "ptrace32: %s: waitpid %d: %s, status 0x%x\n",
			what, pid, strerror(errno), status);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	pid_t pid = argc == 2 ? atoi(argv[1]) : 0;

	if (pid <= 0) {
		fprintf(stderr, "usage: ptrace32 PID\n");
		return 2;
	}
	if (ptrace(PTRACE_ATTACH, pid, 0, 0) || stopped(pid, "attach") ||
	    ptrace(PTRACE_DETACH, pid, 0, 0)) {
		fprintf(stderr, "ptrace32: attach/detach %d: %s\n", pid,
			strerror(errno));
		return 1;
	}
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) ||
	    ptrace(PTRACE_INTERRUPT, pid, 0, 0) || stopped(pid, "seize") ||
	    ptrace(PTRACE_DETACH, pid, 0, 0)) {
		fprintf(stderr, "ptrace32: seize/detach %d: %s\n", pid,
			strerror(errno));
		return 1;
	}
	return 0;
}
