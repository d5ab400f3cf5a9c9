// SPDX-License-Identifier: GPL-2.0
// Registration notifications: requests to the control id {-1,-1}, their
// checks, and the notifications sent for matching registry changes.
#include "harness.h"

#include <cnxx/cnxx_wire.h> /* the control id */

#include <cerrno>
#include <chrono>
#include <thread>

namespace test {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t control = CN_IDX_CONNECTOR;

class Notify : public CoreTest {
protected:
    // Sends @request as user space would, returning the ack's errno.
    int send_request(Core& core, const Bytes& request, bool capable = true)
    {
        Sender sender{ capable };
        Bytes buffer = netlink(cn_message(control, control, request), NLM_F_ACK);
        core.recorder().clear();
        core.receive(buffer, &sender);
        const auto acks = core.recorder().acks();
        EXPECT_EQ(acks.size(), 1u);
        return acks.empty() ? 1 : acks[0].err;
    }

    int kernel_request(Core& core, const Bytes& request)
    {
        return notify_request(core.get(), request);
    }

    std::vector<Sent> flush(Core& core)
    {
        fake::drain_work();
        return core.recorder().sent();
    }
};

TEST_F(Notify, MatchesInsideBothRangesOnly)
{
    Core core;
    // idx 10..14, val 0 or 100..101.
    ASSERT_EQ(send_request(core, control_request(5, { { 10, 5 } }, { { 0, 1 }, { 100, 2 } })), 0);
    const std::vector<std::pair<std::uint32_t, std::uint32_t>> inside
        = { { 10, 0 }, { 14, 0 }, { 12, 100 }, { 14, 101 } };
    const std::vector<std::pair<std::uint32_t, std::uint32_t>> outside
        = { { 9, 0 }, { 15, 0 }, { 12, 1 }, { 12, 99 }, { 12, 102 }, { 0, 0 } };
    for (const auto& id : outside)
        ASSERT_EQ(core.add(id.first, id.second), 0);
    for (const auto& id : inside)
        ASSERT_EQ(core.add(id.first, id.second), 0);
    const auto sent = flush(core);
    ASSERT_EQ(sent.size(), inside.size());
    for (std::size_t i = 0; i < sent.size(); ++i) {
        ASSERT_EQ(sent[i].message.size(), sizeof(cn_msg));
        const cn_msg msg = sent[i].header();
        EXPECT_EQ(msg.id.idx, inside[i].first);
        EXPECT_EQ(msg.id.val, inside[i].second);
        EXPECT_EQ(msg.ack, 0u);
        EXPECT_EQ(msg.len, 0u);
        EXPECT_EQ(msg.flags, 0u);
        EXPECT_EQ(sent[i].group, 5u);
    }
    EXPECT_EQ(core.stats().notify_sent, inside.size());
}

TEST_F(Notify, AckTellsRegisteredFromUnregisteredAndSeqCounts)
{
    Core core;
    ASSERT_EQ(kernel_request(core, control_request(3, { { 0, 100 } }, { { 0, 100 } })), 0);
    ASSERT_EQ(core.add(1, 2), 0);
    ASSERT_EQ(core.del(1, 2), 0);
    ASSERT_EQ(core.add(1, 2), 0);
    EXPECT_EQ(core.del(1, 3), -ENOENT); // no change, no notification
    const auto sent = flush(core);
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[0].header().ack, 0u);
    EXPECT_EQ(sent[1].header().ack, 1u);
    EXPECT_EQ(sent[2].header().ack, 0u);
    EXPECT_EQ(sent[1].header().seq, sent[0].header().seq + 1);
    EXPECT_EQ(sent[2].header().seq, sent[1].header().seq + 1);
}

