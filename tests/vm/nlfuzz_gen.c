// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz's generator: random and structurally bad NETLINK_CONNECTOR
 * datagrams. Frames are built by hand here, not with libcnxx, because
 * they must be invalid in controlled ways.
 */
#include "nlfuzz.h"

const char *const gen_names[G_NR] = {
	"random-small", "random", "short-header", "nlmsg_len-lie",
	"cn_len-lie", "oversize", "multi", "wrong-id", "control", "valid",
};

/* out of 100 */
static const int gen_weight[G_NR] = { 7, 6, 8, 14, 14, 2, 14, 10, 16, 9 };

static void fill_random(uint64_t *rng, void *p, size_t n)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)rng_next(rng);
}

static uint16_t gen_flags(uint64_t *rng)
{
	static const uint16_t pick[] = {
		0, NLM_F_REQUEST, NLM_F_ACK, NLM_F_REQUEST | NLM_F_ACK,
		NLM_F_ECHO | NLM_F_ACK, NLM_F_DUMP | NLM_F_REQUEST,
		NLM_F_MULTI | NLM_F_ACK,
	};

	if (rng_below(rng, 16) == 0)
		return (uint16_t)rng_next(rng);
	return pick[rng_below(rng, ARRAY_SIZE(pick))] |
	       (rng_below(rng, 2) ? NLM_F_ACK : 0);
}

static uint16_t gen_type(uint64_t *rng)
{
	static const uint16_t pick[] = {
		NLMSG_DONE, NLMSG_DONE, NLMSG_DONE, NLMSG_DONE, 0, NLMSG_NOOP,
		NLMSG_ERROR, NLMSG_OVERRUN, NLMSG_MIN_TYPE,
	};

	if (rng_below(rng, 16) == 0)
		return (uint16_t)rng_next(rng);
	return pick[rng_below(rng, ARRAY_SIZE(pick))];
}

/* An id: mostly ones that exist, some that could, some garbage. */
static void gen_id(uint64_t *rng, struct cb_id *id)
{
	const struct cb_id ids[] = {
		{ STRESS_IDX, STRESS_VAL_SINK },
		{ STRESS_IDX, STRESS_VAL_ECHO },
		{ STRESS_IDX, STRESS_VAL_DYN + rng_below(rng, STRESS_NDYN) },
		{ CN_IDX_CONNECTOR, CN_IDX_CONNECTOR },
		{ rng_below(rng, 32), rng_below(rng, 8) },
		{ CN_IDX_CONNECTOR, (uint32_t)rng_next(rng) },
		/* garbage, twice as likely as each of the others */
		{ (uint32_t)rng_next(rng), (uint32_t)rng_next(rng) },
		{ (uint32_t)rng_next(rng), (uint32_t)rng_next(rng) },
	};

	*id = ids[rng_below(rng, ARRAY_SIZE(ids))];
}

/*
 * Writes one well-formed nlmsg with a cn_msg of id @id and @dlen random
 * data bytes at @p (room for @cap bytes). Returns its length, unaligned.
 */
static int put_msg(uint64_t *rng, uint8_t *p, int cap, const struct cb_id *id,
		   int dlen)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)p;
	struct cn_msg *m = (struct cn_msg *)(p + NL_HDR);
	int len = NL_HDR + CN_HDR + dlen;

	if (len > cap) {
		dlen = cap - NL_HDR - CN_HDR;
		if (dlen < 0)
			return 0;
		len = cap;
	}
	nlh->nlmsg_len = len;
	nlh->nlmsg_type = gen_type(rng);
	nlh->nlmsg_flags = gen_flags(rng);
	nlh->nlmsg_seq = (uint32_t)rng_next(rng);
	nlh->nlmsg_pid = rng_below(rng, 4) ? 0 : (uint32_t)rng_next(rng);
	m->id = *id;
	m->seq = (uint32_t)rng_next(rng);
	m->ack = (uint32_t)rng_next(rng);
	m->len = dlen;
	m->flags = rng_below(rng, 4) ? 0 : (uint16_t)rng_next(rng);
	fill_random(rng, m->data, dlen);
	return len;
}

