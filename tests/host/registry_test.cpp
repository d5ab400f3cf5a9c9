// SPDX-License-Identifier: GPL-2.0
// cn_add_callback() / cn_del_callback() bookkeeping.
#include "harness.h"
#include "kmod/core/connector.h"

#include <cnxx/cnxx_wire.h> /* the control id */

#include <cerrno>
#include <string>

namespace test {
namespace {

struct Listed {
    cnxx_cb_id id;
    std::string name;
    std::uint32_t group;
    std::uint64_t delivered;
    std::uint64_t dropped;
};

std::vector<Listed> list(Core& core)
{
    std::vector<Listed> listed;
    cnxx_core_for_each(
        core.get(),
        [](void* arg, const cnxx_cb_info* info) {
            EXPECT_EQ(info->name[CNXX_NAME_LEN - 1], '\0');
            static_cast<std::vector<Listed>*>(arg)->push_back(
                { info->id, info->name, info->group, info->delivered, info->dropped });
        },
        &listed);
    return listed;
}

class Registry : public CoreTest {};

TEST_F(Registry, AddAndDelete)
{
    Core core;
    EXPECT_EQ(core.add(1, 1), 0);
    EXPECT_EQ(core.add(1, 2), 0);
    EXPECT_EQ(core.add(2, 1), 0);
    EXPECT_EQ(core.stats().callbacks, 3u);
    EXPECT_EQ(core.del(1, 2), 0);
    EXPECT_EQ(core.stats().callbacks, 2u);
    EXPECT_EQ(core.del(1, 2), -ENOENT);
    EXPECT_EQ(core.del(7, 7), -ENOENT);
    EXPECT_EQ(core.add(1, 2), 0);
    EXPECT_EQ(core.stats().callbacks, 3u);
}

TEST_F(Registry, DuplicateIsInvalid)
{
    Core core;
    EXPECT_EQ(core.add(5, 5, "first"), 0);
    EXPECT_EQ(core.add(5, 5, "second"), -EINVAL);
    const auto listed = list(core);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].name, "first");
}

TEST_F(Registry, ControlIdIsReserved)
{
    Core core;
    EXPECT_EQ(core.add(CN_IDX_CONNECTOR, CN_VAL_CONNECTOR), -EINVAL);
    EXPECT_EQ(core.add(CN_IDX_CONNECTOR, 0), 0);
    EXPECT_EQ(core.add(0, CN_VAL_CONNECTOR), 0);
    EXPECT_EQ(core.stats().callbacks, 2u);
}

TEST_F(Registry, NullNameOrCallbackIsInvalid)
{
    Core core;
    const cnxx_cb_id id = { 1, 1 };
    EXPECT_EQ(cnxx_core_add(core.get(), &id, nullptr,
                  reinterpret_cast<cnxx_callback_t>(&forwarding_callback)),
        -EINVAL);
    EXPECT_EQ(cnxx_core_add(core.get(), &id, "name", nullptr), -EINVAL);
    EXPECT_EQ(core.stats().callbacks, 0u);
}

TEST_F(Registry, NameIsTruncatedLikeSnprintf)
{
    Core core;
    const std::string long_name(100, 'x');
    EXPECT_EQ(core.add(1, 1, long_name.c_str()), 0);
    EXPECT_EQ(core.add(1, 2, ""), 0);
    EXPECT_EQ(core.add(1, 3, std::string(31, 'y').c_str()), 0);
    EXPECT_EQ(core.add(1, 4, std::string(32, 'z').c_str()), 0);
    const auto listed = list(core);
    ASSERT_EQ(listed.size(), 4u);
    EXPECT_EQ(listed[0].name, std::string(31, 'x'));
    EXPECT_EQ(listed[1].name, "");
    EXPECT_EQ(listed[2].name, std::string(31, 'y'));
    EXPECT_EQ(listed[3].name, std::string(31, 'z'));
}

