// SPDX-License-Identifier: GPL-2.0-or-later
/* cnctl's pure parts: command-line values, output formats, explanations. */
#include "args.hpp"
#include "output.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <climits>
#include <unistd.h>

/* global: found from inside std::vector's operator== */
static bool operator==(const cnxx_range& a, const cnxx_range& b)
{
    return a.first == b.first && a.range == b.range;
}

namespace {

using cnctl::Parsed;
using Ranges = std::vector<cnxx_range>;

TEST(ParseUint, DecimalHexAndLimits)
{
    EXPECT_EQ(cnctl::parse_u32("0", "seq").value, 0u);
    EXPECT_EQ(cnctl::parse_u32("4294967295", "seq").value, 4294967295u);
    EXPECT_EQ(cnctl::parse_u32("0xffffffff", "seq").value, 4294967295u);
    EXPECT_EQ(cnctl::parse_u32("0X1f", "seq").value, 31u);
    EXPECT_EQ(cnctl::parse_u32("010", "seq").value, 10u); /* not octal */

    Parsed<uint32_t> p = cnctl::parse_u32("4294967296", "seq");
    EXPECT_FALSE(p);
    EXPECT_EQ(p.error, "seq '4294967296' is out of range 0..4294967295");
    EXPECT_FALSE(cnctl::parse_u32("0x100000000", "seq"));
    p = cnctl::parse_u32("12a", "seq");
    EXPECT_EQ(p.error, "bad seq '12a': expected a number");
    for (const char* bad : { "", "-1", "+1", " 1", "0x", "1.5", "0xg" })
        EXPECT_FALSE(cnctl::parse_u32(bad, "seq")) << bad;

    EXPECT_EQ(cnctl::parse_uint("65535", 0xffff, "flags").value, 65535u);
    EXPECT_FALSE(cnctl::parse_uint("65536", 0xffff, "flags"));
    EXPECT_EQ(cnctl::parse_uint("18446744073709551615", UINT64_MAX, "n").value, UINT64_MAX);
    EXPECT_FALSE(cnctl::parse_uint("18446744073709551616", UINT64_MAX, "n"));
}

// Any group a module may have: the count is the module's, not cnctl's.
TEST(ParseGroup, AnyGroupAboveZero)
{
    for (const char* text : { "1", "32", "33", "1000", "0x400", "65536", "4294967295" }) {
        Parsed<uint32_t> g = cnctl::parse_group(text);
        ASSERT_TRUE(g) << text << ": " << g.error;
        EXPECT_EQ(g.value, cnctl::parse_u32(text, "n").value) << text;
    }
    EXPECT_EQ(cnctl::parse_group("0").error, "bad group '0': groups start at 1");
    EXPECT_EQ(
        cnctl::parse_group("4294967296").error, "group '4294967296' is out of range 0..4294967295");
    for (const char* bad : { "", "-1", "x", "1000 ", "33,34" })
        EXPECT_FALSE(cnctl::parse_group(bad)) << bad;
}

TEST(ParseId, Forms)
{
    Parsed<cb_id> id = cnctl::parse_id("3:1");
    ASSERT_TRUE(id);
    EXPECT_EQ(id.value.idx, 3u);
    EXPECT_EQ(id.value.val, 1u);

    id = cnctl::parse_id("0xa:0x456");
    ASSERT_TRUE(id);
    EXPECT_EQ(id.value.idx, 10u);
    EXPECT_EQ(id.value.val, 0x456u);

    id = cnctl::parse_id("4294967295:4294967295");
    ASSERT_TRUE(id);
    EXPECT_EQ(id.value.idx, 0xffffffffu);
}

TEST(ParseId, ErrorsNameTheProblem)
{
    EXPECT_EQ(cnctl::parse_id("3").error, "bad id '3': expected IDX:VAL, e.g. 3:1");
    EXPECT_EQ(cnctl::parse_id("4294967296:1").error,
        "id index '4294967296' is out of range 0..4294967295");
    EXPECT_EQ(cnctl::parse_id("1:99999999999").error,
        "id value '99999999999' is out of range 0..4294967295");
    for (const char* bad : { "", ":", "3:", ":1", "a:b", "-1:2", "3:1:2", "3.1", " 3:1" })
        EXPECT_FALSE(cnctl::parse_id(bad)) << bad;
}

TEST(ParseRanges, Forms)
{
    EXPECT_EQ(cnctl::parse_ranges("10", "r").value, (Ranges{ { 10, 1 } }));
    EXPECT_EQ(cnctl::parse_ranges("10-19", "r").value, (Ranges{ { 10, 10 } }));
    EXPECT_EQ(cnctl::parse_ranges("10+5", "r").value, (Ranges{ { 10, 5 } }));
    EXPECT_EQ(cnctl::parse_ranges("7-7", "r").value, (Ranges{ { 7, 1 } }));
    EXPECT_EQ(
        cnctl::parse_ranges("1-3,7,0x10+2", "r").value, (Ranges{ { 1, 3 }, { 7, 1 }, { 16, 2 } }));
    EXPECT_EQ(cnctl::parse_ranges("4294967295", "r").value, (Ranges{ { 4294967295u, 1 } }));
    EXPECT_EQ(cnctl::parse_ranges("4294967290+6", "r").value, (Ranges{ { 4294967290u, 6 } }));
    EXPECT_EQ(cnctl::parse_ranges("1-4294967295", "r").value, (Ranges{ { 1, 4294967295u } }));
    /* all 2^32 ids do not fit one u32 range */
    EXPECT_EQ(cnctl::parse_ranges("0-4294967295", "r").value,
        (Ranges{ { 0, 0x80000000u }, { 0x80000000u, 0x80000000u } }));
}

TEST(ParseRanges, Errors)
{
    EXPECT_EQ(cnctl::parse_ranges("19-10", "index range").error,
        "bad index range '19-10': end before start");
    EXPECT_EQ(
        cnctl::parse_ranges("10+0", "index range").error, "bad index range '10+0': empty range");
    EXPECT_EQ(cnctl::parse_ranges("4294967295+2", "index range").error,
        "bad index range '4294967295+2': goes past 4294967295");
    for (const char* bad :
        { "", "a", "1-", "-1", "+1", "1,,2", "1,", "1-2-3", "1+2+3", "4294967296", "1-4294967296" })
        EXPECT_FALSE(cnctl::parse_ranges(bad, "r")) << bad;
}

TEST(InRanges, Boundaries)
{
    Ranges r{ { 10, 10 }, { 4294967290u, 6 } };

    EXPECT_FALSE(cnctl::in_ranges(r, 9));
    EXPECT_TRUE(cnctl::in_ranges(r, 10));
    EXPECT_TRUE(cnctl::in_ranges(r, 19));
    EXPECT_FALSE(cnctl::in_ranges(r, 20));
    EXPECT_TRUE(cnctl::in_ranges(r, 4294967295u));
    EXPECT_FALSE(cnctl::in_ranges(r, 4294967289u));
    EXPECT_FALSE(cnctl::in_ranges({}, 0));
}

TEST(ParseHex, Forms)
{
    using Bytes = std::vector<uint8_t>;

    EXPECT_EQ(cnctl::parse_hex("deadbeef").value, (Bytes{ 0xde, 0xad, 0xbe, 0xef }));
    EXPECT_EQ(cnctl::parse_hex("DE AD:be\tEF").value, (Bytes{ 0xde, 0xad, 0xbe, 0xef }));
    EXPECT_EQ(cnctl::parse_hex("0x0001").value, (Bytes{ 0, 1 }));
    EXPECT_EQ(cnctl::parse_hex("").value, Bytes{});
    EXPECT_TRUE(cnctl::parse_hex(""));

    EXPECT_EQ(cnctl::parse_hex("abc").error, "bad hex data: odd number of hex digits");
    EXPECT_EQ(cnctl::parse_hex("zz").error, "bad hex data: 'z' is not a hex digit");
    EXPECT_FALSE(cnctl::parse_hex("0x0x00"));
}

class Payload : public ::testing::Test {
protected:
    void TearDown() override
    {
        for (const std::string& path : paths_)
            unlink(path.c_str());
    }