/* Garbage for the control id: struct cn_ctl_msg and ranges. */
static int put_control(uint64_t *rng, uint8_t *p, int cap)
{
	struct cb_id id = { CN_IDX_CONNECTOR, CN_VAL_CONNECTOR };
	uint32_t nidx, nval, ranges, i, *w;
	int dlen, len;

	switch (rng_below(rng, 6)) {
	case 0: /* plausible */
		nidx = 1 + rng_below(rng, 3);
		nval = 1 + rng_below(rng, 3);
		break;
	case 1: /* (nidx + nval) * 8 overflows 32 bits */
		nidx = 0x20000000u + rng_below(rng, 4);
		nval = 0x20000000u - rng_below(rng, 4);
		break;
	case 2:
		nidx = 0;
		nval = rng_below(rng, 3);
		break;
	case 3: /* above any limit on ranges */
		nidx = 30 + rng_below(rng, 100);
		nval = rng_below(rng, 100);
		break;
	default:
		nidx = (uint32_t)rng_next(rng);
		nval = (uint32_t)rng_next(rng);
		break;
	}
	ranges = (nidx + nval) & 0xff;
	if (rng_below(rng, 4) == 0)
		ranges = rng_below(rng, 64);
	dlen = 16 + 8 * (int)ranges;
	if (rng_below(rng, 5) == 0)
		dlen = rng_below(rng, 40);
	len = put_msg(rng, p, cap, &id, dlen);
	if (len < NL_HDR + CN_HDR + 16)
		return len;
	w = (uint32_t *)(p + NL_HDR + CN_HDR);
	w[0] = nidx;
	w[1] = nval;
	/* group: valid, zero (remove), out of range */
	w[2] = rng_below(rng, 3) == 0 ? 0 :
	       rng_below(rng, 2) ? 1 + rng_below(rng, 26) : (uint32_t)rng_next(rng);
	w[3] = rng_below(rng, 2) ? 8 * (nidx + nval) :
	       rng_below(rng, 2) ? 8 * ranges : (uint32_t)rng_next(rng);
	for (i = 0; i < ranges && 16 + 8 * (int)i + 8 <= len - NL_HDR - CN_HDR; i++) {
		uint32_t *r = w + 4 + 2 * i;

		switch (rng_below(rng, 6)) {
		case 0:
			r[0] = rng_below(rng, 32);
			r[1] = 1 + rng_below(rng, 4);
			break;
		case 5: /* around the ids cnxx_stress adds and removes */
			r[0] = i < nidx ? STRESS_IDX - rng_below(rng, 2) :
					  STRESS_VAL_DYN - 4 + rng_below(rng, 24);
			r[1] = 1 + rng_below(rng, 8);
			break;
		case 1: /* wraps past 2^32 */
			r[0] = 0xffffffffu - rng_below(rng, 4);
			r[1] = 2 + rng_below(rng, 8);
			break;
		case 2:
			r[0] = (uint32_t)rng_next(rng);
			r[1] = 0;
			break;
		default:
			r[0] = (uint32_t)rng_next(rng);
			r[1] = (uint32_t)rng_next(rng);
			break;
		}
	}
	return len;
}

/* An nlmsg_len that is wrong for a message of @len bytes. */
static uint32_t lie_nlmsg_len(uint64_t *rng, int len)
{
	const uint32_t lies[] = {
		0,
		rng_below(rng, NL_HDR),
		NL_HDR + rng_below(rng, CN_HDR),	/* a short cn_msg */
		len + 1 + rng_below(rng, 100),		/* longer than sent */
		rng_below(rng, 2) ? 0xffffffffu : 0x7fffffffu,
		len - 1 - rng_below(rng, 3),		/* unaligned, inside */
		(uint32_t)rng_next(rng),
	};

	return lies[rng_below(rng, ARRAY_SIZE(lies))];
}

/* A cn_msg len that is wrong for @len data bytes. */
static uint16_t lie_cn_len(uint64_t *rng, uint16_t len)
{
	const uint16_t lies[] = {
		len + 1 + rng_below(rng, 16),
		0xffff,
		len ? len - 1 : 0,
		16384 - CN_HDR,	/* fits the u16 and the limit, not the message */
		(uint16_t)rng_next(rng),
	};

	return lies[rng_below(rng, ARRAY_SIZE(lies))];
}

