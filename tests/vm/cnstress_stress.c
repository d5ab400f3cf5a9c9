// SPDX-License-Identifier: GPL-2.0
/*
 * cnstress stress: sender threads, a broadcast receiver and a notification
 * receiver against cnxx_stress.ko; every count is checked.
 */
#include "cnstress.h"

long long st(const char *key)
{
	return kv_get(STRESS_STATS_FILE, key, 0);
}

long long cnxx_st(const char *key)
{
	return kv_get(CNXX_STATS_PATH, key, 0);
}

/* ------------------------------------------------------------------ */
/* Acks and replies on a sender's socket.                             */
/* ------------------------------------------------------------------ */

static const char *const send_kind_names[K_NR] = {
	"sink", "dynamic", "control", "echo", "unknown id",
};

static uint32_t make_seq(int thread, enum send_kind k, uint32_t n)
{
	return (uint32_t)thread << 28 | (uint32_t)k << 24 | (n & 0xffffff);
}

static void k_count(struct ack_counts *a, unsigned int k, int error)
{
	if (!error) {
		a->ok++;
		if (k < K_NR)
			a->ok_k[k]++;
	} else if (error == -ENODEV) {
		a->enodev++;
		if (k < K_NR)
			a->enodev_k[k]++;
	} else if (error == -ENOMEM) {
		a->enomem++;
	} else {
		a->other++;
		a->last_other = error;
	}
}

static void count_ack(const struct cnxx_msg *msg, void *ctx)
{
	struct ack_counts *a = ctx;

	if (!msg || msg->type == CNXX_MSG_DATA) {
		if (msg && msg->rec.id.idx == STRESS_IDX &&
		    msg->rec.id.val == STRESS_VAL_ECHO) {
			if (msg->rec.ack == msg->rec.seq + 1)
				a->echo++;
			else
				a->echo_bad++;
		} else {
			a->data++;
		}
		return;
	}
	/* acks echo the request's header: its seq names the kind */
	k_count(a, msg->acked_seq >> 24 & 0xf, msg->error);
}

void drain(int fd, struct ack_counts *a)
{
	static __thread char buf[1 << 16];

	while (recv_each(fd, buf, sizeof(buf), &a->overruns, count_ack, a) >= 0)
		;
}

void ack_counts_add(struct ack_counts *sum, const struct ack_counts *a)
{
	int k;

	for (k = 0; k < K_NR; k++) {
		sum->ok_k[k] += a->ok_k[k];
		sum->enodev_k[k] += a->enodev_k[k];
	}
	sum->ok += a->ok;
	sum->enodev += a->enodev;
	sum->enomem += a->enomem;
	sum->other += a->other;
	sum->overruns += a->overruns;
	sum->echo += a->echo;
	sum->echo_bad += a->echo_bad;
	sum->data += a->data;
	if (a->other)
		sum->last_other = a->last_other;
}

/* ------------------------------------------------------------------ */
/* stress                                                             */
/* ------------------------------------------------------------------ */

struct sender {
	pthread_t th;
	int id;
	int fd;
	int fault;
	int ack_dyn;	/* every message to a dynamic id asks for an ack */
	uint64_t rng;
	uint64_t sent[K_NR], acked[K_NR];
	uint64_t err_nobufs, err_nomem, err_other;
	int last_err;
	struct ack_counts acks;
};

atomic_int stop_senders;
atomic_int stop_receivers;

/* failslab's task filter: this thread's allocations may fail */
void make_it_fail(int on)
{
	file_write("/proc/thread-self/make-it-fail", on ? "1" : "0");
}

