// SPDX-License-Identifier: GPL-2.0
// Registry: the registered callbacks, found by id in O(1) from any context
// (an RCU hash table) and listed in registration order for readers of the
// statistics. Add and remove are serialized by a mutex and allocate before
// taking it; receive and send paths take no mutex at all.
#pragma once

#include "../../cxxrt/errno.h"
#include "../../cxxrt/intrusive_list.h"
#include "../../cxxrt/lock.h"
#include "../../cxxrt/rcu_hash.h"
#include "../../cxxrt/result.h"
#include "change_log.h"
#include "entry.h"

namespace cnxx {

using cxxrt::Result;

class Registry {
public:
    static constexpr u32 max_hash_bits = CNXX_MAX_HASH_BITS;

    Registry() = default;
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // Creates the lock and 1 << @hash_bits empty buckets.
    // -EINVAL for too many bits, -ENOMEM. May sleep.
    Result<void> init(u32 hash_bits);

    // Registers @callback for @id, logging the change.
    // -EINVAL if the id is taken, -ENOMEM. May sleep.
    Result<void> add(const cnxx_cb_id& id, const char* name, cnxx_callback_t callback);

    // What unlink() did: the entry it unlinked (or nullptr), held for the
    // caller, and the limit to hand to wait_retired().
    struct Unlinked {
        Entry* entry;
        u64 limit;
    };

    // Unlinks the live entry of @id, if any, so that lookups no longer
    // find it and no new call starts, logging the change; it joins the
    // retiring entries. The entry stays held, so that its logged change
    // stays valid, until the caller has published the changes and calls
    // release(); then wait_retired(). May sleep.
    Unlinked unlink(const cnxx_cb_id& id);

    // As unlink(), for the oldest live entry. nullptr when there is none.
    Entry* unlink_oldest(u64& limit);

    // Drops the hold of unlink() on @entry, freeing it if nothing else
    // holds it. May sleep.
    void release(Entry& entry);

    // Waits until no call runs, other than the current task's own, of any
    // entry with @id (every entry when @id is null) that retired up to
    // @limit: those unlinked by this remover and every earlier one that
    // still has calls, whoever unlinked it. A remover that is inside a call
    // of @id does not wait for calls whose tasks remove @id from inside a
    // call as well. Frees the entries it is the last to leave. May sleep.
    void wait_retired(const cnxx_cb_id* id, u64 limit);

    // Waits until every retiring entry has been freed (or handed to RCU):
    // for destruction, once no call can start any more. May sleep.
    void wait_all_reclaimed();

    // Whether the current task is inside a call of a callback that is
    // being removed. Cheap when no removal is under way. May sleep.
    bool current_call_is_retiring();

    // Calls the callback of @id with @message and @sender, holding no lock
    // during the call. -ENODEV if no live callback has that id. May sleep.
    // Inline: the receive path of every message. The call sits between two
    // scopes: the lookup, which takes a hold on the entry for the call, and
    // exit(), which drops it.
    Result<void> dispatch(const cnxx_cb_id& id, cn_msg* message, netlink_skb_parms* sender)
    {
        CXXRT_UNINITIALIZED CallFrame frame;
        Entry* entry;
        {
            // The lookup's RCU read section: the entry cannot be freed
            // until enter() holds it for the call.
            cxxrt::AtomicSection section;
            entry = table_.find(id);
            if (!entry)
                return cxxrt::Error::from_errno(ENODEV);
            frame.task = section.task();
            if (!entry->enter(frame, section)) {
                // Unlinked a moment ago and being removed.
                entry->dropped.increment();
                return cxxrt::Error::from_errno(ENODEV);
            }
        }
        // In no section: the callback may sleep, send, and add or remove
        // ids, its own included. The call's hold keeps the entry.
        cnxx_pf_invoke(entry->callback(), message, sender);
        // The last holder of a removed entry frees it; that takes the
        // registry's mutex.
        if (entry->exit(frame)) [[unlikely]]
            reclaim(*entry);
        return {};
    }

    // Messages handed to callbacks: the live entries' counts plus those of
    // freed entries. A snapshot; an entry being removed may be missed or
    // counted twice while it is. Never sleeps.
    u64 delivered() const;

    // The group of the callback registered for @id.
    // -ENODEV if none. Any context; never sleeps.
    Result<u32> group_of(const cnxx_cb_id& id) const;

    // Counts a message for @id that was not delivered, if @id is registered.
    // Any context; never sleeps.
    void count_dropped(cnxx_cb_id id);

    // Counts a failed send with @id, if @id is registered, and among
    // them a unicast dropped because the receiver was full (-EAGAIN).
    // Any context; never sleeps.
    void count_send_error(const cnxx_cb_id& id, bool reply_dropped);

    // Calls @visit(const Entry&) for each entry in registration order,
    // holding the mutex. @visit may sleep but must not call back in.
    template <typename Visitor>
    void for_each(Visitor&& visit)
    {
        cxxrt::MutexGuard guard(mutex_);
        for (const Entry& entry : order_)
            visit(entry);
    }

    // The number of registered callbacks (a snapshot). Never sleeps.
    cxxrt::size_t size() const { return table_.size(); }

    // The longest hash chain, to check the spread. May sleep.
    cxxrt::size_t longest_chain();

    // Registrations and removals not yet turned into notifications.
    ChangeLog& changes() { return changes_; }

private:
    using Table = cxxrt::RcuHashTable<Entry, EntryHashTraits>;

    // Moves @entry (unlinked, under mutex_) to the retiring list.
    void retire_locked(Entry& entry);

    // Marks or unmarks the calls of @task on every entry of @id as
    // removing it. Returns whether @task has such a call. Under mutex_.
    bool mark_removing_locked(const cnxx_cb_id& id, const task_struct* task, bool removing);

    // Frees a removed entry whose last holder left, keeping its count.
    // May sleep.
    void reclaim(Entry& entry);

    static bool all_reclaimed(const void* registry);

    cxxrt::Mutex mutex_;
    // Written under mutex_; read under RCU.
    Table table_;
    // Guarded by mutex_. An entry is on order_ while linked, then on
    // retiring_ (in retire_seq order) until it is freed.
    cxxrt::IntrusiveList<Entry, RegistrationOrderTag> order_;
    cxxrt::IntrusiveList<Entry, RegistrationOrderTag> retiring_;
    u64 retire_seq_ = 0;
    // How many entries are retiring, readable without the mutex.
    cxxrt::Atomic<u32> retiring_count_;
    ChangeLog changes_;
    // delivered of every freed entry.
    cxxrt::Counter retired_delivered_;
};

} // namespace cnxx
