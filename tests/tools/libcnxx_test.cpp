// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pure parts of libcnxx: framing, datagram decoding, record iteration,
 * notification request encoding, proc file parsing, errno names.
 */
#include <cnxx/libcnxx.hpp>

#include <cnxx/cnxx_wire.h> /* the module's uapi: the reference wire format */
/* the kernel's header: the reference layout of process events */
#include <linux/cn_proc.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;

/* Appends one cn_msg record, unpadded, as cn_netlink_send_mult() packs. */
void put_record(Bytes& out, uint32_t idx, uint32_t val, uint32_t seq, uint32_t ack,
    const std::string& data, uint16_t flags = 0)
{
    cn_msg hdr{};
    hdr.id = { idx, val };
    hdr.seq = seq;
    hdr.ack = ack;
    hdr.len = uint16_t(data.size());
    hdr.flags = flags;
    const auto* p = reinterpret_cast<const uint8_t*>(&hdr);
    out.insert(out.end(), p, p + sizeof(hdr));
    out.insert(out.end(), data.begin(), data.end());
}

std::string data_of(const cnxx_record& rec)
{
    return std::string(static_cast<const char*>(rec.data), rec.len);
}

TEST(Frame, LayoutMatchesNetlinkAndConnectorHeaders)
{
    const char data[] = "hello";
    cnxx_record rec{ { 14, 1110 }, 7, 8, 5, 0x21, data };
    uint8_t buf[128];

    memset(buf, 0xaa, sizeof(buf));
    ssize_t n = cnxx_frame(buf, sizeof(buf), &rec, NLM_F_ACK, 99, 1234);
    ASSERT_EQ(n, ssize_t(NLMSG_SPACE(sizeof(cn_msg) + 5)));
    ASSERT_EQ(n, 44);

    nlmsghdr nlh;
    memcpy(&nlh, buf, sizeof(nlh));
    EXPECT_EQ(nlh.nlmsg_len, NLMSG_LENGTH(sizeof(cn_msg) + 5));
    EXPECT_EQ(nlh.nlmsg_type, NLMSG_DONE);
    EXPECT_EQ(nlh.nlmsg_flags, NLM_F_ACK);
    EXPECT_EQ(nlh.nlmsg_seq, 99u);
    EXPECT_EQ(nlh.nlmsg_pid, 1234u);

    cn_msg cn;
    memcpy(&cn, buf + NLMSG_HDRLEN, sizeof(cn));
    EXPECT_EQ(cn.id.idx, 14u);
    EXPECT_EQ(cn.id.val, 1110u);
    EXPECT_EQ(cn.seq, 7u);
    EXPECT_EQ(cn.ack, 8u);
    EXPECT_EQ(cn.len, 5);
    EXPECT_EQ(cn.flags, 0x21);
    EXPECT_EQ(memcmp(buf + NLMSG_HDRLEN + sizeof(cn_msg), "hello", 5), 0);
    /* padding is zeroed, nothing written behind it */
    for (ssize_t i = NLMSG_HDRLEN + sizeof(cn_msg) + 5; i < n; i++)
        EXPECT_EQ(buf[i], 0) << i;
    EXPECT_EQ(buf[n], 0xaa);
}

TEST(Frame, Errors)
{
    cnxx_record rec{ { 1, 1 }, 0, 0, 4, 0, "abcd" };
    uint8_t buf[64];

    EXPECT_EQ(cnxx_frame(buf, 39, &rec, 0, 0, 0), -ENOSPC);
    EXPECT_EQ(cnxx_frame(buf, 40, &rec, 0, 0, 0), 40);
    rec.data = nullptr;
    EXPECT_EQ(cnxx_frame(buf, sizeof(buf), &rec, 0, 0, 0), -EINVAL);
    rec.len = 0;
    EXPECT_EQ(cnxx_frame(buf, sizeof(buf), &rec, 0, 0, 0), 36);
}

/* Appends a frame of one record to a datagram, padded as the kernel pads. */
void put_frame(Bytes& out, uint32_t val, uint32_t seq, const std::string& data)
{
    cnxx_record rec{ { 14, val }, seq, seq + 1, uint16_t(data.size()), 0, data.data() };
    uint8_t buf[256];
    ssize_t n = cnxx_frame(buf, sizeof(buf), &rec, 0, seq, 0);

    ASSERT_GT(n, 0);
    out.insert(out.end(), buf, buf + n);
}

/* Appends an ack (NLMSG_ERROR) of the message with nlmsg_seq @seq. */
void put_ack(Bytes& out, uint32_t seq, int error)
{
    nlmsghdr nlh{};
    nlmsgerr err{};
    nlh.nlmsg_len = NLMSG_LENGTH(sizeof(err));
    nlh.nlmsg_type = NLMSG_ERROR;
    nlh.nlmsg_seq = seq;
    err.error = error;
    err.msg.nlmsg_seq = seq;
    const auto* h = reinterpret_cast<const uint8_t*>(&nlh);
    const auto* e = reinterpret_cast<const uint8_t*>(&err);
    out.insert(out.end(), h, h + sizeof(nlh));
    out.insert(out.end(), e, e + sizeof(err));
}

