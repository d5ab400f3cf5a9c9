// SPDX-License-Identifier: GPL-2.0
// Shared pieces of the host tests: a core wrapped for RAII, recording ops,
// message builders that use the system's <linux/*.h> layouts (so they
// cross-check the core's own wire.h), and callbacks that forward to
// per-test handlers.
#pragma once

#include "fake_platform.h"

#include <linux/connector.h>
#include <linux/netlink.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace test {

using Bytes = std::vector<std::uint8_t>;

// What the tests pass as `sender`: the fake sender_capable op reads it.
using Sender = netlink_skb_parms;

struct Ack {
    std::size_t offset; // of the nlmsghdr in the receive buffer
    int err;
    sk_buff* rx;
    std::uint32_t length; // nlmsg_len of the header the ack echoes
};

struct Sent {
    Bytes message; // the cn_msg as sent
    std::uint32_t group;

    cn_msg header() const
    {
        cn_msg msg;
        std::memcpy(&msg, message.data(), sizeof(msg));
        return msg;
    }
};

// Records what the core does through its ops.
class Recorder {
public:
    const std::uint8_t* buffer = nullptr; // set by Core::receive

    std::vector<Ack> acks()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return acks_;
    }
    std::vector<Sent> sent()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return sent_;
    }
    void clear()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        acks_.clear();
        sent_.clear();
    }

    // What ops->notify returns.
    std::atomic<int> notify_result{ 0 };
    // Runs inside ops->notify before it records, e.g. to block it.
    std::function<void()> on_notify;

    static const cnxx_core_ops ops;

private:
    static void ack(void* ctx, sk_buff* rx, const nlmsghdr* nlh, int err);
    static int notify(void* ctx, const cn_msg* msg, cnxx_size_t size, cnxx_u32 group);
    static bool sender_capable(void* ctx, const Sender* sender);

    std::mutex mutex_;
    std::vector<Ack> acks_;
    std::vector<Sent> sent_;
};

struct Config {
    std::uint32_t hash_bits = 6;
    std::uint32_t groups = 32;
    std::uint32_t max_notify_requests = 8;
    std::uint32_t max_notify_ranges = 8;
    std::uint32_t max_notify_pending = 64;
};

// A core for one test, destroyed at the end of the scope.
class Core {
public:
    explicit Core(const Config& config = {});
    ~Core();
    Core(const Core&) = delete;
    Core& operator=(const Core&) = delete;

    cnxx_core* get() const { return core_; }
    Recorder& recorder() { return recorder_; }

    int add(std::uint32_t idx, std::uint32_t val, const char* name = "test");
    int add(
        std::uint32_t idx, std::uint32_t val, fake::Callback callback, const char* name = "test");
    int del(std::uint32_t idx, std::uint32_t val);
    void receive(Bytes& buffer, Sender* sender = nullptr, sk_buff* rx = nullptr);
    // deliver() below, to this core.
    void deliver(std::uint32_t idx, std::uint32_t val) const;
    cnxx_stats stats();
    // cnxx_core_route() for the id of @message (a cn_msg).
    int route(const Bytes& message, std::uint32_t* group);

private:
    Recorder recorder_;
    cnxx_core* core_ = nullptr;
};

// The id of a received message, as the ABI spells it (same layout).
inline const cnxx_cb_id* id_of(const cn_msg* msg)
{
    return reinterpret_cast<const cnxx_cb_id*>(&msg->id);
}

// Receives one message without data for @idx:@val, from no sender and
// asking for no ack. Safe from callbacks and from any thread.
void deliver(cnxx_core* core, std::uint32_t idx, std::uint32_t val);

// cnxx_core_notify_request() with the bytes of @request (control_request()).
inline int notify_request(cnxx_core* core, const Bytes& request)
{
    const auto* control = reinterpret_cast<const cn_ctl_msg*>(request.data());
    return cnxx_core_notify_request(core, control, request.size());
}

// --- message builders ---

// A cn_msg with @data, its len field set to data.size() unless @len given.
Bytes cn_message(std::uint32_t idx, std::uint32_t val, const Bytes& data = {}, int len = -1,
    std::uint32_t seq = 0, std::uint32_t ack = 0);
// A netlink message around @payload; nlmsg_len = 16 + payload.size() unless given.
Bytes netlink(const Bytes& payload, std::uint16_t flags = 0, std::int64_t nlmsg_len = -1);
// Concatenation with NLMSG_ALIGN padding between messages.
Bytes concat(const std::vector<Bytes>& messages);
// A struct cn_ctl_msg with its ranges; len computed unless given.
struct Range {
    std::uint32_t first;
    std::uint32_t range;
};
Bytes control_request(std::uint32_t group, const std::vector<Range>& idx,
    const std::vector<Range>& val, std::int64_t len = -1, std::int64_t idx_num = -1,
    std::int64_t val_num = -1);

// --- callbacks ---

using Handler = std::function<void(cn_msg* msg, Sender* sender)>;

// The callback that forwards to the handler set for the message's id.
void forwarding_callback(cn_msg* msg, Sender* sender);
void set_handler(std::uint32_t idx, std::uint32_t val, Handler handler);
void clear_handlers();

// Counts deliveries per id, for tests that need no handler.
std::uint64_t deliveries(std::uint32_t idx, std::uint32_t val);

// A gate a thread can wait at until another opens it.
class Gate {
public:
    void open()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        open_ = true;
        cv_.notify_all();
    }
    void wait()
    {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [&] { return open_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool open_ = false;
};

// Base fixture: checks that every test leaves no allocation, RCU section
// or handler behind.
class CoreTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    std::int64_t live_at_start_ = 0;
};

} // namespace test
