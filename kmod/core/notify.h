// SPDX-License-Identifier: GPL-2.0
// Notifier: registration notifications (the historical control id
// {-1,-1}). It stores the requests of listeners, turns registry changes
// into cn_msg notifications for every matching request, and sends them from
// a work item, so that neither add/del nor the receive path ever waits for
// a listener or for netlink.
#pragma once

#include "../../cxxrt/atomic.h"
#include "../../cxxrt/intrusive_list.h"
#include "../../cxxrt/lock.h"
#include "../../cxxrt/platform_handle.h"
#include "../../cxxrt/result.h"
#include "change_log.h"
#include "codec.h"
#include "wire.h"

namespace cnxx {

using cxxrt::Result;
using cxxrt::u32;

// A stored request: a group and its idx and val ranges, which follow the
// object in the same allocation.
class Request : public cxxrt::ListNode<Request> {
public:
    // Copies @request into a new allocation. nullptr when memory is short.
    // May sleep.
    static Request* create(const codec::ControlRequest& request);

    u32 group() const { return group_; }

    // Whether @id falls in one of the idx ranges and one of the val ranges.
    // O(number of ranges).
    bool matches(const cnxx_cb_id& id) const;

    // Whether @other asks for the same ranges in the same order.
    // The groups are not compared.
    bool has_same_ranges(const Request& other) const;

    // For create(), which places the ranges right after the object.
    Request(u32 group, u32 idx_count, u32 val_count);

private:
    const wire::NotifyRange* ranges() const
    {
        return reinterpret_cast<const wire::NotifyRange*>(this + 1);
    }
    wire::NotifyRange* ranges() { return reinterpret_cast<wire::NotifyRange*>(this + 1); }

    const u32 group_;
    const u32 idx_count_;
    const u32 val_count_;
};

// A notification waiting to be sent.
struct Notification : public cxxrt::ListNode<Notification> {
    wire::ConnectorMessage message = {};
    u32 group = 0;
};

class Notifier {
public:
    struct Limits {
        u32 groups;       // highest valid netlink group
        u32 max_requests; // stored requests
        u32 max_ranges;   // ranges in one request
        u32 max_pending;  // queued notifications
    };

    Notifier(const cnxx_core_ops& ops, void* ops_context, const Limits& limits);
    ~Notifier();
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    // Creates the lock and the work item. -ENOMEM. May sleep.
    Result<void> init();

    // Stops the work item, sends what is still queued and forgets every
    // request. Nothing may call in any more. May sleep.
    void shutdown();

    // Handles a request (struct cn_ctl_msg, @size bytes; the capability is
    // already checked): adds or removes it. 0 or a negative errno. May sleep.
    Result<void> handle_request(const void* bytes, cxxrt::size_t size);

    // Queues the notifications for every change in @changes, oldest first,
    // and kicks the work item. Never waits for a listener. May sleep.
    void publish(ChangeLog& changes);

    // Sends every queued notification. The work item's body; process
    // context, may sleep.
    void send_pending();

    u32 request_count() const { return request_count_.load(cxxrt::MemoryOrder::Relaxed); }
    cxxrt::u64 sent() const { return sent_.read(); }
    cxxrt::u64 failed() const { return failed_.read(); }

private:
    Result<void> add_request(Request& request, bool& stored);
    Result<void> remove_request(const Request& pattern);
    bool queue_locked(const Change& change);
    static void run_work(void* notifier);

    const cnxx_core_ops& ops_;
    void* const ops_context_;
    const Limits limits_;

    cxxrt::Mutex mutex_;
    cxxrt::PlatformHandle<cnxx_work, cnxx_pf_work_destroy> work_;

    // Guarded by mutex_.
    cxxrt::IntrusiveList<Request> requests_;
    cxxrt::IntrusiveList<Notification> pending_;
    u32 pending_count_ = 0;
    u32 next_seq_ = 0;

    cxxrt::Atomic<u32> request_count_;
    cxxrt::Counter sent_;
    cxxrt::Counter failed_;
};

} // namespace cnxx
