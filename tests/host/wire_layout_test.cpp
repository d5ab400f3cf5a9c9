// SPDX-License-Identifier: GPL-2.0
// The core's own copies of the kernel's wire layouts and constants against
// the system's kernel headers. cxxrt/errno.h comes first on purpose: the C
// library's errno.h then redefines the same macros, which -Werror rejects
// unless every value is identical.
#include "cxxrt/errno.h"

#include <cerrno>
#include <cstddef>
#include <cstring>

#include <linux/connector.h>
#include <linux/netlink.h>

#include "kmod/core/cnxx_abi.h"
#include "kmod/core/wire.h"

#include <gtest/gtest.h>

namespace {

namespace wire = cnxx::wire;

// Equal bytes from the same values, given to each field by name, mean
// that every field has the kernel's offset and size, and nothing more.
template <typename Ours, typename Theirs>
bool same_bytes(const Ours& ours, const Theirs& theirs)
{
    return sizeof(Ours) == sizeof(Theirs) && std::memcmp(&ours, &theirs, sizeof(Ours)) == 0;
}

TEST(WireLayout, NetlinkHeaderIsNlmsghdr)
{
    const wire::NetlinkHeader ours
        = { .length = 0x10101010, .type = 0x2020, .flags = 0x3030, .seq = 4, .port_id = 5 };
    const nlmsghdr theirs = { .nlmsg_len = 0x10101010,
        .nlmsg_type = 0x2020,
        .nlmsg_flags = 0x3030,
        .nlmsg_seq = 4,
        .nlmsg_pid = 5 };
    EXPECT_TRUE(same_bytes(ours, theirs));
}

TEST(WireLayout, ConnectorMessageIsCnMsg)
{
    const wire::ConnectorMessage ours
        = { .id = { 1, 2 }, .seq = 3, .ack = 4, .len = 0x5050, .flags = 0x6060 };
    const cn_msg theirs = { .id = { 1, 2 }, .seq = 3, .ack = 4, .len = 0x5050, .flags = 0x6060 };
    EXPECT_TRUE(same_bytes(ours, theirs));
    EXPECT_EQ(offsetof(cn_msg, data), wire::connector_message_size);
}

TEST(WireLayout, CallbackIdIsCbId)
{
    EXPECT_TRUE(same_bytes(cnxx_cb_id{ .idx = 1, .val = 2 }, cb_id{ .idx = 1, .val = 2 }));
}

// The kernel's constants the core writes out.
static_assert(wire::netlink_header_size == NLMSG_HDRLEN);
static_assert(wire::netlink_alignment == NLMSG_ALIGNTO);
static_assert(wire::netlink_flag_ack == NLM_F_ACK);
static_assert(wire::netlink_type_done == NLMSG_DONE);
static_assert(wire::netlink_align(17) == NLMSG_ALIGN(17));
static_assert(wire::connector_max_message_size == CONNECTOR_MAX_MSG_SIZE);

TEST(WireLayout, ErrnosAreTheKernels)
{
    // cxxrt/errno.h was included first: a value differing from the C
    // library's would not have compiled. This records that it ran.
    EXPECT_EQ(EINVAL, 22);
    EXPECT_EQ(ENOBUFS, 105);
}

} // namespace
