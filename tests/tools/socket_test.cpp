// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libcnxx socket paths without the module: two user-space connector
 * sockets talk to each other by port id, which exercises receiving,
 * datagram splitting, ack parsing and reply matching. Needs a kernel with
 * some connector (the in-tree one or cnxx); skipped otherwise.
 */
#include <cnxx/libcnxx.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;

bool cnxx_loaded()
{
    struct stat st;

    return stat("/proc/net/cnxx", &st) == 0;
}

class SocketTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        int err = a_.open();

        if (err == -EPROTONOSUPPORT)
            GTEST_SKIP() << "no connector in this kernel";
        ASSERT_EQ(err, 0);
        ASSERT_EQ(b_.open(), 0);
    }

    /* Sends @bytes from a_ to b_ as one datagram. */
    void a_to_b(const Bytes& bytes)
    {
        ASSERT_EQ(a_.send_raw(b_.portid(), bytes.data(), bytes.size()), 0);
    }

    libcnxx::Socket a_;
    libcnxx::Socket b_;
};

Bytes frame(const cnxx_record& rec, uint32_t nl_seq = 0)
{
    Bytes out(NLMSG_SPACE(sizeof(cn_msg) + rec.len));
    EXPECT_EQ(cnxx_frame(out.data(), out.size(), &rec, 0, nl_seq, 0), ssize_t(out.size()));
    return out;
}

cnxx_record make_record(uint32_t idx, uint32_t val, uint32_t seq, uint32_t ack, const char* data)
{
    return cnxx_record{ { idx, val }, seq, ack, uint16_t(strlen(data)), 0, data };
}

/* One nlmsg whose payload is several records, as cn_netlink_send_mult(). */
Bytes multi_frame(const std::vector<cnxx_record>& recs)
{
    Bytes payload;
    for (const cnxx_record& rec : recs) {
        cn_msg hdr{};
        hdr.id = rec.id;
        hdr.seq = rec.seq;
        hdr.ack = rec.ack;
        hdr.len = rec.len;
        const auto* p = reinterpret_cast<const uint8_t*>(&hdr);
        payload.insert(payload.end(), p, p + sizeof(hdr));
        const auto* d = static_cast<const uint8_t*>(rec.data);
        payload.insert(payload.end(), d, d + rec.len);
    }
    nlmsghdr nlh{};
    nlh.nlmsg_len = NLMSG_LENGTH(payload.size());
    nlh.nlmsg_type = NLMSG_DONE;
    Bytes out(NLMSG_SPACE(payload.size()));
    memcpy(out.data(), &nlh, sizeof(nlh));
    memcpy(out.data() + NLMSG_HDRLEN, payload.data(), payload.size());
    return out;
}

Bytes error_frame(int error, uint32_t acked_seq)
{
    nlmsgerr err{};
    err.error = error;
    err.msg.nlmsg_seq = acked_seq;
    nlmsghdr nlh{};
    nlh.nlmsg_len = NLMSG_LENGTH(sizeof(err));
    nlh.nlmsg_type = NLMSG_ERROR;
    Bytes out(NLMSG_SPACE(sizeof(err)));
    memcpy(out.data(), &nlh, sizeof(nlh));
    memcpy(out.data() + NLMSG_HDRLEN, &err, sizeof(err));
    return out;
}

std::string data_of(const cnxx_record& rec)
{
    return std::string(static_cast<const char*>(rec.data), rec.len);
}

TEST_F(SocketTest, OpenGivesDistinctPorts)
{
    EXPECT_NE(a_.portid(), 0u);
    EXPECT_NE(a_.portid(), b_.portid());
    EXPECT_GE(a_.fd(), 0);
    EXPECT_TRUE(bool(a_));
    EXPECT_FALSE(bool(libcnxx::Socket()));
}

TEST_F(SocketTest, GroupMembership)
{
    EXPECT_EQ(a_.join(0), -EINVAL);
    EXPECT_EQ(a_.leave(0), -EINVAL);
    EXPECT_EQ(a_.join(CN_NETLINK_GROUPS + 100), -EINVAL);
    /* group 1 (CN_IDX_PROC) is open to all on 6.6+, else needs root */
    int err = a_.join(1);
    EXPECT_TRUE(err == 0 || err == -EPERM) << err;
    if (!err) {
        EXPECT_EQ(a_.leave(1), 0);
    }
}

