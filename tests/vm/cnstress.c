// SPDX-License-Identifier: GPL-2.0
/*
 * cnstress - the user-space half of the connector reliability tests.
 *
 *   cnstress stress [-t SECONDS] [-n THREADS] [-F]
 *       Drives cnxx_stress.ko: sender threads send to its sink, dynamic,
 *       control and echo ids while its kthreads add and remove ids and
 *       broadcast; a receiver counts the broadcasts. Checks that every
 *       message sent to a permanent id was delivered, that on cnxx each
 *       message a dynamic id accepted (ack 0) reached its callback and no
 *       other did (ack -ENODEV), that each broadcast the kernel queued
 *       arrived, that each registration change was notified or counted as
 *       failed, and that no callback ran after its cn_del_callback()
 *       returned. -F: under failslab (the caller sets it up), sender
 *       threads and kthreads with make-it-fail.
 *   cnstress cycle [-c CYCLES] [-m MODULE.ko]
 *       Loads and unloads MODULE (cnxx_cycle.ko) CYCLES times while two
 *       threads send to its ids.
 *   cnstress fault [-t SECONDS] [-p PERCENT]
 *       failslab: walks every allocation of cn_add_callback(),
 *       cn_netlink_send() (in the module) and of user sends (fail-nth),
 *       then a stress run with PERCENT of the stressing tasks' allocations
 *       failing. Expects -ENOMEM or success, never anything else.
 *
 * Figures are printed as KTAP diagnostics ("# stress: ..."); exit status 0
 * when every check passed.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#include "cnxx_stressutil.h"

#define MAX_SENDERS 8
#define FAILSLAB "/sys/kernel/debug/failslab"

static int failures;

#define out(...) do { printf(__VA_ARGS__); fflush(stdout); } while (0)

static void fail(const char *fmt, ...)
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

static long long st(const char *key)
{
	return kv_get(STRESS_STATS_FILE, key, 0);
}

static long long cnxx_st(const char *key)
{
	return kv_get(CNXX_STATS_FILE, key, 0);
}

/* ------------------------------------------------------------------ */
/* Acks and replies on a sender's socket.                             */
/* ------------------------------------------------------------------ */

/*
 * What a sender sends; its messages carry the kind in bits 24-27 of the
 * seq, so that an ack (which echoes the request's header) names it.
 */
enum send_kind { K_SINK, K_DYN, K_CTRL, K_ECHO, K_UNKNOWN, K_NR };

static const char *const send_kind_names[K_NR] = {
	"sink", "dynamic", "control", "echo", "unknown id",
};

static uint32_t make_seq(int thread, enum send_kind k, uint32_t n)
{
	return (uint32_t)thread << 28 | (uint32_t)k << 24 | (n & 0xffffff);
}

struct ack_counts {
	uint64_t ok, enodev, enomem, other, overruns, echo, echo_bad, data;
	uint64_t ok_k[K_NR], enodev_k[K_NR];
	int last_other;
};

/* Reads everything queued on @fd without waiting. */
static void drain(int fd, struct ack_counts *a)
{
	static __thread char buf[1 << 16];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		struct nlmsghdr *nlh;
		int left;

		if (n < 0) {
			if (errno == ENOBUFS) {
				a->overruns++;
				continue;
			}
			return;
		}
		left = (int)n;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, left);
		     nlh = NLMSG_NEXT(nlh, left)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);
				unsigned int k = e->msg.nlmsg_seq >> 24 & 0xf;

				if (!e->error) {
					a->ok++;
					if (k < K_NR)
						a->ok_k[k]++;
				} else if (e->error == -ENODEV) {
					a->enodev++;
					if (k < K_NR)
						a->enodev_k[k]++;
				} else if (e->error == -ENOMEM) {
					a->enomem++;
				} else {
					a->other++;
					a->last_other = e->error;
				}
			} else {
				struct cn_msg *m = NLMSG_DATA(nlh);

				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(*m)) &&
				    m->id.idx == STRESS_IDX &&
				    m->id.val == STRESS_VAL_ECHO) {
					if (m->ack == m->seq + 1)
						a->echo++;
					else
						a->echo_bad++;
				} else {
					a->data++;
				}
			}
		}
	}
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