TEST_F(Registry, ForEachVisitsInRegistrationOrder)
{
    Core core;
    EXPECT_EQ(core.add(9, 1, "a"), 0);
    EXPECT_EQ(core.add(3, 1, "b"), 0);
    EXPECT_EQ(core.add(6, 1, "c"), 0);
    EXPECT_EQ(core.del(3, 1), 0);
    EXPECT_EQ(core.add(3, 1, "d"), 0);
    const auto listed = list(core);
    ASSERT_EQ(listed.size(), 3u);
    EXPECT_EQ(listed[0].name, "a");
    EXPECT_EQ(listed[1].name, "c");
    EXPECT_EQ(listed[2].name, "d");
    EXPECT_EQ(listed[0].group, 9u); // group is id.idx
    EXPECT_EQ(listed[2].id.idx, 3u);
    EXPECT_EQ(listed[2].id.val, 1u);
}

TEST_F(Registry, TenThousandIds)
{
    Config config;
    config.hash_bits = 12;
    config.groups = 128; // every idx below is a group a send may reach
    Core core(config);
    // Small integers in both halves, as real ids are.
    for (std::uint32_t idx = 0; idx < 100; ++idx) {
        for (std::uint32_t val = 0; val < 100; ++val)
            ASSERT_EQ(core.add(idx, val), 0);
    }
    EXPECT_EQ(core.stats().callbacks, 10000u);
    auto* connector = reinterpret_cast<cnxx::Connector*>(core.get());
    // 10,000 in 4,096 buckets: a good spread keeps chains short.
    EXPECT_LE(connector->longest_hash_chain(), 12u);

    std::uint32_t dst = 0;
    for (std::uint32_t idx = 0; idx < 100; idx += 7) {
        const Bytes message = cn_message(idx, 99 - idx % 100);
        EXPECT_EQ(core.route(message, &dst), 0);
        EXPECT_EQ(dst, idx);
    }
    for (std::uint32_t idx = 0; idx < 100; ++idx) {
        for (std::uint32_t val = 0; val < 100; val += 2)
            ASSERT_EQ(core.del(idx, val), 0);
    }
    EXPECT_EQ(core.stats().callbacks, 5000u);
    EXPECT_EQ(core.del(50, 50), -ENOENT);
    EXPECT_EQ(core.del(50, 51), 0);
}

TEST_F(Registry, CreateRejectsBadConfig)
{
    cnxx_core_config config = {};
    config.hash_bits = 4;
    config.ops = &Recorder::ops;
    cnxx_core* core = nullptr;
    EXPECT_EQ(cnxx_core_create(nullptr, &core), -EINVAL);
    EXPECT_EQ(cnxx_core_create(&config, nullptr), -EINVAL);
    config.hash_bits = CNXX_MAX_HASH_BITS + 1;
    EXPECT_EQ(cnxx_core_create(&config, &core), -EINVAL);
    config.hash_bits = 0;
    config.ops = nullptr;
    EXPECT_EQ(cnxx_core_create(&config, &core), -EINVAL);
    cnxx_core_ops partial = Recorder::ops;
    partial.sender_capable = nullptr;
    config.ops = &partial;
    EXPECT_EQ(cnxx_core_create(&config, &core), -EINVAL);
    EXPECT_EQ(core, nullptr);
    config.ops = &Recorder::ops;
    ASSERT_EQ(cnxx_core_create(&config, &core), 0); // one bucket is fine
    ASSERT_NE(core, nullptr);
    const cnxx_cb_id a = { 1, 1 }, b = { 2, 2 };
    const auto cb = reinterpret_cast<cnxx_callback_t>(&forwarding_callback);
    EXPECT_EQ(cnxx_core_add(core, &a, "a", cb), 0);
    EXPECT_EQ(cnxx_core_add(core, &b, "b", cb), 0);
    EXPECT_EQ(cnxx_core_del(core, &a), 0);
    cnxx_core_destroy(core);
}

} // namespace
} // namespace test