TEST_F(Notify, EveryMatchingRequestGetsOne)
{
    Core core;
    ASSERT_EQ(kernel_request(core, control_request(3, { { 0, 10 } }, { { 0, 10 } })), 0);
    ASSERT_EQ(kernel_request(core, control_request(4, { { 5, 10 } }, { { 0, 10 } })), 0);
    ASSERT_EQ(kernel_request(core, control_request(4, { { 0, 10 } }, { { 0, 10 } })), 0);
    EXPECT_EQ(core.stats().notify_requests, 3u);
    ASSERT_EQ(core.add(6, 1), 0);
    const auto sent = flush(core);
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[0].group, 3u);
    EXPECT_EQ(sent[1].group, 4u);
    EXPECT_EQ(sent[2].group, 4u);
    EXPECT_EQ(sent[2].header().seq, sent[0].header().seq + 2);
}

TEST_F(Notify, DuplicateIsStoredOnce)
{
    Core core;
    const Bytes request = control_request(3, { { 0, 10 }, { 20, 1 } }, { { 0, 10 } });
    ASSERT_EQ(send_request(core, request), 0);
    ASSERT_EQ(send_request(core, request), 0);
    EXPECT_EQ(core.stats().notify_requests, 1u);
    // Same ranges in another order, or another group: different requests.
    ASSERT_EQ(send_request(core, control_request(3, { { 20, 1 }, { 0, 10 } }, { { 0, 10 } })), 0);
    ASSERT_EQ(send_request(core, control_request(4, { { 0, 10 }, { 20, 1 } }, { { 0, 10 } })), 0);
    EXPECT_EQ(core.stats().notify_requests, 3u);
    ASSERT_EQ(core.add(20, 5), 0);
    EXPECT_EQ(flush(core).size(), 3u);
}

TEST_F(Notify, GroupZeroRemovesTheEarlierEqualRequest)
{
    Core core;
    ASSERT_EQ(kernel_request(core, control_request(3, { { 0, 10 } }, { { 0, 10 } })), 0);
    ASSERT_EQ(kernel_request(core, control_request(4, { { 0, 10 } }, { { 0, 10 } })), 0);
    EXPECT_EQ(core.stats().notify_requests, 2u);
    EXPECT_EQ(send_request(core, control_request(0, { { 0, 10 } }, { { 0, 11 } })), -ENOENT);
    EXPECT_TRUE(fake::log_contains("no stored request"));
    EXPECT_EQ(send_request(core, control_request(0, { { 0, 10 } }, { { 0, 10 } })), 0);
    EXPECT_EQ(core.stats().notify_requests, 1u);
    ASSERT_EQ(core.add(1, 1), 0);
    const auto sent = flush(core);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].group, 4u); // the earlier one (group 3) went first
    EXPECT_EQ(kernel_request(core, control_request(0, { { 0, 10 } }, { { 0, 10 } })), 0);
    EXPECT_EQ(kernel_request(core, control_request(0, { { 0, 10 } }, { { 0, 10 } })), -ENOENT);
    EXPECT_EQ(core.stats().notify_requests, 0u);
}

