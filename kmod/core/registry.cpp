// SPDX-License-Identifier: GPL-2.0
#include "registry.h"

#include "../../cxxrt/assert.h"
#include "../../cxxrt/errno.h"
#include "../../cxxrt/memory.h"

namespace cnxx {

using cxxrt::Error;
using cxxrt::MutexGuard;
using cxxrt::RcuReadGuard;

Registry::~Registry()
{
    ASSERT(table_.size() == 0);
    ASSERT(order_.is_empty());
    if (buckets_)
        cnxx_pf_free(table_.detach());
}

Result<void> Registry::init(u32 hash_bits)
{
    if (hash_bits > max_hash_bits)
        return Error::from_errno(EINVAL);
    TRY(mutex_.create(CNXX_LOCK_REGISTRY));
    buckets_ = cnxx_pf_alloc(Table::storage_size(hash_bits), CNXX_GFP_KERNEL);
    if (!buckets_)
        return Error::from_errno(ENOMEM);
    table_.attach(buckets_, hash_bits);
    return {};
}

Result<void> Registry::add(const cnxx_cb_id& id, const char* name, cnxx_callback_t callback)
{
    Entry* entry = cxxrt::make<Entry>(CNXX_GFP_KERNEL, id, name, callback);
    if (!entry)
        return Error::from_errno(ENOMEM);

    Entry* existing;
    {
        MutexGuard guard(mutex_);
        existing = table_.insert_or_find(*entry);
        if (!existing) {
            order_.push_back(*entry);
            changes_.append(entry->registered);
        }
    }
    if (existing) {
        // Never published: no reader can have seen it.
        cxxrt::destroy(entry);
        return Error::from_errno(EINVAL);
    }
    return {};
}

Result<Entry*> Registry::unlink(const cnxx_cb_id& id)
{
    MutexGuard guard(mutex_);
    Entry* entry = table_.erase(id);
    if (!entry)
        return Error::from_errno(ENOENT);
    order_.remove(*entry);
    changes_.append(entry->unregistered);
    return entry;
}

Entry* Registry::unlink_oldest()
{
    MutexGuard guard(mutex_);
    Entry* entry = order_.first();
    if (!entry)
        return nullptr;
    table_.erase(entry->id());
    order_.remove(*entry);
    changes_.append(entry->unregistered);
    return entry;
}

void Registry::retire(Entry& entry)
{
    const u32 own_calls = entry.mark_dead(cnxx_pf_current());
    entry.wait_for_calls(own_calls);
    if (own_calls == 0)
        reclaim(entry);
}

void Registry::reclaim(Entry& entry)
{
    // No call runs any more: the count is final.
    retired_delivered_.add(entry.delivered.read());
    entry.destroy_after_grace_period();
}

u64 Registry::delivered() const
{
    u64 total = retired_delivered_.read();
    if (!buckets_)
        return total;
    RcuReadGuard rcu;
    table_.for_each_rcu([&](const Entry& entry) { total += entry.delivered.read(); });
    return total;
}

Result<u32> Registry::group_of(const cnxx_cb_id& id) const
{
    RcuReadGuard rcu;
    const Entry* entry = table_.find(id);
    if (!entry)
        return Error::from_errno(ENODEV);
    return entry->group();
}

void Registry::count_dropped(const cnxx_cb_id& id)
{
    RcuReadGuard rcu;
    if (Entry* entry = table_.find(id))
        entry->dropped.increment();
}

void Registry::count_send_error(const cnxx_cb_id& id)
{
    RcuReadGuard rcu;
    if (Entry* entry = table_.find(id))
        entry->send_errors.increment();
}

cxxrt::size_t Registry::longest_chain()
{
    MutexGuard guard(mutex_);
    return table_.longest_chain();
}

} // namespace cnxx
