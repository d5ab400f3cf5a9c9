// SPDX-License-Identifier: GPL-2.0
// Arbitrary bytes as a receive buffer. The first byte picks the sender's
// capability and an allocation to fail; the rest is what netlink would
// hand the core, copied to an exactly sized heap block so that any read
// past it is caught.
#include "fuzz_common.h"

namespace {

cnxx_core* current_core;

// Reads every byte the message announces, and sends it back.
void echo(cn_msg* msg, netlink_skb_parms*)
{
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(msg);
    std::uint16_t len;
    std::memcpy(&len, bytes + 16, sizeof(len));
    volatile std::uint8_t sum = 0;
    for (std::size_t i = 0; i < 20u + len; ++i)
        sum = static_cast<std::uint8_t>(sum + bytes[i]);
    cnxx_cb_id id;
    std::memcpy(&id, msg, sizeof(id));
    std::uint32_t group = 0;
    const int err = cnxx_core_route(current_core, &id, &group);
    FUZZ_CHECK(err == 0 || err == -19);
    cnxx_core_send_failed(current_core, &id, -11); // a reply dropped: -EAGAIN
}

void remove_self(cn_msg* msg, netlink_skb_parms*)
{
    cnxx_cb_id id;
    std::memcpy(&id, msg, sizeof(id));
    FUZZ_CHECK(cnxx_core_del(current_core, &id) == 0);
}

void churn_other(cn_msg*, netlink_skb_parms*)
{
    fuzz::add(current_core, 7, 7, &echo);
    fuzz::del(current_core, 7, 7);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    const std::uint8_t control = data[0];
    const std::size_t length = size - 1;
    // An exact-size block: ASan flags any byte read past the input.
    auto* block = static_cast<std::uint8_t*>(std::malloc(length ? length : 1));
    if (length)
        std::memcpy(block, data + 1, length);

    const std::int64_t live = fake::live_allocations();
    fuzz::Context context;
    context.buffer = block;
    context.size = length;
    cnxx_core* core = fuzz::make_core(context);
    current_core = core;
    FUZZ_CHECK(fuzz::add(core, 1, 1, &echo) == 0);
    FUZZ_CHECK(fuzz::add(core, 3, 1, &echo) == 0);
    FUZZ_CHECK(fuzz::add(core, 5, 5, &remove_self) == 0);
    FUZZ_CHECK(fuzz::add(core, 6, 6, &churn_other) == 0);

    netlink_skb_parms sender{ (control & 1) != 0 };
    if (control & 0x70)
        fake::fail_allocation((control >> 4) & 7);
    cnxx_core_receive(core, block, length, &sender, nullptr);
    fake::fail_allocation(0);

    // Registry changes now meet whatever requests the input stored.
    fuzz::add(core, 2, 2, &echo);
    fuzz::del(core, 2, 2);

    cnxx_stats stats;
    cnxx_core_stats(core, &stats);
    FUZZ_CHECK(stats.rx_delivered + stats.rx_unknown + stats.rx_control <= stats.rx_messages);
    FUZZ_CHECK(stats.notify_requests <= 4);
    fuzz::destroy_core(core, live);
    std::free(block);
    return 0;
}
