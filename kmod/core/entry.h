// SPDX-License-Identifier: GPL-2.0
// Entry: one registered callback, and the protocol that lets it run with no
// lock held while cn_del_callback() can still wait for it.
//
// Every running call has a CallFrame on its own stack, linked into the
// entry under the entry's bit lock. Removal marks the entry dead under the
// same lock, so no call starts after that, and moves it to the registry's
// list of retiring entries. Any number of removers may then wait on it
// (each registered as a waiter), each until the only frames left are its
// own: a callback that removes its own id cannot wait for itself. A remover
// that is itself inside a call of the id does not wait either for calls
// whose tasks remove the id from inside a call too: they would wait for
// each other. Whoever
// leaves last - the last call or the last waiter - claims the entry and
// frees it, after an RCU grace period, because a lookup may still hold a
// pointer to it.
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
    explicit CallFrame(const task_struct* task) : task(task) {}
    const task_struct* const task; // current of the caller
    // Set, under the entry's lock, while this call's task is itself inside
    // a removal of the same id (see Registry::wait_retired()).
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

    // Registers @frame as a call about to run, and counts it delivered,
    // unless the entry is being removed. In the atomic section @section
    // that looked the entry up. Inline: it runs for every message.
    bool enter(CallFrame& frame, const cxxrt::AtomicSection& section)
    {
        cxxrt::BitLockGuard guard(lock_word_, section);
        if (dead_)
            return false;
        frames_.push_back(frame);
        // Both written only under the lock: plain stores, no locked
        // instruction. A remover reads in_flight_ only after mark_dead(),
        // whose lock orders it after this.
        in_flight_.store(
            in_flight_.load(cxxrt::MemoryOrder::Relaxed) + 1, cxxrt::MemoryOrder::Relaxed);
        delivered.increment_serialized();
        return true;
    }

    enum class Exit {
        Done,    // nothing left to do
        Wake,    // a remover may be waiting: wake it
        Reclaim, // the caller was the last call of a removed entry: free it
    };

    // Unregisters @frame after its call returned, and says what the caller
    // must do. Call it inside an atomic section and wake before leaving it.
    Exit exit(CallFrame& frame, const cxxrt::AtomicSection& section)
    {
        cxxrt::BitLockGuard guard(lock_word_, section);
        frames_.remove(frame);
        const u32 left = in_flight_.load(cxxrt::MemoryOrder::Relaxed) - 1;
        if (!dead_) {
            // A later mark_dead() takes the lock after this: no barrier.
            in_flight_.store(left, cxxrt::MemoryOrder::Relaxed);
            return Exit::Done;
        }
        // A remover may be reading the count without the lock. Release
        // pairs with its Acquire (what the call did to the entry happens
        // before a free); the full barrier orders the count before the
        // wake's check for sleepers, as cnxx_pf_wait() needs.
        in_flight_.store(left, cxxrt::MemoryOrder::Release);
        cxxrt::atomic_thread_fence(cxxrt::MemoryOrder::SequentiallyConsistent);
        if (left == 0 && waiters_ == 0 && !claimed_) {
            claimed_ = true;
            return Exit::Reclaim;
        }
        return Exit::Wake;
    }

    // Removal, after the entry was unlinked: no new call starts, and the
    // unlinker holds the entry as a waiter until it calls remove_waiter().
    void mark_dead();

    // Registers a remover waiting for the calls, so that nobody frees the
    // entry meanwhile. False if the entry is already claimed: its calls are
    // all over.
    bool add_waiter();

    // Waits until the only calls left are those of @task and, when
    // @skip_removing, those marked removing. Only between add_waiter() and
    // remove_waiter(). May sleep.
    void wait_for_calls(const task_struct* task, bool skip_removing);

    // Marks (or unmarks) the calls of @task as removing this id, waking
    // removers that may be waiting for them. Returns whether @task has a
    // call here. Under the registry mutex.
    bool mark_removing(const task_struct* task, bool removing);

    // Ends add_waiter(). True if the caller was the last to leave a dead
    // entry and now owns it: it must reclaim it.
    bool remove_waiter();

    // Whether @task is running a call of this entry. Never sleeps.
    bool is_called_by(const task_struct* task);

    // Set by the registry, under its mutex, when the entry starts retiring:
    // removers wait only for entries that retired before they started.
    u64 retire_seq = 0;

    // The key removers sleep on; only its address matters.
    const void* wait_key() const { return &in_flight_; }

    cxxrt::Counter delivered;       // messages handed to the callback; under the lock
    cxxrt::Counter dropped;         // messages for this id not delivered
    cxxrt::Counter send_errors;     // failed sends with this id
    cxxrt::Counter replies_dropped; // unicasts with this id dropped: receiver full

    Change registered;   // queued when added
    Change unregistered; // queued when removed

private:
    static bool calls_drained(const void* condition);
    bool drained(const task_struct* task, bool skip_removing);

    const cnxx_cb_id id_;
    char name_[CNXX_NAME_LEN];
    const cnxx_callback_t callback_;

    // Guards dead_, claimed_, waiters_ and frames_.
    unsigned long lock_word_ = 0;
    bool dead_ = false;
    bool claimed_ = false; // the last to leave is freeing it
    u32 waiters_ = 0;      // removers between add_waiter() and remove_waiter()
    cxxrt::IntrusiveList<CallFrame> frames_;
    // How many frames are linked, readable without the lock by a waiting
    // remover.
    cxxrt::Atomic<u32> in_flight_;
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