static atomic_int stop_senders;
static atomic_int stop_receivers;

/* failslab's task filter: this thread's allocations may fail */
static void make_it_fail(int on)
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

struct receiver {
	pthread_t th;
	int fd;
	int cycle;	/* replies of cnxx_cycle, counted in @other */
	uint64_t kind[STRESS_B_KINDS];
	uint64_t other, bad, overruns, notify_reg, notify_unreg;
	double last_rx;
};

static const char *const kind_names[STRESS_B_KINDS] = {
	"thread", "timer", "reply", "mult", "routed",
};

/* Checks one broadcast of cnxx_stress; returns its kind or -1. */
static int classify(const struct nlmsghdr *nlh)
{
	const struct cn_msg *m = NLMSG_DATA(nlh);
	size_t payload = nlh->nlmsg_len - NLMSG_HDRLEN;
	size_t rec = sizeof(*m) + 8, i, nrec = 1;
	int kind;

	if (nlh->nlmsg_type != NLMSG_DONE || payload < sizeof(*m) ||
	    m->id.idx != STRESS_IDX)
		return -2;
	if (m->id.val >= STRESS_VAL_DYN &&
	    m->id.val < STRESS_VAL_DYN + STRESS_NDYN)
		kind = STRESS_VAL_B_ROUTED - STRESS_B_FIRST;
	else if (m->id.val >= STRESS_B_FIRST &&
		 m->id.val < STRESS_VAL_B_ROUTED)
		kind = m->id.val - STRESS_B_FIRST;
	else
		return -1;
	if (kind == STRESS_VAL_B_MULT - STRESS_B_FIRST)
		nrec = 3;
	if (payload != nrec * rec)
		return -2;
	for (i = 0; i < nrec; i++) {
		const struct cn_msg *r =
			(const struct cn_msg *)((const char *)m + i * rec);

		if (r->len != 8 || memcmp(r->data, "cnstress", 8))
			return -2;
	}
	return kind;
}

static void *receiver_fn(void *arg)
{
	static __thread char buf[1 << 17];
	struct receiver *r = arg;
	struct pollfd p = { .fd = r->fd, .events = POLLIN };

	r->last_rx = now_s();
	while (!atomic_load(&stop_receivers)) {
		struct nlmsghdr *nlh;
		ssize_t n;
		int left;

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = recv(r->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS)
				r->overruns++;
			continue;
		}
		r->last_rx = now_s();
		left = (int)n;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, left);
		     nlh = NLMSG_NEXT(nlh, left)) {
			const struct cn_msg *m = NLMSG_DATA(nlh);
			int kind;

			if (r->cycle) {
				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(*m) + 32) &&
				    m->id.idx == CYCLE_IDX && m->id.val >= 1 &&
				    m->id.val <= CYCLE_NIDS && m->len == 32 &&
				    m->ack == m->seq + 1)
					r->other++;
				else
					r->bad++;
				continue;
			}
			kind = classify(nlh);
			if (kind >= 0)
				r->kind[kind]++;
			else if (kind == -1)
				r->other++;
			else
				r->bad++;
		}
	}
	return NULL;
}

/* Counts registration notifications of the dynamic ids. */
static void *notify_fn(void *arg)
{
	static __thread char buf[1 << 16];
	struct receiver *r = arg;
	struct pollfd p = { .fd = r->fd, .events = POLLIN };

	r->last_rx = now_s();
	while (!atomic_load(&stop_receivers)) {
		struct nlmsghdr *nlh;
		ssize_t n;
		int left;

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = recv(r->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS)
				r->overruns++;
			continue;
		}
		r->last_rx = now_s();
		left = (int)n;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, left);
		     nlh = NLMSG_NEXT(nlh, left)) {
			struct cn_msg *m = NLMSG_DATA(nlh);

			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) ||
			    m->id.idx != STRESS_IDX ||
			    m->id.val < STRESS_VAL_DYN ||
			    m->id.val >= STRESS_VAL_DYN + STRESS_NDYN || m->len)
				r->bad++;
			else if (m->ack == 0)
				r->notify_reg++;
			else if (m->ack == 1)
				r->notify_unreg++;
			else
				r->bad++;
		}
	}
	return NULL;
}

