// SPDX-License-Identifier: GPL-2.0
// Reading and checking what arrives on the wire: netlink messages in a
// receive buffer, cn_msg records of a send, notification requests. Nothing
// here keeps state or takes a lock; every read is unaligned-safe and
// bounds-checked before it happens.
#pragma once

#include "../../cxxrt/errno.h"
#include "../../cxxrt/result.h"
#include "../../cxxrt/types.h"
#include "../../cxxrt/unaligned.h"
#include "wire.h"

namespace cnxx::codec {

using cxxrt::Result;
using cxxrt::size_t;
using cxxrt::u16;
using cxxrt::u32;
using cxxrt::u8;

// One netlink message inside a receive buffer.
struct NetlinkMessage {
    u8* start;        // its nlmsghdr, inside the buffer
    u8* payload;      // right after the header
    u32 payload_size; // nlmsg_len - header size
    u16 flags;        // nlmsg_flags, read before any callback runs
};

// Walks the netlink messages of a buffer the way nlmsg_ok()/nlmsg_next()
// do, stopping at the first header that does not fit.
class NetlinkWalker {
public:
    NetlinkWalker(u8* buffer, size_t size) : cursor_(buffer), remaining_(size) {}

    // Fills @message with the next message and returns true, or returns
    // false at the end of the buffer or at a malformed header.
    // Inline: it runs for every message received. Reads only the two
    // fields it needs; the whole header only to answer a malformed one.
    bool next(NetlinkMessage& message)
    {
        if (remaining_ == 0)
            return false;
        if (remaining_ < wire::netlink_header_size) {
            malformed_ = true;
            return false;
        }
        const u32 length = cxxrt::load_unaligned<u32>(
            cursor_ + __builtin_offsetof(wire::NetlinkHeader, length));
        if (length < wire::netlink_header_size || length > remaining_) {
            malformed_ = true;
            has_malformed_header_ = true;
            malformed_header_ = cxxrt::load_unaligned<wire::NetlinkHeader>(cursor_);
            return false;
        }

        message.start = cursor_;
        message.payload = cursor_ + wire::netlink_header_size;
        message.payload_size = length - wire::netlink_header_size;
        message.flags = cxxrt::load_unaligned<u16>(
            cursor_ + __builtin_offsetof(wire::NetlinkHeader, flags));

        // The last message need not be padded to the alignment.
        cxxrt::u64 advance = wire::netlink_align(length);
        if (advance > remaining_)
            advance = remaining_;
        cursor_ += advance;
        remaining_ -= advance;
        return true;
    }

    // Whether the walk ended on bytes that are not a whole message.
    // Meaningful once next() has returned false.
    bool ended_malformed() const { return malformed_; }

    // The whole header the walk ended on, whose length does not fit the
    // buffer, or null when fewer than a header's bytes were left.
    const wire::NetlinkHeader* malformed_header() const
    {
        return has_malformed_header_ ? &malformed_header_ : nullptr;
    }

private:
    u8* cursor_;
    size_t remaining_;
    bool malformed_ = false;
    bool has_malformed_header_ = false;
    // Written before has_malformed_header_ is set; never read before.
    wire::NetlinkHeader malformed_header_;
};

// Checks that a netlink payload of @payload_size bytes can be a cn_msg:
// -EINVAL when shorter than its header, -EMSGSIZE over the size limit.
inline Result<void> check_connector_payload(u32 payload_size)
{
    if (payload_size < wire::connector_message_size)
        return cxxrt::Error::from_errno(EINVAL);
    if (payload_size > wire::connector_max_message_size)
        return cxxrt::Error::from_errno(EMSGSIZE);
    return {};
}

// The id and the data length of the cn_msg at @bytes (any alignment):
// all the receive path reads of it. The caller has checked that
// connector_message_size bytes are there.
inline cnxx_cb_id read_connector_id(const void* bytes)
{
    return cxxrt::load_unaligned<cnxx_cb_id>(bytes);
}
inline u16 read_connector_len(const void* bytes)
{
    return cxxrt::load_unaligned<u16>(
        static_cast<const u8*>(bytes) + __builtin_offsetof(wire::ConnectorMessage, len));
}

// Whether the @len bytes of data a cn_msg announces fit in @payload_size
// bytes. The cn_msg.len of a sender is never trusted before this.
inline bool connector_data_fits(u16 len, u32 payload_size)
{
    return wire::connector_message_size + u32(len) <= payload_size;
}

// What the configuration allows a notification request to ask for.
struct ControlLimits {
    u32 groups;     // highest valid netlink group
    u32 max_ranges; // idx + val ranges in one request
};

// A checked notification request (struct cn_ctl_msg) inside the bytes it
// was parsed from; valid as long as those bytes are.
class ControlRequest {
public:
    ControlRequest(const wire::ControlMessage& header, const u8* ranges)
        : idx_count_(header.idx_notify_num)
        , val_count_(header.val_notify_num)
        , group_(header.group)
        , ranges_(ranges)
    {
    }

    u32 idx_count() const { return idx_count_; }
    u32 val_count() const { return val_count_; }
    u32 range_count() const { return idx_count_ + val_count_; }
    u32 group() const { return group_; }

    // Range @index: the idx ranges first, then the val ranges.
    // @index must be below range_count().
    wire::NotifyRange range(u32 index) const;

private:
    u32 idx_count_;
    u32 val_count_;
    u32 group_;
    const u8* ranges_;
};

// Parses the @size bytes at @bytes as a notification request and checks
// it against @limits: -EINVAL for a malformed one, -E2BIG for too many
// ranges. Logs (rate-limited) why a request was refused.
Result<ControlRequest> parse_control_request(
    const void* bytes, size_t size, const ControlLimits& limits);

} // namespace cnxx::codec
