// SPDX-License-Identifier: GPL-2.0-or-later
#include "output.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace cnctl {

using Json = nlohmann::ordered_json;

std::string id_str(const cb_id& id)
{
    return std::to_string(id.idx) + ":" + std::to_string(id.val);
}

bool is_text(const void* data, size_t len)
{
    const auto* p = static_cast<const unsigned char*>(data);

    if (len && p[len - 1] == 0)
        len--;
    return std::all_of(p, p + len, [](unsigned char c) { return c >= 0x20 && c < 0x7f; });
}

std::string hex_str(const void* data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const auto* p = static_cast<const unsigned char*>(data);
    std::string out;

    out.reserve(len * 2);
    for (size_t i = 0; i < len; i++) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 0xf];
    }
    return out;
}

std::string data_str(const void* data, size_t len)
{
    const auto* p = static_cast<const char*>(data);

    if (!is_text(data, len))
        return "hex:" + hex_str(data, len);
    if (len && p[len - 1] == 0)
        len--;

    std::string out = "\"";
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '"' || p[i] == '\\')
            out += '\\';
        out += p[i];
    }
    return out + "\"";
}

std::string timestamp()
{
    struct timespec ts;
    struct tm tm;
    char buf[64];

    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, sizeof(buf) - n, ".%06ld", ts.tv_nsec / 1000);
    return buf;
}

std::string record_line(const std::string& time, uint32_t group, const cnxx_record& rec)
{
    char flags[8];

    snprintf(flags, sizeof(flags), "0x%x", unsigned(rec.flags));
    return time + " group=" + std::to_string(group) + " id=" + id_str(rec.id)
        + " seq=" + std::to_string(rec.seq) + " ack=" + std::to_string(rec.ack) + " len="
        + std::to_string(rec.len) + " flags=" + flags + " data=" + data_str(rec.data, rec.len);
}

std::string record_json(
    const std::string& time, uint32_t group, uint32_t pid, const cnxx_record& rec)
{
    Json j = {
        { "time", time },
        { "group", group },
        { "idx", rec.id.idx },
        { "val", rec.id.val },
        { "seq", rec.seq },
        { "ack", rec.ack },
        { "len", rec.len },
        { "flags", rec.flags },
        { "pid", pid },
        { "hex", hex_str(rec.data, rec.len) },
    };

    /* only ASCII goes in: dump() would throw on invalid UTF-8 */
    if (is_text(rec.data, rec.len)) {
        const char* p = static_cast<const char*>(rec.data);
        size_t n = rec.len && p[rec.len - 1] == 0 ? rec.len - 1 : rec.len;

        j["text"] = std::string(p, n);
    }
    return j.dump();
}

namespace {

std::string ids(int32_t pid, int32_t tgid)
{
    return std::to_string(pid) + "/" + std::to_string(tgid);
}

/* A task name, quoted: it may hold any byte but NUL. */
std::string comm_str(const char (&comm)[16])
{
    std::string out = "\"";

    for (size_t i = 0; i < sizeof(comm) && comm[i]; i++) {
        unsigned char c = comm[i];
        char esc[8];

        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c >= 0x20 && c < 0x7f) {
            out += char(c);
        } else {
            snprintf(esc, sizeof(esc), "\\x%02x", c);
            out += esc;
        }
    }
    return out + "\"";
}

std::string comm_raw(const char (&comm)[16])
{
    return std::string(comm, strnlen(comm, sizeof(comm)));
}

/* task->exit_code: the status of exit() in bits 8-15, or a signal. */
struct ExitCode {
    bool signaled;
    unsigned status; /* exit status, or the killing signal */
    bool core_dumped;
};

ExitCode decode_exit(uint32_t code)
{
    if (code & 0x7f)
        return { true, code & 0x7f, (code & 0x80) != 0 };
    return { false, (code >> 8) & 0xff, false };
}

