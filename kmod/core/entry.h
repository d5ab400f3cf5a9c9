// SPDX-License-Identifier: GPL-2.0
// Entry: one registered callback, and how it outlives its removal while
// calls still run, with no lock held during a call.
//
// An entry is reference counted: the registry holds it while it is linked
// (then its unlinker, until the logged change is published), every running
// call holds it, and so does every remover waiting for those calls. The
// last holder frees it, after an RCU grace period, because a lookup may
// still hold a pointer to it. Every running call also has a CallFrame on
// its own stack, linked into the entry: that is how a remover tells its
// own calls, which it cannot wait for, from the others. One spinlock
// guards it all.
#pragma once

#include "../../cxxrt/atomic.h"
#include "../../cxxrt/intrusive_list.h"
#include "../../cxxrt/lock.h"
#include "../../cxxrt/rcu_hash.h"
#include "../../cxxrt/rcu_reclaim.h"
#include "../../cxxrt/types.h"
#include "change_log.h"
#include "cnxx_abi.h"

namespace cnxx {

using cxxrt::u32;
using cxxrt::u64;

// One running call of a callback; lives on the calling task's stack.
struct CallFrame : public cxxrt::ListNode<CallFrame> {
    const task_struct* task = nullptr; // current of the caller
    // Set while this call's task is itself inside a removal of the same id
    // (see Registry::wait_retired()). Under the entry's lock.
    bool removing = false;
};

struct RegistrationOrderTag;

class Entry : public cxxrt::RcuReclaimable<Entry>,
              public cxxrt::HashNode<Entry>,
              public cxxrt::ListNode<Entry, RegistrationOrderTag> {
public:
    Entry(const cnxx_cb_id& id, const char* name, cnxx_callback_t callback);
    ~Entry();

    const cnxx_cb_id& id() const { return id_; }
    const char* name() const { return name_; }
    u32 group() const { return id_.idx; }
    cnxx_callback_t callback() const { return callback_; }

    // Links @frame as a call about to run, holding the entry for it, and
    // counts it delivered; false if the entry is being removed. Inside the
    // atomic section @section that looked the entry up. Inline: every
    // message.
    bool enter(CallFrame& frame, const cxxrt::AtomicSection& section)
    {
        cxxrt::SpinlockGuard guard(lock_, section);
        if (dead_)
            return false;
        frames_.push_back(frame);
        // Not dead: the registry's hold remains, so this never revives a
        // count that reached 0.
        refs_.fetch_add(1, cxxrt::MemoryOrder::Relaxed);
        delivered.increment_serialized();
        return true;
    }

    // Unlinks @frame after its call returned and drops its hold. True if
    // it was the last: the caller must reclaim the entry. May wake
    // removers; never sleeps. Inline: every message.
    bool exit(CallFrame& frame)
    {
        bool dead;
        {
            cxxrt::AtomicSection section;
            cxxrt::SpinlockGuard guard(lock_, section);
            frames_.remove(frame);
            dead = dead_;
        }
        // A remover may wait for this call; the hold keeps the key alive.
        if (dead) [[unlikely]]
            cnxx_pf_wake(wait_key());
        return put();
    }

    // After the entry was unlinked: no call starts any more. The
    // registry's hold passes to the unlinker. Under the registry mutex.
    void mark_dead();

    // Takes a hold for a remover, unless the last holder already left (the
    // entry's calls are all over and it is on its way out).
    bool try_get();

    // Drops a hold. True if it was the last: the caller must reclaim it.
    // Release orders what the holder did to the entry before the free;
    // Acquire, in the last holder, pairs with it.
    bool put() { return refs_.fetch_sub(1, cxxrt::MemoryOrder::AcquireRelease) == 1; }

    // Waits until the only calls left are those of @task and, when
    // @skip_removing, those marked removing. The caller holds the entry.
    // May sleep.
    void wait_for_calls(const task_struct* task, bool skip_removing);

    // Marks (or unmarks) the calls of @task as removing this id, waking
    // removers that may be waiting for them. Returns whether @task has a
    // call here. Under the registry mutex.
    bool mark_removing(const task_struct* task, bool removing);

    // Whether @task is running a call of this entry. Never sleeps.
    bool is_called_by(const task_struct* task);

    // Set by the registry, under its mutex, when the entry starts retiring:
    // removers wait only for entries that retired before they started.
    u64 retire_seq = 0;

    cxxrt::Counter delivered;       // messages handed to the callback; under the lock
    cxxrt::Counter dropped;         // messages for this id not delivered
    cxxrt::Counter send_errors;     // failed sends with this id
    cxxrt::Counter replies_dropped; // unicasts with this id dropped: receiver full

    Change registered;   // queued when added
    Change unregistered; // queued when removed

private:
    // The key removers sleep on; only its address matters.
    const void* wait_key() const { return &frames_; }

    static bool calls_drained(const void* condition);

    const cnxx_cb_id id_;
    char name_[CNXX_NAME_LEN];
    const cnxx_callback_t callback_;

    // Guards dead_, frames_ and each frame's removing.
    cxxrt::Spinlock lock_;
    bool dead_ = false; // unlinked: no call starts
    cxxrt::IntrusiveList<CallFrame> frames_;
    cxxrt::Atomic<u32> refs_{ 1 }; // holders; 0 once the last left
};

// How the registry's hash table finds entries.
struct EntryHashTraits {
    using Key = cnxx_cb_id;

    static Key key_of(const Entry& entry) { return entry.id(); }

    // An id is one 64-bit word: one compare, one multiply.
    static u64 word(const Key& key)
    {
        u64 word;
        __builtin_memcpy(&word, &key, sizeof(word));
        return word;
    }
    static bool equal(const Key& a, const Key& b) { return word(a) == word(b); }

    // Ids are often small integers in both halves. Multiplying by 2^64
    // divided by the golden ratio (the kernel's hash_64()) spreads them
    // over the top bits, which pick the bucket.
    static u64 hash(const Key& key) { return word(key) * 0x61c8864680b583ebULL; }
};

} // namespace cnxx
