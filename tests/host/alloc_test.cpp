// SPDX-License-Identifier: GPL-2.0
// Allocation failure is a value everywhere, and never leaks.
#include "harness.h"

#include <cnxx/cnxx_wire.h> /* the control id */

#include <cerrno>

namespace test {
namespace {

class Allocation : public CoreTest {};

TEST_F(Allocation, CreateFailsAtEachStepWithoutLeaking)
{
    cnxx_core_config config = { 6, 32, 8, 8, 64, &Recorder::ops, nullptr };
    const auto live = fake::live_allocations();
    int steps = 0;
    for (int nth = 1; nth < 100; ++nth) {
        fake::fail_allocation(nth);
        cnxx_core* core = nullptr;
        const int err = cnxx_core_create(&config, &core);
        fake::fail_allocation(0);
        if (!err) {
            cnxx_core_destroy(core);
            break;
        }
        ++steps;
        EXPECT_EQ(err, -ENOMEM) << "after failing allocation " << nth;
        EXPECT_EQ(fake::live_allocations(), live) << "after failing allocation " << nth;
    }
    // The connector, two locks, the buckets and the work item.
    EXPECT_EQ(steps, 5);
}

TEST_F(Allocation, AddFailsWithEnomem)
{
    Core core;
    fake::fail_allocation(1);
    EXPECT_EQ(core.add(1, 1), -ENOMEM);
    EXPECT_EQ(core.stats().callbacks, 0u);
    fake::fail_all_allocations(true);
    EXPECT_EQ(core.add(1, 1), -ENOMEM);
    fake::fail_all_allocations(false);
    EXPECT_EQ(core.add(1, 1), 0);
}

TEST_F(Allocation, ReceiveRouteAndDeleteNeverAllocate)
{
    Core core;
    ASSERT_EQ(core.add(1, 1), 0);
    ASSERT_EQ(core.add(2, 2), 0);
    fake::fail_all_allocations(true);
    const auto attempts = fake::allocation_count();
    Bytes buffer = concat({ netlink(cn_message(1, 1), NLM_F_ACK), netlink(cn_message(3, 3)) });
    core.receive(buffer);
    std::uint32_t dst = 0;
    EXPECT_EQ(core.route(cn_message(2, 2), &dst), 0);
    EXPECT_EQ(core.del(2, 2), 0);
    EXPECT_EQ(fake::allocation_count(), attempts);
    fake::fail_all_allocations(false);
    EXPECT_EQ(core.stats().rx_delivered, 1u);
    EXPECT_EQ(core.recorder().acks().at(0).err, 0);
}

TEST_F(Allocation, NotificationThatCannotBeQueuedIsCounted)
{
    Core core;
    const Bytes request = control_request(5, { { 0, 100 } }, { { 0, 100 } });
    ASSERT_EQ(notify_request(core.get(), request), 0);
    fake::pause_work(true);
    // First the entry, then the notification.
    fake::fail_allocation(2);
    EXPECT_EQ(core.add(1, 1), 0);
    fake::run_work();
    EXPECT_EQ(core.stats().notify_failed, 1u);
    EXPECT_TRUE(core.recorder().sent().empty());
    EXPECT_TRUE(fake::log_contains("out of memory"));
    // The next change is notified again.
    EXPECT_EQ(core.del(1, 1), 0);
    fake::run_work();
    ASSERT_EQ(core.recorder().sent().size(), 1u);
    EXPECT_EQ(core.recorder().sent()[0].header().ack, 1u);
}

TEST_F(Allocation, RequestThatCannotBeStoredIsEnomem)
{
    Core core;
    const Bytes request = control_request(5, { { 0, 100 } }, { { 0, 100 } });
    fake::fail_allocation(1);
    EXPECT_EQ(notify_request(core.get(), request), -ENOMEM);
    EXPECT_EQ(core.stats().notify_requests, 0u);
    // Over netlink, the ack carries it.
    Sender admin{ true };
    Bytes buffer = netlink(cn_message(CN_IDX_CONNECTOR, CN_VAL_CONNECTOR, request), NLM_F_ACK);
    fake::fail_allocation(1);
    core.receive(buffer, &admin);
    EXPECT_EQ(core.recorder().acks().at(0).err, -ENOMEM);
    EXPECT_EQ(core.stats().notify_requests, 0u);
}

} // namespace
} // namespace test