std::string exit_str(uint32_t code)
{
    ExitCode e = decode_exit(code);
    char hex[16];

    snprintf(hex, sizeof(hex), "0x%x", unsigned(code));
    if (!e.signaled)
        return std::string(hex) + " (exit " + std::to_string(e.status) + ")";
    return std::string(hex) + " (killed by signal " + std::to_string(e.status)
        + (e.core_dumped ? ", core dumped)" : ")");
}

std::string event_name(uint32_t what)
{
    const char* name = cnxx_proc_event_name(what);

    return name ? name : "unknown";
}

} // namespace

std::string proc_event_line(const std::string& time, const cnxx_proc_event& ev)
{
    const auto& d = ev.event_data;
    char ts[32];
    std::string out;

    snprintf(ts, sizeof(ts), "%llu.%09llu", (unsigned long long)(ev.timestamp_ns / 1000000000),
        (unsigned long long)(ev.timestamp_ns % 1000000000));
    out = time + " cpu=" + std::to_string(ev.cpu) + " ts=" + ts + " " + event_name(ev.what);
    switch (ev.what) {
    case CNXX_PROC_EVENT_NONE:
        return out + " err " + std::to_string(d.ack.err);
    case CNXX_PROC_EVENT_FORK:
        return out + " parent " + ids(d.fork.parent_pid, d.fork.parent_tgid) + " child "
            + ids(d.fork.child_pid, d.fork.child_tgid);
    case CNXX_PROC_EVENT_EXEC:
        return out + " " + ids(d.exec.process_pid, d.exec.process_tgid);
    case CNXX_PROC_EVENT_UID:
        return out + " " + ids(d.id.process_pid, d.id.process_tgid) + " ruid "
            + std::to_string(d.id.real) + " euid " + std::to_string(d.id.effective);
    case CNXX_PROC_EVENT_GID:
        return out + " " + ids(d.id.process_pid, d.id.process_tgid) + " rgid "
            + std::to_string(d.id.real) + " egid " + std::to_string(d.id.effective);
    case CNXX_PROC_EVENT_SID:
        return out + " " + ids(d.sid.process_pid, d.sid.process_tgid);
    case CNXX_PROC_EVENT_PTRACE:
        out += " " + ids(d.ptrace.process_pid, d.ptrace.process_tgid);
        /* cn_proc: the tracer on attach, 0 on detach */
        if (!d.ptrace.tracer_pid)
            return out + " detach";
        return out + " attach tracer " + ids(d.ptrace.tracer_pid, d.ptrace.tracer_tgid);
    case CNXX_PROC_EVENT_COMM:
        return out + " " + ids(d.comm.process_pid, d.comm.process_tgid) + " "
            + comm_str(d.comm.comm);
    case CNXX_PROC_EVENT_COREDUMP:
        return out + " " + ids(d.coredump.process_pid, d.coredump.process_tgid) + " parent "
            + ids(d.coredump.parent_pid, d.coredump.parent_tgid);
    case CNXX_PROC_EVENT_EXIT:
        /* exit_signal is an int in the kernel: -1 for threads */
        return out + " " + ids(d.exit.process_pid, d.exit.process_tgid) + " code "
            + exit_str(d.exit.exit_code) + " signal " + std::to_string(int32_t(d.exit.exit_signal))
            + " parent " + ids(d.exit.parent_pid, d.exit.parent_tgid);
    }
    char what[16];
    snprintf(what, sizeof(what), "0x%x", unsigned(ev.what));
    return out + " what " + what;
}

