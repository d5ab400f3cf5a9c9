// SPDX-License-Identifier: GPL-2.0
// The core's own wire layouts against the system's kernel headers and the
// project's uapi header. cxxrt/errno.h comes first on purpose: the C
// library's errno.h then redefines the same macros, which -Werror rejects
// unless every value is identical.
#include "cxxrt/errno.h"

#include <cerrno>
#include <cstddef>

#include <cnxx/cnxx_wire.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "kmod/core/cnxx_abi.h"
#include "kmod/core/wire.h"

#include <gtest/gtest.h>

namespace {

namespace wire = cnxx::wire;

static_assert(sizeof(wire::NetlinkHeader) == sizeof(nlmsghdr));
static_assert(offsetof(wire::NetlinkHeader, length) == offsetof(nlmsghdr, nlmsg_len));
static_assert(offsetof(wire::NetlinkHeader, type) == offsetof(nlmsghdr, nlmsg_type));
static_assert(offsetof(wire::NetlinkHeader, flags) == offsetof(nlmsghdr, nlmsg_flags));
static_assert(offsetof(wire::NetlinkHeader, seq) == offsetof(nlmsghdr, nlmsg_seq));
static_assert(offsetof(wire::NetlinkHeader, port_id) == offsetof(nlmsghdr, nlmsg_pid));
static_assert(wire::netlink_header_size == NLMSG_HDRLEN);
static_assert(wire::netlink_alignment == NLMSG_ALIGNTO);
static_assert(wire::netlink_flag_ack == NLM_F_ACK);
static_assert(wire::netlink_type_done == NLMSG_DONE);
static_assert(wire::netlink_align(17) == NLMSG_ALIGN(17));
static_assert(wire::netlink_align(20) == NLMSG_ALIGN(20));

static_assert(sizeof(wire::ConnectorMessage) == sizeof(cn_msg));
static_assert(offsetof(wire::ConnectorMessage, id) == offsetof(cn_msg, id));
static_assert(offsetof(wire::ConnectorMessage, seq) == offsetof(cn_msg, seq));
static_assert(offsetof(wire::ConnectorMessage, ack) == offsetof(cn_msg, ack));
static_assert(offsetof(wire::ConnectorMessage, len) == offsetof(cn_msg, len));
static_assert(offsetof(wire::ConnectorMessage, flags) == offsetof(cn_msg, flags));
static_assert(offsetof(cn_msg, data) == wire::connector_message_size);
static_assert(wire::connector_max_message_size == CONNECTOR_MAX_MSG_SIZE);

static_assert(sizeof(cnxx_cb_id) == sizeof(cb_id));
static_assert(offsetof(cnxx_cb_id, idx) == offsetof(cb_id, idx));
static_assert(offsetof(cnxx_cb_id, val) == offsetof(cb_id, val));

static_assert(sizeof(wire::ControlMessage) == sizeof(cn_ctl_msg));
static_assert(
    offsetof(wire::ControlMessage, idx_notify_num) == offsetof(cn_ctl_msg, idx_notify_num));
static_assert(
    offsetof(wire::ControlMessage, val_notify_num) == offsetof(cn_ctl_msg, val_notify_num));
static_assert(offsetof(wire::ControlMessage, group) == offsetof(cn_ctl_msg, group));
static_assert(offsetof(wire::ControlMessage, len) == offsetof(cn_ctl_msg, len));
static_assert(offsetof(cn_ctl_msg, data) == wire::control_message_size);
static_assert(sizeof(wire::NotifyRange) == sizeof(cn_notify_req));
static_assert(offsetof(wire::NotifyRange, first) == offsetof(cn_notify_req, first));
static_assert(offsetof(wire::NotifyRange, range) == offsetof(cn_notify_req, range));

static_assert(wire::control_idx == CN_IDX_CONNECTOR);
static_assert(wire::control_val == CN_VAL_CONNECTOR);
static_assert(wire::notify_registered == CN_NOTIFY_REGISTERED);
static_assert(wire::notify_unregistered == CN_NOTIFY_UNREGISTERED);
static_assert(CNXX_NAME_LEN == 32); // CN_CBNAME_LEN, kernel-internal

TEST(WireLayout, MatchesKernelHeaders)
{
    // Everything is checked at compile time; this records that it ran.
    EXPECT_EQ(sizeof(cn_msg), 20u);
    EXPECT_EQ(EINVAL, 22);
    EXPECT_EQ(ENOBUFS, 105);
}

} // namespace
