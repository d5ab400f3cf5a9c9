// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What cnctl prints: message lines, tables, and errnos explained in the
 * terms of the operation that failed.
 */
#ifndef CNCTL_OUTPUT_HPP
#define CNCTL_OUTPUT_HPP

#include <cnxx/libcnxx.hpp>

#include <string>
#include <vector>

namespace cnctl {

std::string id_str(const cb_id& id);

/* Printable ASCII, optionally ending in one NUL (a C string). */
bool is_text(const void* data, size_t len);

/* Lower-case hex digits, two per byte, no separators. */
std::string hex_str(const void* data, size_t len);

/* "\"text\"" (escaped, without a trailing NUL) if is_text(), else "hex:..". */
std::string data_str(const void* data, size_t len);

/* The wall clock as 2024-05-01T12:00:00.123456 (local time). */
std::string timestamp();

/*
 * One received record:
 * "TIME group=G id=IDX:VAL seq=S ack=A len=L flags=0xF data=DATA".
 */
std::string record_line(const std::string& time, uint32_t group, const cnxx_record& rec);

/*
 * The same as one JSON object: time, group, idx, val, seq, ack, len, flags,
 * pid (sending port), hex, and text when is_text().
 */
std::string record_json(
    const std::string& time, uint32_t group, uint32_t pid, const cnxx_record& rec);

/*
 * One process event: "TIME cpu=C ts=SEC.NSEC KIND DETAILS", e.g. "... fork
 * parent 1/1 child 42/42" or "... exit 42/42 code 0x300 (exit 3) signal 17
 * parent 1/1"; ids are pid/tgid, ts the kernel's monotonic clock.
 */
std::string proc_event_line(const std::string& time, const cnxx_proc_event& ev);

/*
 * The same as one JSON object: time, cpu, timestamp_ns, event (its name),
 * then the fields of its kind by their uapi names (exit events also with
 * the decoded exit_status, or term_signal and core_dumped).
 */
std::string proc_event_json(const std::string& time, const cnxx_proc_event& ev);

/* The operation an errno came from: it decides the explanation. */
enum class Op {
    Open, /* socket(), bind() */
    Join, /* joining ctx.group */
    Send, /* a message to ctx.id, or its ack */
    Receive,
    Notify, /* adding a notification request */
    Unnotify, /* removing one */
    ProcListen, /* subscribing to process events */
};

struct ErrorContext {
    Op op;
    cb_id id{};
    uint32_t group = 0;
    uint32_t groups = 0; /* the module's group count; 0: unknown (32) */
};

/* "ENODEV: no callback registered for 3:1"; @err may be negative. */
std::string explain(int err, const ErrorContext& ctx);

/* The table of /proc/net/cnxx (or of /proc/net/connector), aligned. */
std::string callbacks_table(const std::vector<cnxx_cb_entry>& cbs);

/* "key value" lines, values aligned. */
std::string stats_table(const std::vector<cnxx_stat>& stats);

/* {"module": .., "callbacks": [..], "stats": {..}} on one line. */
std::string list_json(const std::string& module, const std::vector<cnxx_cb_entry>& cbs,
    const std::vector<cnxx_stat>& stats);

} // namespace cnctl

#endif /* CNCTL_OUTPUT_HPP */
