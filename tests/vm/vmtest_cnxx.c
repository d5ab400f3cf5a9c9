// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest group "cnxx": acks, several messages per datagram, send_mult
 * validation, /proc/net/cnxx*.
 */
#include "vmtest.h"

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void t_ack_ok(void)
{
	uint32_t before[CNXX_TEST_NCOUNTERS], after[CNXX_TEST_NCOUNTERS];
	int fd = nl_open(0), got_echo = 0, got_ack = 0, i, err;
	const struct nlmsgerr *e;
	uint32_t seq;

	if (fd < 0 || tm_counters(before))
		goto out;

	seq = next_seq();
	if (cn_send(fd, TEST_IDX, TEST_VAL_SINK, seq, 8, NLM_F_ACK))
		goto out;
	if (!rx_ack(fd, seq, &err, "sink + NLM_F_ACK"))
		FAIL("sink + NLM_F_ACK: no ack");
	else
		EXPECT(err == 0, "sink + NLM_F_ACK: ack %s, want 0",
		       errname(err));
	if (!tm_counters(after))
		EXPECT(after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK] == 1,
		       "sink called %u times",
		       after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK]);

	/* the callback's reply and the ack both arrive */
	seq = next_seq();
	if (cn_send(fd, TEST_IDX, TEST_VAL_ECHO, seq, 8,
		    NLM_F_REQUEST | NLM_F_ACK))
		goto out;
	for (i = 0; i < 2 && rx_wait(fd, TIMEOUT_MS, "echo + ack") > 0; i++) {
		e = NLMSG_DATA(&rx.h);
		if (rx.h.nlmsg_type == NLMSG_ERROR && rx.h.nlmsg_seq == seq &&
		    rx.h.nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && !e->error &&
		    e->msg.nlmsg_seq == seq && e->msg.nlmsg_type == NLMSG_DONE)
			got_ack++;
		else if (rx.h.nlmsg_type == NLMSG_DONE &&
			 cn_of(&rx.h)->seq == seq &&
			 cn_of(&rx.h)->ack == seq + 1)
			got_echo++;
		else
			FAIL("echo + ack: unexpected %s", rx_str());
	}
	EXPECT(got_ack == 1 && got_echo == 1,
	       "echo + NLM_F_ACK: %d acks with error 0, %d echoes", got_ack,
	       got_echo);
	expect_quiet(fd, QUIET_MS, "echo + ack");
out:
	close_fd(&fd);
}

void t_enodev_ack(void)
{
	uint32_t seq = next_seq();
	int fd = nl_open(0);

	if (fd < 0)
		return;
	expect_ack(fd, cn_put(tx.b, TEST_IDX, 77, seq, 0, NULL, 0, NLM_F_ACK,
			      seq), -ENODEV, "unknown id {16,77}");
	expect_ack(fd, cn_put(tx.b, 12345, 1, seq + 1, 0, "x", 1,
			      NLM_F_REQUEST | NLM_F_ACK, seq + 1),
		   -ENODEV, "unknown id {12345,1}");
	cn_send(fd, TEST_IDX, 77, next_seq(), 8, 0);
	expect_quiet(fd, QUIET_MS, "unknown id without NLM_F_ACK");
	close(fd);
}

