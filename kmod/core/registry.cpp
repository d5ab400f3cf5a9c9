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
    ASSERT(retiring_.is_empty());
    cnxx_pf_free_large(table_.detach());
}

Result<void> Registry::init(u32 hash_bits)
{
    if (hash_bits > max_hash_bits)
        return Error::from_errno(EINVAL);
    TRY(mutex_.create(cnxx_registry_lock_class));
    void* buckets = cnxx_pf_alloc_large(Table::storage_size(hash_bits));
    if (!buckets)
        return Error::from_errno(ENOMEM);
    table_.attach(buckets, hash_bits);
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

void Registry::retire_locked(Entry& entry)
{
    order_.remove(entry);
    changes_.append(entry.unregistered);
    entry.mark_dead();
    entry.retire_seq = ++retire_seq_;
    retiring_.push_back(entry);
    retiring_count_.fetch_add(1, cxxrt::MemoryOrder::Relaxed);
}

Registry::Unlinked Registry::unlink(const cnxx_cb_id& id)
{
    MutexGuard guard(mutex_);
    Entry* entry = table_.erase(id);
    if (entry)
        retire_locked(*entry);
    return { entry, retire_seq_ };
}

Entry* Registry::unlink_oldest(u64& limit)
{
    MutexGuard guard(mutex_);
    Entry* entry = order_.first();
    if (!entry)
        return nullptr;
    table_.erase(entry->id());
    retire_locked(*entry);
    limit = retire_seq_;
    return entry;
}

void Registry::release(Entry& entry)
{
    if (entry.put())
        reclaim(entry);
}

bool Registry::mark_removing_locked(const cnxx_cb_id& id, const task_struct* task, bool removing)
{
    bool inside = false;
    if (Entry* live = table_.find(id))
        inside |= live->mark_removing(task, removing);
    for (Entry& entry : retiring_) {
        if (EntryHashTraits::equal(entry.id(), id))
            inside |= entry.mark_removing(task, removing);
    }
    return inside;
}

void Registry::wait_retired(const cnxx_cb_id* id, u64 limit)
{
    const task_struct* task = cnxx_pf_current();
    // Lets lockdep see "holds L, waits for a callback that takes L" even
    // when no call happens to run right now, as flush_work() does.
    cnxx_pf_lockdep_wait_calls();
    // A remover inside a call of @id (a callback removing its own id, or
    // two calls of it removing it at once) marks its calls, and does not
    // wait for calls so marked by others: they would wait for each other.
    // Removers outside any call of @id, like a module's exit, wait for all.
    bool inside = false;
    if (id) {
        MutexGuard guard(mutex_);
        inside = mark_removing_locked(*id, task, true);
    }
    // The retiring list is in retire_seq order and entries retiring later
    // are not waited for, so each pass moves on and the loop ends.
    u64 done = 0;
    for (;;) {
        Entry* target = nullptr;
        {
            MutexGuard guard(mutex_);
            for (Entry& entry : retiring_) {
                if (entry.retire_seq > limit)
                    break;
                if (entry.retire_seq <= done)
                    continue;
                done = entry.retire_seq;
                if (id && !EntryHashTraits::equal(entry.id(), *id))
                    continue;
                // Without a holder it has no call left: it is being freed.
                if (entry.try_get()) {
                    target = &entry;
                    break;
                }
            }
        }
        if (!target)
            break;
        target->wait_for_calls(task, inside);
        if (target->put())
            reclaim(*target);
    }
    if (inside) {
        MutexGuard guard(mutex_);
        mark_removing_locked(*id, task, false);
    }
}

bool Registry::all_reclaimed(const void* registry)
{
    const auto* self = static_cast<const Registry*>(registry);
    return self->retiring_count_.load(cxxrt::MemoryOrder::Acquire) == 0;
}

void Registry::wait_all_reclaimed()
{
    wait_retired(nullptr, ~u64(0));
    // Entries whose last holder was a call may still be on their way out.
    cnxx_pf_wait(&retiring_count_, &Registry::all_reclaimed, this);
}

bool Registry::current_call_is_retiring()
{
    if (retiring_count_.load(cxxrt::MemoryOrder::Relaxed) == 0) [[likely]]
        return false;
    const task_struct* task = cnxx_pf_current();
    MutexGuard guard(mutex_);
    for (Entry& entry : retiring_) {
        if (entry.is_called_by(task))
            return true;
    }
    return false;
}

void Registry::reclaim(Entry& entry)
{
    {
        MutexGuard guard(mutex_);
        retiring_.remove(entry);
    }
    // No call runs any more: the count is final.
    retired_delivered_.add(entry.delivered.read());
    entry.destroy_after_grace_period();
    // Last: once the count is 0 the registry may go. The wake only uses
    // the address as a key. The full barrier orders the count before the
    // wake's check for sleepers.
    retiring_count_.fetch_sub(1, cxxrt::MemoryOrder::SequentiallyConsistent);
    cnxx_pf_wake(&retiring_count_);
}

u64 Registry::delivered() const
{
    u64 total = retired_delivered_.read();
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

void Registry::count_dropped(cnxx_cb_id id)
{
    RcuReadGuard rcu;
    if (Entry* entry = table_.find(id))
        entry->dropped.increment();
}

void Registry::count_send_error(const cnxx_cb_id& id, bool reply_dropped)
{
    RcuReadGuard rcu;
    if (Entry* entry = table_.find(id)) {
        entry->send_errors.increment();
        if (reply_dropped)
            entry->replies_dropped.increment();
    }
}

cxxrt::size_t Registry::longest_chain()
{
    MutexGuard guard(mutex_);
    return table_.longest_chain();
}

} // namespace cnxx