TEST(Parse, WalksEveryMessageOfADatagram)
{
    Bytes dgram;
    put_frame(dgram, 1, 10, "abcde");
    put_ack(dgram, 11, -ENODEV);
    put_frame(dgram, 2, 12, "");

    cnxx_msg msg;
    size_t off = 0;
    ASSERT_EQ(cnxx_msg_parse(dgram.data(), dgram.size(), &off, &msg), 1);
    EXPECT_EQ(msg.type, CNXX_MSG_DATA);
    EXPECT_EQ(msg.nl_type, NLMSG_DONE);
    EXPECT_EQ(msg.rec.id.val, 1u);
    EXPECT_EQ(msg.rec.seq, 10u);
    EXPECT_EQ(data_of(msg.rec), "abcde");
    EXPECT_EQ(off, size_t(NLMSG_SPACE(sizeof(cn_msg) + 5)));

    ASSERT_EQ(cnxx_msg_parse(dgram.data(), dgram.size(), &off, &msg), 1);
    EXPECT_EQ(msg.type, CNXX_MSG_ACK);
    EXPECT_EQ(msg.error, -ENODEV);
    EXPECT_EQ(msg.acked_seq, 11u);

    ASSERT_EQ(cnxx_msg_parse(dgram.data(), dgram.size(), &off, &msg), 1);
    EXPECT_EQ(msg.rec.id.val, 2u);
    EXPECT_EQ(msg.rec.len, 0);
    EXPECT_EQ(msg.src_pid, 0u);
    EXPECT_EQ(msg.group, 0u);

    EXPECT_EQ(cnxx_msg_parse(dgram.data(), dgram.size(), &off, &msg), 0);
    EXPECT_EQ(off, dgram.size());
}

TEST(Parse, SkipsBadMessagesAndStopsAtBrokenHeaders)
{
    Bytes dgram;
    put_frame(dgram, 1, 10, "abcd");
    put_frame(dgram, 2, 11, "ok");
    cn_msg first;
    memcpy(&first, dgram.data() + NLMSG_HDRLEN, sizeof(first));
    first.len = 200; /* beyond its message */
    memcpy(dgram.data() + NLMSG_HDRLEN, &first, sizeof(first));

    cnxx_msg msg;
    size_t off = 0;
    EXPECT_EQ(cnxx_msg_parse(dgram.data(), dgram.size(), &off, &msg), -EBADMSG);
    ASSERT_EQ(cnxx_msg_parse(dgram.data(), dgram.size(), &off, &msg), 1);
    EXPECT_EQ(data_of(msg.rec), "ok");

    /* an nlmsg_len past the datagram: the rest cannot be trusted */
    Bytes broken;
    put_frame(broken, 1, 10, "abcd");
    put_frame(broken, 2, 11, "ok");
    uint32_t len = 4096;
    memcpy(broken.data(), &len, sizeof(len));
    off = 0;
    EXPECT_EQ(cnxx_msg_parse(broken.data(), broken.size(), &off, &msg), -EBADMSG);
    EXPECT_EQ(off, broken.size());
    EXPECT_EQ(cnxx_msg_parse(broken.data(), broken.size(), &off, &msg), 0);
}

TEST(Records, IteratesMultiRecordPayload)
{
    Bytes payload;
    put_record(payload, 3, 1, 10, 11, "");
    put_record(payload, 3, 2, 12, 13, "abcde", 0x7);
    put_record(payload, 4, 1, 14, 15, "xyz");

    size_t off = 0;
    cnxx_record rec;
    ASSERT_EQ(cnxx_record_next(payload.data(), payload.size(), &off, &rec), 1);
    EXPECT_EQ(rec.id.idx, 3u);
    EXPECT_EQ(rec.id.val, 1u);
    EXPECT_EQ(rec.len, 0);
    EXPECT_EQ(off, 20u);

    ASSERT_EQ(cnxx_record_next(payload.data(), payload.size(), &off, &rec), 1);
    EXPECT_EQ(rec.id.val, 2u);
    EXPECT_EQ(rec.seq, 12u);
    EXPECT_EQ(rec.ack, 13u);
    EXPECT_EQ(rec.flags, 7);
    EXPECT_EQ(data_of(rec), "abcde");
    EXPECT_EQ(off, 45u);

    /* the third header starts unaligned, at offset 45 */
    ASSERT_EQ(cnxx_record_next(payload.data(), payload.size(), &off, &rec), 1);
    EXPECT_EQ(rec.id.idx, 4u);
    EXPECT_EQ(data_of(rec), "xyz");
    EXPECT_EQ(off, payload.size());

    EXPECT_EQ(cnxx_record_next(payload.data(), payload.size(), &off, &rec), 0);
}

TEST(Records, RejectsTruncatedRecords)
{
    Bytes payload;
    put_record(payload, 3, 1, 0, 0, "abcdef");
    cnxx_record rec;
    size_t off;

    /* data cut short */
    off = 0;
    EXPECT_EQ(cnxx_record_next(payload.data(), payload.size() - 1, &off, &rec), -EBADMSG);
    EXPECT_EQ(off, 0u);

    /* a second header cut short: 8 bytes left at an aligned end */
    payload.resize(payload.size() + 8, 0);
    off = 0;
    ASSERT_EQ(cnxx_record_next(payload.data(), payload.size(), &off, &rec), 1);
    EXPECT_EQ(cnxx_record_next(payload.data(), payload.size(), &off, &rec), -EBADMSG);

    off = 0;
    EXPECT_EQ(cnxx_record_next(payload.data(), 10, &off, &rec), -EBADMSG);
    off = 0;
    EXPECT_EQ(cnxx_record_next(payload.data(), 0, &off, &rec), 0);
}

TEST(Records, AcceptsPaddingToFourBytes)
{
    /* samples/connector/ucon.c counts the NLMSG_ALIGN padding in nlmsg_len */
    Bytes payload;
    put_record(payload, 3, 1, 0, 0, "abcde");
    payload.resize(NLMSG_ALIGN(payload.size()), 0);
    ASSERT_EQ(payload.size(), 28u);

    size_t off = 0;
    cnxx_record rec;
    ASSERT_EQ(cnxx_record_next(payload.data(), payload.size(), &off, &rec), 1);
    EXPECT_EQ(cnxx_record_next(payload.data(), payload.size(), &off, &rec), 0);
}

