/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nlfuzz's generator of malformed datagrams (nlfuzz_gen.c), used by its
 * runner (nlfuzz.c).
 */
#ifndef NLFUZZ_H
#define NLFUZZ_H

#include "cnxx_stressutil.h"

#define MAXDGRAM 70000
#define CN_HDR ((int)sizeof(struct cn_msg))
#define NL_HDR ((int)NLMSG_HDRLEN)

enum gen_kind {
	G_RANDOM_SMALL,
	G_RANDOM,
	G_SHORT_HDR,
	G_NLMSG_LEN_LIE,
	G_CN_LEN_LIE,
	G_OVERSIZE,
	G_MULTI,
	G_WRONG_ID,
	G_CONTROL,
	G_VALID,
	G_NR,
};

extern const char *const gen_names[G_NR];

/*
 * One datagram into @buf (MAXDGRAM bytes) from the seeded @rng; its kind in
 * *@kind_out. Returns its length.
 */
int gen(uint64_t *rng, uint8_t *buf, int *kind_out);

#endif /* NLFUZZ_H */
