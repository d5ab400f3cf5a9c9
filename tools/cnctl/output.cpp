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
        return "not permitted";
    case ENODEV:
        return "no callback registered for " + id;
    case ESRCH:
        return "nobody listens on the destination group";
    case EINVAL:
        if (ctx.op == Op::Join)
            return "group " + group + " does not exist: the connector has groups 1.."
                + std::to_string(CN_NETLINK_GROUPS);
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