TEST(Records, CxxRange)
{
    Bytes payload;
    put_record(payload, 1, 1, 0, 0, "a");
    put_record(payload, 1, 2, 0, 0, "bb");
    put_record(payload, 1, 3, 0, 0, "ccc");

    std::vector<std::string> seen;
    libcnxx::Records records(payload.data(), payload.size());
    for (const cnxx_record& rec : records)
        seen.push_back(std::to_string(rec.id.val) + "=" + data_of(rec));
    EXPECT_EQ(seen, (std::vector<std::string>{ "1=a", "2=bb", "3=ccc" }));
    EXPECT_EQ(records.error(), 0);

    payload.pop_back();
    libcnxx::Records cut(payload.data(), payload.size());
    seen.clear();
    for (const cnxx_record& rec : cut)
        seen.push_back(data_of(rec));
    EXPECT_EQ(seen, (std::vector<std::string>{ "a", "bb" }));
    EXPECT_EQ(cut.error(), -EBADMSG);

    libcnxx::Records none(nullptr, 0);
    EXPECT_TRUE(none.begin() == none.end());
    EXPECT_EQ(none.error(), 0);
}

TEST(Ctl, MatchesUapiStructsByteForByte)
{
    const cnxx_range idx[] = { { 10, 10 }, { 100, 1 } };
    const cnxx_range val[] = { { 0, 0xffffffff } };

    /* the reference, laid out with the module's own structs */
    cn_ctl_msg ctl{};
    ctl.idx_notify_num = 2;
    ctl.val_notify_num = 1;
    ctl.group = 14;
    ctl.len = 3 * sizeof(cn_notify_req);
    const cn_notify_req req[3] = { { 10, 10 }, { 100, 1 }, { 0, 0xffffffff } };
    uint8_t ref[sizeof(ctl) + sizeof(req)];
    static_assert(sizeof(ref) == 16 + 3 * 8, "no padding");
    memcpy(ref, &ctl, sizeof(ctl));
    memcpy(ref + sizeof(ctl), req, sizeof(req));

    uint8_t buf[64];
    memset(buf, 0xaa, sizeof(buf));
    ASSERT_EQ(cnxx_ctl_size(2, 1), sizeof(ref));
    ASSERT_EQ(cnxx_ctl_build(buf, sizeof(buf), idx, 2, val, 1, 14), ssize_t(sizeof(ref)));
    EXPECT_EQ(memcmp(buf, ref, sizeof(ref)), 0);
    EXPECT_EQ(buf[sizeof(ref)], 0xaa);

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* and spelled out, as it travels on x86 */
    const uint8_t wire[] = {
        2,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        14,
        0,
        0,
        0,
        24,
        0,
        0,
        0,
        10,
        0,
        0,
        0,
        10,
        0,
        0,
        0,
        100,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0xff,
        0xff,
        0xff,
        0xff,
    };
    EXPECT_EQ(memcmp(buf, wire, sizeof(wire)), 0);
#endif
}

TEST(Ctl, RemovalIsGroupZeroAndEmptyListsEncode)
{
    const cnxx_range r = { 5, 2 };
    uint8_t buf[32];

    ASSERT_EQ(cnxx_ctl_build(buf, sizeof(buf), &r, 1, &r, 1, 0), 32);
    cn_ctl_msg ctl;
    memcpy(&ctl, buf, sizeof(ctl));
    EXPECT_EQ(ctl.group, 0u);
    EXPECT_EQ(ctl.len, 16u);

    /* encoding only: the module decides whether empty lists are valid */
    ASSERT_EQ(cnxx_ctl_build(buf, sizeof(buf), nullptr, 0, nullptr, 0, 3), 16);
    memcpy(&ctl, buf, sizeof(ctl));
    EXPECT_EQ(ctl.idx_notify_num, 0u);
    EXPECT_EQ(ctl.len, 0u);
}

TEST(Ctl, Errors)
{
    const cnxx_range r = { 5, 2 };
    std::vector<cnxx_range> many(8190, r);
    std::vector<uint8_t> buf(cnxx_ctl_size(8190, 0));

    EXPECT_EQ(cnxx_ctl_build(buf.data(), 31, &r, 1, &r, 1, 1), -ENOSPC);
    /* 16 + 8189 * 8 = 65528 fits a cn_msg, 8190 ranges do not */
    EXPECT_EQ(cnxx_ctl_build(buf.data(), buf.size(), many.data(), 8189, nullptr, 0, 1), 65528);
    EXPECT_EQ(cnxx_ctl_build(buf.data(), buf.size(), many.data(), 8190, nullptr, 0, 1), -E2BIG);
    EXPECT_EQ(cnxx_ctl_size(0xffffffff, 0xffffffff), size_t(16 + 2 * 8 * 0xffffffffULL));
}

const char kCnxxProc[]
    = "Name            ID                    Group  Delivered    Dropped      SendErrors\n"
      "cn_test         14:1110               14     3            0            0\n"
      "w1              3:1                   3      18446744073709551615 7 2\n"
      "my test cb      4294967295:4294967294 26     1            2            3\n";

