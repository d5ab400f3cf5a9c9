// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Registration-notification requests: struct cn_ctl_msg to the control id.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(struct cnxx_range) == sizeof(struct cn_notify_req),
	       "cnxx_range must match cn_notify_req");
_Static_assert(sizeof(struct cn_ctl_msg) == 16, "cn_ctl_msg header");

size_t cnxx_ctl_size(uint32_t n_idx, uint32_t n_val)
{
	uint64_t size = sizeof(struct cn_ctl_msg) +
			((uint64_t)n_idx + n_val) * sizeof(struct cnxx_range);

	return size > SIZE_MAX ? SIZE_MAX : (size_t)size;
}

ssize_t cnxx_ctl_build(void *buf, size_t size, const struct cnxx_range *idx,
		       uint32_t n_idx, const struct cnxx_range *val,
		       uint32_t n_val, uint32_t group)
{
	size_t total = cnxx_ctl_size(n_idx, n_val);
	unsigned char *p = buf;
	struct cn_ctl_msg ctl = {
		.idx_notify_num = n_idx,
		.val_notify_num = n_val,
		.group = group,
	};

	/* it travels as the data of one cn_msg, whose len is a u16 */
	if (total > 0xffff)
		return -E2BIG;
	if (size < total)
		return -ENOSPC;
	ctl.len = total - sizeof(ctl);
	memcpy(p, &ctl, sizeof(ctl));
	p += sizeof(ctl);
	if (n_idx)
		memcpy(p, idx, n_idx * sizeof(*idx));
	p += n_idx * sizeof(*idx);
	if (n_val)
		memcpy(p, val, n_val * sizeof(*val));
	return total;
}

int cnxx_notify_send(struct cnxx_sock *sock, const struct cnxx_range *idx,
		     uint32_t n_idx, const struct cnxx_range *val,
		     uint32_t n_val, uint32_t group, unsigned int opts,
		     uint32_t *seq)
{
	size_t size = cnxx_ctl_size(n_idx, n_val);
	struct cnxx_record rec = {
		.id = { CN_IDX_CONNECTOR, CN_VAL_CONNECTOR },
		.seq = sock->seq++,
	};
	ssize_t len;
	void *buf;
	int ret;

	if (size > 0xffff)
		return -E2BIG;
	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	len = cnxx_ctl_build(buf, size, idx, n_idx, val, n_val, group);
	if (len < 0) {
		ret = len;
		goto out;
	}
	rec.len = len;
	rec.data = buf;
	ret = cnxx_send(sock, &rec, opts);
	if (!ret && seq)
		*seq = rec.seq;
out:
	free(buf);
	return ret;
}

static int cnxx_notify_sync(struct cnxx_sock *sock,
			    const struct cnxx_range *idx, uint32_t n_idx,
			    const struct cnxx_range *val, uint32_t n_val,
			    uint32_t group, int timeout_ms, int *ack_err)
{
	uint32_t seq;
	int ret;

	ret = cnxx_notify_send(sock, idx, n_idx, val, n_val, group,
			       CNXX_SEND_ACK, &seq);
	if (ret)
		return ret;
	return cnxx_wait_ack(sock, seq, timeout_ms, ack_err);
}

int cnxx_notify_add(struct cnxx_sock *sock, const struct cnxx_range *idx,
		    uint32_t n_idx, const struct cnxx_range *val,
		    uint32_t n_val, uint32_t group, int timeout_ms,
		    int *ack_err)
{
	if (!group)
		return -EINVAL;
	return cnxx_notify_sync(sock, idx, n_idx, val, n_val, group,
				timeout_ms, ack_err);
}

int cnxx_notify_remove(struct cnxx_sock *sock, const struct cnxx_range *idx,
		       uint32_t n_idx, const struct cnxx_range *val,
		       uint32_t n_val, int timeout_ms, int *ack_err)
{
	return cnxx_notify_sync(sock, idx, n_idx, val, n_val, 0, timeout_ms,
				ack_err);
}