static void *sender_fn(void *arg)
{
	struct sender *s = arg;
	uint32_t n = 0;
	uint8_t data[64];

	if (s->fault)
		make_it_fail(1);
	while (!atomic_load(&stop_senders)) {
		uint32_t r = rng_below(&s->rng, 10), val, seq;
		uint16_t flags = rng_below(&s->rng, 2) ? NLM_F_ACK : 0;
		uint16_t len = rng_below(&s->rng, sizeof(data) + 1);
		struct stress_ctrl ctrl;
		enum send_kind k;
		int rc;

		switch (r) {
		case 5:
		case 6:
			val = STRESS_VAL_DYN + rng_below(&s->rng, STRESS_NDYN);
			k = K_DYN;
			if (s->ack_dyn)
				flags = NLM_F_ACK;
			break;
		case 7:
			ctrl.op = rng_below(&s->rng, 2) ? STRESS_CTRL_ADD :
							  STRESS_CTRL_DEL;
			ctrl.slot = rng_below(&s->rng, STRESS_NDYN);
			len = sizeof(ctrl);
			val = STRESS_VAL_CTRL;
			k = K_CTRL;
			break;
		case 8:
			val = STRESS_VAL_ECHO;
			k = K_ECHO;
			break;
		case 9:
			val = 60; /* never registered */
			k = K_UNKNOWN;
			break;
		default:
			val = STRESS_VAL_SINK;
			k = K_SINK;
			break;
		}
		seq = make_seq(s->id, k, ++n);
		memset(data, (int)seq, sizeof(data));
		if (k == K_CTRL)
			memcpy(data, &ctrl, sizeof(ctrl));
		rc = cn_send(s->fd, STRESS_IDX, val, seq, data, len, flags);
		if (!rc) {
			s->sent[k]++;
			s->acked[k] += !!flags;
		} else if (rc == -ENOBUFS) {
			s->err_nobufs++;
		} else if (rc == -ENOMEM) {
			s->err_nomem++;
		} else {
			s->err_other++;
			s->last_err = rc;
		}
		drain(s->fd, &s->acks);
	}
	if (s->fault)
		make_it_fail(0);
	return NULL;
}

static const char *const kind_names[STRESS_B_KINDS] = {
	"thread", "timer", "reply", "mult", "routed",
};

/* Checks one broadcast of cnxx_stress; returns its kind or -1. */
static int classify(const struct cnxx_msg *msg)
{
	const struct cb_id *id = &msg->rec.id;
	struct cnxx_record rec;
	size_t off = 0, i, nrec = 1;
	int kind;

	if (msg->type != CNXX_MSG_DATA || msg->nl_type != NLMSG_DONE ||
	    id->idx != STRESS_IDX)
		return -2;
	if (id->val >= STRESS_VAL_DYN && id->val < STRESS_VAL_DYN + STRESS_NDYN)
		kind = STRESS_VAL_B_ROUTED - STRESS_B_FIRST;
	else if (id->val >= STRESS_B_FIRST && id->val < STRESS_VAL_B_ROUTED)
		kind = id->val - STRESS_B_FIRST;
	else
		return -1;
	if (kind == STRESS_VAL_B_MULT - STRESS_B_FIRST)
		nrec = 3;
	for (i = 0; i < nrec; i++)
		if (cnxx_record_next(msg->payload, msg->payload_len, &off,
				     &rec) != 1 ||
		    rec.len != 8 || memcmp(rec.data, "cnstress", 8))
			return -2;
	return off == msg->payload_len ? kind : -2;
}

/* Counts one broadcast of cnxx_stress, or one reply of cnxx_cycle. */
void count_broadcast(struct receiver *r, const struct cnxx_msg *msg)
{
	const struct cnxx_record *rec = &msg->rec;
	int kind;

	if (msg->type != CNXX_MSG_DATA) {
		r->bad++;
		return;
	}
	if (r->cycle) {
		if (rec->id.idx == CYCLE_IDX && rec->id.val >= 1 &&
		    rec->id.val <= CYCLE_NIDS && rec->len == 32 &&
		    rec->ack == rec->seq + 1)
			r->other++;
		else
			r->bad++;
		return;
	}
	kind = classify(msg);
	if (kind >= 0)
		r->kind[kind]++;
	else if (kind == -1)
		r->other++;
	else
		r->bad++;
}