TEST(ProcCallbacks, ParsesCnxxFormat)
{
    std::vector<cnxx_cb_entry> cbs;

    ASSERT_EQ(libcnxx::parse_callbacks(kCnxxProc, cbs), 0);
    ASSERT_EQ(cbs.size(), 3u);

    EXPECT_STREQ(cbs[0].name, "cn_test");
    EXPECT_EQ(cbs[0].id.idx, 14u);
    EXPECT_EQ(cbs[0].id.val, 1110u);
    EXPECT_TRUE(cbs[0].has_counters);
    EXPECT_EQ(cbs[0].group, 14u);
    EXPECT_EQ(cbs[0].delivered, 3u);
    EXPECT_EQ(cbs[0].dropped, 0u);
    EXPECT_EQ(cbs[0].send_errors, 0u);

    EXPECT_STREQ(cbs[1].name, "w1");
    EXPECT_EQ(cbs[1].delivered, UINT64_MAX);
    EXPECT_EQ(cbs[1].dropped, 7u);
    EXPECT_EQ(cbs[1].send_errors, 2u);

    EXPECT_STREQ(cbs[2].name, "my test cb");
    EXPECT_EQ(cbs[2].id.idx, 4294967295u);
    EXPECT_EQ(cbs[2].id.val, 4294967294u);
    EXPECT_EQ(cbs[2].group, 26u);
    EXPECT_EQ(cbs[2].send_errors, 3u);
}

TEST(ProcCallbacks, HeaderOnlyAndBlankLines)
{
    std::vector<cnxx_cb_entry> cbs{ cnxx_cb_entry{} };
    const std::string header
        = "Name            ID                    Group  Delivered    Dropped      SendErrors\n";

    ASSERT_EQ(libcnxx::parse_callbacks(header, cbs), 0);
    EXPECT_TRUE(cbs.empty());
    ASSERT_EQ(libcnxx::parse_callbacks("\n" + header + "\r\n a 1:2 3 4 5 6 \r\n\n", cbs), 0);
    ASSERT_EQ(cbs.size(), 1u);
    EXPECT_STREQ(cbs[0].name, "a");
    EXPECT_EQ(cbs[0].send_errors, 6u);
}

TEST(ProcCallbacks, ParsesInTreeFormat)
{
    std::vector<cnxx_cb_entry> cbs;

    ASSERT_EQ(libcnxx::parse_callbacks("Name            ID\n"
                                    "cn_proc         1:1\n"
                                    "w1 netlink      3:1\n"
                                    "                11:2\n",
                  cbs),
        0);
    ASSERT_EQ(cbs.size(), 3u);
    EXPECT_STREQ(cbs[0].name, "cn_proc");
    EXPECT_FALSE(cbs[0].has_counters);
    EXPECT_EQ(cbs[0].id.idx, 1u);
    EXPECT_STREQ(cbs[1].name, "w1 netlink");
    EXPECT_EQ(cbs[1].id.val, 1u);
    EXPECT_STREQ(cbs[2].name, "");
    EXPECT_EQ(cbs[2].id.idx, 11u);
}

TEST(ProcCallbacks, TruncatesLongNames)
{
    std::vector<cnxx_cb_entry> cbs;
    std::string name(100, 'n');

    ASSERT_EQ(libcnxx::parse_callbacks("Name ID\n" + name + " 1:1\n", cbs), 0);
    ASSERT_EQ(cbs.size(), 1u);
    EXPECT_EQ(std::string(cbs[0].name), std::string(63, 'n'));
}

TEST(ProcCallbacks, RejectsMalformedText)
{
    const std::string header = "Name ID Group Delivered Dropped SendErrors\n";
    const char* bad_lines[] = {
        "cn_test 14:1110 14 3 0\n", /* a field missing */
        "cn_test 14-1110 14 3 0 0\n", /* id without colon */
        "cn_test 14: 14 3 0 0\n", /* empty val */
        "cn_test 14:1110 14 3 x 0\n", /* not a number */
        "cn_test 14:1110 -14 3 0 0\n", /* signed */
        "cn_test 4294967296:1 14 3 0 0\n", /* idx over u32 */
        "cn_test 1:1 4294967296 3 0 0\n", /* group over u32 */
        "cn_test 1:1 1 18446744073709551616 0 0\n", /* over u64 */
    };
    std::vector<cnxx_cb_entry> cbs;

    for (const char* line : bad_lines)
        EXPECT_EQ(libcnxx::parse_callbacks(header + line, cbs), -EBADMSG) << line;
    EXPECT_EQ(libcnxx::parse_callbacks("", cbs), -EBADMSG);
    EXPECT_EQ(libcnxx::parse_callbacks("cn_test 14:1110 14 3 0 0\n", cbs), -EBADMSG);
    EXPECT_EQ(libcnxx::parse_callbacks("Name ID\ncn_proc 1:x\n", cbs), -EBADMSG);
}

TEST(ProcStats, ParsesKnownAndUnknownKeysInOrder)
{
    const char text[] = "rx_messages 10\nrx_delivered 8\nrx_invalid 1\nrx_oversize 0\n"
                        "rx_unknown 1\nrx_control 2\nrx_denied 0\ntx_messages 5\n"
                        "tx_errors 0\ncallbacks 3\nnotify_requests 1\nnotify_sent 4\n"
                        "notify_failed 0\nsome_future_key   18446744073709551615\n";
    std::vector<cnxx_stat> stats;

    ASSERT_EQ(libcnxx::parse_stats(text, stats), 0);
    ASSERT_EQ(stats.size(), 14u);
    EXPECT_STREQ(stats[0].key, "rx_messages");
    EXPECT_EQ(stats[0].value, 10u);
    EXPECT_STREQ(stats[13].key, "some_future_key");
    EXPECT_EQ(stats[13].value, UINT64_MAX);

    uint64_t v = 0;
    EXPECT_EQ(cnxx_stat_get(stats.data(), stats.size(), "callbacks", &v), 0);
    EXPECT_EQ(v, 3u);
    EXPECT_EQ(cnxx_stat_get(stats.data(), stats.size(), "notify_sent", &v), 0);
    EXPECT_EQ(v, 4u);
    EXPECT_EQ(cnxx_stat_get(stats.data(), stats.size(), "nope", &v), -ENOENT);

    ASSERT_EQ(libcnxx::parse_stats("", stats), 0);
    EXPECT_TRUE(stats.empty());
}

