// SPDX-License-Identifier: GPL-2.0
/*
 * cnstress fault: failslab walks over every allocation of the kernel and
 * user send paths, then a stress run with failing allocations.
 */
#include "cnstress.h"

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

int run_fault(double secs, int percent, uint64_t seed)
{
	struct stress_ctrl add = { STRESS_CTRL_ADD, 5 }, del = { STRESS_CTRL_DEL, 5 };
	unsigned char req[64], unreq[64];
	ssize_t req_len = notify_request_build(req, sizeof(req), STRESS_NOTIFY_GROUP);
	ssize_t unreq_len = notify_request_build(unreq, sizeof(unreq), 0);
	static const char payload[] = "fault walk";
	const struct plain p_add = { STRESS_IDX, STRESS_VAL_CTRL, &add, sizeof(add) };
	const struct plain p_del = { STRESS_IDX, STRESS_VAL_CTRL, &del, sizeof(del) };
	const struct plain p_req = { CN_IDX_CONNECTOR, CN_VAL_CONNECTOR, req, req_len };
	const struct plain p_unreq = { CN_IDX_CONNECTOR, CN_VAL_CONNECTOR, unreq, unreq_len };
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
	rx.count = count_broadcast;
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
