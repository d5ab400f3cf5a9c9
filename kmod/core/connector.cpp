// SPDX-License-Identifier: GPL-2.0
#include "connector.h"

#include "../../cxxrt/errno.h"
#include "../../cxxrt/memory.h"

namespace cnxx {

using cxxrt::Error;
using cxxrt::size_t;
using cxxrt::u16;

namespace {

Notifier::Limits notifier_limits(const cnxx_core_config& config)
{
    return { config.groups, config.max_notify_requests, config.max_notify_ranges,
        config.max_notify_pending };
}

bool has_every_op(const cnxx_core_ops* ops)
{
    return ops && ops->ack && ops->notify && ops->sender_capable;
}

// SAFETY: the ABI's struct nlmsghdr is the layout of wire::NetlinkHeader
// (wire.h); the platform only reads it.
const nlmsghdr* as_nlmsghdr(const void* header)
{
    return static_cast<const nlmsghdr*>(header);
}

} // namespace

Result<Connector*> Connector::create(const cnxx_core_config& config)
{
    if (!has_every_op(config.ops) || config.hash_bits > Registry::max_hash_bits)
        return Error::from_errno(EINVAL);
    Connector* connector = cxxrt::make<Connector>(CNXX_GFP_KERNEL, config);
    if (!connector)
        return Error::from_errno(ENOMEM);
    const Result<void> result = connector->init(config.hash_bits);
    if (result.is_error()) {
        cxxrt::destroy(connector);
        return result.error();
    }
    return connector;
}

void Connector::destroy(Connector* connector)
{
    cxxrt::destroy(connector);
}

Connector::Connector(const cnxx_core_config& config)
    : ops_(*config.ops)
    , ops_context_(config.ctx)
    , groups_(config.groups)
    , notifier_(*config.ops, config.ctx, notifier_limits(config))
{
}

Result<void> Connector::init(u32 hash_bits)
{
    TRY(registry_.init(hash_bits));
    TRY(notifier_.init());
    running_ = true;
    return {};
}

Connector::~Connector()
{
    if (!running_)
        return;
    u64 limit = 0;
    while (Entry* entry = registry_.unlink_oldest(limit)) {
        notifier_.publish(registry_.changes());
        registry_.release(*entry);
        registry_.wait_retired(nullptr, limit);
    }
    registry_.wait_all_reclaimed();
    notifier_.shutdown();
    // Entries freed by their last call are still waiting for a grace period.
    cnxx_pf_rcu_barrier();
}

Result<void> Connector::add(const cnxx_cb_id& id, const char* name, cnxx_callback_t callback)
{
    if (wire::is_control_id(id) || !name || !callback)
        return Error::from_errno(EINVAL);
    TRY(registry_.add(id, name, callback));
    notifier_.publish(registry_.changes());
    return {};
}

Result<void> Connector::remove(const cnxx_cb_id& id)
{
    const Registry::Unlinked unlinked = registry_.unlink(id);
    // Listeners hear of the removal before the wait for running calls.
    // publish() handles every logged change before it returns, so the
    // entry that holds ours may go after it.
    if (unlinked.entry) {
        notifier_.publish(registry_.changes());
        registry_.release(*unlinked.entry);
    }
    // Also when the id was not linked: a callback that removed its own id
    // may still run, and its module must not go before it returns.
    registry_.wait_retired(&id, unlinked.limit);
    if (!unlinked.entry)
        return Error::from_errno(ENOENT);
    return {};
}

void Connector::receive(void* buffer, size_t size, netlink_skb_parms* sender, sk_buff* rx)
{
    // Both written before they are read.
    CXXRT_UNINITIALIZED codec::NetlinkWalker walker(static_cast<cxxrt::u8*>(buffer), size);
    CXXRT_UNINITIALIZED codec::NetlinkMessage message;
    while (walker.next(message)) {
        const Result<void> result = handle_message(message, sender);
        // The header was copied before the callback ran, so a callback
        // that writes to its message cannot change this decision.
        if (message.flags & wire::netlink_flag_ack)
            ops_.ack(ops_context_, rx, as_nlmsghdr(message.start), result.to_errno());
    }
    if (walker.ended_malformed()) [[unlikely]] {
        rx_truncated_.increment();
        answer_malformed(walker.malformed_header(), rx);
    }
}

void Connector::answer_malformed(const wire::NetlinkHeader* header, sk_buff* rx)
{
    if (!header || !(header->flags & wire::netlink_flag_ack))
        return;
    // The bytes its nlmsg_len claims are not there: echo the header alone.
    wire::NetlinkHeader trimmed = *header;
    trimmed.length = wire::netlink_header_size;
    ops_.ack(ops_context_, rx, as_nlmsghdr(&trimmed), -EINVAL);
}

Result<void> Connector::handle_message(
    const codec::NetlinkMessage& message, netlink_skb_parms* sender)
{
    const Result<void> size_check = codec::check_connector_payload(message.payload_size);
    if (size_check.is_error()) {
        if (size_check.error().code() == -EMSGSIZE)
            rx_oversize_.increment();
        else
            rx_invalid_.increment();
        return size_check;
    }

    const cnxx_cb_id id = codec::read_connector_id(message.payload);
    const u16 len = codec::read_connector_len(message.payload);
    if (!codec::connector_data_fits(len, message.payload_size)) {
        rx_invalid_.increment();
        registry_.count_dropped(id);
        return Error::from_errno(EINVAL);
    }

    if (wire::is_control_id(id))
        return handle_control(message.payload + wire::connector_message_size, len, sender);

    // SAFETY: the payload holds a whole cn_msg, checked above; the callback
    // gets it where it lies, as the kernel's connector hands on nlmsg_data().
    auto* connector_message = reinterpret_cast<cn_msg*>(message.payload);
    const Result<void> result = registry_.dispatch(id, connector_message, sender);
    if (result.is_error())
        rx_unknown_.increment();
    return result;
}

Result<void> Connector::handle_control(
    const void* request, size_t size, const netlink_skb_parms* sender)
{
    rx_control_.increment();
    // Before parsing: a sender without the capability learns nothing.
    if (!ops_.sender_capable(ops_context_, sender)) {
        rx_denied_.increment();
        cnxx_pf_log_ratelimited(
            CNXX_LOG_WARN, "notify request refused: sender lacks CAP_NET_ADMIN\n");
        return Error::from_errno(EPERM);
    }
    return notifier_.handle_request(request, size);
}

void Connector::send_failed(const cnxx_cb_id& id, int err)
{
    registry_.count_send_error(id, err == -EAGAIN);
}

bool Connector::reply_may_block()
{
    return !registry_.current_call_is_retiring();
}

Result<void> Connector::request_notifications(const cn_ctl_msg* request, size_t size)
{
    return notifier_.handle_request(request, size);
}

void Connector::for_each(void (*visit)(void* arg, const cnxx_cb_info* info), void* arg)
{
    registry_.for_each([&](const Entry& entry) {
        cnxx_cb_info info;
        info.id = entry.id();
        __builtin_memcpy(info.name, entry.name(), sizeof(info.name));
        info.group = entry.group();
        info.delivered = entry.delivered.read();
        info.dropped = entry.dropped.read();
        info.send_errors = entry.send_errors.read();
        info.replies_dropped = entry.replies_dropped.read();
        visit(arg, &info);
    });
}

void Connector::read_stats(cnxx_stats& stats) const
{
    stats.rx_delivered = registry_.delivered();
    stats.rx_invalid = rx_invalid_.read() + rx_truncated_.read();
    stats.rx_oversize = rx_oversize_.read();
    stats.rx_unknown = rx_unknown_.read();
    stats.rx_control = rx_control_.read();
    stats.rx_messages = stats.rx_delivered + rx_invalid_.read() + stats.rx_oversize
        + stats.rx_unknown + stats.rx_control;
    stats.rx_denied = rx_denied_.read();
    stats.callbacks = registry_.size();
    stats.notify_requests = notifier_.request_count();
    stats.notify_sent = notifier_.sent();
    stats.notify_failed = notifier_.failed();
    stats.groups = groups_;
}

} // namespace cnxx

// The per-message entry points of cnxx_abi.h (the rest are in abi.cpp).
// Every struct cnxx_core * is a Connector * made by cnxx_core_create().
// flatten: each path becomes one function, with no calls but those to
// the platform, the callback and the rare error paths in other files.

[[gnu::flatten]] void cnxx_core_receive(struct cnxx_core* core, void* buf, cnxx_size_t len,
    struct netlink_skb_parms* sender, struct sk_buff* rx)
{
    reinterpret_cast<cnxx::Connector*>(core)->receive(buf, len, sender, rx);
}

[[gnu::flatten]] int cnxx_core_route(
    struct cnxx_core* core, const struct cnxx_cb_id* id, cnxx_u32* group)
{
    const auto result = reinterpret_cast<cnxx::Connector*>(core)->route(*id);
    if (result.is_error())
        return result.error().code();
    *group = result.value();
    return 0;
}

[[gnu::flatten]] void cnxx_core_send_failed(
    struct cnxx_core* core, const struct cnxx_cb_id* id, int err)
{
    reinterpret_cast<cnxx::Connector*>(core)->send_failed(*id, err);
}