TEST(ProcStats, RejectsMalformedLines)
{
    std::vector<cnxx_stat> stats;

    EXPECT_EQ(libcnxx::parse_stats("rx_messages\n", stats), -EBADMSG);
    EXPECT_EQ(libcnxx::parse_stats("rx_messages ten\n", stats), -EBADMSG);
    EXPECT_EQ(libcnxx::parse_stats("rx messages 10\n", stats), -EBADMSG);
    EXPECT_EQ(libcnxx::parse_stats("rx_messages 10 11\n", stats), -EBADMSG);
    EXPECT_EQ(libcnxx::parse_stats("ok 1\nrx_messages -1\n", stats), -EBADMSG);
}

TEST(ProcStats, TruncatesLongKeys)
{
    std::vector<cnxx_stat> stats;

    ASSERT_EQ(libcnxx::parse_stats(std::string(60, 'k') + " 1\n", stats), 0);
    EXPECT_EQ(std::string(stats[0].key), std::string(47, 'k'));
}

// /proc/net/cnxx_proc as kmod/proc/main.c prints it.
static const char kProcStatus[]
    = "Event     Hook                                Sent\n"
      "fork      tracepoint:task_newtask             12\n"
      "exec      tracepoint:sched_process_exec       3\n"
      "ptrace    kretprobe:__x64_sys_ptrace,ptrace_request 0\n"
      "coredump  -                                   - (no tracepoint)\n"
      "listeners 2\n"
      "probe_misses 0\n";

TEST(ProcStatus, ParsesEventsListenersAndMisses)
{
    cnxx_proc_status st;

    ASSERT_EQ(cnxx_parse_proc_status(kProcStatus, sizeof(kProcStatus) - 1, &st), 0);
    ASSERT_EQ(st.n_sources, 4u);
    EXPECT_STREQ(st.sources[0].event, "fork");
    EXPECT_STREQ(st.sources[0].hook, "tracepoint:task_newtask");
    EXPECT_TRUE(st.sources[0].available);
    EXPECT_EQ(st.sources[0].sent, 12u);
    EXPECT_STREQ(st.sources[2].hook, "kretprobe:__x64_sys_ptrace,ptrace_request");
    EXPECT_FALSE(st.sources[3].available);
    EXPECT_EQ(st.sources[3].sent, 0u);
    EXPECT_EQ(st.listeners, 2);
    EXPECT_EQ(st.probe_misses, 0u);

    const cnxx_proc_source* exec = cnxx_proc_source_find(&st, "exec");
    ASSERT_NE(exec, nullptr);
    EXPECT_EQ(exec->sent, 3u);
    EXPECT_EQ(cnxx_proc_source_find(&st, "comm"), nullptr);

    // a count gone below zero must be seen as such
    const std::string neg = "Event Hook Sent\nlisteners -1\nprobe_misses 5\n";
    ASSERT_EQ(cnxx_parse_proc_status(neg.data(), neg.size(), &st), 0);
    EXPECT_EQ(st.n_sources, 0u);
    EXPECT_EQ(st.listeners, -1);
    EXPECT_EQ(st.probe_misses, 5u);
}

TEST(ProcStatus, RejectsMalformedText)
{
    const std::string header = "Event Hook Sent\n";
    const std::string tail = "listeners 0\nprobe_misses 0\n";
    cnxx_proc_status st;

    for (const std::string& text : {
             std::string(""),
             tail,                                   // no header
             header + "listeners 0\n",               // no probe_misses
             header + "probe_misses 0\n",            // no listeners
             header + "fork tp 1 2\n" + tail,        // extra field
             header + "fork tp\n" + tail,            // no count
             header + "fork tp x\n" + tail,          // not a number
             header + "fork - - no reason\n" + tail, // no parentheses
             header + "fork tp - (why)\n" + tail,    // hook but no count
             header + "listeners\nprobe_misses 0\n",
             header + "listeners 1 2\nprobe_misses 0\n",
             header + "listeners 0\nprobe_misses -1\n",
         })
        EXPECT_EQ(cnxx_parse_proc_status(text.data(), text.size(), &st), -EBADMSG) << text;

    std::string many = header;
    for (int i = 0; i <= CNXX_PROC_MAX_SOURCES; i++)
        many += "e" + std::to_string(i) + " tp 0\n";
    many += tail;
    EXPECT_EQ(cnxx_parse_proc_status(many.data(), many.size(), &st), -E2BIG);
}

TEST(ProcStatus, ReadsTheFile)
{
    char path[] = "/tmp/cnxx-procstatus-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, kProcStatus, sizeof(kProcStatus) - 1), ssize_t(sizeof(kProcStatus) - 1));
    close(fd);

    cnxx_proc_status st;
    EXPECT_EQ(cnxx_read_proc_status(path, &st), 0);
    EXPECT_EQ(st.listeners, 2);
    unlink(path);
    EXPECT_EQ(cnxx_read_proc_status(path, &st), -ENOENT);
}

TEST(ReadFile, ReadsWholeFilesAndReportsErrno)
{
    char path[] = "/tmp/cnxx-read-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    std::string content;
    for (int i = 0; i < 3000; i++)
        content += "line " + std::to_string(i) + "\n";
    ASSERT_EQ(write(fd, content.data(), content.size()), ssize_t(content.size()));
    close(fd);

    std::string text;
    EXPECT_EQ(libcnxx::read_file(path, text), 0);
    EXPECT_EQ(text, content);

    char* raw = nullptr;
    size_t len = 0;
    ASSERT_EQ(cnxx_read_file(path, &raw, &len), 0);
    EXPECT_EQ(len, content.size());
    EXPECT_EQ(raw[len], '\0');
    free(raw);
    unlink(path);

    EXPECT_EQ(libcnxx::read_file(path, text), -ENOENT);
    EXPECT_EQ(libcnxx::read_file("/", text), -EISDIR);
}