/* One message with some lie in it, for G_MULTI and friends. */
static int put_bad(uint64_t *rng, uint8_t *p, int cap, int kind)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)p;
	struct cn_msg *m = (struct cn_msg *)(p + NL_HDR);
	struct cb_id id;
	int len;

	gen_id(rng, &id);
	switch (kind) {
	case G_NLMSG_LEN_LIE:
		len = put_msg(rng, p, cap, &id, rng_below(rng, 64));
		if (len < NL_HDR)
			return len;
		nlh->nlmsg_len = lie_nlmsg_len(rng, len);
		return len;
	case G_CN_LEN_LIE:
		len = put_msg(rng, p, cap, &id, rng_below(rng, 64));
		if (len < NL_HDR + CN_HDR)
			return len;
		m->len = lie_cn_len(rng, m->len);
		return len;
	case G_WRONG_ID:
		id.idx = rng_below(rng, 2) ? (uint32_t)rng_next(rng) :
					     rng_below(rng, 64);
		id.val = (uint32_t)rng_next(rng);
		return put_msg(rng, p, cap, &id, rng_below(rng, 128));
	case G_CONTROL:
		return put_control(rng, p, cap);
	default:
		return put_msg(rng, p, cap, &id, rng_below(rng, 128));
	}
}

/* One datagram into @buf; returns its length. */
int gen(uint64_t *rng, uint8_t *buf, int *kind_out)
{
	int w = rng_below(rng, 100), kind = 0, len, n, i, off;

	while (w >= gen_weight[kind]) {
		w -= gen_weight[kind];
		kind++;
	}
	*kind_out = kind;
	switch (kind) {
	case G_RANDOM_SMALL:
		len = rng_below(rng, 65);
		fill_random(rng, buf, len);
		return len;
	case G_RANDOM:
		len = rng_below(rng, 2048);
		fill_random(rng, buf, len);
		/* sometimes a plausible header in front of the noise */
		if (len >= NL_HDR && rng_below(rng, 2)) {
			struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

			nlh->nlmsg_len = rng_below(rng, 2) ? (uint32_t)len :
							 rng_below(rng, len + 64);
			nlh->nlmsg_type = gen_type(rng);
			nlh->nlmsg_flags = gen_flags(rng);
		}
		return len;
	case G_SHORT_HDR:
		len = put_bad(rng, buf, MAXDGRAM, G_VALID);
		return rng_below(rng, NL_HDR + CN_HDR < len ? NL_HDR + CN_HDR : len);
	case G_OVERSIZE: {
		struct cb_id id;
		int dlen = 16384 - CN_HDR + 1 + rng_below(rng, 64);

		if (rng_below(rng, 8) == 0)
			dlen = 16384 + rng_below(rng, MAXDGRAM - 16384 - NL_HDR - CN_HDR);
		gen_id(rng, &id);
		len = put_msg(rng, buf, MAXDGRAM, &id, dlen);
		if (rng_below(rng, 2))
			((struct cn_msg *)(buf + NL_HDR))->len =
				rng_below(rng, 2) ? 0xffff : 16384;
		return len;
	}
	case G_MULTI:
		n = 2 + rng_below(rng, 7);
		off = 0;
		for (i = 0; i < n && off < 4096; i++) {
			static const int kinds[] = {
				G_VALID, G_VALID, G_NLMSG_LEN_LIE, G_CN_LEN_LIE,
				G_WRONG_ID, G_CONTROL,
			};
			int k = kinds[rng_below(rng, ARRAY_SIZE(kinds))];

			len = put_bad(rng, buf + off, 8192 - off, k);
			/* mostly aligned, as netlink expects; sometimes not */
			off += rng_below(rng, 8) ? (int)NLMSG_ALIGN(len) : len;
		}
		/* sometimes cut the last one short */
		if (rng_below(rng, 4) == 0 && off > 1)
			off -= 1 + rng_below(rng, off < 40 ? off - 1 : 40);
		return off;
	default:
		return put_bad(rng, buf, MAXDGRAM, kind);
	}
}