    std::string write_file(size_t size)
    {
        char path[] = "/tmp/cnctl-payload-XXXXXX";
        int fd = mkstemp(path);
        EXPECT_GE(fd, 0);
        std::string data(size, 'x');
        EXPECT_EQ(write(fd, data.data(), size), ssize_t(size));
        close(fd);
        paths_.push_back(path);
        return path;
    }

    std::vector<std::string> paths_;
};

TEST_F(Payload, Sources)
{
    using Bytes = std::vector<uint8_t>;
    cnctl::PayloadSource src;

    EXPECT_EQ(cnctl::make_payload(src).value, Bytes{});

    src.words = { "hello", "world" };
    EXPECT_EQ(cnctl::make_payload(src).value,
        Bytes(std::begin("hello world"), std::end("hello world") - 1));
    src.nul = true;
    EXPECT_EQ(
        cnctl::make_payload(src).value, Bytes(std::begin("hello world"), std::end("hello world")));

    src = {};
    src.hex = "0102";
    src.has_hex = true;
    EXPECT_EQ(cnctl::make_payload(src).value, (Bytes{ 1, 2 }));

    src = {};
    src.file = write_file(300);
    EXPECT_EQ(cnctl::make_payload(src).value.size(), 300u);
}

TEST_F(Payload, Errors)
{
    cnctl::PayloadSource src;

    src.words = { "a" };
    src.has_hex = true;
    EXPECT_FALSE(cnctl::make_payload(src));

    src = {};
    src.file = "/nonexistent/cnctl";
    EXPECT_EQ(cnctl::make_payload(src).error,
        "cannot read '/nonexistent/cnctl': No such file or directory");

    src = {};
    src.file = write_file(CNXX_MAX_DATA);
    EXPECT_TRUE(cnctl::make_payload(src));
    src.file = write_file(CNXX_MAX_DATA + 1);
    EXPECT_EQ(cnctl::make_payload(src).error,
        "data of 16365 bytes is too large: at most 16364 (16384 - 20)");

    src = {};
    src.words = { std::string(CNXX_MAX_DATA, 'a') };
    EXPECT_TRUE(cnctl::make_payload(src));
    src.nul = true;
    EXPECT_FALSE(cnctl::make_payload(src));
}

TEST(ToMs, Conversions)
{
    EXPECT_EQ(cnctl::to_ms(0), 0);
    EXPECT_EQ(cnctl::to_ms(1.5), 1500);
    EXPECT_EQ(cnctl::to_ms(0.0004), 0);
    EXPECT_EQ(cnctl::to_ms(-1), -1);
    EXPECT_EQ(cnctl::to_ms(1e12), INT_MAX);
}

TEST(Explain, NamesAndMeanings)
{
    using cnctl::ErrorContext;
    using cnctl::Op;
    const cb_id id{ 3, 1 };

    EXPECT_EQ(cnctl::explain(-ENODEV, { Op::Send, id }), "ENODEV: no callback registered for 3:1");
    EXPECT_EQ(cnctl::explain(ENODEV, { Op::Send, id }), "ENODEV: no callback registered for 3:1");
    EXPECT_EQ(cnctl::explain(-EPERM, { Op::Join, {}, 14 }),
        "EPERM: joining connector groups needs CAP_NET_ADMIN (root)");
    EXPECT_EQ(cnctl::explain(-EPERM, { Op::Notify }),
        "EPERM: notification requests need CAP_NET_ADMIN (root)");
    EXPECT_EQ(cnctl::explain(-EINVAL, { Op::Join, {}, 40 }),
        "EINVAL: group 40 does not exist: the connector has groups 1..32");
    EXPECT_EQ(cnctl::explain(-EINVAL, { Op::Join, {}, 1025, 1024 }),
        "EINVAL: group 1025 does not exist: the connector has groups 1..1024");
    EXPECT_EQ(cnctl::explain(-EMSGSIZE, { Op::Send, id }),
        "EMSGSIZE: message too large: at most 16364 data bytes");
    EXPECT_EQ(cnctl::explain(-ENOENT, { Op::Unnotify }),
        "ENOENT: no notification request with these ranges");
    EXPECT_EQ(
        cnctl::explain(-ESRCH, { Op::Send, id }), "ESRCH: nobody listens on the destination group");
    EXPECT_EQ(cnctl::explain(-ENOSPC, { Op::Notify }),
        "ENOSPC: the module stores no more notification requests");
    EXPECT_EQ(cnctl::explain(-E2BIG, { Op::Notify }),
        "E2BIG: too many ranges in one notification request");
    EXPECT_EQ(cnctl::explain(-EPROTONOSUPPORT, { Op::Open }),
        "EPROTONOSUPPORT: no connector module is loaded: load it with "
        "'modprobe cnxx' or 'insmod cnxx.ko'");
    EXPECT_EQ(cnctl::explain(-ENOBUFS, { Op::Receive }),
        "ENOBUFS: the receive queue overflowed: messages were lost");
    EXPECT_EQ(cnctl::explain(-EPERM, { Op::ProcListen, { 1, 1 }, 1 }),
        "EPERM: process events need CAP_NET_ADMIN on this kernel (root; before 6.6)");
    EXPECT_EQ(cnctl::explain(-ENODEV, { Op::ProcListen, { 1, 1 }, 1 }),
        "ENODEV: cnxx_proc is not loaded: load it with 'insmod cnxx_proc.ko'");
    EXPECT_EQ(cnctl::explain(-ETIMEDOUT, { Op::ProcListen, { 1, 1 }, 1 }),
        "ETIMEDOUT: no answer from the process-events connector 1:1: is cnxx_proc.ko (or the "
        "kernel's cn_proc) loaded?");
    EXPECT_EQ(cnctl::explain(-EIO, { Op::Send, id }), "EIO: Input/output error");
    EXPECT_EQ(cnctl::explain(-4000, { Op::Send, id }).rfind("error 4000: ", 0), 0u);
}

TEST(Format, Data)
{
    EXPECT_TRUE(cnctl::is_text("hello", 5));
    EXPECT_TRUE(cnctl::is_text("hello", 6)); /* with its NUL */
    EXPECT_TRUE(cnctl::is_text("", 0));
    EXPECT_FALSE(cnctl::is_text("a\nb", 3));
    EXPECT_FALSE(cnctl::is_text("a\0b", 3));
    EXPECT_FALSE(cnctl::is_text("\xc3\xa9", 2));

    EXPECT_EQ(cnctl::data_str("hello", 5), "\"hello\"");
    EXPECT_EQ(cnctl::data_str("hello", 6), "\"hello\"");
    EXPECT_EQ(cnctl::data_str("", 0), "\"\"");
    EXPECT_EQ(cnctl::data_str("say \"hi\" \\o/", 12), "\"say \\\"hi\\\" \\\\o/\"");
    EXPECT_EQ(cnctl::data_str("\x01\xff\x00", 3), "hex:01ff00");
    EXPECT_EQ(cnctl::hex_str("\xde\xad", 2), "dead");
}

TEST(Format, RecordLine)
{
    cnxx_record rec{ { 14, 1110 }, 3, 4, 5, 0x11, "hello" };

    EXPECT_EQ(cnctl::record_line("T", 14, rec),
        "T group=14 id=14:1110 seq=3 ack=4 len=5 flags=0x11 "
        "data=\"hello\"");
    rec = cnxx_record{ { 1, 1 }, 0, 0, 2, 0, "\x00\x01" };
    EXPECT_EQ(cnctl::record_line("T", 0, rec),
        "T group=0 id=1:1 seq=0 ack=0 len=2 flags=0x0 data=hex:0001");
}

TEST(Format, RecordJson)
{
    cnxx_record rec{ { 14, 1110 }, 3, 4, 6, 2, "hello" };
    auto j = nlohmann::json::parse(cnctl::record_json("T", 14, 0, rec));

    EXPECT_EQ(j["time"], "T");
    EXPECT_EQ(j["group"], 14);
    EXPECT_EQ(j["idx"], 14);
    EXPECT_EQ(j["val"], 1110);
    EXPECT_EQ(j["seq"], 3);
    EXPECT_EQ(j["ack"], 4);
    EXPECT_EQ(j["len"], 6);
    EXPECT_EQ(j["flags"], 2);
    EXPECT_EQ(j["pid"], 0);
    EXPECT_EQ(j["hex"], "68656c6c6f00");
    EXPECT_EQ(j["text"], "hello");

    rec = cnxx_record{ { 1, 1 }, 0, 0, 2, 0, "\xc3\xa9" };
    j = nlohmann::json::parse(cnctl::record_json("T", 0, 5, rec));
    EXPECT_EQ(j["hex"], "c3a9");
    EXPECT_FALSE(j.contains("text"));
}

TEST(ParseEvents, NamesAndErrors)
{
    EXPECT_EQ(cnctl::parse_events("fork,exit").value,
        uint32_t(CNXX_PROC_EVENT_FORK | CNXX_PROC_EVENT_EXIT));
    EXPECT_EQ(cnctl::parse_events("all").value, uint32_t(CNXX_PROC_EVENT_ALL));
    EXPECT_EQ(cnctl::parse_events("nonzero-exit").value, uint32_t(CNXX_PROC_EVENT_NONZERO_EXIT));

    const std::string names = "expected fork, exec, uid, gid, sid, ptrace, comm, nonzero-exit, "
                              "coredump, exit or all, comma-separated";
    EXPECT_EQ(cnctl::parse_events("fork,bogus,exec").error,
        "unknown event 'bogus' in 'fork,bogus,exec': " + names);
    EXPECT_EQ(
        cnctl::parse_events("fork,,exec").error, "empty event name in 'fork,,exec': " + names);
    EXPECT_EQ(cnctl::parse_events("").error, "empty event name in '': " + names);
}

/* An event as the kernel sends it: cpu 1, 12.5 s after boot. */
cnxx_proc_event proc_event(uint32_t what)
{
    cnxx_proc_event ev{};

    ev.what = what;
    ev.cpu = 1;
    ev.timestamp_ns = 12500000000ull;
    return ev;
}

TEST(Format, ProcEventLines)
{
    cnxx_proc_event ev = proc_event(CNXX_PROC_EVENT_FORK);
    ev.event_data.fork = { 1, 1, 42, 42 };
    EXPECT_EQ(
        cnctl::proc_event_line("T", ev), "T cpu=1 ts=12.500000000 fork parent 1/1 child 42/42");

    ev = proc_event(CNXX_PROC_EVENT_EXEC);
    ev.timestamp_ns = 7;
    ev.event_data.exec = { 43, 42 };
    EXPECT_EQ(cnctl::proc_event_line("T", ev), "T cpu=1 ts=0.000000007 exec 43/42");

    ev = proc_event(CNXX_PROC_EVENT_UID);
    ev.event_data.id = { 42, 42, 0, 1000 };
    EXPECT_EQ(
        cnctl::proc_event_line("T", ev), "T cpu=1 ts=12.500000000 uid 42/42 ruid 0 euid 1000");
    ev.what = CNXX_PROC_EVENT_GID;
    EXPECT_EQ(
        cnctl::proc_event_line("T", ev), "T cpu=1 ts=12.500000000 gid 42/42 rgid 0 egid 1000");

    ev = proc_event(CNXX_PROC_EVENT_SID);
    ev.event_data.sid = { 42, 42 };
    EXPECT_EQ(cnctl::proc_event_line("T", ev), "T cpu=1 ts=12.500000000 sid 42/42");

    ev = proc_event(CNXX_PROC_EVENT_PTRACE);
    ev.event_data.ptrace = { 42, 42, 7, 7 };
    EXPECT_EQ(
        cnctl::proc_event_line("T", ev), "T cpu=1 ts=12.500000000 ptrace 42/42 attach tracer 7/7");
    ev.event_data.ptrace = { 42, 42, 0, 0 };
    EXPECT_EQ(cnctl::proc_event_line("T", ev), "T cpu=1 ts=12.500000000 ptrace 42/42 detach");

    ev = proc_event(CNXX_PROC_EVENT_COMM);
    ev.event_data.comm.process_pid = 42;
    ev.event_data.comm.process_tgid = 42;
    strcpy(ev.event_data.comm.comm, "name");
    EXPECT_EQ(cnctl::proc_event_line("T", ev), "T cpu=1 ts=12.500000000 comm 42/42 \"name\"");
    /* any byte but NUL, and all 16 when the sender put no NUL */
    const std::string raw = std::string("a\"b\\c\n\xff") + "0123456789";
    memcpy(ev.event_data.comm.comm, raw.data(), 16);
    EXPECT_EQ(cnctl::proc_event_line("T", ev),
        "T cpu=1 ts=12.500000000 comm 42/42 \"a\\\"b\\\\c\\x0a\\xff012345678\"");

    ev = proc_event(CNXX_PROC_EVENT_COREDUMP);
    ev.event_data.coredump = { 42, 42, 1, 1 };
    EXPECT_EQ(cnctl::proc_event_line("T", ev), "T cpu=1 ts=12.500000000 coredump 42/42 parent 1/1");

    ev = proc_event(CNXX_PROC_EVENT_EXIT);
    ev.event_data.exit = { 42, 42, 0x300, 17, 1, 1 };
    EXPECT_EQ(cnctl::proc_event_line("T", ev),
        "T cpu=1 ts=12.500000000 exit 42/42 code 0x300 (exit 3) signal 17 parent 1/1");
    ev.event_data.exit = { 43, 42, 9, uint32_t(-1), 1, 1 };
    EXPECT_EQ(cnctl::proc_event_line("T", ev),
        "T cpu=1 ts=12.500000000 exit 43/42 code 0x9 (killed by signal 9) signal -1 parent 1/1");
    ev.event_data.exit.exit_code = 0x86;
    EXPECT_EQ(cnctl::proc_event_line("T", ev),
        "T cpu=1 ts=12.500000000 exit 43/42 code 0x86 (killed by signal 6, core dumped) "
        "signal -1 parent 1/1");

    ev = proc_event(CNXX_PROC_EVENT_NONE);
    ev.event_data.ack.err = EPERM;
    EXPECT_EQ(cnctl::proc_event_line("T", ev), "T cpu=1 ts=12.500000000 none err 1");
    ev = proc_event(0x8);
    EXPECT_EQ(cnctl::proc_event_line("T", ev), "T cpu=1 ts=12.500000000 unknown what 0x8");
}

TEST(Format, ProcEventJson)
{
    using nlohmann::json;
    cnxx_proc_event ev = proc_event(CNXX_PROC_EVENT_FORK);
    ev.event_data.fork = { 1, 2, 42, 43 };
    EXPECT_EQ(json::parse(cnctl::proc_event_json("T", ev)),
        json::parse(R"({"time":"T","cpu":1,"timestamp_ns":12500000000,"event":"fork",
            "parent_pid":1,"parent_tgid":2,"child_pid":42,"child_tgid":43})"));
    /* one line, keys in the wire order */
    EXPECT_EQ(cnctl::proc_event_json("T", ev).rfind(
                  R"({"time":"T","cpu":1,"timestamp_ns":12500000000,"event":"fork",)", 0),
        0u);

    ev = proc_event(CNXX_PROC_EVENT_EXEC);
    ev.event_data.exec = { 42, 43 };
    auto j = json::parse(cnctl::proc_event_json("T", ev));
    EXPECT_EQ(j["event"], "exec");
    EXPECT_EQ(j["process_pid"], 42);
    EXPECT_EQ(j["process_tgid"], 43);

    ev = proc_event(CNXX_PROC_EVENT_UID);
    ev.event_data.id = { 42, 43, 0, 1000 };
    j = json::parse(cnctl::proc_event_json("T", ev));
    EXPECT_EQ(j["ruid"], 0);
    EXPECT_EQ(j["euid"], 1000);
    ev.what = CNXX_PROC_EVENT_GID;
    j = json::parse(cnctl::proc_event_json("T", ev));
    EXPECT_EQ(j["event"], "gid");
    EXPECT_EQ(j["rgid"], 0);
    EXPECT_EQ(j["egid"], 1000);
    EXPECT_FALSE(j.contains("euid"));

    ev = proc_event(CNXX_PROC_EVENT_PTRACE);
    ev.event_data.ptrace = { 42, 43, 7, 8 };
    j = json::parse(cnctl::proc_event_json("T", ev));
    EXPECT_EQ(j["tracer_pid"], 7);
    EXPECT_EQ(j["tracer_tgid"], 8);

    ev = proc_event(CNXX_PROC_EVENT_COMM);
    ev.event_data.comm.process_pid = 42;
    memcpy(ev.event_data.comm.comm, "a\"b\xff", 5);
    j = json::parse(cnctl::proc_event_json("T", ev));
    EXPECT_EQ(j["comm"], "a\"b\xef\xbf\xbd"); /* invalid UTF-8 replaced */

    ev = proc_event(CNXX_PROC_EVENT_COREDUMP);
    ev.event_data.coredump = { 42, 43, 1, 2 };
    j = json::parse(cnctl::proc_event_json("T", ev));
    EXPECT_EQ(j["event"], "coredump");
    EXPECT_EQ(j["parent_tgid"], 2);

    ev = proc_event(CNXX_PROC_EVENT_EXIT);
    ev.event_data.exit = { 42, 43, 0x300, 17, 1, 2 };
    EXPECT_EQ(json::parse(cnctl::proc_event_json("T", ev)),
        json::parse(R"({"time":"T","cpu":1,"timestamp_ns":12500000000,"event":"exit",
            "process_pid":42,"process_tgid":43,"exit_code":768,"exit_signal":17,
            "parent_pid":1,"parent_tgid":2,"exit_status":3})"));
    ev.event_data.exit.exit_code = 0x86;
    ev.event_data.exit.exit_signal = uint32_t(-1);
    j = json::parse(cnctl::proc_event_json("T", ev));
    EXPECT_EQ(j["exit_signal"], -1);
    EXPECT_EQ(j["term_signal"], 6);
    EXPECT_EQ(j["core_dumped"], true);
    EXPECT_FALSE(j.contains("exit_status"));

    ev = proc_event(0x8);
    j = json::parse(cnctl::proc_event_json("T", ev));
    EXPECT_EQ(j["event"], "unknown");
    EXPECT_EQ(j["what"], 8);
}

TEST(Format, CallbacksTableMatchesTheModulesLayout)
{
    const std::string proc
        = "Name            ID                    Group  Delivered    Dropped      SendErrors   "
          "RepliesDropped\n"
          "cn_test         14:1110               14     3            0            0            4\n";
    std::vector<cnxx_cb_entry> cbs;

    ASSERT_EQ(libcnxx::parse_callbacks(proc, cbs), 0);
    EXPECT_EQ(cnctl::callbacks_table(cbs), proc);

    const std::string intree = "Name            ID\n"
                               "cn_proc         1:1\n";
    ASSERT_EQ(libcnxx::parse_callbacks(intree, cbs), 0);
    EXPECT_EQ(cnctl::callbacks_table(cbs), intree);

    /* long names widen the column instead of breaking it */
    ASSERT_EQ(libcnxx::parse_callbacks("Name ID\na_rather_long_name 1:2\nb 3:4\n", cbs), 0);
    EXPECT_EQ(cnctl::callbacks_table(cbs),
        "Name               ID\n"
        "a_rather_long_name 1:2\n"
        "b                  3:4\n");
}

TEST(Format, StatsTable)
{
    std::vector<cnxx_stat> stats;

    ASSERT_EQ(libcnxx::parse_stats("rx_messages 10\ncallbacks 3\n", stats), 0);
    EXPECT_EQ(cnctl::stats_table(stats),
        "rx_messages 10\n"
        "callbacks   3\n");
}

TEST(Format, ListJson)
{
    std::vector<cnxx_cb_entry> cbs;
    std::vector<cnxx_stat> stats;

    ASSERT_EQ(libcnxx::parse_callbacks("Name ID Group Delivered Dropped SendErrors RepliesDropped\n"
                                    "cn_test 14:1110 14 3 1 2 5\n",
                  cbs),
        0);
    ASSERT_EQ(libcnxx::parse_stats("rx_messages 10\n", stats), 0);
    auto j = nlohmann::json::parse(cnctl::list_json("cnxx", cbs, stats));
    EXPECT_EQ(j["module"], "cnxx");
    ASSERT_EQ(j["callbacks"].size(), 1u);
    EXPECT_EQ(j["callbacks"][0]["name"], "cn_test");
    EXPECT_EQ(j["callbacks"][0]["idx"], 14);
    EXPECT_EQ(j["callbacks"][0]["delivered"], 3);
    EXPECT_EQ(j["callbacks"][0]["send_errors"], 2);
    EXPECT_EQ(j["callbacks"][0]["replies_dropped"], 5);
    EXPECT_EQ(j["stats"]["rx_messages"], 10);

    ASSERT_EQ(libcnxx::parse_callbacks("Name ID\ncn_proc 1:1\n", cbs), 0);
    j = nlohmann::json::parse(cnctl::list_json("connector", cbs, {}));
    EXPECT_FALSE(j["callbacks"][0].contains("delivered"));
    EXPECT_FALSE(j.contains("stats"));
}

} // namespace