TEST(ReadStat, ReadsOneKeyAndReportsWhatIsMissing)
{
    char path[] = "/tmp/cnxx-stat-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    const std::string content = "rx_messages 12\ntx_replies_dropped 3\n";
    ASSERT_EQ(write(fd, content.data(), content.size()), ssize_t(content.size()));
    close(fd);

    uint64_t value = 0;
    EXPECT_EQ(cnxx_read_stat(path, "tx_replies_dropped", &value), 0);
    EXPECT_EQ(value, 3u);
    EXPECT_EQ(cnxx_read_stat(path, "rx_denied", &value), -ENOENT);
    unlink(path);
    EXPECT_EQ(cnxx_read_stat(path, "rx_messages", &value), -ENOENT);
}

/* A record on {CN_IDX_PROC, CN_VAL_PROC} carrying @ev at an odd address. */
struct ProcRecord {
    explicit ProcRecord(const proc_event& ev, size_t len = sizeof(proc_event))
        : bytes(1 + sizeof(ev))
    {
        memcpy(bytes.data() + 1, &ev, sizeof(ev));
        rec = cnxx_record{ { CN_IDX_PROC, CN_VAL_PROC }, 0, 0, uint16_t(len), 0, bytes.data() + 1 };
    }
    ProcRecord(const ProcRecord&) = delete;

    int decode(cnxx_proc_event* ev) const { return cnxx_proc_decode(&rec, ev); }

    Bytes bytes;
    cnxx_record rec;
};

proc_event kernel_event(uint32_t what)
{
    proc_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.what = static_cast<decltype(ev.what)>(what);
    ev.cpu = 3;
    ev.timestamp_ns = 0x0102030405060708ull;
    return ev;
}

TEST(ProcEvents, DecodesTheKernelsLayout)
{
    cnxx_proc_event got;

    proc_event ev = kernel_event(proc_event::PROC_EVENT_FORK);
    ev.event_data.fork = { 1, 2, 42, 43 };
    ASSERT_EQ(ProcRecord(ev).decode(&got), 0);
    EXPECT_EQ(got.what, uint32_t(CNXX_PROC_EVENT_FORK));
    EXPECT_EQ(got.cpu, 3u);
    EXPECT_EQ(got.timestamp_ns, 0x0102030405060708ull);
    EXPECT_EQ(got.event_data.fork.parent_pid, 1);
    EXPECT_EQ(got.event_data.fork.parent_tgid, 2);
    EXPECT_EQ(got.event_data.fork.child_pid, 42);
    EXPECT_EQ(got.event_data.fork.child_tgid, 43);

    ev = kernel_event(proc_event::PROC_EVENT_EXIT);
    ev.event_data.exit = { 42, 43, 0x300, 17, 1, 2 };
    ASSERT_EQ(ProcRecord(ev).decode(&got), 0);
    EXPECT_EQ(got.what, uint32_t(CNXX_PROC_EVENT_EXIT));
    EXPECT_EQ(got.event_data.exit.process_pid, 42);
    EXPECT_EQ(got.event_data.exit.process_tgid, 43);
    EXPECT_EQ(got.event_data.exit.exit_code, 0x300u);
    EXPECT_EQ(got.event_data.exit.exit_signal, 17u);
    EXPECT_EQ(got.event_data.exit.parent_pid, 1);
    EXPECT_EQ(got.event_data.exit.parent_tgid, 2);

    ev = kernel_event(proc_event::PROC_EVENT_UID);
    ev.event_data.id.process_pid = 42;
    ev.event_data.id.process_tgid = 43;
    ev.event_data.id.r.ruid = 0;
    ev.event_data.id.e.euid = 1000;
    ASSERT_EQ(ProcRecord(ev).decode(&got), 0);
    EXPECT_EQ(got.event_data.id.process_tgid, 43);
    EXPECT_EQ(got.event_data.id.real, 0u);
    EXPECT_EQ(got.event_data.id.effective, 1000u);

    ev = kernel_event(proc_event::PROC_EVENT_COMM);
    ev.event_data.comm.process_pid = 42;
    strcpy(ev.event_data.comm.comm, "worker/0");
    ASSERT_EQ(ProcRecord(ev).decode(&got), 0);
    EXPECT_STREQ(got.event_data.comm.comm, "worker/0");

    ev = kernel_event(proc_event::PROC_EVENT_PTRACE);
    ev.event_data.ptrace = { 42, 43, 7, 8 };
    ASSERT_EQ(ProcRecord(ev).decode(&got), 0);
    EXPECT_EQ(got.event_data.ptrace.tracer_pid, 7);
    EXPECT_EQ(got.event_data.ptrace.tracer_tgid, 8);

    ev = kernel_event(proc_event::PROC_EVENT_COREDUMP);
    ev.event_data.coredump = { 42, 43, 1, 2 };
    ASSERT_EQ(ProcRecord(ev).decode(&got), 0);
    EXPECT_EQ(got.event_data.coredump.parent_tgid, 2);

    ev = kernel_event(proc_event::PROC_EVENT_NONE);
    ev.event_data.ack.err = EPERM;
    ASSERT_EQ(ProcRecord(ev).decode(&got), 0);
    EXPECT_EQ(got.event_data.ack.err, uint32_t(EPERM));
}