/*
 * A notification request for the dynamic ids to STRESS_NOTIFY_GROUP, or
 * its removal (@group 0). Returns the ack's error, or 1 without an ack.
 */
static int notify_request(uint32_t group)
{
	struct {
		struct cn_ctl_msg_hdr {
			uint32_t idx_notify_num, val_notify_num, group, len;
		} h;
		uint32_t r[4];
	} req = {
		{ 1, 1, group, 16 },
		{ STRESS_IDX, 1, STRESS_VAL_DYN, STRESS_NDYN },
	};
	struct ack_counts a = { 0 };
	int fd = cn_socket(0), rc;
	struct pollfd p;

	if (fd < 0)
		return -errno;
	rc = cn_send(fd, 0xffffffff, 0xffffffff, 1, &req, sizeof(req), NLM_F_ACK);
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

static int control(const char *cmd)
{
	int rc = file_write(STRESS_CONTROL_FILE, cmd);

	if (rc)
		fail("writing '%s' to %s: %s", cmd, STRESS_CONTROL_FILE,
		     strerror(-rc));
	return rc;
}

/* Waits until @r has been quiet for @idle seconds (at most 30 s). */
static void wait_quiet(struct receiver *r, double idle)
{
	double end = now_s() + 30;

	while (now_s() < end && now_s() - r->last_rx < idle)
		usleep(100000);
}

static int run_stress(const char *tag, double secs, int nsend, int fault,
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
	pthread_create(&rx.th, NULL, receiver_fn, &rx);
	if (notify)
		pthread_create(&nt.th, NULL, notify_fn, &nt);
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
			acks.ok_k[k] += s[i].acks.ok_k[k];
			acks.enodev_k[k] += s[i].acks.enodev_k[k];
		}
		nobufs += s[i].err_nobufs;
		nomem += s[i].err_nomem;
		other += s[i].err_other;
		acks.ok += s[i].acks.ok;
		acks.enodev += s[i].acks.enodev;
		acks.enomem += s[i].acks.enomem;
		acks.other += s[i].acks.other;
		acks.overruns += s[i].acks.overruns;
		acks.echo += s[i].acks.echo;
		acks.echo_bad += s[i].acks.echo_bad;
		if (s[i].acks.other)
			acks.last_other = s[i].acks.last_other;
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

/* ------------------------------------------------------------------ */
/* cycle: load/unload with messages in flight                         */
/* ------------------------------------------------------------------ */

struct cycler {
	pthread_t th;
	int fd;
	uint64_t rng, sent, err_other;
	int last_err;
	struct ack_counts acks;
};

static void *cycle_sender(void *arg)
{
	struct cycler *c = arg;
	uint32_t seq = 0;
	char data[32] = "cycle";

	while (!atomic_load(&stop_senders)) {
		uint16_t flags = rng_below(&c->rng, 2) ? NLM_F_ACK : 0;
		int rc = cn_send(c->fd, CYCLE_IDX,
				 1 + rng_below(&c->rng, CYCLE_NIDS), ++seq, data,
				 sizeof(data), flags);

		if (!rc) {
			c->sent++;
		} else if (rc != -ENOBUFS && rc != -ENOMEM) {
			c->err_other++;
			c->last_err = rc;
		}
		drain(c->fd, &c->acks);
	}
	return NULL;
}

static int run_cycle(int cycles, const char *path, uint64_t seed)
{
	struct cycler c[2];
	struct receiver rx = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC), i, done, before = failures;
	long long cb0 = have_cnxx() ? cnxx_st("callbacks") : 0;
	uint64_t rng, sent = 0, retries = 0;
	struct ack_counts a = { 0 };
	double t0 = now_s();

	if (fd < 0) {
		fail("cycle: %s: %s", path, strerror(errno));
		return -1;
	}
	rng_seed(&rng, seed);
	rx.fd = cn_socket(4 << 20);
	rx.cycle = 1;
	if (rx.fd < 0 || cn_join(rx.fd, CYCLE_IDX))
		fail("cycle: cannot join group %d", CYCLE_IDX);
	atomic_store(&stop_senders, 0);
	atomic_store(&stop_receivers, 0);
	pthread_create(&rx.th, NULL, receiver_fn, &rx);
	for (i = 0; i < 2; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		rng_seed(&c[i].rng, seed + 1 + i);
		c[i].fd = cn_socket(1 << 20);
		pthread_create(&c[i].th, NULL, cycle_sender, &c[i]);
	}
	for (i = 0; i < cycles && failures == before; i++) {
		int tries = 0;

		if (syscall(SYS_finit_module, fd, "", 0)) {
			fail("cycle %d: loading %s: %s", i, path, strerror(errno));
			break;
		}
		/* let some messages reach the callbacks, some sleep in them */
		usleep(rng_below(&rng, 20000));
		while (syscall(SYS_delete_module, "cnxx_cycle", O_NONBLOCK)) {
			if ((errno != EAGAIN && errno != EBUSY) || ++tries > 500) {
				fail("cycle %d: unloading: %s", i, strerror(errno));
				break;
			}
			retries++;
			usleep(10000);
		}
	}
	done = i;
	atomic_store(&stop_senders, 1);
	for (i = 0; i < 2; i++) {
		pthread_join(c[i].th, NULL);
		drain(c[i].fd, &c[i].acks);
		close(c[i].fd);
		sent += c[i].sent;
		a.ok += c[i].acks.ok;
		a.enodev += c[i].acks.enodev;
		a.enomem += c[i].acks.enomem;
		a.other += c[i].acks.other;
		a.overruns += c[i].acks.overruns;
		if (c[i].err_other)
			fail("cycle: %llu sends failed (last %d)",
			     (unsigned long long)c[i].err_other, c[i].last_err);
		if (c[i].acks.other)
			fail("cycle: acks with unexpected errors (last %d)",
			     c[i].acks.last_other);
	}
	wait_quiet(&rx, 0.5);
	atomic_store(&stop_receivers, 1);
	pthread_join(rx.th, NULL);
	close(rx.fd);
	close(fd);

	out("# cycle: %d load/unload cycles of %s in %.0f s (%llu unload retries), seed %llu\n",
	    done, path, now_s() - t0, (unsigned long long)retries,
	    (unsigned long long)seed);
	out("# cycle: messages sent %llu, acks ok %llu, ENODEV %llu, ENOMEM %llu, other %llu, ack overruns %llu, replies received %llu (overruns %llu)\n",
	    (unsigned long long)sent, (unsigned long long)a.ok,
	    (unsigned long long)a.enodev, (unsigned long long)a.enomem,
	    (unsigned long long)a.other, (unsigned long long)a.overruns,
	    (unsigned long long)rx.other, (unsigned long long)rx.overruns);
	if (done < cycles)
		fail("cycle: only %d of %d cycles", done, cycles);
	if (have_cnxx() && cnxx_st("callbacks") != cb0)
		fail("cycle: %lld callbacks registered before, %lld after", cb0,
		     cnxx_st("callbacks"));
	if (!sent)
		fail("cycle: nothing sent");
	if (rx.bad)
		fail("cycle: %llu malformed replies", (unsigned long long)rx.bad);
	return failures == before ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* fault: failslab                                                    */
/* ------------------------------------------------------------------ */

static const char *const failslab_keys[] = {
	"probability", "interval", "times", "space", "verbose", "task-filter",
	"ignore-gfp-wait",
};
#define NKEYS ARRAY_SIZE(failslab_keys)
static char failslab_saved[NKEYS][32];

static int failslab_set(const char *key, const char *val)
{
	char path[128];
	int rc;

	snprintf(path, sizeof(path), FAILSLAB "/%s", key);
	rc = file_write(path, val);
	if (rc)
		fail("fault: %s = %s: %s", path, val, strerror(-rc));
	return rc;
}

static long long failslab_get(const char *key)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), FAILSLAB "/%s", key);
	if (file_read(path, buf, sizeof(buf)))
		return -2;
	return strtoll(buf, NULL, 10);
}