/* Bad input with NLM_F_ACK: the right error, and never delivered. */
void t_malformed_ack(void)
{
	uint32_t before[CNXX_TEST_NCOUNTERS], after[CNXX_TEST_NCOUNTERS];
	static uint8_t data[65536];
	uint32_t seq;
	size_t len;
	int fd = nl_open(0), err;

	if (fd < 0 || tm_counters(before))
		goto out;

	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 16,
		     NLM_F_ACK, seq);
	tx.h.nlmsg_len += 64;
	if (VMTEST_ACK_TRUNCATED)
		expect_ack(fd, len, -EINVAL, "nlmsg_len beyond the datagram");
	else if (!nl_send(fd, tx.b, len))
		expect_quiet(fd, QUIET_MS, "nlmsg_len beyond the datagram");

	seq = next_seq();
	cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, NULL, 0, NLM_F_ACK, seq);
	tx.h.nlmsg_len = NLMSG_LENGTH(10);
	expect_ack(fd, NLMSG_LENGTH(10), -EINVAL, "payload of 10 bytes");

	seq = next_seq();
	cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, NULL, 0, NLM_F_ACK, seq);
	tx.h.nlmsg_len = NLMSG_LENGTH(CN_HDR - 1);
	expect_ack(fd, NLMSG_LENGTH(CN_HDR), -EINVAL,
		   "nlmsg_len one short of a cn_msg");

	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 12,
		     NLM_F_ACK, seq);
	cn_of(tx.b)->len = 100;
	expect_ack(fd, len, -EINVAL, "cn_msg.len 100 for 12 bytes");

	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 12,
		     NLM_F_ACK, seq);
	cn_of(tx.b)->len = 13;
	expect_ack(fd, len, -EINVAL, "cn_msg.len 13 for 12 bytes");

	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, MAX_DATA + 1,
		     NLM_F_ACK, seq);
	expect_ack(fd, len, -EMSGSIZE, "payload of 16385 bytes");

	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 40000,
		     NLM_F_ACK, seq);
	expect_ack(fd, len, -EMSGSIZE, "payload of 40020 bytes");

	/* the largest valid one */
	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, MAX_DATA,
		     NLM_F_ACK, seq);
	expect_ack(fd, len, 0, "payload of 16384 bytes");

	/* nlmsg_len below the header: no ack is possible or required */
	seq = next_seq();
	len = cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, seq, 0, data, 16,
		     NLM_F_ACK, seq);
	tx.h.nlmsg_len = 12;
	if (!nl_send(fd, tx.b, len) && rx_ack(fd, seq, &err, "nlmsg_len 12"))
		EXPECT(err == -EINVAL, "nlmsg_len 12: ack %s", errname(err));

	expect_quiet(fd, QUIET_MS, "after bad messages");
	if (!tm_counters(after))
		EXPECT(after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK] == 1,
		       "sink called %u times, want 1 (the valid message)",
		       after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK]);
	expect_alive();
out:
	close_fd(&fd);
}

struct part {
	uint32_t val;		/* id {TEST_IDX, val} */
	uint32_t dlen;		/* data bytes present */
	int cn_len;		/* cn_msg.len if >= 0, else dlen */
	uint16_t flags;		/* nlmsg_flags */
	int want;		/* ack error, or NO_ACK */
	int sink;		/* counts at the sink */
};

/*
 * Sends @n messages in one datagram and checks, per message with NLM_F_ACK,
 * its ack in order, the sink count and seq sum, and echo replies.
 * @lie_last: the last nlmsg_len claims 64 more bytes than sent.
 */
static void send_parts(const struct part *p, int n, int lie_last)
{
	uint32_t before[CNXX_TEST_NCOUNTERS], after[CNXX_TEST_NCOUNTERS];
	static uint8_t data[65536];
	uint32_t seq[16], want_sum = 0, want_sink = 0;
	int fd = nl_open(0), i, next = 0, echoes = 0, want_echoes = 0;
	size_t off = 0, last = 0;
	const struct nlmsgerr *e;

	if (fd < 0 || tm_counters(before))
		goto out;

	for (i = 0; i < n; i++) {
		seq[i] = next_seq();
		last = off;
		off += cn_put(tx.b + off, TEST_IDX, p[i].val, seq[i], 0, data,
			      p[i].dlen, p[i].flags, seq[i]);
		if (p[i].cn_len >= 0)
			cn_of(tx.b + last)->len = p[i].cn_len;
		if (p[i].sink) {
			want_sink++;
			want_sum += seq[i];
		}
		if (p[i].val == TEST_VAL_ECHO && !p[i].want)
			want_echoes++;
	}
	if (lie_last)
		((struct nlmsghdr *)(tx.b + last))->nlmsg_len += 64;
	if (nl_send(fd, tx.b, off))
		goto out;

	for (;;) {
		while (next < n && (!(p[next].flags & NLM_F_ACK) ||
				    p[next].want == NO_ACK))
			next++;
		if (next == n && echoes >= want_echoes)
			break;
		if (rx_wait(fd, TIMEOUT_MS, "datagram") <= 0)
			break;
		if (rx.h.nlmsg_type == NLMSG_DONE &&
		    rx.h.nlmsg_len >= NLMSG_LENGTH(CN_HDR) &&
		    cn_of(&rx.h)->id.val == TEST_VAL_ECHO) {
			echoes++;
		} else if (rx.h.nlmsg_type == NLMSG_ERROR) {
			e = NLMSG_DATA(&rx.h);
			if (next == n) {
				FAIL("extra %s", rx_str());
			} else if (rx.h.nlmsg_seq != seq[next]) {
				FAIL("message %d: %s, want the ack of nlmsg_seq %u",
				     next, rx_str(), seq[next]);
			} else if (e->error != p[next].want) {
				FAIL("message %d: ack %s, want %s", next,
				     errname(e->error), errname(p[next].want));
			}
			next++;
		} else {
			FAIL("unexpected %s", rx_str());
		}
	}
	EXPECT(next == n, "no ack for message %d (nlmsg_seq %u) and later",
	       next, next < n ? seq[next] : 0);
	EXPECT(echoes == want_echoes, "%d echo replies, want %d", echoes,
	       want_echoes);
	expect_quiet(fd, QUIET_MS, "datagram sender");

	if (!tm_counters(after)) {
		EXPECT(after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK] ==
		       want_sink, "sink got %u messages, want %u",
		       after[CNXX_TEST_CNT_SINK] - before[CNXX_TEST_CNT_SINK],
		       want_sink);
		EXPECT(after[CNXX_TEST_CNT_SINK_SEQSUM] -
		       before[CNXX_TEST_CNT_SINK_SEQSUM] == want_sum,
		       "sink got other messages than the valid ones (seq sum)");
	}
