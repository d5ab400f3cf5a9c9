// SPDX-License-Identifier: GPL-2.0
#include "notify.h"

#include "../../cxxrt/errno.h"
#include "../../cxxrt/memory.h"

namespace cnxx {

using cxxrt::Error;
using cxxrt::MemoryOrder;
using cxxrt::MutexGuard;
using cxxrt::u64;

namespace {

bool range_contains(const wire::NotifyRange& range, u32 value)
{
    return value >= range.first && u64(value) < u64(range.first) + range.range;
}

bool any_range_contains(const wire::NotifyRange* ranges, u32 count, u32 value)
{
    for (u32 i = 0; i < count; ++i) {
        if (range_contains(ranges[i], value))
            return true;
    }
    return false;
}

} // namespace

Request::Request(u32 group, u32 idx_count, u32 val_count)
    : group_(group)
    , idx_count_(idx_count)
    , val_count_(val_count)
{
}

Request* Request::create(const codec::ControlRequest& request)
{
    const cxxrt::size_t count = request.range_count();
    Request* stored
        = cxxrt::make_with_trailing<Request>(CNXX_GFP_KERNEL, count * sizeof(wire::NotifyRange),
            request.group(), request.idx_count(), request.val_count());
    if (!stored)
        return nullptr;
    for (u32 i = 0; i < count; ++i)
        stored->ranges()[i] = request.range(i);
    return stored;
}

bool Request::matches(const cnxx_cb_id& id) const
{
    return any_range_contains(ranges(), idx_count_, id.idx)
        && any_range_contains(ranges() + idx_count_, val_count_, id.val);
}

bool Request::has_same_ranges(const Request& other) const
{
    if (idx_count_ != other.idx_count_ || val_count_ != other.val_count_)
        return false;
    for (u32 i = 0; i < idx_count_ + val_count_; ++i) {
        if (ranges()[i].first != other.ranges()[i].first
            || ranges()[i].range != other.ranges()[i].range)
            return false;
    }
    return true;
}

Notifier::Notifier(const cnxx_core_ops& ops, void* ops_context, const Limits& limits)
    : ops_(ops)
    , ops_context_(ops_context)
    , limits_(limits)
{
}

Notifier::~Notifier()
{
    // First: a running work item uses the lists.
    work_.reset();
    while (Request* request = requests_.pop_front())
        cxxrt::destroy(request);
    while (Notification* notification = pending_.pop_front())
        cxxrt::destroy(notification);
}

Result<void> Notifier::init()
{
    TRY(mutex_.create(cnxx_notify_lock_class));
    return work_.create(cnxx_pf_work_create, &Notifier::run_work, static_cast<void*>(this));
}

void Notifier::shutdown()
{
    work_.reset();
    // Whatever was queued after the work item last ran.
    send_pending();
    MutexGuard guard(mutex_);
    while (Request* request = requests_.pop_front())
        cxxrt::destroy(request);
    request_count_.store(0, MemoryOrder::Relaxed);
}

Result<void> Notifier::handle_request(const void* bytes, cxxrt::size_t size)
{
    const codec::ControlLimits limits{ limits_.groups, limits_.max_ranges };
    const codec::ControlRequest parsed = TRY(codec::parse_control_request(bytes, size, limits));

    // Allocated before the lock; a duplicate or a removal pattern is freed.
    Request* request = Request::create(parsed);
    if (!request)
        return Error::from_errno(ENOMEM);

    bool stored = false;
    Result<void> result;
    if (request->group() == 0)
        result = remove_request(*request);
    else
        result = add_request(*request, stored);
    if (!stored)
        cxxrt::destroy(request);
    return result;
}

Result<void> Notifier::add_request(Request& request, bool& stored)
{
    MutexGuard guard(mutex_);
    for (const Request& existing : requests_) {
        if (existing.group() == request.group() && existing.has_same_ranges(request))
            return {};
    }
    if (request_count_.load(MemoryOrder::Relaxed) >= limits_.max_requests) {
        cnxx_pf_log_ratelimited(
            CNXX_LOG_WARN, "notify request: %u requests stored, the limit\n", limits_.max_requests);
        return Error::from_errno(ENOSPC);
    }
    requests_.push_back(request);
    request_count_.fetch_add(1, MemoryOrder::Relaxed);
    stored = true;
    return {};
}

Result<void> Notifier::remove_request(const Request& pattern)
{
    Request* found = nullptr;
    {
        MutexGuard guard(mutex_);
        for (Request& existing : requests_) {
            if (existing.has_same_ranges(pattern)) {
                found = &existing;
                break;
            }
        }
        if (found) {
            requests_.remove(*found);
            request_count_.fetch_sub(1, MemoryOrder::Relaxed);
        }
    }
    if (!found) {
        cnxx_pf_log_ratelimited(
            CNXX_LOG_WARN, "notify request: no stored request with these ranges\n");
        return Error::from_errno(ENOENT);
    }
    cxxrt::destroy(found);
    return {};
}

void Notifier::publish(ChangeLog& changes)
{
    bool queued = false;
    {
        // Whoever holds the mutex handles every change logged so far, so
        // notifications leave in the registry's order.
        MutexGuard guard(mutex_);
        while (Change* change = changes.take_oldest()) {
            if (queue_locked(*change))
                queued = true;
        }
    }
    if (queued)
        cnxx_pf_work_queue(work_.get());
}

bool Notifier::queue_locked(const Change& change)
{
    bool queued = false;
    for (const Request& request : requests_) {
        if (!request.matches(change.id))
            continue;
        if (pending_count_ >= limits_.max_pending) {
            failed_.increment();
            cnxx_pf_log_ratelimited(CNXX_LOG_WARN,
                "notification for %u:%u dropped: %u already queued\n", change.id.idx, change.id.val,
                pending_count_);
            continue;
        }
        // Sleeping here is fine: this mutex is never on a receive or send path.
        Notification* notification = cxxrt::make<Notification>(CNXX_GFP_KERNEL);
        if (!notification) {
            failed_.increment();
            cnxx_pf_log_ratelimited(CNXX_LOG_WARN,
                "notification for %u:%u dropped: out of memory\n", change.id.idx, change.id.val);
            continue;
        }
        notification->message.id = change.id;
        notification->message.seq = next_seq_++;
        notification->message.ack = change.ack;
        notification->group = request.group();
        pending_.push_back(*notification);
        ++pending_count_;
        queued = true;
    }
    return queued;
}

void Notifier::send_pending()
{
    cxxrt::IntrusiveList<Notification> batch;
    {
        MutexGuard guard(mutex_);
        batch.take_all_from(pending_);
        pending_count_ = 0;
    }
    while (Notification* notification = batch.pop_front()) {
        // SAFETY: wire::ConnectorMessage is the layout of struct cn_msg,
        // and a notification has no data.
        const auto* message = reinterpret_cast<const cn_msg*>(&notification->message);
        const int err = ops_.notify(
            ops_context_, message, sizeof(notification->message), notification->group);
        // -ESRCH: nobody listens to the group, which is not a failure.
        if (err == 0 || err == -ESRCH) {
            sent_.increment();
        } else {
            failed_.increment();
            cnxx_pf_log_ratelimited(CNXX_LOG_WARN,
                "notification for %u:%u to group %u failed: %d\n", notification->message.id.idx,
                notification->message.id.val, notification->group, err);
        }
        cxxrt::destroy(notification);
    }
}

void Notifier::run_work(void* notifier)
{
    static_cast<Notifier*>(notifier)->send_pending();
}

} // namespace cnxx
