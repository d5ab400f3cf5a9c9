// SPDX-License-Identifier: GPL-2.0
// cnxx_core_route() and cnxx_core_send_failed(): the core's part of a
// send. The shim's part (named destinations, the record check of debug
// builds, the send counts) is tested in KUnit (kunit/route.c, kunit/api.c)
// and the VM suite.
#include "harness.h"

#include <cerrno>

namespace test {
namespace {

class Route : public CoreTest {};

// A send that names no destination goes to the group of its id's
// callback: its idx. Sends that name one never ask the core.
TEST_F(Route, ToTheGroupOfTheIdsCallback)
{
    Core core;
    ASSERT_EQ(core.add(3, 1), 0);
    std::uint32_t dst = 99;
    EXPECT_EQ(core.route(cn_message(3, 1, { 1, 2 }), &dst), 0);
    EXPECT_EQ(dst, 3u);
}

TEST_F(Route, UnknownId)
{
    Core core;
    const Bytes message = cn_message(3, 1);
    std::uint32_t dst = 99;
    EXPECT_EQ(core.route(message, &dst), -ENODEV);
    EXPECT_EQ(dst, 99u);
    ASSERT_EQ(core.add(3, 1), 0);
    ASSERT_EQ(core.del(3, 1), 0);
    EXPECT_EQ(core.route(message, &dst), -ENODEV);
    EXPECT_EQ(dst, 99u);
}

// A callback's group beyond config.groups is routed all the same: netlink
// refuses it with -ESRCH, as it refuses such a group named by the caller.
TEST_F(Route, BeyondTheCountIsNetlinksToRefuse)
{
    Config config;
    config.groups = 1024;
    Core core(config);
    ASSERT_EQ(core.add(1024, 1), 0);
    ASSERT_EQ(core.add(1025, 1), 0);
    std::uint32_t dst = 0;
    EXPECT_EQ(core.route(cn_message(1024, 1), &dst), 0);
    EXPECT_EQ(dst, 1024u);
    EXPECT_EQ(core.route(cn_message(1025, 1), &dst), 0);
    EXPECT_EQ(dst, 1025u);
}

// The default, 32: the in-tree connector's socket.
TEST_F(Route, DefaultCountIs32)
{
    Core core;
    EXPECT_EQ(core.stats().groups, 32u);
}

TEST_F(Route, StatsShowTheCount)
{
    Config config;
    config.groups = 65536;
    Core core(config);
    EXPECT_EQ(core.stats().groups, 65536u);
}

TEST_F(Route, NeverSleeps)
{
    Core core;
    ASSERT_EQ(core.add(3, 1), 0);
    const Bytes message = cn_message(3, 1);
    const cnxx_cb_id id = { 3, 1 };
    std::uint32_t dst = 0;
    // The fake aborts on anything that may sleep inside an RCU section.
    cnxx_pf_rcu_read_lock();
    EXPECT_EQ(core.route(message, &dst), 0);
    cnxx_core_send_failed(core.get(), &id, -ENOBUFS);
    cnxx_pf_rcu_read_unlock();
    EXPECT_EQ(dst, 3u);
}

// A failed send counts for the callback of its id, if one is registered;
// the sends themselves are the shim's to count.
TEST_F(Route, CountsFailuresPerCallback)
{
    Core core;
    ASSERT_EQ(core.add(3, 1), 0);
    const cnxx_cb_id known = { 3, 1 }, unknown = { 4, 4 };
    cnxx_core_send_failed(core.get(), &known, -ESRCH);
    cnxx_core_send_failed(core.get(), &unknown, -ENOMEM);
    std::uint64_t send_errors = 0;
    cnxx_core_for_each(
        core.get(),
        [](void* arg, const cnxx_cb_info* info) {
            *static_cast<std::uint64_t*>(arg) = info->send_errors;
        },
        &send_errors);
    EXPECT_EQ(send_errors, 1u);
}

} // namespace
} // namespace test