TEST_F(Notify, MalformedRequestsAreInvalid)
{
    Config config;
    config.groups = 10;
    Core core(config);
    const Bytes good = control_request(1, { { 0, 1 } }, { { 0, 1 } });
    EXPECT_EQ(kernel_request(core, good), 0);

    struct Case {
        const char* what;
        Bytes request;
        const char* logged;
    };
    Bytes longer = good;
    longer.push_back(0);
    Bytes shorter = good;
    shorter.pop_back();
    const std::vector<Case> cases = {
        { "shorter than its header", Bytes(15, 0), "shorter than cn_ctl_msg" },
        { "len beyond the bytes", control_request(1, { { 0, 1 } }, { { 0, 1 } }, 24), "announces" },
        { "bytes beyond len", longer, "announces" },
        { "missing bytes", shorter, "announces" },
        { "no idx range", control_request(1, {}, { { 0, 1 }, { 0, 2 } }), "need at least one" },
        { "no val range", control_request(1, { { 0, 1 }, { 0, 2 } }, {}), "need at least one" },
        { "counts that do not fill len", control_request(1, { { 0, 1 } }, { { 0, 1 } }, -1, 2, 1),
            "do not fill" },
        // (2^31 + 2^31) * 8 wraps to 0 in 32 bits: the sum must not.
        { "counts that overflow", control_request(1, {}, {}, 0, 0x80000000, 0x80000000),
            "do not fill" },
        { "counts that overflow into len",
            control_request(1, { { 0, 1 } }, { { 0, 1 } }, -1, 0x80000001, 0x80000001),
            "do not fill" },
        { "empty range", control_request(1, { { 0, 1 } }, { { 5, 0 } }), "empty or wraps" },
        { "wrapping range", control_request(1, { { 0xffffffff, 2 } }, { { 0, 1 } }),
            "empty or wraps" },
        { "group beyond the highest", control_request(11, { { 0, 1 } }, { { 0, 1 } }),
            "highest is 10" },
    };
    for (const Case& c : cases) {
        fake::clear_log();
        EXPECT_EQ(kernel_request(core, c.request), -EINVAL) << c.what;
        EXPECT_EQ(send_request(core, c.request), -EINVAL) << c.what;
        EXPECT_TRUE(fake::log_contains(c.logged)) << c.what;
    }
    // The edges that are fine.
    EXPECT_EQ(
        kernel_request(core, control_request(10, { { 0xfffffff0, 0x10 } }, { { 0, 0xffffffff } })),
        0);
    EXPECT_EQ(kernel_request(core, control_request(1, { { 0, 1 }, { 5, 5 } }, { { 0, 1 } })), 0);
    EXPECT_EQ(core.stats().notify_requests, 3u);
}

TEST_F(Notify, ControlMessageLenMustMatchTheRequest)
{
    Core core;
    Sender admin{ true };
    const Bytes request = control_request(1, { { 0, 1 } }, { { 0, 1 } });
    // Trailing bytes in the netlink message but outside msg.len are fine.
    Bytes padded = cn_message(control, control, request);
    padded.insert(padded.end(), { 0, 0, 0, 0 });
    Bytes buffer = netlink(padded, NLM_F_ACK);
    core.receive(buffer, &admin);
    // msg.len covering one byte more than the request is not.
    Bytes extra = request;
    extra.push_back(0);
    Bytes bad = netlink(cn_message(control, control, extra), NLM_F_ACK);
    core.receive(bad, &admin);
    const auto acks = core.recorder().acks();
    ASSERT_EQ(acks.size(), 2u);
    EXPECT_EQ(acks[0].err, 0);
    EXPECT_EQ(acks[1].err, -EINVAL);
}

TEST_F(Notify, TooManyRangesIsE2big)
{
    Config config;
    config.max_notify_ranges = 3;
    Core core(config);
    EXPECT_EQ(kernel_request(core, control_request(1, { { 0, 1 }, { 2, 1 } }, { { 0, 1 } })), 0);
    EXPECT_EQ(
        kernel_request(core, control_request(1, { { 0, 1 }, { 2, 1 } }, { { 0, 1 }, { 2, 1 } })),
        -E2BIG);
    EXPECT_TRUE(fake::log_contains("limit 3"));
}

TEST_F(Notify, FullStoreIsEnospc)
{
    Config config;
    config.max_notify_requests = 2;
    Core core(config);
    EXPECT_EQ(kernel_request(core, control_request(1, { { 0, 1 } }, { { 0, 1 } })), 0);
    EXPECT_EQ(kernel_request(core, control_request(1, { { 1, 1 } }, { { 0, 1 } })), 0);
    EXPECT_EQ(kernel_request(core, control_request(1, { { 2, 1 } }, { { 0, 1 } })), -ENOSPC);
    EXPECT_EQ(send_request(core, control_request(1, { { 2, 1 } }, { { 0, 1 } })), -ENOSPC);
    // A duplicate of a stored one is still fine, and removal makes room.
    EXPECT_EQ(kernel_request(core, control_request(1, { { 1, 1 } }, { { 0, 1 } })), 0);
    EXPECT_EQ(kernel_request(core, control_request(0, { { 1, 1 } }, { { 0, 1 } })), 0);
    EXPECT_EQ(kernel_request(core, control_request(1, { { 2, 1 } }, { { 0, 1 } })), 0);
    EXPECT_EQ(core.stats().notify_requests, 2u);
}

