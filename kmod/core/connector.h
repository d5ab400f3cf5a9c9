// SPDX-License-Identifier: GPL-2.0
// Connector: one connector instance, behind the C functions of cnxx_abi.h.
// It checks what comes in, routes what goes out, and ties the registry of
// callbacks to the notifier of registration changes.
#pragma once

#include "../../cxxrt/atomic.h"
#include "../../cxxrt/result.h"
#include "cnxx_abi.h"
#include "codec.h"
#include "notify.h"
#include "registry.h"

namespace cnxx {

class Connector {
public:
    // Makes a connector for @config. -EINVAL for a config without all ops
    // or with too many hash bits, -ENOMEM. May sleep.
    static Result<Connector*> create(const cnxx_core_config& config);

    // Removes every callback (waiting for running ones), sends queued
    // notifications and frees everything. Input must have stopped. May sleep.
    static void destroy(Connector* connector);

    // cn_add_callback(): -EINVAL for a taken or reserved id, a null @name or
    // @callback; -ENOMEM. Queues registration notifications. May sleep.
    Result<void> add(const cnxx_cb_id& id, const char* name, cnxx_callback_t callback);

    // cn_del_callback(): unlinks @id and returns once no call runs of any
    // entry ever registered under @id and already unlinked, except the
    // current task's own. -ENOENT if @id was not linked (the wait still
    // happens). May sleep.
    Result<void> remove(const cnxx_cb_id& id);

    // Handles every netlink message in @buffer; see cnxx_core_receive().
    // Process context; callbacks may sleep.
    void receive(void* buffer, cxxrt::size_t size, netlink_skb_parms* sender, sk_buff* rx);

    // The group of the callback of @id, for a send that names no
    // destination; see cnxx_core_route(). Any context; never sleeps.
    Result<u32> route(const cnxx_cb_id& id) { return registry_.group_of(id); }

    // Counts a failed send (@err) of a message with @id against its
    // callback; see cnxx_core_send_failed(). Any context; never sleeps.
    void send_failed(const cnxx_cb_id& id, int err);

    // Whether a unicast sent now by the current task may wait for a full
    // receiver: not when the task is inside a call of a callback whose
    // removal is pending. May sleep.
    bool reply_may_block();

    // A notification request from a kernel module: like one from user
    // space, without the capability check. May sleep.
    Result<void> request_notifications(const cn_ctl_msg* request, cxxrt::size_t size);

    // Calls @visit for each callback in registration order, under the
    // registry lock. @visit may sleep but not call back in.
    void for_each(void (*visit)(void* arg, const cnxx_cb_info* info), void* arg);

    // Fills @stats with the current counters. Never sleeps.
    void read_stats(cnxx_stats& stats) const;

    // For tests: the longest chain of the registry's hash table. May sleep.
    cxxrt::size_t longest_hash_chain() { return registry_.longest_chain(); }

    // Public for make(); use create().
    explicit Connector(const cnxx_core_config& config);
    ~Connector();

private:
    Result<void> init(u32 hash_bits);
    Result<void> handle_message(const codec::NetlinkMessage& message, netlink_skb_parms* sender);
    // Acks -EINVAL to a header whose length does not fit, if it asked.
    void answer_malformed(const wire::NetlinkHeader* header, sk_buff* rx);
    Result<void> handle_control(
        const void* request, cxxrt::size_t size, const netlink_skb_parms* sender);

    const cnxx_core_ops& ops_;
    void* const ops_context_;
    const u32 groups_; // netlink groups 1..groups_, for the statistics
    Registry registry_;
    Notifier notifier_;
    bool running_ = false;

    // Every message walked ends in exactly one of delivered (counted by
    // its entry), rx_invalid_, rx_oversize_, rx_unknown_ or rx_control_:
    // rx_messages is their sum, so a delivered message touches no shared
    // counter.
    cxxrt::Counter rx_invalid_;
    cxxrt::Counter rx_oversize_;
    cxxrt::Counter rx_unknown_;
    cxxrt::Counter rx_control_;
    cxxrt::Counter rx_denied_;
    // Bytes after the last whole message: rx_invalid, not a message.
    cxxrt::Counter rx_truncated_;
};

} // namespace cnxx
