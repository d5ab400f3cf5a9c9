// SPDX-License-Identifier: GPL-2.0
/*
 * What cnstress and nlfuzz share beyond the inline helpers: failure
 * accounting and the receive loop of their raw sockets.
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

int recv_each(int fd, void *buf, size_t size, uint64_t *overruns,
	      void (*each)(const struct nlmsghdr *nlh, void *ctx), void *ctx)
{
	ssize_t n = recv(fd, buf, size, MSG_DONTWAIT);
	struct nlmsghdr *nlh;
	int left;

	if (n < 0) {
		if (errno != ENOBUFS)
			return -1;
		(*overruns)++;
		return 0;
	}
	left = (int)n;
	for (nlh = buf; NLMSG_OK(nlh, left); nlh = NLMSG_NEXT(nlh, left))
		each(nlh, ctx);
	return 1;
}