TEST_F(Notify, UserRequestsNeedCapabilityBeforeAnything)
{
    Core core;
    EXPECT_EQ(send_request(core, control_request(1, { { 0, 1 } }, { { 0, 1 } }), false), -EPERM);
    // Even a malformed one is refused for the capability first.
    EXPECT_EQ(send_request(core, Bytes(3, 0), false), -EPERM);
    EXPECT_EQ(core.stats().notify_requests, 0u);
    EXPECT_EQ(core.stats().rx_denied, 2u);
    ASSERT_EQ(core.add(0, 0), 0);
    EXPECT_TRUE(flush(core).empty());
}

TEST_F(Notify, PendingQueueIsBounded)
{
    Config config;
    config.max_notify_pending = 3;
    Core core(config);
    ASSERT_EQ(kernel_request(core, control_request(2, { { 0, 100 } }, { { 0, 100 } })), 0);
    fake::pause_work(true);
    for (std::uint32_t i = 0; i < 5; ++i)
        ASSERT_EQ(core.add(i, i), 0);
    EXPECT_EQ(core.stats().notify_failed, 2u);
    EXPECT_TRUE(fake::log_contains("already queued"));
    fake::run_work();
    const auto sent = core.recorder().sent();
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[2].header().id.idx, 2u);
    // Sending empties the queue: there is room again.
    ASSERT_EQ(core.add(10, 10), 0);
    fake::run_work();
    EXPECT_EQ(core.recorder().sent().size(), 4u);
    EXPECT_EQ(core.stats().notify_failed, 2u);
}

TEST_F(Notify, NoListenerIsNotAFailure)
{
    Core core;
    ASSERT_EQ(kernel_request(core, control_request(2, { { 0, 100 } }, { { 0, 100 } })), 0);
    core.recorder().notify_result = -ESRCH;
    ASSERT_EQ(core.add(1, 1), 0);
    flush(core);
    EXPECT_EQ(core.stats().notify_failed, 0u);
    EXPECT_EQ(core.stats().notify_sent, 1u);
    core.recorder().notify_result = -ENOBUFS;
    ASSERT_EQ(core.add(2, 2), 0);
    flush(core);
    EXPECT_EQ(core.stats().notify_failed, 1u);
    EXPECT_EQ(core.stats().notify_sent, 1u);
    EXPECT_TRUE(fake::log_contains("failed: -105"));
}

TEST_F(Notify, AddAndDeleteNeverWaitForListeners)
{
    Core core;
    ASSERT_EQ(kernel_request(core, control_request(2, { { 0, 100 } }, { { 0, 100 } })), 0);
    Gate release;
    std::atomic<bool> notifying{ false };
    core.recorder().on_notify = [&] {
        notifying = true;
        release.wait();
    };
    ASSERT_EQ(core.add(1, 1), 0);
    while (!notifying)
        std::this_thread::sleep_for(1ms);
    // The work item is stuck in ops->notify; everything else goes on.
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(core.add(2, 2), 0);
    ASSERT_EQ(core.del(1, 1), 0);
    core.deliver(2, 2);
    ASSERT_EQ(kernel_request(core, control_request(3, { { 0, 1 } }, { { 0, 1 } })), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    EXPECT_EQ(deliveries(2, 2), 1u);
    release.open();
    const auto sent = flush(core);
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[1].header().id.idx, 2u);
    EXPECT_EQ(sent[2].header().ack, 1u);
    core.recorder().on_notify = nullptr;
}