TEST_F(SocketTest, ReceivesEachNetlinkMessageOfADatagram)
{
    const cnxx_record r1 = make_record(3, 1, 10, 0, "first");
    const cnxx_record r2 = make_record(3, 2, 11, 0, "");
    Bytes dgram = frame(r1, 77);
    Bytes second = frame(r2, 78);
    nlmsghdr noop{};
    noop.nlmsg_len = NLMSG_HDRLEN;
    noop.nlmsg_type = NLMSG_NOOP;
    const auto* p = reinterpret_cast<const uint8_t*>(&noop);
    dgram.insert(dgram.end(), p, p + NLMSG_HDRLEN);
    dgram.insert(dgram.end(), second.begin(), second.end());
    a_to_b(dgram);

    cnxx_msg msg;
    ASSERT_EQ(b_.recv(msg, 1000), 0);
    EXPECT_EQ(msg.type, CNXX_MSG_DATA);
    EXPECT_EQ(msg.rec.id.idx, 3u);
    EXPECT_EQ(msg.rec.id.val, 1u);
    EXPECT_EQ(msg.rec.seq, 10u);
    EXPECT_EQ(data_of(msg.rec), "first");
    EXPECT_EQ(msg.payload_len, sizeof(cn_msg) + 5);
    EXPECT_EQ(msg.nl_type, NLMSG_DONE);
    EXPECT_EQ(msg.nl_seq, 77u);
    EXPECT_EQ(msg.src_pid, a_.portid());
    EXPECT_EQ(msg.group, 0u);

    /* the NOOP is skipped, the second message comes without a new read */
    ASSERT_EQ(b_.recv(msg, 0), 0);
    EXPECT_EQ(msg.rec.id.val, 2u);
    EXPECT_EQ(msg.rec.len, 0);
    EXPECT_EQ(msg.nl_seq, 78u);

    EXPECT_EQ(b_.recv(msg, 0), -ETIMEDOUT);
}

TEST_F(SocketTest, IteratesRecordsOfOneMessage)
{
    a_to_b(multi_frame({ make_record(1, 1, 1, 0, "a"), make_record(1, 2, 2, 0, "bcd"),
        make_record(1, 3, 3, 0, "") }));

    cnxx_msg msg;
    ASSERT_EQ(b_.recv(msg, 1000), 0);
    EXPECT_EQ(msg.rec.id.val, 1u);
    std::vector<std::string> seen;
    for (const cnxx_record& rec : libcnxx::Records(msg))
        seen.push_back(std::to_string(rec.seq) + ":" + data_of(rec));
    EXPECT_EQ(seen, (std::vector<std::string>{ "1:a", "2:bcd", "3:" }));
}

TEST_F(SocketTest, ParsesAcks)
{
    a_to_b(error_frame(-ENODEV, 42));

    cnxx_msg msg;
    ASSERT_EQ(b_.recv(msg, 1000), 0);
    EXPECT_EQ(msg.type, CNXX_MSG_ACK);
    EXPECT_EQ(msg.error, -ENODEV);
    EXPECT_EQ(msg.acked_seq, 42u);
    EXPECT_EQ(msg.nl_type, NLMSG_ERROR);
}

TEST_F(SocketTest, SkipsMalformedMessages)
{
    cnxx_msg msg;

    /* nlmsg_len beyond the datagram */
    Bytes bad = frame(make_record(1, 1, 0, 0, "abcd"));
    nlmsghdr nlh;
    memcpy(&nlh, bad.data(), sizeof(nlh));
    nlh.nlmsg_len += 64;
    memcpy(bad.data(), &nlh, sizeof(nlh));
    a_to_b(bad);
    EXPECT_EQ(b_.recv(msg, 1000), -EBADMSG);

    /* cn_msg.len beyond the payload */
    bad = frame(make_record(1, 1, 0, 0, "abcd"));
    cn_msg cn;
    memcpy(&cn, bad.data() + NLMSG_HDRLEN, sizeof(cn));
    cn.len = 200;
    memcpy(bad.data() + NLMSG_HDRLEN, &cn, sizeof(cn));
    a_to_b(bad);
    EXPECT_EQ(b_.recv(msg, 1000), -EBADMSG);

    /* payload shorter than a cn_msg, and an ack too short */
    Bytes tiny(NLMSG_HDRLEN + 8, 0);
    nlh = nlmsghdr{};
    nlh.nlmsg_len = tiny.size();
    nlh.nlmsg_type = NLMSG_DONE;
    memcpy(tiny.data(), &nlh, sizeof(nlh));
    a_to_b(tiny);
    EXPECT_EQ(b_.recv(msg, 1000), -EBADMSG);
    nlh.nlmsg_type = NLMSG_ERROR;
    memcpy(tiny.data(), &nlh, sizeof(nlh));
    a_to_b(tiny);
    EXPECT_EQ(b_.recv(msg, 1000), -EBADMSG);

    /* the socket goes on */
    a_to_b(frame(make_record(5, 5, 0, 0, "ok")));
    ASSERT_EQ(b_.recv(msg, 1000), 0);
    EXPECT_EQ(data_of(msg.rec), "ok");
}

