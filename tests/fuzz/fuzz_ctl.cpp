// SPDX-License-Identifier: GPL-2.0
// Arbitrary bytes as notification requests: first as a kernel request
// (cnxx_core_notify_request), then wrapped in a cn_msg to the control id
// from a capable sender, then registry changes that are matched against
// whatever got stored.
#include "fuzz_common.h"

#include <cnxx/cnxx_wire.h> /* the control id */

namespace {

void ignore(cn_msg*, netlink_skb_parms*) {}

std::vector<std::uint8_t> control_message(const std::uint8_t* request, std::size_t size)
{
    const std::uint32_t nl_len = static_cast<std::uint32_t>(16 + 20 + size);
    std::vector<std::uint8_t> message(nl_len, 0);
    const std::uint16_t flags = 0x4; // NLM_F_ACK
    std::memcpy(message.data(), &nl_len, 4);
    std::memcpy(message.data() + 6, &flags, 2);
    const std::uint32_t control = CN_IDX_CONNECTOR;
    std::memcpy(message.data() + 16, &control, 4);
    std::memcpy(message.data() + 20, &control, 4);
    const auto len = static_cast<std::uint16_t>(size);
    std::memcpy(message.data() + 16 + 16, &len, 2);
    if (size)
        std::memcpy(message.data() + 36, request, size);
    return message;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::int64_t live = fake::live_allocations();
    fuzz::Context context;
    cnxx_core* core = fuzz::make_core(context);

    auto* request = static_cast<std::uint8_t*>(std::malloc(size ? size : 1));
    if (size)
        std::memcpy(request, data, size);
    const auto* control = reinterpret_cast<const cn_ctl_msg*>(request);
    const int err = cnxx_core_notify_request(core, control, size);
    FUZZ_CHECK(err == 0 || err == -22 || err == -2 || err == -7 || err == -28 || err == -12);

    if (size <= 16000) {
        std::vector<std::uint8_t> message = control_message(request, size);
        auto* block = static_cast<std::uint8_t*>(std::malloc(message.size()));
        std::memcpy(block, message.data(), message.size());
        context.buffer = block;
        context.size = message.size();
        netlink_skb_parms admin{ true };
        cnxx_core_receive(core, block, message.size(), &admin, nullptr);
        std::free(block);
    }
    std::free(request);

    // Ids taken from the input, so that matches are reachable.
    for (std::size_t i = 0; i + 8 <= size && i < 64; i += 8) {
        std::uint32_t idx, val;
        std::memcpy(&idx, data + i, 4);
        std::memcpy(&val, data + i + 4, 4);
        if (fuzz::add(core, idx, val, &ignore) == 0)
            fuzz::del(core, idx, val);
    }

    cnxx_stats stats;
    cnxx_core_stats(core, &stats);
    FUZZ_CHECK(stats.notify_requests <= 4);
    fuzz::destroy_core(core, live);
    return 0;
}
