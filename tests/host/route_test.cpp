// SPDX-License-Identifier: GPL-2.0
// cnxx_core_route() and cnxx_core_account_send(): the send path.
#include "harness.h"

#include <cerrno>

namespace test {
namespace {

class Route : public CoreTest {};

// Records laid end to end, each with its own len, as w1 builds replies.
Bytes records(const std::vector<std::uint16_t>& lens)
{
    Bytes all;
    for (std::uint16_t len : lens) {
        const Bytes record = cn_message(1, 1, Bytes(len, 0xab));
        all.insert(all.end(), record.begin(), record.end());
    }
    return all;
}

// The len argument of cn_netlink_send_mult(): everything after the first header.
std::uint16_t mult_len(const Bytes& all)
{
    return static_cast<std::uint16_t>(all.size() - sizeof(cn_msg));
}

TEST_F(Route, PortIdAndGroupCases)
{
    Core core;
    ASSERT_EQ(core.add(3, 1), 0);
    const Bytes message = cn_message(3, 1, { 1, 2 });
    std::uint32_t dst = 99;
    EXPECT_EQ(core.route(message, 2, 0, 0, &dst), 0);
    EXPECT_EQ(dst, 3u); // the callback's group: its idx
    EXPECT_EQ(core.route(message, 2, 1234, 0, &dst), 0);
    EXPECT_EQ(dst, 0u); // unicast only
    EXPECT_EQ(core.route(message, 2, 0, 7, &dst), 0);
    EXPECT_EQ(dst, 7u);
    EXPECT_EQ(core.route(message, 2, 1234, 7, &dst), 0);
    EXPECT_EQ(dst, 7u);
}

TEST_F(Route, UnknownIdWithoutPortOrGroup)
{
    Core core;
    const Bytes message = cn_message(3, 1);
    std::uint32_t dst = 99;
    EXPECT_EQ(core.route(message, 0, 0, 0, &dst), -ENODEV);
    EXPECT_EQ(dst, 99u);
    // With a destination given, no lookup is needed.
    EXPECT_EQ(core.route(message, 0, 0, 5, &dst), 0);
    ASSERT_EQ(core.add(3, 1), 0);
    ASSERT_EQ(core.del(3, 1), 0);
    EXPECT_EQ(core.route(message, 0, 0, 0, &dst), -ENODEV);
}

TEST_F(Route, MultiRecordSums)
{
    Core core;
    std::uint32_t dst = 0;
    const Bytes good = records({ 4, 0, 8 });
    EXPECT_EQ(core.route(good, mult_len(good), 0, 1, &dst), 0);
    const Bytes single = records({ 0 });
    EXPECT_EQ(core.route(single, 0, 0, 1, &dst), 0);
    const Bytes big = records({ 65535 });
    EXPECT_EQ(core.route(big, 65535, 0, 1, &dst), 0);

    const std::uint16_t len = mult_len(good);                  // 52
    EXPECT_EQ(core.route(good, len - 1, 0, 1, &dst), -EINVAL); // last record cut
    Bytes longer = good;
    longer.resize(longer.size() + 1);
    EXPECT_EQ(core.route(longer, len + 1, 0, 1, &dst), -EINVAL); // a byte left over
    EXPECT_EQ(core.route(good, 2, 0, 1, &dst), -EINVAL);         // first record too long
    EXPECT_EQ(core.route(good, 4 + 10, 0, 1, &dst), -EINVAL);    // ends inside a header
    EXPECT_EQ(core.route(good, 4 + 20, 0, 1, &dst), 0);          // first two records only
    const Bytes single_long = records({ 4 });
    EXPECT_EQ(core.route(single_long, 0, 0, 1, &dst), -EINVAL); // msg->len != len

    // Record lens that would overflow 16 bits when summed.
    Bytes wrap = records({ 65535 });
    Bytes second = cn_message(1, 1);
    std::uint16_t huge = 65535;
    std::memcpy(second.data() + offsetof(cn_msg, len), &huge, sizeof(huge));
    EXPECT_EQ(core.route(wrap, 65535, 0, 1, &dst), 0);
    Bytes first_small = records({ 0 });
    first_small.insert(first_small.end(), second.begin(), second.end());
    first_small.resize(20 + 20 + 100, 0);
    EXPECT_EQ(core.route(first_small, 120, 0, 1, &dst), -EINVAL);
}

// A destination beyond config.groups is refused as netlink_broadcast()
// refuses it, whichever way it was chosen; up to it, it is routed.
TEST_F(Route, GroupsBeyondTheCountAreEsrch)
{
    Config config;
    config.groups = 1024;
    Core core(config);
    const Bytes message = cn_message(3, 1, { 1, 2 });
    std::uint32_t dst = 0;
    EXPECT_EQ(core.route(message, 2, 0, 1000, &dst), 0);
    EXPECT_EQ(dst, 1000u);
    EXPECT_EQ(core.route(message, 2, 0, 1024, &dst), 0);
    EXPECT_EQ(dst, 1024u);
    dst = 99;
    EXPECT_EQ(core.route(message, 2, 0, 1025, &dst), -ESRCH);
    EXPECT_EQ(core.route(message, 2, 1234, 1025, &dst), -ESRCH);
    EXPECT_EQ(core.route(message, 2, 0, 0xffffffff, &dst), -ESRCH);
    EXPECT_EQ(dst, 99u);
    // Malformed records are -EINVAL first, as for any group.
    EXPECT_EQ(core.route(message, 3, 0, 1025, &dst), -EINVAL);

    // Group 0: the callback's group, its idx, under the same bound.
    ASSERT_EQ(core.add(1024, 1), 0);
    ASSERT_EQ(core.add(1025, 1), 0);
    EXPECT_EQ(core.route(cn_message(1024, 1), 0, 0, 0, &dst), 0);
    EXPECT_EQ(dst, 1024u);
    dst = 99;
    EXPECT_EQ(core.route(cn_message(1025, 1), 0, 0, 0, &dst), -ESRCH);
    EXPECT_EQ(dst, 99u);
    // A unicast has no group to check.
    EXPECT_EQ(core.route(cn_message(1025, 1), 0, 1234, 0, &dst), 0);
    EXPECT_EQ(dst, 0u);
}

// The default, 32: group 33 is as unreachable as it always was.
TEST_F(Route, DefaultCountIs32)
{
    Core core;
    const Bytes message = cn_message(3, 1);
    std::uint32_t dst = 0;
    EXPECT_EQ(core.route(message, 0, 0, 32, &dst), 0);
    EXPECT_EQ(dst, 32u);
    EXPECT_EQ(core.route(message, 0, 0, 33, &dst), -ESRCH);
    EXPECT_EQ(core.stats().groups, 32u);
}

// The inline rule the shim's fast path uses: a group beyond the count is
// never direct, so the core sees it.
TEST_F(Route, DirectOnlyWithinTheCount)
{
    const Bytes message = cn_message(3, 1);
    const auto* msg = reinterpret_cast<const cn_msg*>(message.data());
    EXPECT_TRUE(cnxx_route_is_direct(msg, 0, 0, 1024, 1024));
    EXPECT_FALSE(cnxx_route_is_direct(msg, 0, 0, 1025, 1024));
    EXPECT_FALSE(cnxx_route_is_direct(msg, 0, 7, 1025, 1024));
    EXPECT_TRUE(cnxx_route_is_direct(msg, 0, 7, 0, 32));
    EXPECT_FALSE(cnxx_route_is_direct(msg, 0, 0, 0, 32));
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
    EXPECT_EQ(core.route(message, 0, 0, 0, &dst), 0);
    cnxx_core_account_send(core.get(), &id, -ENOBUFS);
    cnxx_core_account_send(core.get(), &id, 0);
    cnxx_pf_rcu_read_unlock();
    EXPECT_EQ(dst, 3u);
}

TEST_F(Route, AccountsSends)
{
    Core core;
    ASSERT_EQ(core.add(3, 1), 0);
    const cnxx_cb_id known = { 3, 1 }, unknown = { 4, 4 };
    cnxx_core_account_send(core.get(), &known, 0);
    cnxx_core_account_send(core.get(), &known, 0);
    cnxx_core_account_send(core.get(), &known, -ESRCH);
    cnxx_core_account_send(core.get(), &unknown, -ENOMEM);
    cnxx_core_account_send(core.get(), nullptr, -ENOMEM);
    const auto stats = core.stats();
    EXPECT_EQ(stats.tx_messages, 2u);
    EXPECT_EQ(stats.tx_errors, 3u);
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