out:
	close_fd(&fd);
}

void t_multi_message(void)
{
	const struct part mixed[] = {
		{ TEST_VAL_SINK, 8, -1, NLM_F_ACK, 0, 1 },
		{ TEST_VAL_SINK, 12, 100, NLM_F_ACK, -EINVAL, 0 },
		{ TEST_VAL_SINK, 0, -1, NLM_F_ACK, 0, 1 },
		{ 77, 4, -1, NLM_F_ACK, -ENODEV, 0 },
		{ TEST_VAL_SINK, MAX_DATA + 1, -1, NLM_F_ACK, -EMSGSIZE, 0 },
		{ TEST_VAL_ECHO, 16, -1, NLM_F_ACK, 0, 0 },
		{ TEST_VAL_SINK, 100, -1, 0, 0, 1 },
		{ TEST_VAL_SINK, MAX_DATA, -1, NLM_F_ACK, 0, 1 },
	};
	const struct part lying_last[] = {
		{ TEST_VAL_SINK, 8, -1, NLM_F_ACK, 0, 1 },
		{ TEST_VAL_SINK, 8, -1, 0, 0, 1 },
		{ TEST_VAL_SINK, 8, -1, NLM_F_ACK,
		  VMTEST_ACK_TRUNCATED ? -EINVAL : NO_ACK, 0 },
	};
	const struct part no_ack[] = {
		{ TEST_VAL_SINK, 8, -1, 0, 0, 1 },
		{ TEST_VAL_SINK, 12, 100, 0, 0, 0 },
		{ TEST_VAL_ECHO, 4, -1, 0, 0, 0 },
		{ 77, 4, -1, 0, 0, 0 },
		{ TEST_VAL_SINK, MAX_DATA + 1, -1, 0, 0, 0 },
		{ TEST_VAL_SINK, 8, -1, 0, 0, 1 },
	};

	diag("valid, invalid and unknown messages with NLM_F_ACK");
	send_parts(mixed, ARRAY_SIZE(mixed), 0);
	diag("last nlmsg_len beyond the datagram");
	send_parts(lying_last, ARRAY_SIZE(lying_last), 1);
	diag("without NLM_F_ACK");
	send_parts(no_ack, ARRAY_SIZE(no_ack), 0);
}

void t_send_mult_bad(void)
{
	static const int32_t extra[] = { 1, -1, 19, -100, -219 };
	int debug = cnxx_debug_build(), a = nl_open(TEST_IDX), rc, len;
	uint32_t i, seq;

	if (a < 0)
		return;
	diag("%s", debug ? "debug build: -EINVAL and one warning" :
			   "release build: sent as given");
	/* 2 records of 100: len 220 is right */
	if (debug)
		expect_warning(1);
	for (i = 0; i < ARRAY_SIZE(extra); i++) {
		seq = next_seq();
		len = 220 + extra[i];
		rc = tm_send_mult(0, 0, 2, 100, seq, extra[i]);
		if (debug) {
			EXPECT(rc == -EINVAL, "send_mult 2 x 100 with len %d: %s, want %s",
			       len, errname(rc), errname(-EINVAL));
			continue;
		}
		/* The in-tree connector's way: the caller's buffer is trusted. */
		EXPECT(rc == 0, "send_mult 2 x 100 with len %d: %s, want 0",
		       len, errname(rc));
		if (rx_wait(a, TIMEOUT_MS, "send_mult_bad") <= 0)
			FAIL("send_mult 2 x 100 with len %d: nothing received", len);
		else if (rx.h.nlmsg_len != NLMSG_LENGTH(CN_HDR + len) ||
			 cn_of(&rx.h)->seq != seq)
			FAIL("send_mult 2 x 100 with len %d: got %s", len, rx_str());
	}
	if (debug)
		expect_warning(0);
	expect_quiet(a, QUIET_MS, "group 16");
	close(a);
}