static int failslab_save(void)
{
	char path[128];
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		snprintf(path, sizeof(path), FAILSLAB "/%s", failslab_keys[i]);
		if (file_read(path, failslab_saved[i], sizeof(failslab_saved[i])))
			return -1;
	}
	return 0;
}

static void failslab_restore(void)
{
	size_t i;

	/* probability first: nothing fails while the rest is restored */
	failslab_set("probability", "0");
	for (i = NKEYS; i-- > 0;)
		failslab_set(failslab_keys[i], failslab_saved[i]);
}

/* A message sent without faults around each point of a walk. */
struct plain {
	uint32_t idx, val;
	const void *data;
	uint16_t len;
};

struct walk {
	const char *name;
	struct plain msg;	/* sent with the n-th allocation failing */
	int enodev_ok;		/* the id may be unknown */
	const struct plain *pre, *post;
	int points, injected, sent, send_nomem, acks_ok, acks_nomem;
	int acks_enodev, acks_missing, bad;
};

static void send_plain(int fd, const struct plain *m)
{
	struct ack_counts a = { 0 };

	if (!m)
		return;
	cn_send(fd, m->idx, m->val, 0, m->data, m->len, 0);
	drain(fd, &a);
}

/*
 * fail-nth on this thread: the n-th allocation of the next send fails, for
 * n = 1, 2, ... until a send makes fewer than n allocations.
 */
