// SPDX-License-Identifier: GPL-2.0
// The netlink and connector wire formats, defined here because the core
// cannot include kernel headers. Layouts match <linux/netlink.h>,
// <linux/connector.h> and <uapi/cnxx/connector.h> (checked by a host test).
// All integers are in host byte order, as netlink sends them.
#pragma once

#include "../../cxxrt/types.h"
#include "cnxx_abi.h"

namespace cnxx::wire {

using cxxrt::u16;
using cxxrt::u32;
using cxxrt::u64;

// struct nlmsghdr
struct NetlinkHeader {
    u32 length; // header included
    u16 type;
    u16 flags;
    u32 seq;
    u32 port_id;
};

constexpr u32 netlink_alignment = 4;    // NLMSG_ALIGNTO
constexpr u32 netlink_header_size = 16; // NLMSG_HDRLEN
constexpr u16 netlink_flag_ack = 0x4;   // NLM_F_ACK
constexpr u16 netlink_type_done = 3;    // NLMSG_DONE

// NLMSG_ALIGN(): rounds @length up to the netlink alignment; 64-bit so
// that lengths near 2^32 cannot wrap.
constexpr u64 netlink_align(u64 length)
{
    return (length + netlink_alignment - 1) & ~u64(netlink_alignment - 1);
}

// struct cn_msg, without its flexible data[] member.
struct ConnectorMessage {
    cnxx_cb_id id;
    u32 seq;
    u32 ack;
    u16 len; // bytes of data after this header
    u16 flags;
};

constexpr u32 connector_message_size = 20;
constexpr u32 connector_max_message_size = 16384; // CONNECTOR_MAX_MSG_SIZE

// The id that carries notification requests, never a callback's.
constexpr u32 control_idx = 0xffffffff; // CN_IDX_CONNECTOR
constexpr u32 control_val = 0xffffffff; // CN_VAL_CONNECTOR

constexpr bool is_control_id(const cnxx_cb_id& id)
{
    return id.idx == control_idx && id.val == control_val;
}

// ack of a notification
constexpr u32 notify_registered = 0;   // CN_NOTIFY_REGISTERED
constexpr u32 notify_unregistered = 1; // CN_NOTIFY_UNREGISTERED

// struct cn_ctl_msg, without its flexible data[] member.
struct ControlMessage {
    u32 idx_notify_num;
    u32 val_notify_num;
    u32 group;
    u32 len; // bytes of cn_notify_req after this header
};

constexpr u32 control_message_size = 16;

// struct cn_notify_req: the ids first .. first + range - 1.
struct NotifyRange {
    u32 first;
    u32 range;
};

constexpr u32 notify_range_size = 8;

static_assert(sizeof(NetlinkHeader) == netlink_header_size);
static_assert(sizeof(ConnectorMessage) == connector_message_size);
static_assert(sizeof(ControlMessage) == control_message_size);
static_assert(sizeof(NotifyRange) == notify_range_size);
static_assert(sizeof(cnxx_cb_id) == 8);

} // namespace cnxx::wire