TEST_F(SocketTest, OversizedDatagramIsSkipped)
{
    Bytes huge(80 * 1024, 0);
    nlmsghdr nlh{};
    nlh.nlmsg_len = huge.size();
    nlh.nlmsg_type = NLMSG_DONE;
    memcpy(huge.data(), &nlh, sizeof(nlh));
    a_to_b(huge);
    a_to_b(frame(make_record(5, 5, 0, 0, "after")));

    cnxx_msg msg;
    EXPECT_EQ(b_.recv(msg, 1000), -EMSGSIZE);
    ASSERT_EQ(b_.recv(msg, 1000), 0);
    EXPECT_EQ(data_of(msg.rec), "after");
}

TEST_F(SocketTest, ReceiveTimesOut)
{
    cnxx_msg msg;
    auto start = std::chrono::steady_clock::now();

    EXPECT_EQ(b_.recv(msg, 100), -ETIMEDOUT);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    EXPECT_GE(ms.count(), 90);
    EXPECT_LT(ms.count(), 2000);
    EXPECT_EQ(b_.recv(msg, 0), -ETIMEDOUT);
}

/*
 * The in-tree connector's process events: a real kernel multicast, which
 * shows the group and the kernel as sender. Needs root and cn_proc.
 */
TEST_F(SocketTest, ReceivesKernelMulticast)
{
    std::string procs;
    if (geteuid() != 0 || libcnxx::read_file("/proc/net/connector", procs)
        || procs.find("cn_proc") == std::string::npos)
        GTEST_SKIP() << "needs root and the in-tree cn_proc";

    /* PROC_CN_MCAST_LISTEN / _IGNORE from <linux/cn_proc.h> */
    const uint32_t listen = 1, ignore = 2;
    cnxx_record op{ { CN_IDX_PROC, CN_VAL_PROC }, 0, 0, sizeof(listen), 0, &listen };
    ASSERT_EQ(b_.join(CN_IDX_PROC), 0);
    ASSERT_EQ(a_.send(op), 0);
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, nullptr, 0);

    cnxx_msg msg;
    int err = b_.recv(msg, 2000);
    op.data = &ignore;
    EXPECT_EQ(a_.send(op), 0);
    ASSERT_EQ(err, 0);
    EXPECT_EQ(msg.type, CNXX_MSG_DATA);
    EXPECT_EQ(msg.group, unsigned(CN_IDX_PROC));
    EXPECT_EQ(msg.src_pid, 0u);
    EXPECT_EQ(msg.rec.id.idx, unsigned(CN_IDX_PROC));
    EXPECT_EQ(msg.rec.id.val, unsigned(CN_VAL_PROC));
    EXPECT_EQ(msg.nl_type, NLMSG_DONE);
    EXPECT_EQ(msg.nl_seq, msg.rec.seq); /* nlmsg_seq = msg->seq */
    EXPECT_EQ(libcnxx::Records(msg).error(), 0);
}

/*
 * libcnxx's subscription against the kernel's process events (cn_proc or
 * cnxx_proc.ko): a filter for forks and non-zero exits, kept by the kernel
 * (6.6+) or by cnxx_proc_recv() (6.1), lets through the fork and the exit
 * of a child and nothing else.
 */
