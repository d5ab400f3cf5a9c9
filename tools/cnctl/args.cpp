// SPDX-License-Identifier: GPL-2.0-or-later
#include "args.hpp"

#include <climits>
#include <cstring>

namespace cnctl {

namespace {

std::string quoted(std::string_view s)
{
    return "'" + std::string(s) + "'";
}

int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

Parsed<uint64_t> parse_uint(std::string_view s, uint64_t max, std::string_view what)
{
    std::string_view digits = s;
    unsigned base = 10;
    uint64_t v = 0;

    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        digits.remove_prefix(2);
        base = 16;
    }
    if (digits.empty())
        return fail<uint64_t>("bad " + std::string(what) + " " + quoted(s) + ": expected a number");
    for (char c : digits) {
        int d = hex_digit(c);

        if (d < 0 || unsigned(d) >= base)
            return fail<uint64_t>(
                "bad " + std::string(what) + " " + quoted(s) + ": expected a number");
        if (v > (max - unsigned(d)) / base)
            return fail<uint64_t>(
                std::string(what) + " " + quoted(s) + " is out of range 0.." + std::to_string(max));
        v = v * base + unsigned(d);
    }
    return { v, {} };
}

Parsed<uint32_t> parse_u32(std::string_view s, std::string_view what)
{
    Parsed<uint64_t> p = parse_uint(s, UINT32_MAX, what);

    return { uint32_t(p.value), p.error };
}

Parsed<uint32_t> parse_group(std::string_view s)
{
    Parsed<uint32_t> g = parse_u32(s, "group");

    if (g && !g.value)
        return fail<uint32_t>("bad group '0': groups start at 1");
    return g;
}

Parsed<cb_id> parse_id(std::string_view s)
{
    size_t colon = s.find(':');

    if (colon == std::string_view::npos)
        return fail<cb_id>("bad id " + quoted(s) + ": expected IDX:VAL, e.g. 3:1");
    Parsed<uint32_t> idx = parse_u32(s.substr(0, colon), "id index");
    if (!idx)
        return fail<cb_id>(idx.error);
    Parsed<uint32_t> val = parse_u32(s.substr(colon + 1), "id value");
    if (!val)
        return fail<cb_id>(val.error);
    return { cb_id{ idx.value, val.value }, {} };
}

namespace {

Parsed<std::vector<cnxx_range>> parse_range(std::string_view s, std::string_view what)
{
    using Ranges = std::vector<cnxx_range>;
    size_t sep = s.find_first_of("-+");
    uint64_t first, count;

    Parsed<uint32_t> a = parse_u32(s.substr(0, sep), what);
    if (!a)
        return fail<Ranges>(a.error);
    first = a.value;
    if (sep == std::string_view::npos) {
        count = 1;
    } else {
        Parsed<uint32_t> b = parse_u32(s.substr(sep + 1), what);
        if (!b)
            return fail<Ranges>(b.error);
        if (s[sep] == '-') {
            if (b.value < first)
                return fail<Ranges>(
                    "bad " + std::string(what) + " " + quoted(s) + ": end before start");
            count = uint64_t(b.value) - first + 1;
        } else {
            count = b.value;
            if (!count)
                return fail<Ranges>("bad " + std::string(what) + " " + quoted(s) + ": empty range");
            if (first + count - 1 > UINT32_MAX)
                return fail<Ranges>(
                    "bad " + std::string(what) + " " + quoted(s) + ": goes past 4294967295");
        }
    }
    if (count > UINT32_MAX) {
        uint32_t half = uint32_t(count / 2);

        return { Ranges{ { 0, half }, { half, half } }, {} };
    }
    return { Ranges{ { uint32_t(first), uint32_t(count) } }, {} };
}

} // namespace

Parsed<std::vector<cnxx_range>> parse_ranges(std::string_view s, std::string_view what)
{
    std::vector<cnxx_range> out;

    for (;;) {
        size_t comma = s.find(',');
        Parsed<std::vector<cnxx_range>> p = parse_range(s.substr(0, comma), what);

        if (!p)
            return p;
        out.insert(out.end(), p.value.begin(), p.value.end());
        if (comma == std::string_view::npos)
            break;
        s.remove_prefix(comma + 1);
    }
    return { std::move(out), {} };
}

bool in_ranges(const std::vector<cnxx_range>& ranges, uint32_t v)
{
    for (const cnxx_range& r : ranges)
        if (v >= r.first && uint64_t(v) - r.first < r.range)
            return true;
    return false;
}

Parsed<std::vector<uint8_t>> parse_hex(std::string_view s)
{
    using Bytes = std::vector<uint8_t>;
    std::string digits;

    if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s.remove_prefix(2);
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == ':')
            continue;
        if (hex_digit(c) < 0)
            return fail<Bytes>(
                "bad hex data: " + quoted(std::string(1, c)) + " is not a hex digit");
        digits += c;
    }
    if (digits.size() % 2)
        return fail<Bytes>("bad hex data: odd number of hex digits");

    Bytes out;
    for (size_t i = 0; i < digits.size(); i += 2)
        out.push_back(uint8_t(hex_digit(digits[i]) * 16 + hex_digit(digits[i + 1])));
    return { std::move(out), {} };
}

Parsed<std::vector<uint8_t>> make_payload(const PayloadSource& src)
{
    using Bytes = std::vector<uint8_t>;
    Bytes data;
    int sources = !src.words.empty() + src.has_hex + !src.file.empty();

    if (sources > 1)
        return fail<Bytes>("give the data as text, --hex or --file, not several of them");
    if (src.has_hex) {
        Parsed<Bytes> p = parse_hex(src.hex);
        if (!p)
            return p;
        data = std::move(p.value);
    } else if (!src.file.empty()) {
        std::string text;
        int err = libcnxx::read_file(src.file, text);

        if (err)
            return fail<Bytes>("cannot read " + quoted(src.file) + ": " + std::strerror(-err));
        data.assign(text.begin(), text.end());
    } else {
        std::string text;

        for (size_t i = 0; i < src.words.size(); i++)
            text += (i ? " " : "") + src.words[i];
        data.assign(text.begin(), text.end());
        if (src.nul)
            data.push_back(0);
    }
    if (data.size() > CNXX_MAX_DATA)
        return fail<Bytes>("data of " + std::to_string(data.size())
            + " bytes is too large: at most " + std::to_string(CNXX_MAX_DATA) + " (16384 - 20)");
    return { std::move(data), {} };
}

std::string event_names()
{
    std::string out;

    for (uint32_t bit = 1; bit; bit <<= 1) {
        if (CNXX_PROC_EVENT_ALL & bit)
            out += (out.empty() ? "" : ", ") + std::string(cnxx_proc_event_name(bit));
    }
    return out;
}

Parsed<uint32_t> parse_events(std::string_view s)
{
    const std::string list(s);
    const char* bad = nullptr;
    uint32_t events = 0;

    if (cnxx_proc_parse_events(list.c_str(), &events, &bad)) {
        std::string_view name(bad, strcspn(bad, ","));

        return fail<uint32_t>((name.empty() ? "empty event name" : "unknown event " + quoted(name))
            + " in " + quoted(s) + ": expected " + event_names() + " or all, comma-separated");
    }
    return { events, {} };
}

int to_ms(double seconds)
{
    if (seconds < 0)
        return -1;
    if (seconds * 1000 >= INT_MAX)
        return INT_MAX;
    return int(seconds * 1000 + 0.5);
}

} // namespace cnctl