static void user_walk(struct walk *w, int nth_fd)
{
	int fd = cn_socket(1 << 20), n;
	char buf[16];

	if (fd < 0 || nth_fd < 0) {
		fail("fault: %s: no socket or fail-nth", w->name);
		return;
	}
	for (n = 1; n <= 256; n++) {
		struct ack_counts a = { 0 };
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int rc, len, left;

		send_plain(fd, w->pre);
		drain(fd, &a);
		memset(&a, 0, sizeof(a));
		len = snprintf(buf, sizeof(buf), "%d", n);
		if (pwrite(nth_fd, buf, len, 0) != len) {
			fail("fault: writing fail-nth: %s", strerror(errno));
			break;
		}
		rc = cn_send(fd, w->msg.idx, w->msg.val, n, w->msg.data,
			     w->msg.len, NLM_F_ACK);
		len = pread(nth_fd, buf, sizeof(buf) - 1, 0);
		buf[len > 0 ? len : 0] = '\0';
		left = atoi(buf);
		if (pwrite(nth_fd, "0", 1, 0) != 1)
			fail("fault: resetting fail-nth");
		w->points++;
		w->injected += !left;
		if (rc == -ENOBUFS || rc == -ENOMEM) {
			w->send_nomem++;
		} else if (rc) {
			w->bad++;
			fail("fault: %s: send %d returned %d", w->name, n, rc);
		} else {
			w->sent++;
			if (poll(&p, 1, 500) > 0)
				drain(fd, &a);
			if (a.ok)
				w->acks_ok++;
			else if (a.enomem)
				w->acks_nomem++;
			else if (a.enodev && w->enodev_ok)
				w->acks_enodev++;
			else if (a.enodev || a.other) {
				w->bad++;
				fail("fault: %s: point %d: ack %d", w->name, n,
				     a.enodev ? -ENODEV : a.last_other);
			} else {
				/* the ack itself failed to allocate */
				w->acks_missing++;
			}
		}
		send_plain(fd, w->post);
		if (left)
			break;
	}
	close(fd);
	out("# fault: user %-8s %d points, %d faults injected: sent %d (ENOBUFS/ENOMEM %d); acks ok %d, ENOMEM %d, ENODEV %d, missing %d; bad %d\n",
	    w->name, w->points, w->injected, w->sent, w->send_nomem, w->acks_ok,
	    w->acks_nomem, w->acks_enodev, w->acks_missing, w->bad);
}