/* Counts one registration notification of the dynamic ids. */
static void count_notification(struct receiver *r, const struct cnxx_msg *msg)
{
	const struct cnxx_record *rec = &msg->rec;

	if (msg->type != CNXX_MSG_DATA || rec->id.idx != STRESS_IDX ||
	    rec->id.val < STRESS_VAL_DYN ||
	    rec->id.val >= STRESS_VAL_DYN + STRESS_NDYN || rec->len)
		r->bad++;
	else if (rec->ack == CN_NOTIFY_REGISTERED)
		r->notify_reg++;
	else if (rec->ack == CN_NOTIFY_UNREGISTERED)
		r->notify_unreg++;
	else
		r->bad++;
}

static void receiver_count(const struct cnxx_msg *msg, void *ctx)
{
	struct receiver *r = ctx;

	if (msg)
		r->count(r, msg);
	else
		r->bad++;
}

void *receiver_fn(void *arg)
{
	static __thread char buf[1 << 17];
	struct receiver *r = arg;
	struct pollfd p = { .fd = r->fd, .events = POLLIN };

	r->last_rx = now_s();
	while (!atomic_load(&stop_receivers)) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		if (recv_each(r->fd, buf, sizeof(buf), &r->overruns,
			      receiver_count, r) > 0)
			r->last_rx = now_s();
	}
	return NULL;
}

/*
 * A notification request for the dynamic ids to STRESS_NOTIFY_GROUP, or
 * its removal (@group 0). Returns the ack's error, or 1 without an ack.
 */
ssize_t notify_request_build(void *buf, size_t size, uint32_t group)
{
	const struct cnxx_range idx = { STRESS_IDX, 1 };
	const struct cnxx_range val = { STRESS_VAL_DYN, STRESS_NDYN };

	return cnxx_ctl_build(buf, size, &idx, 1, &val, 1, group);
}

int notify_request(uint32_t group)
{
	unsigned char req[64];
	ssize_t len = notify_request_build(req, sizeof(req), group);
	struct ack_counts a = { 0 };
	int fd = cn_socket(0), rc;
	struct pollfd p;

	if (fd < 0)
		return -errno;
	rc = cn_send(fd, CN_IDX_CONNECTOR, CN_VAL_CONNECTOR, 1, req, len,
		     NLM_F_ACK);
	if (rc) {
		close(fd);
		return rc;
	}
	p.fd = fd;
	p.events = POLLIN;
	rc = 1;
	if (poll(&p, 1, 2000) > 0) {
		drain(fd, &a);
		rc = a.ok ? 0 : a.enodev ? -ENODEV : a.enomem ? -ENOMEM :
		     a.other ? a.last_other : 1;
	}
	close(fd);
	return rc;
}

int control(const char *cmd)
{
	int rc = file_write(STRESS_CONTROL_FILE, cmd);

	if (rc)
		fail("writing '%s' to %s: %s", cmd, STRESS_CONTROL_FILE,
		     strerror(-rc));
	return rc;
}

/* Waits until @r has been quiet for @idle seconds (at most 30 s). */
void wait_quiet(struct receiver *r, double idle)
{
	double end = now_s() + 30;

	while (now_s() < end && now_s() - r->last_rx < idle)
		usleep(100000);
}

