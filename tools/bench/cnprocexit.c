// SPDX-License-Identifier: GPL-2.0
/*
 * cnprocexit - the program cnprocbench execs: exits with status 0 at once.
 * No C library (built -static -nostdlib), so that an exec costs the
 * kernel's work and nothing else. x86-64 only, as the test VMs.
 */
#include <asm/unistd.h>

void __attribute__((noreturn, naked)) _start(void)
{
	__asm__ volatile("mov %0, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall"
			 : : "i"(__NR_exit_group));
}