std::string proc_event_json(const std::string& time, const cnxx_proc_event& ev)
{
    const auto& d = ev.event_data;
    Json j = {
        { "time", time },
        { "cpu", ev.cpu },
        { "timestamp_ns", ev.timestamp_ns },
        { "event", event_name(ev.what) },
    };

    switch (ev.what) {
    case CNXX_PROC_EVENT_NONE:
        j["err"] = d.ack.err;
        break;
    case CNXX_PROC_EVENT_FORK:
        j["parent_pid"] = d.fork.parent_pid;
        j["parent_tgid"] = d.fork.parent_tgid;
        j["child_pid"] = d.fork.child_pid;
        j["child_tgid"] = d.fork.child_tgid;
        break;
    case CNXX_PROC_EVENT_EXEC:
        j["process_pid"] = d.exec.process_pid;
        j["process_tgid"] = d.exec.process_tgid;
        break;
    case CNXX_PROC_EVENT_UID:
    case CNXX_PROC_EVENT_GID: {
        const bool uid = ev.what == CNXX_PROC_EVENT_UID;

        j["process_pid"] = d.id.process_pid;
        j["process_tgid"] = d.id.process_tgid;
        j[uid ? "ruid" : "rgid"] = d.id.real;
        j[uid ? "euid" : "egid"] = d.id.effective;
        break;
    }
    case CNXX_PROC_EVENT_SID:
        j["process_pid"] = d.sid.process_pid;
        j["process_tgid"] = d.sid.process_tgid;
        break;
    case CNXX_PROC_EVENT_PTRACE:
        j["process_pid"] = d.ptrace.process_pid;
        j["process_tgid"] = d.ptrace.process_tgid;
        j["tracer_pid"] = d.ptrace.tracer_pid;
        j["tracer_tgid"] = d.ptrace.tracer_tgid;
        break;
    case CNXX_PROC_EVENT_COMM:
        j["process_pid"] = d.comm.process_pid;
        j["process_tgid"] = d.comm.process_tgid;
        j["comm"] = comm_raw(d.comm.comm);
        break;
    case CNXX_PROC_EVENT_COREDUMP:
        j["process_pid"] = d.coredump.process_pid;
        j["process_tgid"] = d.coredump.process_tgid;
        j["parent_pid"] = d.coredump.parent_pid;
        j["parent_tgid"] = d.coredump.parent_tgid;
        break;
    case CNXX_PROC_EVENT_EXIT: {
        ExitCode e = decode_exit(d.exit.exit_code);

        j["process_pid"] = d.exit.process_pid;
        j["process_tgid"] = d.exit.process_tgid;
        j["exit_code"] = d.exit.exit_code;
        j["exit_signal"] = int32_t(d.exit.exit_signal);
        j["parent_pid"] = d.exit.parent_pid;
        j["parent_tgid"] = d.exit.parent_tgid;
        if (e.signaled) {
            j["term_signal"] = e.status;
            j["core_dumped"] = e.core_dumped;
        } else {
            j["exit_status"] = e.status;
        }
        break;
    }
    default:
        j["what"] = ev.what;
    }
    /* task names are not necessarily UTF-8 */
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

namespace {

std::string meaning(int err, const ErrorContext& ctx)
{
    const std::string id = id_str(ctx.id);
    const std::string group = std::to_string(ctx.group);

    switch (err) {
    case EPERM:
    case EACCES:
        if (ctx.op == Op::Join)
            return "joining connector groups needs CAP_NET_ADMIN (root)";
        if (ctx.op == Op::Notify || ctx.op == Op::Unnotify)
            return "notification requests need CAP_NET_ADMIN (root)";
        if (ctx.op == Op::ProcListen)
            return "process events need CAP_NET_ADMIN on this kernel (root; before 6.6)";
        return "not permitted";
    case ENODEV:
        if (ctx.op == Op::ProcListen)
            return "cnxx_proc is not loaded: load it with 'insmod cnxx_proc.ko'";
        return "no callback registered for " + id;
    case ESRCH:
        return "nobody listens on the destination group";
    case EINVAL:
        if (ctx.op == Op::Join)
            /* netlink raises a kernel socket's count to at least 32 */
            return "group " + group + " does not exist: the connector has groups 1.."
                + std::to_string(ctx.groups ? ctx.groups : 32);
        if (ctx.op == Op::Notify || ctx.op == Op::Unnotify)
            return "the module rejected the notification request";
        return "the module rejected the message as malformed";
    case EMSGSIZE:
        if (ctx.op == Op::Receive)
            return "a message larger than the receive buffer was skipped";
        return "message too large: at most " + std::to_string(CNXX_MAX_DATA) + " data bytes";
    case ENOENT:
        if (ctx.op == Op::Unnotify)
            return "no notification request with these ranges";
        break;
    case ENOSPC:
        return "the module stores no more notification requests";
    case E2BIG:
        return "too many ranges in one notification request";
    case EPROTONOSUPPORT:
        return "no connector module is loaded: load it with 'modprobe cnxx' or 'insmod cnxx.ko'";
    case ENOBUFS:
        if (ctx.op == Op::Receive)
            return "the receive queue overflowed: messages were lost";
        return "no buffer space";
    case EBADMSG:
        return "a malformed message was skipped";
    case ETIMEDOUT:
        if (ctx.op == Op::ProcListen)
            return "no answer from the process-events connector " + id
                + ": is cnxx_proc.ko (or the kernel's cn_proc) loaded?";
        return "timed out";
    }
    return std::strerror(err);
}

} // namespace

std::string explain(int err, const ErrorContext& ctx)
{
    const char* name;

    if (err < 0)
        err = -err;
    name = libcnxx::errname(err);
    return (name ? std::string(name) : "error " + std::to_string(err)) + ": " + meaning(err, ctx);
}

std::string callbacks_table(const std::vector<cnxx_cb_entry>& cbs)
{
    bool counters = std::any_of(
        cbs.begin(), cbs.end(), [](const cnxx_cb_entry& e) { return e.has_counters; });
    int width = 15;
    std::string out;
    char line[256];

    for (const cnxx_cb_entry& e : cbs)
        width = std::max(width, int(strlen(e.name)));
    if (counters)
        snprintf(line, sizeof(line), "%-*s %-21s %-6s %-12s %-12s %-12s %s\n", width, "Name",
            "ID", "Group", "Delivered", "Dropped", "SendErrors", "RepliesDropped");
    else
        snprintf(line, sizeof(line), "%-*s %s\n", width, "Name", "ID");
    out += line;
    for (const cnxx_cb_entry& e : cbs) {
        std::string id = id_str(e.id);

        if (counters)
            snprintf(line, sizeof(line), "%-*s %-21s %-6u %-12llu %-12llu %-12llu %llu\n", width,
                e.name, id.c_str(), e.group, (unsigned long long)e.delivered,
                (unsigned long long)e.dropped, (unsigned long long)e.send_errors,
                (unsigned long long)e.replies_dropped);
        else
            snprintf(line, sizeof(line), "%-*s %s\n", width, e.name, id.c_str());
        out += line;
    }
    return out;
}

std::string stats_table(const std::vector<cnxx_stat>& stats)
{
    int width = 0;
    std::string out;
    char line[128];

    for (const cnxx_stat& s : stats)
        width = std::max(width, int(strlen(s.key)));
    for (const cnxx_stat& s : stats) {
        snprintf(line, sizeof(line), "%-*s %llu\n", width, s.key, (unsigned long long)s.value);
        out += line;
    }
    return out;
}

std::string list_json(const std::string& module, const std::vector<cnxx_cb_entry>& cbs,
    const std::vector<cnxx_stat>& stats)
{
    Json j = { { "module", module }, { "callbacks", Json::array() } };

    for (const cnxx_cb_entry& e : cbs) {
        Json cb = { { "name", e.name }, { "idx", e.id.idx }, { "val", e.id.val } };

        if (e.has_counters) {
            cb["group"] = e.group;
            cb["delivered"] = e.delivered;
            cb["dropped"] = e.dropped;
            cb["send_errors"] = e.send_errors;
            cb["replies_dropped"] = e.replies_dropped;
        }
        j["callbacks"].push_back(cb);
    }
    if (!stats.empty()) {
        j["stats"] = Json::object();
        for (const cnxx_stat& s : stats)
            j["stats"][s.key] = s.value;
    }
    /* proc names are not necessarily UTF-8 */
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

} // namespace cnctl