static int run_fault(double secs, int percent, uint64_t seed)
{
	struct stress_ctrl add = { STRESS_CTRL_ADD, 5 }, del = { STRESS_CTRL_DEL, 5 };
	struct {
		uint32_t h[4];
		uint32_t r[4];
	} req = { { 1, 1, STRESS_NOTIFY_GROUP, 16 },
		  { STRESS_IDX, 1, STRESS_VAL_DYN, STRESS_NDYN } },
	  unreq = { { 1, 1, 0, 16 },
		    { STRESS_IDX, 1, STRESS_VAL_DYN, STRESS_NDYN } };
	static const char payload[] = "fault walk";
	const struct plain p_add = { STRESS_IDX, STRESS_VAL_CTRL, &add, sizeof(add) };
	const struct plain p_del = { STRESS_IDX, STRESS_VAL_CTRL, &del, sizeof(del) };
	const struct plain p_req = { 0xffffffff, 0xffffffff, &req, sizeof(req) };
	const struct plain p_unreq = { 0xffffffff, 0xffffffff, &unreq, sizeof(unreq) };
	struct walk walks[] = {
		{ .name = "sink", .msg = { STRESS_IDX, STRESS_VAL_SINK, payload,
					   sizeof(payload) } },
		{ .name = "echo", .msg = { STRESS_IDX, STRESS_VAL_ECHO, payload,
					   sizeof(payload) } },
		{ .name = "ctrl-add", .msg = p_add, .post = &p_del },
		{ .name = "ctrl-del", .msg = p_del, .pre = &p_add },
		{ .name = "unknown", .msg = { STRESS_IDX, 60, payload,
					      sizeof(payload) }, .enodev_ok = 1 },
		/* cnxx only: notification requests, as root */
		{ .name = "notify", .msg = p_req, .post = &p_unreq },
		{ .name = "unnotify", .msg = p_unreq, .pre = &p_req, .post = &p_unreq },
	};
	int nwalks = ARRAY_SIZE(walks);
	struct receiver rx = { 0 };
	int before = failures, nth_fd, i, cnxx = have_cnxx();
	long long req0 = cnxx ? cnxx_st("notify_requests") : 0;
	long long times0 = 10000000, injected;
	char buf[32];

	if (access(FAILSLAB "/probability", W_OK)) {
		fail("fault: %s not available (CONFIG_FAILSLAB, debugfs)", FAILSLAB);
		return -1;
	}
	if (access(STRESS_CONTROL_FILE, W_OK)) {
		fail("fault: cnxx_stress not loaded");
		return -1;
	}
	if (failslab_save()) {
		fail("fault: cannot read %s", FAILSLAB);
		return -1;
	}
	/* fail-nth only, until the probabilistic part */
	failslab_set("probability", "0");
	failslab_set("interval", "1");
	failslab_set("times", "-1");
	failslab_set("space", "0");
	failslab_set("verbose", "0");
	failslab_set("task-filter", "Y");
	/* GFP_KERNEL allocations too: that is what most of these paths use */
	failslab_set("ignore-gfp-wait", "N");

	/* a listener, or broadcasts stop at -ESRCH before allocating */
	rx.fd = cn_socket(4 << 20);
	if (rx.fd < 0 || cn_join(rx.fd, STRESS_IDX))
		fail("fault: cannot join group %d", STRESS_IDX);
	atomic_store(&stop_receivers, 0);
	pthread_create(&rx.th, NULL, receiver_fn, &rx);

	file_write(STRESS_CONTROL_FILE, "stop");
	control("reset");
	if (!control("faultadd"))
		out("# fault: cn_add_callback: %lld points, %lld faults injected, %lld -ENOMEM, %lld bad\n",
		    st("fault_add_points"), st("fault_add_injected"),
		    st("fault_add_enomem"), st("fault_add_bad"));
	if (!control("faultsend"))
		out("# fault: cn_netlink_send/_mult: %lld points, %lld faults injected, %lld -ENOMEM, %lld bad\n",
		    st("fault_send_points"), st("fault_send_injected"),
		    st("fault_send_enomem"), st("fault_send_bad"));
	if (st("fault_add_bad") || st("fault_send_bad"))
		fail("fault: the module saw results other than 0 and -ENOMEM");
	if (!st("fault_add_enomem"))
		fail("fault: no cn_add_callback() ever returned -ENOMEM");
	if (!st("fault_send_enomem"))
		fail("fault: no send ever returned -ENOMEM");

	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (!cnxx)
		nwalks -= 2;
	for (i = 0; i < nwalks; i++)
		user_walk(&walks[i], nth_fd);
	if (nth_fd >= 0)
		close(nth_fd);

	/* the stress run counts its broadcasts on a socket of its own */
	atomic_store(&stop_receivers, 1);
	pthread_join(rx.th, NULL);
	close(rx.fd);

	/* probabilistic: every stressing task fails @percent of allocations */
	failslab_set("times", "10000000");
	snprintf(buf, sizeof(buf), "%d", percent);
	failslab_set("probability", buf);
	run_stress("fault", secs, 2, 1, seed);
	failslab_set("probability", "0");
	injected = times0 - failslab_get("times");
	out("# fault: stress under failslab at %d%%: %lld faults injected; -ENOMEM seen: add %lld, kthread sends %lld\n",
	    percent, injected, st("add_enomem"),
	    st("tx_thread_enomem") + st("tx_mult_enomem") +
	    st("tx_routed_enomem") + st("tx_reply_enomem"));
	failslab_restore();

	if (!cn_echo_check(0x5eed))
		fail("fault: the echo id does not answer after fault injection");
	else
		out("# fault: echo round trip ok after fault injection\n");
	if (cnxx && cnxx_st("notify_requests") != req0)
		fail("fault: notification requests %lld before, %lld after",
		     req0, cnxx_st("notify_requests"));
	if (!injected)
		fail("fault: no faults injected in the stress part");
	return failures == before ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: cnstress stress [-t SECONDS] [-n THREADS] [-F] [-s SEED]\n"
		"       cnstress cycle [-c CYCLES] [-m MODULE.ko] [-s SEED]\n"
		"       cnstress fault [-t SECONDS] [-p PERCENT] [-s SEED]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *mode, *module = "/cnxx/cnxx_cycle.ko";
	double secs = 20;
	int threads = 2, cycles = 200, percent = 10, fault = 0, opt, rc;
	uint64_t seed = (uint64_t)time(NULL);

	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "t:n:Fc:m:p:s:")) != -1) {
		switch (opt) {
		case 't':
			secs = atof(optarg);
			break;
		case 'n':
			threads = atoi(optarg);
			break;
		case 'F':
			fault = 1;
			break;
		case 'c':
			cycles = atoi(optarg);
			break;
		case 'm':
			module = optarg;
			break;
		case 'p':
			percent = atoi(optarg);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (threads < 1 || threads > MAX_SENDERS)
		usage();
	signal(SIGPIPE, SIG_IGN);

	if (!strcmp(mode, "stress"))
		rc = run_stress("stress", secs, threads, fault, seed);
	else if (!strcmp(mode, "cycle"))
		rc = run_cycle(cycles, module, seed);
	else if (!strcmp(mode, "fault"))
		rc = run_fault(secs, percent, seed);
	else
		usage();
	out("# cnstress %s: %s\n", mode, rc || failures ? "FAILED" : "passed");
	return rc || failures ? 1 : 0;
}
