// SPDX-License-Identifier: GPL-2.0
// cnxx_core_receive(): walking, checking and dispatching netlink messages.
#include "harness.h"

#include <cnxx/cnxx_wire.h> /* the control id */

#include <cerrno>

namespace test {
namespace {

class Receive : public CoreTest {};

TEST_F(Receive, DeliversPointerIntoBufferAndSender)
{
    Core core;
    ASSERT_EQ(core.add(3, 1), 0);
    Bytes seen;
    cn_msg* seen_at = nullptr;
    Sender* seen_sender = nullptr;
    set_handler(3, 1, [&](cn_msg* msg, Sender* sender) {
        seen_at = msg;
        seen_sender = sender;
        seen.assign(msg->data, msg->data + msg->len);
    });
    Bytes buffer = netlink(cn_message(3, 1, { 1, 2, 3, 4, 5 }, -1, 77, 78));
    Sender sender;
    core.receive(buffer, &sender);
    EXPECT_EQ(seen_at, reinterpret_cast<cn_msg*>(buffer.data() + NLMSG_HDRLEN));
    EXPECT_EQ(seen_sender, &sender);
    EXPECT_EQ(seen, (Bytes{ 1, 2, 3, 4, 5 }));
    EXPECT_EQ(seen_at->seq, 77u);
    EXPECT_EQ(seen_at->ack, 78u);
    const auto stats = core.stats();
    EXPECT_EQ(stats.rx_messages, 1u);
    EXPECT_EQ(stats.rx_delivered, 1u);
    EXPECT_TRUE(core.recorder().acks().empty()); // no NLM_F_ACK
}

// rx_delivered and rx_messages are sums over the entries: an entry's
// count must outlive the entry.
TEST_F(Receive, CountsOfRemovedCallbacksAreKept)
{
    Core core;
    ASSERT_EQ(core.add(5, 1), 0);
    ASSERT_EQ(core.add(6, 1), 0);
    for (int i = 0; i < 3; ++i) {
        core.deliver(5, 1);
        core.deliver(6, 1);
    }
    ASSERT_EQ(core.del(5, 1), 0);
    core.deliver(5, 1);
    auto stats = core.stats();
    EXPECT_EQ(stats.rx_delivered, 6u);
    EXPECT_EQ(stats.rx_unknown, 1u);
    EXPECT_EQ(stats.rx_messages, 7u);
    ASSERT_EQ(core.del(6, 1), 0);
    stats = core.stats();
    EXPECT_EQ(stats.rx_delivered, 6u);
    EXPECT_EQ(stats.rx_messages, 7u);
}

TEST_F(Receive, EveryMessageOfABuffer)
{
    Core core;
    ASSERT_EQ(core.add(1, 1), 0);
    ASSERT_EQ(core.add(2, 1), 0);
    std::vector<std::uint32_t> order;
    for (std::uint32_t idx : { 1u, 2u })
        set_handler(idx, 1, [&order, idx](cn_msg*, Sender*) { order.push_back(idx); });
    Bytes buffer = concat({
        netlink(cn_message(1, 1, { 9 })),       // 37 bytes, padded to 40
        netlink(cn_message(2, 1, { 9, 9, 9 })), // 39 bytes, padded to 40
        netlink(cn_message(1, 1)),              // 36 bytes
        netlink(cn_message(2, 1, { 1, 2, 3, 4, 5, 6, 7 })),
    });
    // The last message is not padded in a real skb either.
    buffer.resize(buffer.size() - 1);
    core.receive(buffer);
    EXPECT_EQ(order, (std::vector<std::uint32_t>{ 1, 2, 1, 2 }));
    EXPECT_EQ(core.stats().rx_messages, 4u);
    EXPECT_EQ(core.stats().rx_invalid, 0u);
}

TEST_F(Receive, AcksEveryOutcomeWithItsErrno)
{
    Core core;
    ASSERT_EQ(core.add(4, 4), 0);
    Bytes oversize_payload(CONNECTOR_MAX_MSG_SIZE + 1 - sizeof(cn_msg));
    Bytes buffer = concat({
        netlink(cn_message(4, 4, { 1 }), NLM_F_ACK),            // delivered
        netlink(Bytes(19, 0), NLM_F_ACK),                       // shorter than cn_msg
        netlink(cn_message(4, 4, oversize_payload), NLM_F_ACK), // over the limit
        netlink(cn_message(4, 4, { 1, 2 }, 3), NLM_F_ACK),      // len beyond payload
        netlink(cn_message(5, 5), NLM_F_ACK),                   // unknown id
        netlink(cn_message(4, 4, { 1, 2 }, 1), NLM_F_ACK),      // len within payload
        netlink(cn_message(6, 6)),                              // unknown, no ack asked
    });
    core.receive(buffer);
    const auto acks = core.recorder().acks();
    ASSERT_EQ(acks.size(), 6u);
    EXPECT_EQ(acks[0].err, 0);
    EXPECT_EQ(acks[1].err, -EINVAL);
    EXPECT_EQ(acks[2].err, -EMSGSIZE);
    EXPECT_EQ(acks[3].err, -EINVAL);
    EXPECT_EQ(acks[4].err, -ENODEV);
    EXPECT_EQ(acks[5].err, 0);
    EXPECT_EQ(acks[0].offset, 0u);
    EXPECT_EQ(acks[1].offset, 40u);
    EXPECT_EQ(acks[2].offset, 40u + 36u);

    const auto stats = core.stats();
    EXPECT_EQ(stats.rx_messages, 7u);
    EXPECT_EQ(stats.rx_delivered, 2u);
    EXPECT_EQ(stats.rx_invalid, 2u);
    EXPECT_EQ(stats.rx_oversize, 1u);
    EXPECT_EQ(stats.rx_unknown, 2u);
}

TEST_F(Receive, CountsDropsOfRegisteredIds)
{
    Core core;
    ASSERT_EQ(core.add(4, 4), 0);
    Bytes buffer = concat({
        netlink(cn_message(4, 4, { 1, 2 }, 3)),
        netlink(cn_message(4, 4, { 1 })),
        netlink(cn_message(8, 8, { 1, 2 }, 3)),
    });
    core.receive(buffer);
    struct Counts {
        std::uint64_t dropped = 0, delivered = 0;
    } counts;
    cnxx_core_for_each(
        core.get(),
        [](void* arg, const cnxx_cb_info* info) {
            static_cast<Counts*>(arg)->dropped = info->dropped;
            static_cast<Counts*>(arg)->delivered = info->delivered;
        },
        &counts);
    EXPECT_EQ(counts.dropped, 1u);
    EXPECT_EQ(counts.delivered, 1u);
}

TEST_F(Receive, StopsAtAHeaderThatDoesNotFit)
{
    Core core;
    ASSERT_EQ(core.add(1, 1), 0);
    for (std::int64_t bad_len : { 0, 15, 1000 }) {
        Bytes buffer = concat({
            netlink(cn_message(1, 1), NLM_F_ACK),
            netlink(cn_message(1, 1), NLM_F_ACK, bad_len),
            netlink(cn_message(1, 1), NLM_F_ACK),
        });
        core.recorder().clear();
        const auto before = core.stats();
        core.receive(buffer);
        const auto after = core.stats();
        EXPECT_EQ(after.rx_messages - before.rx_messages, 1u) << bad_len;
        EXPECT_EQ(after.rx_invalid - before.rx_invalid, 1u) << bad_len;
        // The broken one is answered too, echoing its header alone.
        const auto acks = core.recorder().acks();
        ASSERT_EQ(acks.size(), 2u) << bad_len;
        EXPECT_EQ(acks[0].err, 0);
        EXPECT_EQ(acks[1].err, -EINVAL);
        EXPECT_EQ(acks[1].length, 16u) << bad_len;
    }
}

TEST_F(Receive, NoAckForABrokenHeaderThatDidNotAskForOne)
{
    Core core;
    Bytes buffer = netlink(cn_message(1, 1), 0, 1000);
    core.receive(buffer);
    EXPECT_TRUE(core.recorder().acks().empty());
    EXPECT_EQ(core.stats().rx_invalid, 1u);
}

TEST_F(Receive, TrailingBytesAreInvalid)
{
    Core core;
    ASSERT_EQ(core.add(1, 1), 0);
    Bytes buffer = concat({ netlink(cn_message(1, 1)) });
    buffer.resize(buffer.size() + 15, 0);
    core.receive(buffer);
    EXPECT_EQ(core.stats().rx_delivered, 1u);
    EXPECT_EQ(core.stats().rx_invalid, 1u);

    Bytes empty;
    core.receive(empty);
    EXPECT_EQ(core.stats().rx_invalid, 1u);
    EXPECT_EQ(core.stats().rx_messages, 1u);
}

TEST_F(Receive, UnalignedBuffer)
{
    Core core;
    ASSERT_EQ(core.add(1, 1), 0);
    const Bytes message = concat(
        { netlink(cn_message(1, 1, { 7 }), NLM_F_ACK), netlink(cn_message(2, 2), NLM_F_ACK) });
    Bytes storage(message.size() + 1);
    std::copy(message.begin(), message.end(), storage.begin() + 1);
    core.recorder().buffer = storage.data();
    cnxx_core_receive(core.get(), storage.data() + 1, message.size(), nullptr, nullptr);
    const auto acks = core.recorder().acks();
    ASSERT_EQ(acks.size(), 2u);
    EXPECT_EQ(acks[0].err, 0);
    EXPECT_EQ(acks[1].err, -ENODEV);
    EXPECT_EQ(acks[1].offset, 1u + 40u);
}

TEST_F(Receive, AckDecisionIsTakenBeforeTheCallback)
{
    Core core;
    ASSERT_EQ(core.add(1, 1), 0);
    Bytes buffer = netlink(cn_message(1, 1), NLM_F_ACK);
    set_handler(1, 1, [&](cn_msg*, Sender*) {
        // Scribble over the whole netlink header.
        std::fill(buffer.begin(), buffer.begin() + NLMSG_HDRLEN, 0xff);
    });
    sk_buff rx_token;
    core.receive(buffer, nullptr, &rx_token);
    const auto acks = core.recorder().acks();
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_EQ(acks[0].rx, &rx_token);
    EXPECT_EQ(core.stats().rx_invalid, 0u);
}

TEST_F(Receive, ControlRequestNeedsCapability)
{
    Core core;
    Bytes buffer = netlink(cn_message(CN_IDX_CONNECTOR, CN_VAL_CONNECTOR,
                               control_request(1, { { 0, 10 } }, { { 0, 10 } })),
        NLM_F_ACK);
    Sender plain;
    core.receive(buffer, &plain);
    core.receive(buffer, nullptr);
    Sender admin{ true };
    core.receive(buffer, &admin);
    const auto acks = core.recorder().acks();
    ASSERT_EQ(acks.size(), 3u);
    EXPECT_EQ(acks[0].err, -EPERM);
    EXPECT_EQ(acks[1].err, -EPERM);
    EXPECT_EQ(acks[2].err, 0);
    const auto stats = core.stats();
    EXPECT_EQ(stats.rx_control, 3u);
    EXPECT_EQ(stats.rx_denied, 2u);
    EXPECT_EQ(stats.notify_requests, 1u);
    EXPECT_EQ(stats.rx_delivered, 0u);
    EXPECT_TRUE(fake::log_contains("CAP_NET_ADMIN"));
}

} // namespace
} // namespace test
