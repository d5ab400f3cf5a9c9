// SPDX-License-Identifier: GPL-2.0
// Shared by the fuzzers: a core on the fake platform whose ops check what
// the core hands them, and helpers that trap on a broken invariant.
#pragma once

#include "fake_platform.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace fuzz {

#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition))                                                                          \
            __builtin_trap();                                                                      \
    } while (0)

// The receive buffer of the current input, for checking ack pointers.
struct Context {
    const std::uint8_t* buffer = nullptr;
    std::size_t size = 0;
    std::uint64_t notifications = 0;
};

// An error ack echoes nlmsg_len bytes from @nlh: they must all be there,
// either in the buffer or in the core's copy trimmed to the header alone.
inline void ack(void* ctx, sk_buff*, const nlmsghdr* nlh, int err)
{
    auto* context = static_cast<Context*>(ctx);
    const auto* at = reinterpret_cast<const std::uint8_t*>(nlh);
    std::uint32_t length;
    std::memcpy(&length, at, sizeof(length));
    const bool in_buffer = at >= context->buffer && at < context->buffer + context->size;
    if (in_buffer) {
        FUZZ_CHECK(at + 16 <= context->buffer + context->size);
        FUZZ_CHECK(length <= std::size_t(context->buffer + context->size - at));
    } else {
        FUZZ_CHECK(length == 16 && err == -22);
    }
    FUZZ_CHECK(err <= 0);
}

inline int notify(void* ctx, const cn_msg* msg, cnxx_size_t size, cnxx_u32 group)
{
    auto* context = static_cast<Context*>(ctx);
    FUZZ_CHECK(size == 20);
    FUZZ_CHECK(group != 0);
    std::uint16_t len;
    std::memcpy(&len, reinterpret_cast<const std::uint8_t*>(msg) + 16, sizeof(len));
    FUZZ_CHECK(len == 0);
    ++context->notifications;
    return group % 2 ? 0 : -3; // -ESRCH now and then
}

inline bool sender_capable(void*, const netlink_skb_parms* sender)
{
    return sender && sender->capable;
}

inline const cnxx_core_ops ops = { &ack, &notify, &sender_capable };

inline cnxx_core* make_core(Context& context)
{
    const cnxx_core_config config = { 4, 32, 4, 6, 16, &ops, &context };
    cnxx_core* core = nullptr;
    FUZZ_CHECK(cnxx_core_create(&config, &core) == 0);
    return core;
}

inline int add(cnxx_core* core, std::uint32_t idx, std::uint32_t val, fake::Callback callback)
{
    const cnxx_cb_id id = { idx, val };
    return cnxx_core_add(core, &id, "fuzz", callback);
}

inline int del(cnxx_core* core, std::uint32_t idx, std::uint32_t val)
{
    const cnxx_cb_id id = { idx, val };
    return cnxx_core_del(core, &id);
}

// Destroys @core and checks that nothing it allocated is left.
inline void destroy_core(cnxx_core* core, std::int64_t live_before)
{
    cnxx_core_destroy(core);
    fake::rcu_barrier();
    FUZZ_CHECK(fake::live_allocations() == live_before);
}

} // namespace fuzz
