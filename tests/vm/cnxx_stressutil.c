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
	      void (*each)(const struct cnxx_msg *msg, void *ctx), void *ctx)
{
	ssize_t n = recv(fd, buf, size, MSG_DONTWAIT);
	struct cnxx_msg msg;
	size_t off = 0;
	int ret;

	if (n < 0) {
		if (errno != ENOBUFS)
			return -1;
		(*overruns)++;
		return 0;
	}
	while ((ret = cnxx_msg_parse(buf, n, &off, &msg)))
		each(ret > 0 ? &msg : NULL, ctx);
	return 1;
}
