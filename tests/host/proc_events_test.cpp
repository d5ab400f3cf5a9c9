// SPDX-License-Identifier: GPL-2.0
// cnxx_proc's core: the messages against the system's <linux/cn_proc.h>,
// request parsing per kernel dialect, listener accounting and the filter
// of drivers/connector/cn_proc.c (6.6+).
#include "cxxrt/errno.h"

#include <cerrno>
#include <cstring>
#include <random>
#include <vector>

#include <linux/cn_proc.h>
#include <linux/connector.h>

#include "kmod/core/proc/proc_abi.h"

#include <gtest/gtest.h>

namespace {

// Debian 12's header (6.1) declares the event kinds inside struct proc_event.
using K = proc_event;

// As cn_proc.c: the message 4 bytes into the buffer, the event 8-aligned.
struct Encoded {
    alignas(8) unsigned char buffer[CNXX_PROC_MSG_SIZE];

    const cn_msg* msg() const { return reinterpret_cast<const cn_msg*>(buffer + 4); }
    const proc_event& event() const { return *reinterpret_cast<const proc_event*>(msg()->data); }
};

Encoded encode(const cnxx_proc_facts& facts)
{
    Encoded e;
    std::memset(e.buffer, 0xa5, sizeof(e.buffer));
    EXPECT_EQ(reinterpret_cast<unsigned char*>(cnxx_proc_encode(&facts, e.buffer)), e.buffer + 4);
    return e;
}

cnxx_proc_facts facts_for(__u32 what)
{
    cnxx_proc_facts f {};
    f.what = what;
    f.timestamp_ns = 123456789;
    f.pid = 101;
    f.tgid = 100;
    f.peer_pid = 11;
    f.peer_tgid = 10;
    f.real_id = 1000;
    f.effective_id = 1001;
    f.exit_code = 0x300;
    f.exit_signal = 17;
    std::strcpy(f.comm, "worker");
    return f;
}

TEST(ProcEncode, MessageHeaderIsCnProcs)
{
    const auto e = encode(facts_for(K::PROC_EVENT_EXEC));

    EXPECT_EQ(e.msg()->id.idx, unsigned(CN_IDX_PROC));
    EXPECT_EQ(e.msg()->id.val, unsigned(CN_VAL_PROC));
    EXPECT_EQ(e.msg()->seq, 0u);
    EXPECT_EQ(e.msg()->ack, 0u);
    EXPECT_EQ(e.msg()->len, sizeof(proc_event));
    EXPECT_EQ(e.msg()->flags, 0u);
    EXPECT_EQ(e.event().what, K::PROC_EVENT_EXEC);
    EXPECT_EQ(e.event().cpu, 0u);
    EXPECT_EQ(e.event().timestamp_ns, 123456789u);
}

TEST(ProcEncode, EveryKindFillsItsFieldsAndZeroesTheRest)
{
    struct Case {
        __u32 what;
        std::vector<__u32> words; // event_data as 32-bit words
    };
    const Case cases[] = {
        { K::PROC_EVENT_FORK, { 11, 10, 101, 100 } },
        { K::PROC_EVENT_EXEC, { 101, 100 } },
        { K::PROC_EVENT_UID, { 101, 100, 1000, 1001 } },
        { K::PROC_EVENT_GID, { 101, 100, 1000, 1001 } },
        { K::PROC_EVENT_SID, { 101, 100 } },
        { K::PROC_EVENT_PTRACE, { 101, 100, 11, 10 } },
        { K::PROC_EVENT_COREDUMP, { 101, 100, 11, 10 } },
        { K::PROC_EVENT_EXIT, { 101, 100, 0x300, 17, 11, 10 } },
    };
    for (const auto& c : cases) {
        const auto e = encode(facts_for(c.what));
        __u32 words[sizeof(e.event().event_data) / 4];
        std::memcpy(words, &e.event().event_data, sizeof(words));
        for (size_t i = 0; i < std::size(words); i++)
            EXPECT_EQ(words[i], i < c.words.size() ? c.words[i] : 0u)
                << "what " << std::hex << c.what << " word " << i;
    }
}

TEST(ProcEncode, NamedFieldsMatchTheKernelHeader)
{
    auto e = encode(facts_for(K::PROC_EVENT_EXIT));
    EXPECT_EQ(e.event().event_data.exit.process_pid, 101);
    EXPECT_EQ(e.event().event_data.exit.process_tgid, 100);
    EXPECT_EQ(e.event().event_data.exit.exit_code, 0x300u);
    EXPECT_EQ(e.event().event_data.exit.exit_signal, 17u);
    EXPECT_EQ(e.event().event_data.exit.parent_pid, 11);
    EXPECT_EQ(e.event().event_data.exit.parent_tgid, 10);

    e = encode(facts_for(K::PROC_EVENT_FORK));
    EXPECT_EQ(e.event().event_data.fork.parent_pid, 11);
    EXPECT_EQ(e.event().event_data.fork.parent_tgid, 10);
    EXPECT_EQ(e.event().event_data.fork.child_pid, 101);
    EXPECT_EQ(e.event().event_data.fork.child_tgid, 100);

    e = encode(facts_for(K::PROC_EVENT_UID));
    EXPECT_EQ(e.event().event_data.id.r.ruid, 1000u);
    EXPECT_EQ(e.event().event_data.id.e.euid, 1001u);

    e = encode(facts_for(K::PROC_EVENT_PTRACE));
    EXPECT_EQ(e.event().event_data.ptrace.tracer_pid, 11);
    EXPECT_EQ(e.event().event_data.ptrace.tracer_tgid, 10);
}

TEST(ProcEncode, CommIsFifteenCharactersAndPadded)
{
    auto facts = facts_for(K::PROC_EVENT_COMM);
    std::memcpy(facts.comm, "abcdefghijklmnop", 16); // no NUL
    const auto e = encode(facts);
    const auto& comm = e.event().event_data.comm;

    EXPECT_EQ(comm.process_pid, 101);
    EXPECT_EQ(comm.process_tgid, 100);
    EXPECT_EQ(std::string(comm.comm), "abcdefghijklmno");

    facts = facts_for(K::PROC_EVENT_COMM);
    const auto short_name = encode(facts);
    const char* c = short_name.event().event_data.comm.comm;
    EXPECT_STREQ(c, "worker");
    for (size_t i = std::strlen("worker"); i < 16; i++)
        EXPECT_EQ(c[i], 0) << i;
}

TEST(ProcEncode, AckCarriesErrorAndAnswersTheRequest)
{
    cnxx_proc_facts facts {};
    facts.what = K::PROC_EVENT_NONE;
    facts.ack_err = EPERM;
    facts.ack_seq = 77;
    facts.ack_ack = 5;
    const auto e = encode(facts);

    EXPECT_EQ(e.msg()->seq, 77u);
    EXPECT_EQ(e.msg()->ack, 6u);
    EXPECT_EQ(e.event().what, K::PROC_EVENT_NONE);
    EXPECT_EQ(e.event().cpu, ~0u);
    EXPECT_EQ(e.event().event_data.ack.err, unsigned(EPERM));
}

cnxx_proc_request parsed(cnxx_proc_dialect dialect, std::vector<__u32> words, int want = 0)
{
    cnxx_proc_request req { 0xdead, 0xdead };
    EXPECT_EQ(cnxx_proc_parse(dialect, words.data(), __u16(words.size() * 4), &req), want);
    return req;
}

TEST(ProcParse, OpAloneMeansAllEventsOnBothKernels)
{
    for (auto d : { CNXX_PROC_DIALECT_6_1, CNXX_PROC_DIALECT_6_6 }) {
        const auto req = parsed(d, { PROC_CN_MCAST_LISTEN });
        EXPECT_EQ(req.op, unsigned(PROC_CN_MCAST_LISTEN));
        EXPECT_EQ(req.events, unsigned(CNXX_PROC_EVENT_ALL));
    }
}

TEST(ProcParse, FilterOnlyFrom66)
{
    parsed(CNXX_PROC_DIALECT_6_1, { PROC_CN_MCAST_LISTEN, K::PROC_EVENT_EXIT }, -EMSGSIZE);
    auto req = parsed(CNXX_PROC_DIALECT_6_6, { PROC_CN_MCAST_LISTEN, K::PROC_EVENT_EXIT });
    EXPECT_EQ(req.events, unsigned(K::PROC_EVENT_EXIT));
    // As valid_event(): unknown bits go, and nothing left means all.
    req = parsed(CNXX_PROC_DIALECT_6_6, { PROC_CN_MCAST_LISTEN, 0x400 | K::PROC_EVENT_FORK });
    EXPECT_EQ(req.events, unsigned(K::PROC_EVENT_FORK));
    req = parsed(CNXX_PROC_DIALECT_6_6, { PROC_CN_MCAST_LISTEN, 0x400 });
    EXPECT_EQ(req.events, unsigned(CNXX_PROC_EVENT_ALL));
}

TEST(ProcParse, OtherLengthsAreDropped)
{
    const __u32 words[4] = { PROC_CN_MCAST_LISTEN };
    cnxx_proc_request req;
    for (auto d : { CNXX_PROC_DIALECT_6_1, CNXX_PROC_DIALECT_6_6 })
        for (__u16 len : { 0, 3, 5, 12, 16 })
            EXPECT_EQ(cnxx_proc_parse(d, words, len, &req), -EMSGSIZE) << len;
}

__u32 apply(__u32 op, cnxx_proc_subscription* sub, int* delta, __u32 events = CNXX_PROC_EVENT_ALL)
{
    const cnxx_proc_request req { op, events };
    return cnxx_proc_apply(&req, sub, delta);
}

TEST(ProcApply, WithoutStateEachRequestCounts)
{
    int delta = 9;
    EXPECT_EQ(apply(PROC_CN_MCAST_LISTEN, nullptr, &delta), 0u);
    EXPECT_EQ(delta, 1);
    EXPECT_EQ(apply(PROC_CN_MCAST_IGNORE, nullptr, &delta), 0u);
    EXPECT_EQ(delta, -1);
    EXPECT_EQ(apply(7, nullptr, &delta), unsigned(EINVAL));
    EXPECT_EQ(delta, 0);
}

TEST(ProcApply, ASocketCountsOnceAndOnlyWhileListening)
{
    cnxx_proc_subscription sub {};
    int delta;

    EXPECT_EQ(apply(PROC_CN_MCAST_IGNORE, &sub, &delta), 0u);
    EXPECT_EQ(delta, 0);
    EXPECT_EQ(apply(PROC_CN_MCAST_LISTEN, &sub, &delta, K::PROC_EVENT_EXIT), 0u);
    EXPECT_EQ(delta, 1);
    EXPECT_EQ(sub.events, unsigned(K::PROC_EVENT_EXIT));
    EXPECT_EQ(apply(PROC_CN_MCAST_LISTEN, &sub, &delta), 0u);
    EXPECT_EQ(delta, 0);
    EXPECT_EQ(sub.events, unsigned(CNXX_PROC_EVENT_ALL));
    EXPECT_EQ(apply(PROC_CN_MCAST_IGNORE, &sub, &delta), 0u);
    EXPECT_EQ(delta, -1);
    EXPECT_EQ(apply(PROC_CN_MCAST_IGNORE, &sub, &delta), 0u);
    EXPECT_EQ(delta, 0);
}

TEST(ProcApply, UnknownOpChangesNothing)
{
    cnxx_proc_subscription sub {};
    int delta;
    apply(PROC_CN_MCAST_LISTEN, &sub, &delta, K::PROC_EVENT_FORK);
    const auto before = sub;

    EXPECT_EQ(apply(7, &sub, &delta), unsigned(EINVAL));
    EXPECT_EQ(delta, 0);
    EXPECT_EQ(std::memcmp(&sub, &before, sizeof(sub)), 0);
    // cn_proc.c would store op 7 and count this LISTEN a second time.
    EXPECT_EQ(apply(PROC_CN_MCAST_LISTEN, &sub, &delta), 0u);
    EXPECT_EQ(delta, 0);
}

TEST(ProcApply, AFloodEndsAtTheNumberOfListeningSockets)
{
    std::mt19937 random(42);
    std::vector<cnxx_proc_subscription> subs(64);
    long count = 0;

    for (int i = 0; i < 100000; i++) {
        auto& sub = subs[random() % subs.size()];
        const __u32 op = random() % 3 + 1; // LISTEN, IGNORE, or unknown
        int delta;
        apply(op, &sub, &delta);
        count += delta;
        ASSERT_GE(count, 0);
    }
    long listening = 0;
    for (const auto& sub : subs)
        listening += sub.listening;
    EXPECT_EQ(count, listening);
}

bool filtered(const cnxx_proc_subscription* sub, __u32 what, __u32 exit_code = 0)
{
    return cnxx_proc_filtered_out(sub, what, exit_code);
}

TEST(ProcFilter, AsCnFilter)
{
    EXPECT_FALSE(filtered(nullptr, K::PROC_EVENT_FORK)) << "a socket that never asked gets all";

    cnxx_proc_subscription sub { CNXX_PROC_EVENT_ALL, 1, 0 };
    EXPECT_FALSE(filtered(&sub, K::PROC_EVENT_NONE));
    EXPECT_FALSE(filtered(&sub, K::PROC_EVENT_EXIT));

    sub = { K::PROC_EVENT_EXIT, 1, 0 };
    EXPECT_FALSE(filtered(&sub, K::PROC_EVENT_EXIT));
    EXPECT_TRUE(filtered(&sub, K::PROC_EVENT_FORK));
    EXPECT_TRUE(filtered(&sub, K::PROC_EVENT_NONE)) << "acks only with all events";

    sub = { CNXX_PROC_EVENT_NONZERO_EXIT, 1, 0 };
    EXPECT_FALSE(filtered(&sub, K::PROC_EVENT_EXIT, 0x100));
    EXPECT_TRUE(filtered(&sub, K::PROC_EVENT_EXIT, 0));
    EXPECT_TRUE(filtered(&sub, K::PROC_EVENT_EXEC));

    sub = { CNXX_PROC_EVENT_NONZERO_EXIT | K::PROC_EVENT_EXIT, 1, 0 };
    EXPECT_FALSE(filtered(&sub, K::PROC_EVENT_EXIT, 0)) << "EXIT asks for all exits";

    sub = { CNXX_PROC_EVENT_NONE, 0, 1 };
    EXPECT_TRUE(filtered(&sub, K::PROC_EVENT_EXIT, 1));
    EXPECT_TRUE(filtered(&sub, K::PROC_EVENT_NONE));
}

} // namespace