void t_proc_cnxx(void)
{
	static const char *const keys[] = {
		"rx_messages", "rx_delivered", "rx_invalid", "rx_oversize",
		"rx_unknown", "rx_control", "rx_denied", "tx_messages",
		"tx_errors", "callbacks", "notify_requests", "notify_sent",
		"notify_failed",
	};
	static const char header[] =
		"Name            ID                    Group  Delivered    Dropped      SendErrors   RepliesDropped\n";
	long long s0[13], s1[13];
	struct cb_row r0, r1;
	struct cnxx_test_result res;
	char *text;
	size_t i;
	int fd;

	text = read_file("/proc/net/cnxx");
	if (!text)
		return;
	EXPECT(!strncmp(text, header, sizeof(header) - 1),
	       "/proc/net/cnxx header: \"%.*s\"", (int)strcspn(text, "\n"),
	       text);
	if (cb_row_get(TEST_IDX, TEST_VAL_SINK, &r0))
		return;
	EXPECT(!strcmp(r0.name, "cnxx_test_sink") && r0.group == TEST_IDX,
	       "/proc/net/cnxx: sink row name %s group %u", r0.name, r0.group);
	for (i = 0; i < 13; i++)
		s0[i] = stat_get(keys[i]);

	fd = nl_open(0);
	if (fd < 0)
		return;
	cn_send(fd, TEST_IDX, TEST_VAL_SINK, next_seq(), 4, 0);
	cn_send(fd, TEST_IDX, 77, next_seq(), 4, 0);
	cn_put(tx.b, TEST_IDX, TEST_VAL_SINK, 1, 0, NULL, 0, 0, 1);
	cn_of(tx.b)->len = 50;
	nl_send(fd, tx.b, NLMSG_LENGTH(CN_HDR));
	cn_send(fd, TEST_IDX, TEST_VAL_SINK, next_seq(), MAX_DATA + 1, 0);
	close(fd);
	/* a failed send of {16,3}: nobody listens to group 16 */
	tm_send(TEST_IDX, TEST_VAL_SINK, 0, 0, 1, 0, next_seq(), 0, &res);
	tm_register(TEST_IDX, 54);

	if (!cb_row_get(TEST_IDX, TEST_VAL_SINK, &r1)) {
		EXPECT(r1.delivered == r0.delivered + 1,
		       "sink delivered %llu -> %llu, want +1", r0.delivered,
		       r1.delivered);
		EXPECT(r1.send_errors >= r0.send_errors + 1,
		       "sink send errors %llu -> %llu, want +1",
		       r0.send_errors, r1.send_errors);
	}
	for (i = 0; i < 13; i++)
		s1[i] = stat_get(keys[i]);
	/* at least: other users may be active */
	EXPECT(s1[0] >= s0[0] + 4, "rx_messages +%lld, want >= 4", s1[0] - s0[0]);
	EXPECT(s1[1] >= s0[1] + 1, "rx_delivered +%lld", s1[1] - s0[1]);
	EXPECT(s1[2] >= s0[2] + 1, "rx_invalid +%lld", s1[2] - s0[2]);
	EXPECT(s1[3] >= s0[3] + 1, "rx_oversize +%lld", s1[3] - s0[3]);
	EXPECT(s1[4] >= s0[4] + 1, "rx_unknown +%lld", s1[4] - s0[4]);
	EXPECT(s1[7] >= s0[7] + 1, "tx_messages +%lld (command replies)",
	       s1[7] - s0[7]);
	EXPECT(s1[8] >= s0[8] + 1, "tx_errors +%lld", s1[8] - s0[8]);
	EXPECT(s1[9] == s0[9] + 1, "callbacks %lld -> %lld after a register",
	       s0[9], s1[9]);
	tm_unregister(TEST_IDX, 54);
	EXPECT(stat_get("callbacks") == s0[9], "callbacks not back to %lld",
	       s0[9]);
}
