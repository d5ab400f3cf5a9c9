// SPDX-License-Identifier: GPL-2.0
#include "harness.h"

namespace test {

const cnxx_core_ops Recorder::ops = {
    &Recorder::ack,
    &Recorder::notify,
    &Recorder::sender_capable,
};

void Recorder::ack(void* ctx, sk_buff* rx, const nlmsghdr* nlh, int err)
{
    auto* self = static_cast<Recorder*>(ctx);
    std::lock_guard<std::mutex> lock(self->mutex_);
    const auto offset
        = static_cast<std::size_t>(reinterpret_cast<const std::uint8_t*>(nlh) - self->buffer);
    std::uint32_t length;
    std::memcpy(&length, nlh, sizeof(length));
    self->acks_.push_back({ offset, err, rx, length });
}

int Recorder::notify(void* ctx, const cn_msg* msg, cnxx_size_t size, cnxx_u32 group)
{
    auto* self = static_cast<Recorder*>(ctx);
    if (self->on_notify)
        self->on_notify();
    std::lock_guard<std::mutex> lock(self->mutex_);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(msg);
    self->sent_.push_back({ Bytes(bytes, bytes + size), group });
    return self->notify_result.load();
}

bool Recorder::sender_capable(void* ctx, const Sender* sender)
{
    (void)ctx;
    return sender && sender->capable;
}

Core::Core(const Config& config)
{
    const cnxx_core_config raw = {
        config.hash_bits,
        config.groups,
        config.max_notify_requests,
        config.max_notify_ranges,
        config.max_notify_pending,
        &Recorder::ops,
        &recorder_,
    };
    EXPECT_EQ(cnxx_core_create(&raw, &core_), 0);
    EXPECT_NE(core_, nullptr);
}

Core::~Core()
{
    if (core_)
        cnxx_core_destroy(core_);
}

int Core::add(std::uint32_t idx, std::uint32_t val, const char* name)
{
    return add(idx, val, &forwarding_callback, name);
}

int Core::add(std::uint32_t idx, std::uint32_t val, fake::Callback callback, const char* name)
{
    const cnxx_cb_id id = { idx, val };
    return cnxx_core_add(core_, &id, name, callback);
}

int Core::del(std::uint32_t idx, std::uint32_t val)
{
    const cnxx_cb_id id = { idx, val };
    return cnxx_core_del(core_, &id);
}

void Core::receive(Bytes& buffer, Sender* sender, sk_buff* rx)
{
    recorder_.buffer = buffer.data();
    cnxx_core_receive(core_, buffer.data(), buffer.size(), sender, rx);
}

void Core::deliver(std::uint32_t idx, std::uint32_t val) const
{
    test::deliver(core_, idx, val);
}

void deliver(cnxx_core* core, std::uint32_t idx, std::uint32_t val)
{
    Bytes buffer = netlink(cn_message(idx, val));
    cnxx_core_receive(core, buffer.data(), buffer.size(), nullptr, nullptr);
}

cnxx_stats Core::stats()
{
    cnxx_stats stats;
    std::memset(&stats, 0xa5, sizeof(stats));
    cnxx_core_stats(core_, &stats);
    return stats;
}

int Core::route(const Bytes& message, std::uint32_t* group)
{
    cnxx_cb_id id;
    std::memcpy(&id, message.data(), sizeof(id));
    return cnxx_core_route(core_, &id, group);
}

Bytes cn_message(std::uint32_t idx, std::uint32_t val, const Bytes& data, int len,
    std::uint32_t seq, std::uint32_t ack)
{
    cn_msg header = {};
    header.id.idx = idx;
    header.id.val = val;
    header.seq = seq;
    header.ack = ack;
    header.len = static_cast<std::uint16_t>(len < 0 ? data.size() : static_cast<std::size_t>(len));
    Bytes bytes(sizeof(header));
    std::memcpy(bytes.data(), &header, sizeof(header));
    bytes.insert(bytes.end(), data.begin(), data.end());
    return bytes;
}

Bytes netlink(const Bytes& payload, std::uint16_t flags, std::int64_t nlmsg_len)
{
    nlmsghdr header = {};
    header.nlmsg_len = static_cast<std::uint32_t>(
        nlmsg_len < 0 ? NLMSG_HDRLEN + payload.size() : static_cast<std::uint64_t>(nlmsg_len));
    header.nlmsg_type = NLMSG_DONE;
    header.nlmsg_flags = flags;
    Bytes bytes(NLMSG_HDRLEN);
    std::memcpy(bytes.data(), &header, sizeof(header));
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    return bytes;
}

Bytes concat(const std::vector<Bytes>& messages)
{
    Bytes all;
    for (const Bytes& message : messages) {
        all.insert(all.end(), message.begin(), message.end());
        all.resize(NLMSG_ALIGN(all.size()), 0);
    }
    return all;
}

Bytes control_request(std::uint32_t group, const std::vector<Range>& idx,
    const std::vector<Range>& val, std::int64_t len, std::int64_t idx_num, std::int64_t val_num)
{
    const std::uint32_t header[4] = {
        static_cast<std::uint32_t>(idx_num < 0 ? idx.size() : static_cast<std::uint64_t>(idx_num)),
        static_cast<std::uint32_t>(val_num < 0 ? val.size() : static_cast<std::uint64_t>(val_num)),
        group,
        static_cast<std::uint32_t>(
            len < 0 ? (idx.size() + val.size()) * 8 : static_cast<std::uint64_t>(len)),
    };
    Bytes bytes(sizeof(header));
    std::memcpy(bytes.data(), header, sizeof(header));
    for (const auto* ranges : { &idx, &val }) {
        for (const Range& range : *ranges) {
            const std::uint32_t pair[2] = { range.first, range.range };
            const auto* raw = reinterpret_cast<const std::uint8_t*>(pair);
            bytes.insert(bytes.end(), raw, raw + sizeof(pair));
        }
    }
    return bytes;
}

namespace {

std::mutex handlers_mutex;
std::map<std::pair<std::uint32_t, std::uint32_t>, Handler> handlers;
std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> delivery_counts;

} // namespace

void forwarding_callback(cn_msg* message, Sender* sender)
{
    // The message may be unaligned: copy the id out.
    cb_id id;
    std::memcpy(&id, message, sizeof(id));
    const auto key = std::make_pair(id.idx, id.val);
    Handler handler;
    {
        std::lock_guard<std::mutex> lock(handlers_mutex);
        ++delivery_counts[key];
        auto it = handlers.find(key);
        if (it != handlers.end())
            handler = it->second;
    }
    if (handler)
        handler(message, sender);
}

void set_handler(std::uint32_t idx, std::uint32_t val, Handler handler)
{
    std::lock_guard<std::mutex> lock(handlers_mutex);
    handlers[{ idx, val }] = std::move(handler);
}

void clear_handlers()
{
    std::lock_guard<std::mutex> lock(handlers_mutex);
    handlers.clear();
    delivery_counts.clear();
}

std::uint64_t deliveries(std::uint32_t idx, std::uint32_t val)
{
    std::lock_guard<std::mutex> lock(handlers_mutex);
    auto it = delivery_counts.find({ idx, val });
    return it == delivery_counts.end() ? 0 : it->second;
}

void CoreTest::SetUp()
{
    clear_handlers();
    fake::clear_log();
    fake::fail_all_allocations(false);
    fake::pause_work(false);
    fake::set_preemption(false);
    live_at_start_ = fake::live_allocations();
}

void CoreTest::TearDown()
{
    clear_handlers();
    fake::fail_all_allocations(false);
    fake::pause_work(false);
    fake::drain_work();
    fake::rcu_barrier();
    EXPECT_EQ(fake::rcu_read_depth(), 0);
    EXPECT_EQ(fake::live_allocations(), live_at_start_) << "leaked platform allocations";
}

} // namespace test