TEST(ProcEvents, DecodeRejectsOtherIdsAndShortEvents)
{
    proc_event ev = kernel_event(proc_event::PROC_EVENT_EXEC);
    cnxx_proc_event got;

    ProcRecord other(ev);
    other.rec.id = { CN_IDX_PROC, CN_VAL_PROC + 1 };
    EXPECT_EQ(cnxx_proc_decode(&other.rec, &got), -ENOMSG);
    other.rec.id = { 14, CN_VAL_PROC };
    EXPECT_EQ(cnxx_proc_decode(&other.rec, &got), -ENOMSG);
    EXPECT_EQ(ProcRecord(ev, sizeof(ev) - 1).decode(&got), -EBADMSG);
    EXPECT_EQ(ProcRecord(ev, 0).decode(&got), -EBADMSG);
}

TEST(ProcEvents, NamesOfEveryKind)
{
    EXPECT_STREQ(cnxx_proc_event_name(proc_event::PROC_EVENT_FORK), "fork");
    EXPECT_STREQ(cnxx_proc_event_name(proc_event::PROC_EVENT_EXEC), "exec");
    EXPECT_STREQ(cnxx_proc_event_name(proc_event::PROC_EVENT_UID), "uid");
    EXPECT_STREQ(cnxx_proc_event_name(proc_event::PROC_EVENT_GID), "gid");
    EXPECT_STREQ(cnxx_proc_event_name(proc_event::PROC_EVENT_SID), "sid");
    EXPECT_STREQ(cnxx_proc_event_name(proc_event::PROC_EVENT_PTRACE), "ptrace");
    EXPECT_STREQ(cnxx_proc_event_name(proc_event::PROC_EVENT_COMM), "comm");
    EXPECT_STREQ(cnxx_proc_event_name(proc_event::PROC_EVENT_COREDUMP), "coredump");
    EXPECT_STREQ(cnxx_proc_event_name(proc_event::PROC_EVENT_EXIT), "exit");
    EXPECT_STREQ(cnxx_proc_event_name(proc_event::PROC_EVENT_NONE), "none");
    EXPECT_STREQ(cnxx_proc_event_name(CNXX_PROC_EVENT_NONZERO_EXIT), "nonzero-exit");
    EXPECT_EQ(cnxx_proc_event_name(0x8), nullptr);
    EXPECT_EQ(cnxx_proc_event_name(CNXX_PROC_EVENT_FORK | CNXX_PROC_EVENT_EXEC), nullptr);
}

TEST(ProcEvents, ParsesEventLists)
{
    uint32_t events = 0;
    const char* bad = nullptr;

    ASSERT_EQ(cnxx_proc_parse_events("fork", &events, &bad), 0);
    EXPECT_EQ(events, uint32_t(CNXX_PROC_EVENT_FORK));
    ASSERT_EQ(cnxx_proc_parse_events(
                  "fork,exec,exit,comm,uid,gid,sid,ptrace,coredump,nonzero-exit", &events, &bad),
        0);
    EXPECT_EQ(events, uint32_t(CNXX_PROC_EVENT_ALL));
    ASSERT_EQ(cnxx_proc_parse_events("nonzero-exit,exit,exit", &events, nullptr), 0);
    EXPECT_EQ(events, uint32_t(CNXX_PROC_EVENT_NONZERO_EXIT | CNXX_PROC_EVENT_EXIT));
    ASSERT_EQ(cnxx_proc_parse_events("all", &events, nullptr), 0);
    EXPECT_EQ(events, uint32_t(CNXX_PROC_EVENT_ALL));

    const char* list = "fork,forks,exec";
    events = 7;
    EXPECT_EQ(cnxx_proc_parse_events(list, &events, &bad), -EINVAL);
    EXPECT_EQ(bad, list + 5);
    EXPECT_EQ(events, 7u); /* untouched on errors */
    for (const char* l : { "", ",", "fork,", ",fork", "fork,,exec", "FORK", " fork", "none",
             "nonzero", "exi", "exits", "all,bogus" })
        EXPECT_EQ(cnxx_proc_parse_events(l, &events, nullptr), -EINVAL) << l;
    list = "exec,";
    EXPECT_EQ(cnxx_proc_parse_events(list, &events, &bad), -EINVAL);
    EXPECT_EQ(bad, list + 5);
}

TEST(ProcEvents, UserSpaceFilterIsTheKernels)
{
    cnxx_proc_event ev{};

    ev.what = CNXX_PROC_EVENT_FORK;
    EXPECT_TRUE(cnxx_proc_wanted(CNXX_PROC_EVENT_ALL, &ev));
    EXPECT_TRUE(cnxx_proc_wanted(CNXX_PROC_EVENT_FORK | CNXX_PROC_EVENT_EXIT, &ev));
    EXPECT_FALSE(cnxx_proc_wanted(CNXX_PROC_EVENT_EXEC, &ev));
    EXPECT_FALSE(cnxx_proc_wanted(CNXX_PROC_EVENT_NONZERO_EXIT, &ev));

    ev.what = CNXX_PROC_EVENT_EXIT;
    ev.event_data.exit.exit_code = 0;
    EXPECT_TRUE(cnxx_proc_wanted(CNXX_PROC_EVENT_EXIT, &ev));
    EXPECT_FALSE(cnxx_proc_wanted(CNXX_PROC_EVENT_NONZERO_EXIT, &ev));
    EXPECT_TRUE(cnxx_proc_wanted(CNXX_PROC_EVENT_NONZERO_EXIT | CNXX_PROC_EVENT_EXIT, &ev));
    ev.event_data.exit.exit_code = 0x300;
    EXPECT_TRUE(cnxx_proc_wanted(CNXX_PROC_EVENT_NONZERO_EXIT, &ev));
    ev.event_data.exit.exit_code = 9; /* killed */
    EXPECT_TRUE(cnxx_proc_wanted(CNXX_PROC_EVENT_NONZERO_EXIT | CNXX_PROC_EVENT_COMM, &ev));
    EXPECT_FALSE(cnxx_proc_wanted(CNXX_PROC_EVENT_COMM, &ev));

    /* answers to subscriptions pass only a subscription for everything */
    ev.what = CNXX_PROC_EVENT_NONE;
    EXPECT_TRUE(cnxx_proc_wanted(CNXX_PROC_EVENT_ALL, &ev));
    EXPECT_FALSE(cnxx_proc_wanted(CNXX_PROC_EVENT_ALL & ~CNXX_PROC_EVENT_SID, &ev));
}

