// SPDX-License-Identifier: GPL-2.0
// The platform's log on the host: kept for the tests to read, printed when
// CNXX_TEST_LOG is set (errors always).
#include "fake_platform.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace {

std::mutex log_mutex;
std::vector<std::string>& log_store()
{
    static auto* lines = new std::vector<std::string>;
    return *lines;
}

void record_log(cnxx_log_level level, const char* fmt, va_list args)
{
    char line[512];
    std::vsnprintf(line, sizeof(line), fmt, args);
    static const bool print = std::getenv("CNXX_TEST_LOG") != nullptr;
    // Errors are bugs (failed assertions): always show them.
    if (print || level == CNXX_LOG_ERR)
        std::fprintf(stderr, "cnxx: %s", line);
    std::lock_guard<std::mutex> lock(log_mutex);
    auto& lines = log_store();
    if (lines.size() >= 1024)
        lines.erase(lines.begin());
    lines.emplace_back(line);
}

} // namespace

extern "C" {

void cnxx_pf_log(enum cnxx_log_level level, const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    record_log(level, fmt, args);
    va_end(args);
}

void cnxx_pf_log_ratelimited(enum cnxx_log_level level, const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    record_log(level, fmt, args);
    va_end(args);
}

} // extern "C"

namespace fake {

std::vector<std::string> log_lines()
{
    std::lock_guard<std::mutex> lock(log_mutex);
    return log_store();
}

void clear_log()
{
    std::lock_guard<std::mutex> lock(log_mutex);
    log_store().clear();
}

bool log_contains(const std::string& text)
{
    std::lock_guard<std::mutex> lock(log_mutex);
    for (const auto& line : log_store()) {
        if (line.find(text) != std::string::npos)
            return true;
    }
    return false;
}

} // namespace fake
