// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Command-line values of cnctl: ids, id ranges, numbers, payloads. Pure
 * functions, so that they are tested without a kernel.
 */
#ifndef CNCTL_ARGS_HPP
#define CNCTL_ARGS_HPP

#include <cnxx/libcnxx.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cnctl {

/* A value, or an error message naming what is wrong with the input. */
template <typename T>
struct Parsed {
    T value{};
    std::string error;

    explicit operator bool() const { return error.empty(); }
};

template <typename T>
Parsed<T> fail(std::string msg)
{
    return Parsed<T>{ T{}, std::move(msg) };
}

/* Decimal or 0x-hex, at most @max; @what names the value in errors. */
Parsed<uint64_t> parse_uint(std::string_view s, uint64_t max, std::string_view what);
Parsed<uint32_t> parse_u32(std::string_view s, std::string_view what);

/*
 * A netlink group to join: 1 .. 2^32 - 1. Which exist is the module's
 * business (its groups parameter), not the parser's.
 */
Parsed<uint32_t> parse_group(std::string_view s);

/* "IDX:VAL". */
Parsed<cb_id> parse_id(std::string_view s);

/*
 * A comma-separated list of "A", "A-B" (inclusive) or "A+N" (N ids from
 * A). A range of all 2^32 ids becomes two, as cn_notify_req.range is a u32.
 */
Parsed<std::vector<cnxx_range>> parse_ranges(std::string_view s, std::string_view what);

/* Whether @v lies in one of @ranges. */
bool in_ranges(const std::vector<cnxx_range>& ranges, uint32_t v);

/* Hex digits, optionally "0x"-prefixed and separated by blanks or colons. */
Parsed<std::vector<uint8_t>> parse_hex(std::string_view s);

/* Where the data of a message comes from; at most one may be set. */
struct PayloadSource {
    std::vector<std::string> words; /* text, joined with spaces */
    std::string hex;
    bool has_hex = false;
    std::string file;
    bool nul = false; /* append a NUL to text data */
};

/* The data bytes, at most CNXX_MAX_DATA of them. */
Parsed<std::vector<uint8_t>> make_payload(const PayloadSource& src);

/*
 * Process event names, comma-separated ("fork,exec,nonzero-exit" or
 * "all"), as CNXX_PROC_EVENT_* bits.
 */
Parsed<uint32_t> parse_events(std::string_view s);

/* "fork, exec, ...": libcnxx's names of the event bits. */
std::string event_names();

/* Seconds (>= 0) as milliseconds for the library; < 0 means forever. */
int to_ms(double seconds);

} // namespace cnctl

#endif /* CNCTL_ARGS_HPP */