/* Sets $CNXX_UNIT for one test and restores what was there. */
class UnitEnv {
public:
    explicit UnitEnv(const char* value)
    {
        const char* old = getenv(CNXX_UNIT_ENV);
        had_ = old != nullptr;
        if (had_)
            old_ = old;
        setenv(CNXX_UNIT_ENV, value, 1);
    }
    ~UnitEnv()
    {
        if (had_)
            setenv(CNXX_UNIT_ENV, old_.c_str(), 1);
        else
            unsetenv(CNXX_UNIT_ENV);
    }

private:
    bool had_;
    std::string old_;
};

TEST(Unit, EnvironmentOverridesAndIsChecked)
{
    {
        UnitEnv env("29");
        EXPECT_EQ(cnxx_unit(), 29);
    }
    {
        UnitEnv env("0");
        EXPECT_EQ(cnxx_unit(), 0);
    }
    for (const char* bad : { "", "32", "-1", "11x", "x", "99999999999" }) {
        UnitEnv env(bad);
        EXPECT_EQ(cnxx_unit(), -EINVAL) << "CNXX_UNIT='" << bad << "'";
        cnxx_sock* sock = nullptr;
        EXPECT_EQ(cnxx_open(&sock), -EINVAL) << "CNXX_UNIT='" << bad << "'";
        EXPECT_EQ(sock, nullptr);
    }
}

TEST(Unit, WithoutCnxxIsTheConnectorsUnit)
{
    if (access(CNXX_UNIT_PATH, F_OK) == 0)
        GTEST_SKIP() << "cnxx.ko is loaded here";
    const char* old = getenv(CNXX_UNIT_ENV);
    std::string saved = old ? old : "";
    unsetenv(CNXX_UNIT_ENV);
    EXPECT_EQ(cnxx_unit(), NETLINK_CONNECTOR);
    if (old)
        setenv(CNXX_UNIT_ENV, saved.c_str(), 1);
}

TEST(ProcSeq, GapsPerCpuAreLosses)
{
    auto s = std::make_unique<cnxx_proc_seq>();

    /* the first message of a CPU only starts it */
    EXPECT_EQ(cnxx_proc_seq_note(s.get(), 0, 100), 0u);
    EXPECT_EQ(cnxx_proc_seq_note(s.get(), 1, 7), 0u);
    EXPECT_EQ(cnxx_proc_seq_note(s.get(), 0, 101), 0u);
    EXPECT_EQ(cnxx_proc_seq_note(s.get(), 0, 105), 3u);
    EXPECT_EQ(cnxx_proc_seq_note(s.get(), 1, 9), 1u);
    EXPECT_EQ(s->lost, 4u);
    EXPECT_EQ(s->last_cpu, 1u);

    /* the counter wraps */
    EXPECT_EQ(cnxx_proc_seq_note(s.get(), 2, UINT32_MAX), 0u);
    EXPECT_EQ(cnxx_proc_seq_note(s.get(), 2, 1), 1u);

    /* back, or far ahead: the module was loaded again; start over */
    EXPECT_EQ(cnxx_proc_seq_note(s.get(), 0, 3), 0u);
    EXPECT_EQ(cnxx_proc_seq_note(s.get(), 0, 4), 0u);
    EXPECT_EQ(cnxx_proc_seq_note(s.get(), CNXX_PROC_SEQ_CPUS, 50), 0u);
    EXPECT_EQ(s->lost, 5u);
}

TEST(ErrName, MapsCommonErrnos)
{
    EXPECT_STREQ(cnxx_errname(ENODEV), "ENODEV");
    EXPECT_STREQ(cnxx_errname(-ENODEV), "ENODEV");
    EXPECT_STREQ(cnxx_errname(-EPERM), "EPERM");
    EXPECT_STREQ(cnxx_errname(ESRCH), "ESRCH");
    EXPECT_STREQ(cnxx_errname(EINVAL), "EINVAL");
    EXPECT_STREQ(cnxx_errname(EMSGSIZE), "EMSGSIZE");
    EXPECT_STREQ(cnxx_errname(ENOENT), "ENOENT");
    EXPECT_STREQ(cnxx_errname(ENOSPC), "ENOSPC");
    EXPECT_STREQ(cnxx_errname(E2BIG), "E2BIG");
    EXPECT_STREQ(cnxx_errname(EPROTONOSUPPORT), "EPROTONOSUPPORT");
    EXPECT_STREQ(cnxx_errname(ETIMEDOUT), "ETIMEDOUT");
    EXPECT_STREQ(cnxx_errname(ENOBUFS), "ENOBUFS");
    EXPECT_STREQ(libcnxx::errname(-EBADMSG), "EBADMSG");
    EXPECT_EQ(cnxx_errname(0), nullptr);
    EXPECT_EQ(cnxx_errname(4095), nullptr);
}

} // namespace
