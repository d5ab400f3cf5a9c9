// SPDX-License-Identifier: GPL-2.0
// The wire formats the core reads and writes. The kernel's netlink and
// connector layouts are written out here, because the core cannot include
// kernel headers; they match <linux/netlink.h> and <linux/connector.h>
// (checked by a host test). What cnxx adds to them - the control id,
// notification requests and acks - comes from the project's uapi header,
// the one definition that user space and modules read too. All integers
// are in host byte order, as netlink sends them.
#pragma once

#include "../../cxxrt/types.h"
#include "../../include/uapi/cnxx/cnxx_wire.h"
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
constexpr bool is_control_id(const cnxx_cb_id& id)
{
    return id.idx == CN_IDX_CONNECTOR && id.val == CN_VAL_CONNECTOR;
}

// A notification request: this header, then its ranges (len bytes).
using ControlMessage = cn_ctl_msg;
constexpr u32 control_message_size = sizeof(ControlMessage);

// One range of a request: the ids first .. first + range - 1.
using NotifyRange = cn_notify_req;
constexpr u32 notify_range_size = sizeof(NotifyRange);

static_assert(sizeof(NetlinkHeader) == netlink_header_size);
static_assert(sizeof(ConnectorMessage) == connector_message_size);
static_assert(connector_message_size == CNXX_CN_MSG_SIZE);
static_assert(__builtin_offsetof(ConnectorMessage, len) == CNXX_CN_MSG_LEN_OFFSET);
static_assert(sizeof(cnxx_cb_id) == 8);

} // namespace cnxx::wire