TEST_F(SocketTest, ProcListenFiltersAndDecodesAChildsEvents)
{
    std::string procs;
    if (libcnxx::read_file("/proc/net/connector", procs)
        || procs.find("cn_proc") == std::string::npos)
        GTEST_SKIP() << "no process events connector";
    const uint32_t events = CNXX_PROC_EVENT_FORK | CNXX_PROC_EVENT_NONZERO_EXIT;
    cnxx_proc_filtering filtering;
    int err = a_.proc_listen(events, 2000, &filtering);
    if (err == -EPERM)
        GTEST_SKIP() << "process events need root on this kernel";
    ASSERT_EQ(err, 0);

    pid_t child = fork();
    if (child == 0)
        _exit(3);
    waitpid(child, nullptr, 0);

    bool forked = false, exited = false;
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!(forked && exited) && std::chrono::steady_clock::now() < end) {
        cnxx_proc_event ev;
        err = a_.proc_recv(events, ev, 1000);
        if (err == -ETIMEDOUT || err == -ENOBUFS)
            continue;
        ASSERT_EQ(err, 0);
        ASSERT_TRUE(ev.what == CNXX_PROC_EVENT_FORK
            || (ev.what == CNXX_PROC_EVENT_EXIT && ev.event_data.exit.exit_code))
            << std::hex << ev.what << " " << ev.event_data.exit.exit_code;
        if (ev.what == CNXX_PROC_EVENT_FORK && ev.event_data.fork.child_pid == child) {
            EXPECT_EQ(ev.event_data.fork.child_tgid, child);
            EXPECT_EQ(ev.event_data.fork.parent_tgid, getpid());
            forked = true;
        }
        if (ev.what == CNXX_PROC_EVENT_EXIT && ev.event_data.exit.process_pid == child) {
            EXPECT_EQ(ev.event_data.exit.exit_code, 0x300u);
            EXPECT_EQ(ev.event_data.exit.parent_tgid, getpid());
            exited = true;
        }
    }
    EXPECT_EQ(a_.proc_ignore(), 0);
    EXPECT_TRUE(forked);
    EXPECT_TRUE(exited);
    RecordProperty("filtering", filtering == CNXX_PROC_FILTER_KERNEL ? "kernel" : "user");
}

TEST_F(SocketTest, RequestSkipsNonRepliesAndFindsTheReplyRecord)
{
    /* queued before the request goes out: none but the last answers 7 */
    a_to_b(frame(make_record(9, 9, 7, 7, "not a reply: ack")));
    a_to_b(frame(make_record(9, 9, 8, 9, "not a reply: seq")));
    a_to_b(error_frame(-ENODEV, 7)); /* an ack not from the kernel */
    a_to_b(multi_frame({ make_record(9, 9, 1, 2, "other"), make_record(9, 9, 7, 8, "pong") }));

    cnxx_record req = make_record(9, 9, 7, 0, "ping");
    cnxx_msg reply;
    ASSERT_EQ(b_.request(req, 1000, reply), 0);
    ASSERT_EQ(reply.type, CNXX_MSG_DATA);
    EXPECT_EQ(reply.rec.seq, 7u);
    EXPECT_EQ(reply.rec.ack, 8u);
    EXPECT_EQ(data_of(reply.rec), "pong");
    EXPECT_EQ(reply.src_pid, a_.portid());
}

TEST_F(SocketTest, RequestWithoutReplyTimesOut)
{
    if (cnxx_loaded())
        GTEST_SKIP() << "cnxx answers with an ack";
    cnxx_record req = make_record(0x7ffffff0, 1, 5, 0, "");
    cnxx_msg reply;

    EXPECT_EQ(b_.request(req, 100, reply), -ETIMEDOUT);
}

TEST_F(SocketTest, SendSyncTakesOnlyTheKernelsAck)
{
    /* an unregistered id: cnxx acks -ENODEV, the in-tree one never acks */
    cnxx_record rec = make_record(0x7ffffff0, 1, 1234, 0, "x");
    int ack_err = 1;

    a_to_b(error_frame(-E2BIG, 1234)); /* a forged ack from a peer */
    int err = b_.send_sync(rec, 200, ack_err);
    if (cnxx_loaded()) {
        ASSERT_EQ(err, 0);
        EXPECT_EQ(ack_err, -ENODEV);
    } else {
        EXPECT_EQ(err, -ETIMEDOUT);
        EXPECT_EQ(ack_err, 1);
    }
}

TEST_F(SocketTest, SendChecksItsArguments)
{
    cnxx_record rec{ { 1, 1 }, 0, 0, 3, 0, nullptr };

    EXPECT_EQ(a_.send(rec), -EINVAL);
    rec.len = 0;
    EXPECT_EQ(a_.send(rec), 0);
}

TEST_F(SocketTest, NotifySendGoesOut)
{
    if (cnxx_loaded())
        GTEST_SKIP() << "would change the module's requests";
    std::vector<cnxx_range> idx{ { 10, 1 } }, val{ { 1, 1 } };
    uint32_t seq1 = 0, seq2 = 0;

    ASSERT_EQ(a_.notify_send(idx, val, 14, 0, &seq1), 0);
    ASSERT_EQ(a_.notify_send(idx, val, 0, 0, &seq2), 0);
    EXPECT_NE(seq1, seq2);
    EXPECT_EQ(cnxx_notify_add(a_.get(), idx.data(), 1, val.data(), 1, 0, 100, nullptr), -EINVAL);
    std::vector<cnxx_range> many(9000, cnxx_range{ 1, 1 });
    EXPECT_EQ(a_.notify_send(many, val, 14, 0), -E2BIG);
}

} // namespace