TEST_F(Notify, DestroySendsWhatIsQueuedAndUnregistersTheRest)
{
    Recorder recorder;
    const cnxx_core_config config = { 4, 32, 8, 8, 64, &Recorder::ops, &recorder };
    cnxx_core* core = nullptr;
    ASSERT_EQ(cnxx_core_create(&config, &core), 0);
    const Bytes request = control_request(2, { { 0, 100 } }, { { 0, 100 } });
    ASSERT_EQ(notify_request(core, request), 0);
    fake::pause_work(true);
    const cnxx_cb_id a = { 1, 1 }, b = { 2, 2 };
    const auto cb = reinterpret_cast<cnxx_callback_t>(&forwarding_callback);
    ASSERT_EQ(cnxx_core_add(core, &a, "a", cb), 0);
    ASSERT_EQ(cnxx_core_add(core, &b, "b", cb), 0);
    cnxx_core_destroy(core);
    const auto sent = recorder.sent();
    ASSERT_EQ(sent.size(), 4u);
    EXPECT_EQ(sent[0].header().ack, 0u);
    EXPECT_EQ(sent[1].header().ack, 0u);
    EXPECT_EQ(sent[2].header().ack, 1u);
    EXPECT_EQ(sent[2].header().id.idx, 1u); // oldest first
    EXPECT_EQ(sent[3].header().id.idx, 2u);
}

TEST_F(Notify, RacingChangesAreNotifiedInRegistryOrder)
{
    Config config;
    config.max_notify_pending = 1 << 20;
    Core core(config);
    ASSERT_EQ(kernel_request(core, control_request(2, { { 1, 1 } }, { { 1, 1 } })), 0);
    std::atomic<bool> stop{ false };
    std::atomic<int> added{ 0 };
    std::thread adder([&] {
        while (!stop) {
            if (core.add(1, 1) == 0)
                ++added;
        }
    });
    std::thread remover([&] {
        while (!stop)
            core.del(1, 1);
    });
    // Enough changes to race, however loaded the machine is.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    std::this_thread::sleep_for(200ms);
    while (added < 100 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    stop = true;
    adder.join();
    remover.join();
    fake::set_preemption(false);
    const auto sent = flush(core);
    ASSERT_GE(sent.size(), 100u);
    // The registry alternates for one id, so must the listener's view, and
    // its last word must be the final state.
    for (std::size_t i = 0; i < sent.size(); ++i) {
        ASSERT_EQ(sent[i].header().ack, i % 2) << "notification " << i;
        ASSERT_EQ(sent[i].header().seq, sent[0].header().seq + i);
    }
    EXPECT_EQ(sent.back().header().ack == 0, core.stats().callbacks == 1);
    EXPECT_EQ(core.stats().notify_failed, 0u);
}

TEST_F(Notify, RemovalIsNotifiedWhileItWaits)
{
    Core core;
    ASSERT_EQ(kernel_request(core, control_request(2, { { 0, 100 } }, { { 0, 100 } })), 0);
    ASSERT_EQ(core.add(1, 1), 0);
    Gate release;
    std::atomic<bool> entered{ false };
    set_handler(1, 1, [&](cn_msg*, Sender*) {
        entered = true;
        release.wait();
    });
    std::thread receiver([&] { core.deliver(1, 1); });
    while (!entered)
        std::this_thread::sleep_for(1ms);
    std::thread remover([&] { EXPECT_EQ(core.del(1, 1), 0); });
    // The listener hears of the removal while del still waits.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (core.recorder().sent().size() < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(1ms);
    ASSERT_EQ(core.recorder().sent().size(), 2u);
    EXPECT_EQ(core.recorder().sent()[1].header().ack, 1u);
    release.open();
    receiver.join();
    remover.join();
}

} // namespace
} // namespace test