int run_stress(const char *tag, double secs, int nsend, int fault,
	       uint64_t seed)
{
	struct sender s[MAX_SENDERS];
	struct receiver rx = { 0 }, nt = { 0 };
	uint64_t sent[K_NR] = { 0 }, acked[K_NR] = { 0 };
	uint64_t nobufs = 0, nomem = 0, other = 0, total = 0, acked_all = 0;
	uint64_t sink, echo;
	struct ack_counts acks = { 0 };
	int cnxx = have_cnxx(), notify = 0, i, k, one = 1, before = failures;
	char line[1024];
	int o;
	long long tx_ok, tx_drop, tx_srch, tx_nomem, tx_nodev, tx_other;
	long long rx0 = 0, del0 = 0, nsent0 = 0, nfail0 = 0;
	double t0;
	char key[64];

	if (access(STRESS_CONTROL_FILE, W_OK)) {
		fail("%s: %s missing: is cnxx_stress loaded and debugfs mounted?",
		     tag, STRESS_CONTROL_FILE);
		return -1;
	}
	if (cnxx) {
		rx0 = cnxx_st("rx_delivered");
		del0 = cnxx_st("callbacks");
		nsent0 = cnxx_st("notify_sent");
		nfail0 = cnxx_st("notify_failed");
	}

	rx.fd = cn_socket(8 << 20);
	if (rx.fd < 0 || cn_join(rx.fd, STRESS_IDX)) {
		fail("%s: cannot join group %d: %s", tag, STRESS_IDX,
		     strerror(errno));
		return -1;
	}
	/* a dropped broadcast then returns -ENOBUFS to the kernel sender */
	setsockopt(rx.fd, SOL_NETLINK, NETLINK_BROADCAST_ERROR, &one,
		   sizeof(one));
	if (cnxx && !fault) {
		nt.fd = cn_socket(4 << 20);
		if (nt.fd >= 0 && !cn_join(nt.fd, STRESS_NOTIFY_GROUP)) {
			int rc = notify_request(STRESS_NOTIFY_GROUP);

			if (rc)
				fail("%s: notification request: ack %d", tag, rc);
			else
				notify = 1;
		}
	}

	file_write(STRESS_CONTROL_FILE, "stop");
	if (control("start"))
		return -1;
	if (fault && control("fail on"))
		return -1;

	atomic_store(&stop_senders, 0);
	atomic_store(&stop_receivers, 0);
	rx.count = count_broadcast;
	pthread_create(&rx.th, NULL, receiver_fn, &rx);
	if (notify) {
		nt.count = count_notification;
		pthread_create(&nt.th, NULL, receiver_fn, &nt);
	}
	t0 = now_s();
	for (i = 0; i < nsend; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].id = i + 1;
		s[i].fault = fault;
		/* cnxx acks: each accepted message is then known by its ack */
		s[i].ack_dyn = cnxx;
		rng_seed(&s[i].rng, seed + i);
		s[i].fd = cn_socket(1 << 20);
		if (s[i].fd < 0) {
			fail("%s: socket: %s", tag, strerror(errno));
			return -1;
		}
		pthread_create(&s[i].th, NULL, sender_fn, &s[i]);
	}
	while (now_s() - t0 < secs)
		usleep(100000);
	atomic_store(&stop_senders, 1);
	for (i = 0; i < nsend; i++) {
		pthread_join(s[i].th, NULL);
		drain(s[i].fd, &s[i].acks);
		close(s[i].fd);
		for (k = 0; k < K_NR; k++) {
			sent[k] += s[i].sent[k];
			acked[k] += s[i].acked[k];
		}
		nobufs += s[i].err_nobufs;
		nomem += s[i].err_nomem;
		other += s[i].err_other;
		ack_counts_add(&acks, &s[i].acks);
		if (s[i].err_other)
			acks.last_other = s[i].last_err;
	}
	if (fault)
		control("fail off");
	/* the kthreads and the timer have stopped once this returns */
	control("stop");
	wait_quiet(&rx, 1.0);
	if (notify) {
		wait_quiet(&nt, 1.0);
		notify_request(0);
	}
	atomic_store(&stop_receivers, 1);
	pthread_join(rx.th, NULL);
	if (notify)
		pthread_join(nt.th, NULL);
	close(rx.fd);
	if (nt.fd > 0)
		close(nt.fd);

	for (k = 0; k < K_NR; k++) {
		total += sent[k];
		acked_all += acked[k];
	}
	sink = sent[K_SINK];
	echo = sent[K_ECHO];
	out("# %s: %.0f s, %d sender threads, seed %llu%s\n", tag, now_s() - t0,
	    nsend, (unsigned long long)seed, fault ? ", failslab on" : "");
	o = snprintf(line, sizeof(line), "# %s: user sends %llu (", tag,
		     (unsigned long long)total);
	for (k = 0; k < K_NR; k++)
		o += snprintf(line + o, sizeof(line) - o, "%s%s %llu", k ? ", " : "",
			      send_kind_names[k], (unsigned long long)sent[k]);
	out("%s), %llu with NLM_F_ACK; send errors ENOBUFS %llu ENOMEM %llu other %llu\n",
	    line, (unsigned long long)acked_all, (unsigned long long)nobufs,
	    (unsigned long long)nomem, (unsigned long long)other);
	out("# %s: acks ok %llu, ENODEV %llu, ENOMEM %llu, other %llu, ack overruns %llu; echo replies %llu of %llu (module drops %lld)\n",
	    tag, (unsigned long long)acks.ok, (unsigned long long)acks.enodev,
	    (unsigned long long)acks.enomem, (unsigned long long)acks.other,
	    (unsigned long long)acks.overruns, (unsigned long long)acks.echo,
	    (unsigned long long)echo, st("echo_fail"));
	out("# %s: kernel ops: add %lld (ENOMEM %lld), del %lld, from callbacks add %lld del %lld, busy %lld; callbacks: sink %lld dynamic %lld control %lld echo %lld; sleeps %lld mutex %lld allocs %lld (failed %lld); timer fires %lld\n",
	    tag, st("add_ok"), st("add_enomem"), st("del"), st("ctrl_add"),
	    st("ctrl_del"), st("busy"), st("sink"), st("dyn"), st("ctrl"),
	    st("echo"), st("cb_sleep"), st("cb_mutex"), st("cb_alloc"),
	    st("cb_alloc_fail"), st("timer"));

	tx_ok = tx_drop = tx_srch = tx_nomem = tx_nodev = tx_other = 0;
	for (k = 0; k < STRESS_B_KINDS; k++) {
		long long ok, drop, srch, nm, nd, ot;

#define TX(res) (snprintf(key, sizeof(key), "tx_%s_%s", kind_names[k], res), st(key))
		ok = TX("ok");
		drop = TX("enobufs");
		srch = TX("esrch");
		nm = TX("enomem");
		nd = TX("enodev");
		ot = TX("other");
#undef TX
		out("# %s: broadcasts %-6s sent %lld, received %llu, dropped (ENOBUFS) %lld, no listener %lld, ENOMEM %lld, ENODEV %lld, other %lld\n",
		    tag, kind_names[k], ok, (unsigned long long)rx.kind[k], drop,
		    srch, nm, nd, ot);
		if ((long long)rx.kind[k] != ok)
			fail("%s: %s broadcasts: kernel queued %lld, socket received %llu",
			     tag, kind_names[k], ok, (unsigned long long)rx.kind[k]);
		tx_ok += ok;
		tx_drop += drop;
		tx_srch += srch;
		tx_nomem += nm;
		tx_nodev += nd;
		tx_other += ot;
	}
	out("# %s: broadcasts total: sent %lld, received %llu, lost to ENOBUFS %lld, receiver overruns %llu, unrecognised %llu, malformed %llu\n",
	    tag, tx_ok, (unsigned long long)(rx.kind[0] + rx.kind[1] + rx.kind[2] +
					      rx.kind[3] + rx.kind[4]),
	    tx_drop, (unsigned long long)rx.overruns,
	    (unsigned long long)rx.other, (unsigned long long)rx.bad);
	if (notify) {
		long long nsent = cnxx_st("notify_sent") - nsent0;
		long long nfail = cnxx_st("notify_failed") - nfail0;

		out("# %s: notifications: registered %llu, unregistered %llu, overruns %llu, malformed %llu; registry changes %lld, cnxx notify_sent +%lld notify_failed +%lld\n",
		    tag, (unsigned long long)nt.notify_reg,
		    (unsigned long long)nt.notify_unreg,
		    (unsigned long long)nt.overruns, (unsigned long long)nt.bad,
		    st("add_ok") + st("del"), nsent, nfail);
		/* one request, one listener: each change is sent or counted failed */
		if (nsent + nfail != st("add_ok") + st("del") ||
		    (long long)(nt.notify_reg + nt.notify_unreg) != nsent)
			fail("%s: notifications: %lld changes, %lld sent + %lld failed, %llu received",
			     tag, st("add_ok") + st("del"), nsent, nfail,
			     (unsigned long long)(nt.notify_reg + nt.notify_unreg));
	}
	out("# %s: violations: call after del %lld, del returned while running %lld, del during call %lld\n",
	    tag, st("viol_call_after_del"), st("viol_running_at_del"),
	    st("viol_del_during_call"));
	if (cnxx)
		out("# %s: cnxx rx_delivered +%lld\n", tag,
		    cnxx_st("rx_delivered") - rx0);

	if (cnxx)
		out("# %s: acked dynamic-id messages: %llu accepted, %llu ENODEV, callbacks counted %lld\n",
		    tag, (unsigned long long)acks.ok_k[K_DYN],
		    (unsigned long long)acks.enodev_k[K_DYN], st("dyn"));
	/*
	 * Synchronous sends: every message the kernel accepted was delivered,
	 * and with acks each side knows which ones: both counts must agree.
	 */
	if (cnxx && !fault) {
		if (acks.ok_k[K_DYN] != (uint64_t)st("dyn") ||
		    acks.ok_k[K_DYN] + acks.enodev_k[K_DYN] != sent[K_DYN])
			fail("%s: dynamic ids: %llu sent, acks %llu ok + %llu ENODEV, callbacks counted %lld",
			     tag, (unsigned long long)sent[K_DYN],
			     (unsigned long long)acks.ok_k[K_DYN],
			     (unsigned long long)acks.enodev_k[K_DYN], st("dyn"));
		for (k = 0; k < K_NR; k++) {
			uint64_t want_ok = k == K_UNKNOWN || k == K_DYN ? 0 : acked[k];

			if (k != K_DYN && (acks.ok_k[k] != want_ok ||
					   acks.enodev_k[k] != acked[k] - want_ok))
				fail("%s: %s: %llu sent with NLM_F_ACK, acks %llu ok + %llu ENODEV",
				     tag, send_kind_names[k], (unsigned long long)acked[k],
				     (unsigned long long)acks.ok_k[k],
				     (unsigned long long)acks.enodev_k[k]);
		}
	}
	if (!fault && (st("sink") != (long long)sink ||
		       st("ctrl") != (long long)sent[K_CTRL] ||
		       st("echo") != (long long)echo))
		fail("%s: user sent sink %llu control %llu echo %llu, module counted %lld %lld %lld",
		     tag, (unsigned long long)sink,
		     (unsigned long long)sent[K_CTRL], (unsigned long long)echo,
		     st("sink"), st("ctrl"), st("echo"));
	if (st("dyn") > (long long)sent[K_DYN])
		fail("%s: dynamic ids: module counted %lld, more than the %llu sent",
		     tag, st("dyn"), (unsigned long long)sent[K_DYN]);
	if (fault && st("sink") > (long long)sink)
		fail("%s: sink: module counted %lld, more than the %llu sent",
		     tag, st("sink"), (unsigned long long)sink);
	if (st("viol_call_after_del") || st("viol_running_at_del") ||
	    st("viol_del_during_call"))
		fail("%s: callbacks ran after cn_del_callback() returned", tag);
	if (st("bad_id") || st("add_einval") || st("add_other"))
		fail("%s: bad id %lld, add -EINVAL %lld, add other errors %lld",
		     tag, st("bad_id"), st("add_einval"), st("add_other"));
	if (!fault && (st("add_enomem") || tx_nomem))
		fail("%s: ENOMEM without fault injection", tag);
	if (tx_other)
		fail("%s: %lld sends failed with an unexpected error", tag,
		     tx_other);
	if (other || acks.other)
		fail("%s: %llu send errors, %llu acks with unexpected errors (last %d)",
		     tag, (unsigned long long)other,
		     (unsigned long long)acks.other, acks.last_other);
	if (rx.bad || nt.bad || acks.echo_bad)
		fail("%s: malformed messages received", tag);
	if (!fault && (!sink || !st("add_ok") || !st("del") || !tx_ok))
		fail("%s: no progress", tag);
	if (cnxx && cnxx_st("callbacks") != del0)
		out("# %s: note: callbacks %lld before, %lld after\n", tag, del0,
		    cnxx_st("callbacks"));
	(void)tx_srch;
	(void)tx_nodev;
	return failures == before ? 0 : -1;
}
