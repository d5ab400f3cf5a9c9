// SPDX-License-Identifier: GPL-2.0
/*
 * What cnstress and nlfuzz share beyond the inline helpers: failure
 * accounting.
 */
#include "cnxx_stressutil.h"

int failures;

void fail(const char *fmt, ...)
{
	va_list ap;

	printf("# FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failures++;
}
