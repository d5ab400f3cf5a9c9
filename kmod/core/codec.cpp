// SPDX-License-Identifier: GPL-2.0
#include "codec.h"

#include "../../cxxrt/errno.h"
#include "../../cxxrt/platform.h"
#include "../../cxxrt/unaligned.h"

namespace cnxx::codec {

using cxxrt::Error;
using cxxrt::load_unaligned;
using cxxrt::u64;

wire::NotifyRange ControlRequest::range(u32 index) const
{
    return load_unaligned<wire::NotifyRange>(ranges_ + u64(index) * wire::notify_range_size);
}

Result<ControlRequest> parse_control_request(
    const void* bytes, size_t size, const ControlLimits& limits)
{
    if (size < wire::control_message_size) {
        cnxx_pf_log_ratelimited(
            CNXX_LOG_WARN, "notify request: %zu bytes, shorter than cn_ctl_msg\n", size);
        return Error::from_errno(EINVAL);
    }
    const auto header = load_unaligned<wire::ControlMessage>(bytes);
    if (u64(size) != u64(wire::control_message_size) + header.len) {
        cnxx_pf_log_ratelimited(CNXX_LOG_WARN,
            "notify request: %zu bytes, but len %u announces %llu\n", size, header.len,
            (unsigned long long)(wire::control_message_size + u64(header.len)));
        return Error::from_errno(EINVAL);
    }
    if (header.idx_notify_num == 0 || header.val_notify_num == 0) {
        cnxx_pf_log_ratelimited(CNXX_LOG_WARN,
            "notify request: %u idx and %u val ranges, need at least one each\n",
            header.idx_notify_num, header.val_notify_num);
        return Error::from_errno(EINVAL);
    }
    const u64 range_count = u64(header.idx_notify_num) + header.val_notify_num;
    if (range_count * wire::notify_range_size != header.len) {
        cnxx_pf_log_ratelimited(CNXX_LOG_WARN, "notify request: %llu ranges do not fill len %u\n",
            (unsigned long long)range_count, header.len);
        return Error::from_errno(EINVAL);
    }
    if (range_count > limits.max_ranges) {
        cnxx_pf_log_ratelimited(CNXX_LOG_WARN, "notify request: %llu ranges, limit %u\n",
            (unsigned long long)range_count, limits.max_ranges);
        return Error::from_errno(E2BIG);
    }
    if (header.group > limits.groups) {
        cnxx_pf_log_ratelimited(CNXX_LOG_WARN, "notify request: group %u, highest is %u\n",
            header.group, limits.groups);
        return Error::from_errno(EINVAL);
    }

    ControlRequest request(header, static_cast<const u8*>(bytes) + wire::control_message_size);
    for (u32 i = 0; i < request.range_count(); ++i) {
        const wire::NotifyRange range = request.range(i);
        if (range.range == 0 || u64(range.first) + range.range > (u64(1) << 32)) {
            cnxx_pf_log_ratelimited(CNXX_LOG_WARN,
                "notify request: range %u (first %u, range %u) is empty or wraps\n", i, range.first,
                range.range);
            return Error::from_errno(EINVAL);
        }
    }
    return request;
}

} // namespace cnxx::codec
