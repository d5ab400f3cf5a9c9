// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cnctl - send, receive and inspect kernel connector messages.
 *
 * Exit status: 0 success, 1 failure at run time, 2 bad command line.
 */
#include "args.hpp"
#include "output.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>

#ifndef CNXX_VERSION
#define CNXX_VERSION "unknown"
#endif

namespace cnctl {
namespace {

constexpr int kExitFail = 1;
constexpr int kExitUsage = 2;
/* how long cnxx may take to ack a notification request or subscription */
constexpr int kAckMs = 2000;
/* how often loops waiting forever look at the signal flag */
constexpr int kSliceMs = 250;

volatile std::sig_atomic_t g_stop;

void on_signal(int)
{
    g_stop = 1;
}

/* No SA_RESTART: a signal ends the wait in poll() early. */
void catch_signals()
{
    struct sigaction sa = {};

    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

int usage_error(const std::string& msg)
{
    std::cerr << "cnctl: " << msg << "\n";
    return kExitUsage;
}

int failure(const std::string& msg)
{
    std::cerr << "cnctl: " << msg << "\n";
    return kExitFail;
}

void warn(const std::string& msg)
{
    std::cerr << "cnctl: warning: " << msg << "\n";
}

std::string seconds_str(double s)
{
    std::ostringstream out;

    out << s;
    return out.str();
}

bool open_socket(libcnxx::Socket& sock)
{
    int err = sock.open();

    if (err)
        failure("cannot open a connector socket: " + explain(err, { Op::Open }));
    return !err;
}

/* A point in time after @seconds (< 0: never), sliced for signal checks. */
class Deadline {
public:
    explicit Deadline(double seconds) : forever_(seconds < 0)
    {
        clock_gettime(CLOCK_MONOTONIC, &end_);
        if (!forever_) {
            long long ns = (long long)(seconds * 1e9);

            end_.tv_sec += ns / 1000000000;
            end_.tv_nsec += ns % 1000000000;
            if (end_.tv_nsec >= 1000000000) {
                end_.tv_sec++;
                end_.tv_nsec -= 1000000000;
            }
        }
    }

    /* Milliseconds left, or -1 when waiting forever. */
    long long left_ms() const
    {
        struct timespec now;

        if (forever_)
            return -1;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long ns = (end_.tv_sec - now.tv_sec) * 1000000000LL + (end_.tv_nsec - now.tv_nsec);
        return ns > 0 ? (ns + 999999) / 1000000 : 0;
    }

    bool expired() const { return left_ms() == 0; }

    int slice_ms() const
    {
        long long left = left_ms();

        return left < 0 ? kSliceMs : int(std::min<long long>(left, kSliceMs));
    }

private:
    bool forever_;
    struct timespec end_;
};

/* Receive errors after which listening goes on. */
bool survivable(int err)
{
    return err == -ENOBUFS || err == -EBADMSG || err == -EMSGSIZE;
}

/* ---- send ---- */

struct SendOpts {
    std::string id;
    std::string seq = "0";
    std::string ack = "0";
    std::string flags = "0";
    bool ack_request = false;
    double timeout = 2;
    PayloadSource data;
};

/* The record of a send or request; false after printing a usage error. */
bool build_record(const std::string& id_arg, const std::string& seq_arg, const std::string& ack_arg,
    const std::string& flags_arg, const PayloadSource& src, std::vector<uint8_t>& data,
    cnxx_record& rec)
{
    Parsed<cb_id> id = parse_id(id_arg);
    Parsed<uint32_t> seq = parse_u32(seq_arg, "seq");
    Parsed<uint32_t> ack = parse_u32(ack_arg, "ack");
    Parsed<uint64_t> flags = parse_uint(flags_arg, 0xffff, "flags");
    Parsed<std::vector<uint8_t>> payload = make_payload(src);

    for (const std::string* err :
        { &id.error, &seq.error, &ack.error, &flags.error, &payload.error }) {
        if (!err->empty()) {
            usage_error(*err);
            return false;
        }
    }
    data = std::move(payload.value);
    rec = cnxx_record{ id.value, seq.value, ack.value, uint16_t(data.size()), uint16_t(flags.value),
        data.data() };
    return true;
}

int cmd_send(const SendOpts& o)
{
    std::vector<uint8_t> data;
    cnxx_record rec;
    libcnxx::Socket sock;
    int ack_err = 0;

    if (!build_record(o.id, o.seq, o.ack, o.flags, o.data, data, rec))
        return kExitUsage;
    if (!open_socket(sock))
        return kExitFail;

    /* hand-made notification requests fail like cnctl watch's */
    const bool control = rec.id.idx == CN_IDX_CONNECTOR && rec.id.val == CN_VAL_CONNECTOR;
    const ErrorContext ctx{ control ? Op::Notify : Op::Send, rec.id };
    const std::string what = "send " + id_str(rec.id) + ": ";
    if (!o.ack_request) {
        int err = sock.send(rec);

        return err ? failure(what + explain(err, ctx)) : 0;
    }
    int err = sock.send_sync(rec, to_ms(o.timeout), ack_err);
    if (err == -ETIMEDOUT)
        return failure(what + "no ack within " + seconds_str(o.timeout)
            + " s (the in-tree connector never acks)");
    if (err)
        return failure(what + explain(err, ctx));
    if (!ack_err) {
        std::cout << "ack: OK" << std::endl;
        return 0;
    }
    std::cout << "ack: " << explain(ack_err, ctx) << std::endl;
    return kExitFail;
}

/* ---- listen ---- */

struct ListenOpts {
    std::vector<std::string> groups;
    bool json = false;
    uint64_t count = 0;
    double timeout = -1;
};

/* The module's group count (its groups parameter); 0 when unknown. */
uint32_t group_count()
{
    uint64_t n = 0;

    if (cnxx_read_stat(CNXX_STATS_PATH, "groups", &n) || n > UINT32_MAX)
        return 0;
    return uint32_t(n);
}

std::string join_failure(uint32_t group, int err)
{
    return "cannot join group " + std::to_string(group) + ": "
        + explain(err, { Op::Join, {}, group, group_count() });
}

int join_all(libcnxx::Socket& sock, const std::vector<uint32_t>& groups)
{
    for (uint32_t g : groups) {
        int err = sock.join(g);

        if (err)
            return failure(join_failure(g, err));
    }
    return 0;
}

void print_record(bool json, const cnxx_msg& msg, const cnxx_record& rec)
{
    std::string time = timestamp();

    if (json)
        std::cout << record_json(time, msg.group, msg.src_pid, rec);
    else
        std::cout << record_line(time, msg.group, rec);
    std::cout << std::endl; /* flushed: the reader may be a pipe */
}

/*
 * Receives with @recv (given the milliseconds to wait) until a signal, the
 * deadline, or @handle returning false. @handle gets true for each
 * message, and false whenever a wait slice passes without one. Returns 0
 * or an exit status.
 */
template <typename Recv, typename Handle>
int receive_until(const Deadline& deadline, Recv&& recv, Handle&& handle)
{
    while (!g_stop && !deadline.expired()) {
        int err = recv(deadline.slice_ms());

        if (err == -ETIMEDOUT || err == -EINTR) {
            if (!handle(false))
                break;
            continue;
        }
        if (survivable(err)) {
            warn(explain(err, { Op::Receive }));
            continue;
        }
        if (err)
            return failure("receive: " + explain(err, { Op::Receive }));
        if (!handle(true))
            break;
    }
    return 0;
}

/* receive_until() on netlink messages: @handle gets each, or nullptr. */
template <typename Handle>
int receive_loop(libcnxx::Socket& sock, const Deadline& deadline, Handle&& handle)
{
    cnxx_msg msg;

    return receive_until(
        deadline, [&](int ms) { return sock.recv(msg, ms); },
        [&](bool got) { return handle(got ? &msg : nullptr); });
}

/* The exit status of a --count that the deadline cut short, else 0. */
int count_result(uint64_t seen, uint64_t count, const char* what)
{
    if (count && seen < count && !g_stop)
        return failure("timed out after " + std::to_string(seen) + " of " + std::to_string(count)
            + " " + what);
    return 0;
}

int cmd_listen(const ListenOpts& o)
{
    std::vector<uint32_t> groups;
    libcnxx::Socket sock;
    uint64_t seen = 0;

    for (const std::string& s : o.groups) {
        Parsed<uint32_t> g = parse_group(s);

        if (!g)
            return usage_error(g.error);
        groups.push_back(g.value);
    }
    if (!open_socket(sock))
        return kExitFail;
    if (int ret = join_all(sock, groups))
        return ret;

    catch_signals();
    Deadline deadline(o.timeout);
    int ret = receive_loop(sock, deadline, [&](const cnxx_msg* msg) {
        if (!msg || msg->type != CNXX_MSG_DATA)
            return true;
        libcnxx::Records records(*msg);
        for (const cnxx_record& rec : records) {
            print_record(o.json, *msg, rec);
            if (++seen == o.count)
                return false;
        }
        if (records.error())
            warn("a malformed record was skipped");
        return true;
    });
    return ret ? ret : count_result(seen, o.count, "messages");
}

/* ---- request ---- */

struct RequestOpts {
    std::string id;
    std::string seq;
    std::string group;
    double timeout = 2;
    bool json = false;
    PayloadSource data;
};

int cmd_request(const RequestOpts& o)
{
    std::string seq = o.seq;
    std::vector<uint8_t> data;
    cnxx_record rec;
    libcnxx::Socket sock;
    cnxx_msg reply;
    std::string note;
    uint32_t group = 0;

    /* a fresh seq keeps late replies to earlier requests out */
    if (seq.empty())
        seq = std::to_string(std::random_device{}());
    if (!build_record(o.id, seq, "0", "0", o.data, data, rec))
        return kExitUsage;
    if (!o.group.empty()) {
        Parsed<uint32_t> g = parse_u32(o.group, "group");

        if (!g)
            return usage_error(g.error);
        group = g.value;
    } else if (rec.id.idx >= 1 && rec.id.idx <= CN_NETLINK_GROUPS) {
        /* callbacks commonly answer on the group of their id */
        group = rec.id.idx;
    }
    if (!open_socket(sock))
        return kExitFail;
    if (group) {
        int err = sock.join(group);

        if (err && !o.group.empty())
            return failure(join_failure(group, err));
        if (err)
            note = " (" + join_failure(group, err) + ": replies sent there were missed)";
    }

    const ErrorContext ctx{ Op::Send, rec.id };
    const std::string what = "request " + id_str(rec.id) + ": ";
    int err = sock.request(rec, to_ms(o.timeout), reply);
    if (err == -ETIMEDOUT)
        return failure(what + "no reply to seq " + std::to_string(rec.seq) + " within "
            + seconds_str(o.timeout) + " s" + note);
    if (err)
        return failure(what + explain(err, ctx));
    if (reply.type == CNXX_MSG_ACK)
        return failure(what + explain(reply.error, ctx));
    print_record(o.json, reply, reply.rec);
    return 0;
}

/* ---- watch ---- */

struct WatchOpts {
    std::string idx;
    std::string val;
    std::string group;
    uint64_t count = 0;
    double timeout = -1;
    bool keep = false;
};

int cmd_watch(const WatchOpts& o)
{
    Parsed<std::vector<cnxx_range>> idx = parse_ranges(o.idx, "index range");
    Parsed<std::vector<cnxx_range>> val = parse_ranges(o.val, "value range");
    Parsed<uint32_t> group = parse_group(o.group);
    libcnxx::Socket sock;
    uint32_t ack_seq = 0;
    uint64_t seen = 0;

    for (const std::string* err : { &idx.error, &val.error, &group.error })
        if (!err->empty())
            return usage_error(*err);
    if (!open_socket(sock))
        return kExitFail;
    /* join first: notifications may follow the request at once */
    if (int ret = join_all(sock, { group.value }))
        return ret;
    int err = sock.notify_send(idx.value, val.value, group.value, CNXX_SEND_ACK, &ack_seq);
    if (err)
        return failure("notification request: " + explain(err, { Op::Notify }));

    catch_signals();
    /* the ack is awaited in the loop, so no notification is dropped */
    bool acked = false;
    int ack_err = 0;
    Deadline ack_deadline(kAckMs / 1000.0);
    Deadline deadline(o.timeout);
    int ret = receive_loop(sock, deadline, [&](const cnxx_msg* msg) {
        if (!msg)
            return acked || !ack_deadline.expired();
        if (msg->type == CNXX_MSG_ACK) {
            if (msg->src_pid == 0 && msg->acked_seq == ack_seq) {
                acked = true;
                ack_err = msg->error;
            }
            return !ack_err;
        }
        if (msg->group != group.value)
            return true;
        for (const cnxx_record& rec : libcnxx::Records(*msg)) {
            if (rec.len || rec.ack > CN_NOTIFY_UNREGISTERED || !in_ranges(idx.value, rec.id.idx)
                || !in_ranges(val.value, rec.id.val))
                continue;
            std::cout << (rec.ack == CN_NOTIFY_REGISTERED ? "registered " : "unregistered ")
                      << id_str(rec.id) << std::endl;
            if (++seen == o.count)
                return false;
        }
        return acked || !ack_deadline.expired();
    });
    /* the loop may have ended before the ack came */
    if (!acked) {
        err = sock.wait_ack(ack_seq, int(ack_deadline.left_ms()), ack_err);
        if (err == -ETIMEDOUT)
            return failure("the notification request was not answered: only cnxx supports "
                           "notifications (is the in-tree connector loaded instead?)");
        if (err)
            return failure("notification request: " + explain(err, { Op::Notify }));
    }
    if (ack_err)
        return failure("notification request: " + explain(ack_err, { Op::Notify }));
    if (!ret)
        ret = count_result(seen, o.count, "notifications");
    if (o.keep)
        return ret;

    err = sock.notify_remove(idx.value, val.value, kAckMs, ack_err);
    if (err || ack_err)
        return failure("cannot remove the notification request: "
            + explain(err ? err : ack_err, { Op::Unnotify }));
    return ret;
}

/* ---- list ---- */

struct ListOpts {
    std::string proc = "/proc/net";
    bool json = false;
};

int cmd_list(const ListOpts& o)
{
    std::vector<cnxx_cb_entry> cbs;
    std::vector<cnxx_stat> stats;
    std::string text, module = "cnxx";
    std::string path = o.proc + "/cnxx";

    int err = libcnxx::read_file(path, text);
    if (err == -ENOENT) {
        module = "connector";
        path = o.proc + "/connector";
        err = libcnxx::read_file(path, text);
        if (err == -ENOENT)
            return failure("the connector module is not loaded: load it with 'modprobe cnxx' or "
                           "'insmod cnxx.ko'");
    }
    if (err)
        return failure("cannot read " + path + ": " + explain(err, { Op::Open }));
    if (libcnxx::parse_callbacks(text, cbs))
        return failure(path + ": unexpected format");

    if (module == "cnxx") {
        path = o.proc + "/cnxx_stats";
        err = libcnxx::read_file(path, text);
        if (!err && libcnxx::parse_stats(text, stats))
            return failure(path + ": unexpected format");
        if (err)
            warn("cannot read " + path + ": " + explain(err, { Op::Open }));
    }

    if (o.json) {
        std::cout << list_json(module, cbs, stats) << std::endl;
        return 0;
    }
    if (module != "cnxx")
        std::cout << "cnxx is not loaded; the in-tree connector is (no counters):\n";
    std::cout << callbacks_table(cbs);
    if (!stats.empty())
        std::cout << "\n" << stats_table(stats);
    std::cout << std::flush;
    return 0;
}

/* ---- proc ---- */

struct ProcOpts {
    std::string events = "all";
    uint64_t count = 0;
    double timeout = -1;
    bool json = false;
};

int cmd_proc(const ProcOpts& o)
{
    Parsed<uint32_t> events = parse_events(o.events);
    libcnxx::Socket sock;
    cnxx_proc_event ev;
    uint64_t seen = 0;

    if (!events)
        return usage_error(events.error);
    if (!open_socket(sock))
        return kExitFail;
    cnxx_proc_filtering filtering = CNXX_PROC_FILTER_KERNEL;
    int err = sock.proc_listen(events.value, kAckMs, &filtering);
    if (err)
        return failure("cannot subscribe to process events: "
            + explain(err, { Op::ProcListen, { CN_IDX_PROC, CN_VAL_PROC }, CN_IDX_PROC }));
    if (filtering == CNXX_PROC_FILTER_USER)
        std::cerr << "cnctl: this kernel has no process event filters (before 6.6): "
                     "--events is applied here\n";

    /* Gaps in the sequence numbers are losses only if every message comes. */
    std::unique_ptr<cnxx_proc_seq> seq;
    if (filtering == CNXX_PROC_FILTER_USER || events.value == CNXX_PROC_EVENT_ALL)
        seq = std::make_unique<cnxx_proc_seq>();
    uint64_t lost = 0;

    catch_signals();
    Deadline deadline(o.timeout);
    int ret = receive_until(
        deadline, [&](int ms) { return sock.proc_recv(events.value, ev, seq.get(), ms); },
        [&](bool got) {
            if (!got)
                return true;
            if (seq && seq->lost != lost) {
                warn(std::to_string(seq->lost - lost)
                    + " process events lost before this one (sequence gap on cpu "
                    + std::to_string(seq->last_cpu) + ")");
                lost = seq->lost;
            }
            std::string time = timestamp();

            std::cout << (o.json ? proc_event_json(time, ev) : proc_event_line(time, ev))
                      << std::endl;
            return ++seen != o.count;
        });
    if (lost)
        warn(std::to_string(lost) + " process events lost in all");
    /* 6.1 semantics count listeners globally and miss a closed socket */
    err = sock.proc_ignore();
    if (err)
        warn("cannot unsubscribe from process events: " + explain(err, { Op::Send }));
    return ret ? ret : count_result(seen, o.count, "events");
}

/* ---- command line ---- */

/* CLI11's own range checks print the whole double range in errors. */
const CLI::Validator kSeconds(
    [](std::string& s) {
        char* end;
        double v = strtod(s.c_str(), &end);

        return *end || s.empty() || !(v >= 0) ? "expected seconds (a number >= 0), got '" + s + "'"
                                              : std::string();
    },
    "");

const CLI::Validator kCount(
    [](std::string& s) {
        Parsed<uint64_t> n = parse_uint(s, UINT64_MAX, "count");

        if (!n)
            return n.error;
        return n.value ? std::string() : "count must be at least 1";
    },
    "");

void add_payload_options(CLI::App* cmd, PayloadSource& src)
{
    auto* words
        = cmd->add_option("data", src.words, "message data as text (words are joined with spaces)")
              ->type_name("DATA");
    auto* hex = cmd->add_option("--hex", src.hex, "message data as hex digits, e.g. 'de ad be ef'")
                    ->type_name("HEX")
                    ->each([&src](const std::string&) { src.has_hex = true; });
    auto* file
        = cmd->add_option("--file", src.file, "message data read from a file")->type_name("FILE");

    cmd->add_flag("--nul", src.nul, "append a NUL byte to text data");
    words->excludes(hex)->excludes(file);
    hex->excludes(file);
}

int run(int argc, char** argv)
{
    CLI::App app{ "Send, receive and inspect kernel connector messages on cnxx's netlink unit (the one cnxx.ko reports, or $CNXX_UNIT).",
        "cnctl" };
    SendOpts send_o;
    ListenOpts listen_o;
    RequestOpts request_o;
    WatchOpts watch_o;
    ListOpts list_o;
    ProcOpts proc_o;

    app.set_version_flag("--version", std::string("cnctl ") + CNXX_VERSION);
    app.require_subcommand(1);

    auto* send = app.add_subcommand("send", "send one cn_msg to the kernel");
    send->add_option("id", send_o.id, "destination id")->type_name("IDX:VAL")->required();
    send->add_option("--seq", send_o.seq, "sequence number (default 0)")->type_name("N");
    send->add_option("--ack", send_o.ack, "acknowledge number (default 0)")->type_name("N");
    send->add_option("--flags", send_o.flags, "cn_msg flags (default 0)")->type_name("N");
    send->add_flag(
        "--ack-request", send_o.ack_request, "ask cnxx for an ack (NLM_F_ACK), print its errno");
    send->add_option("--timeout", send_o.timeout, "seconds to wait for the ack (default 2)")
        ->type_name("SEC")
        ->check(kSeconds);
    add_payload_options(send, send_o.data);

    auto* listen = app.add_subcommand("listen", "join groups and print every message received");
    listen
        ->add_option("group", listen_o.groups,
            "netlink groups to join: 1..32, more with cnxx's groups parameter")
        ->type_name("GROUP")
        ->required();
    listen->add_flag("--json", listen_o.json, "one JSON object per line");
    listen
        ->add_option("--count", listen_o.count,
            "stop after N messages (exit 1 if fewer arrive before the timeout)")
        ->type_name("N")
        ->check(kCount);
    listen->add_option("--timeout", listen_o.timeout, "stop after SEC seconds (default: never)")
        ->type_name("SEC")
        ->check(kSeconds);

    auto* request = app.add_subcommand(
        "request", "send a message and print the reply (same seq, ack = seq + 1)");
    request->add_option("id", request_o.id, "destination id")->type_name("IDX:VAL")->required();
    request->add_option("--seq", request_o.seq, "sequence number (default: random)")
        ->type_name("N");
    request
        ->add_option("--group", request_o.group,
            "group to join for replies sent by multicast (default: IDX when it is a group, 0: "
            "none)")
        ->type_name("G");
    request->add_option("--timeout", request_o.timeout, "seconds to wait for the reply (default 2)")
        ->type_name("SEC")
        ->check(kSeconds);
    request->add_flag("--json", request_o.json, "print the reply as JSON");
    add_payload_options(request, request_o.data);

    auto* watch = app.add_subcommand("watch", "print registrations and removals of callbacks");
    watch->add_option("idx", watch_o.idx, "index range: 10, 10-19 or 10+5, comma-separated")
        ->type_name("IDX-RANGE")
        ->required();
    watch->add_option("val", watch_o.val, "value range, same syntax")
        ->type_name("VAL-RANGE")
        ->required();
    watch->add_option("--group", watch_o.group, "group the notifications are sent to")
        ->type_name("G")
        ->required();
    watch->add_option("--count", watch_o.count, "stop after N notifications")
        ->type_name("N")
        ->check(kCount);
    watch->add_option("--timeout", watch_o.timeout, "stop after SEC seconds (default: never)")
        ->type_name("SEC")
        ->check(kSeconds);
    watch->add_flag("--keep", watch_o.keep, "leave the request in place on exit");

    auto* list = app.add_subcommand("list", "show registered callbacks and module counters");
    list->add_option("--proc", list_o.proc, "read the files from DIR instead of /proc/net")
        ->type_name("DIR");
    list->add_flag("--json", list_o.json, "print JSON");

    auto* proc = app.add_subcommand(
        "proc", "print process events (fork, exec, exit...) of cnxx_proc.ko or cn_proc");
    proc->add_option("--events", proc_o.events,
            "event kinds, comma-separated: " + event_names()
                + " (nonzero-exit: exits with a non-zero code), or all (default)")
        ->type_name("LIST");
    proc->add_option("--count", proc_o.count,
            "stop after N events (exit 1 if fewer arrive before the timeout)")
        ->type_name("N")
        ->check(kCount);
    proc->add_option("--timeout", proc_o.timeout, "stop after SEC seconds (default: never)")
        ->type_name("SEC")
        ->check(kSeconds);
    proc->add_flag("--json", proc_o.json, "one JSON object per line");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) ? kExitUsage : 0;
    }

    if (*send)
        return cmd_send(send_o);
    if (*listen)
        return cmd_listen(listen_o);
    if (*request)
        return cmd_request(request_o);
    if (*watch)
        return cmd_watch(watch_o);
    if (*proc)
        return cmd_proc(proc_o);
    return cmd_list(list_o);
}

} // namespace
} // namespace cnctl

int main(int argc, char** argv)
{
    try {
        return cnctl::run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "cnctl: " << e.what() << "\n";
        return 1;
    }
}
