// SPDX-License-Identifier: GPL-2.0
/*
 * tsc_khz - prints this machine's TSC rate in kHz, for `make bench` with
 * CNXX_BENCH_CLOCK=wall. Plain C with no library, built on the host.
 */
#include <stdio.h>
#include <time.h>

/*
 * The TSC rate of this machine in kHz, for the guest's tsc_early_khz=: under
 * QEMU TCG the guest reads the host's TSC, and a guest that fails to
 * calibrate it falls back to a 4 ms jiffies clock, useless for timing.
 */
int main(void)
{
#if defined(__x86_64__) || defined(__i386__)
	struct timespec a, b;
	unsigned long long t0, t1;
	double ns;

	clock_gettime(CLOCK_MONOTONIC_RAW, &a);
	t0 = __builtin_ia32_rdtsc();
	do {
		clock_gettime(CLOCK_MONOTONIC_RAW, &b);
		ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	} while (ns < 2e8);
	t1 = __builtin_ia32_rdtsc();
	printf("%.0f\n", (t1 - t0) / (ns / 1e6));
	return 0;
#else
	fputs("tsc_khz: no TSC on this architecture\n", stderr);
	return 1;
#endif
}

