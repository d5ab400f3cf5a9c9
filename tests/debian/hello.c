// SPDX-License-Identifier: GPL-2.0
/*
 * Built in the Debian system against libcnxx-dev, with pkg-config: asks
 * cnxx's control callback for registration notifications and withdraws
 * the request; both must be acked with 0.
 */
#include <stdio.h>
#include <cnxx/libcnxx.h>

int main(void)
{
	struct cnxx_range idx = { 18, 1 }, val = { 0, 100 };
	struct cnxx_sock *sock;
	int err, ack = 0;

	err = cnxx_open(&sock);
	printf("unit %d, open: %s\n", cnxx_unit(), err ? cnxx_errname(err) : "ok");
	if (err)
		return 1;
	err = cnxx_notify_add(sock, &idx, 1, &val, 1, 5, 2000, &ack);
	printf("notify add: %s, ack %d\n", err ? cnxx_errname(err) : "ok", ack);
	if (!err && !ack) {
		err = cnxx_notify_remove(sock, &idx, 1, &val, 1, 2000, &ack);
		printf("notify remove: %s, ack %d\n", err ? cnxx_errname(err) : "ok", ack);
	}
	cnxx_close(sock);
	return err || ack;
}
