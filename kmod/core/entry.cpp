// SPDX-License-Identifier: GPL-2.0
#include "entry.h"

#include "../../cxxrt/assert.h"
#include "../../cxxrt/lock.h"
#include "wire.h"

namespace cnxx {

using cxxrt::AtomicSection;
using cxxrt::BitLockGuard;
using cxxrt::MemoryOrder;

Entry::Entry(const cnxx_cb_id& id, const char* name, cnxx_callback_t callback)
    : id_(id)
    , callback_(callback)
{
    // snprintf("%s") into char[CNXX_NAME_LEN]: truncate, always terminate.
    cxxrt::size_t length = 0;
    for (; length < CNXX_NAME_LEN - 1 && name[length]; ++length)
        name_[length] = name[length];
    for (; length < CNXX_NAME_LEN; ++length)
        name_[length] = '\0';

    registered.id = id;
    registered.ack = CN_NOTIFY_REGISTERED;
    unregistered.id = id;
    unregistered.ack = CN_NOTIFY_UNREGISTERED;
}

Entry::~Entry()
{
    ASSERT(frames_.is_empty());
    ASSERT(!registered.is_linked());
    ASSERT(!unregistered.is_linked());
}

void Entry::mark_dead()
{
    AtomicSection section;
    BitLockGuard guard(lock_word_, section);
    ASSERT(!dead_);
    dead_ = true;
    // The unlinker's hold, taken with the same lock so that no call can
    // claim the entry in between: its logged change must stay readable.
    ++waiters_;
}

bool Entry::add_waiter()
{
    AtomicSection section;
    BitLockGuard guard(lock_word_, section);
    ASSERT(dead_);
    if (claimed_)
        return false;
    ++waiters_;
    return true;
}

bool Entry::remove_waiter()
{
    AtomicSection section;
    BitLockGuard guard(lock_word_, section);
    ASSERT(waiters_ > 0);
    --waiters_;
    if (waiters_ > 0 || claimed_ || in_flight_.load(MemoryOrder::Relaxed) > 0)
        return false;
    claimed_ = true;
    return true;
}

bool Entry::is_called_by(const task_struct* task)
{
    AtomicSection section;
    BitLockGuard guard(lock_word_, section);
    for (CallFrame& frame : frames_) {
        if (frame.task == task)
            return true;
    }
    return false;
}

bool Entry::mark_removing(const task_struct* task, bool removing)
{
    bool found = false;
    {
        AtomicSection section;
        BitLockGuard guard(lock_word_, section);
        for (CallFrame& frame : frames_) {
            if (frame.task == task) {
                frame.removing = removing;
                found = true;
            }
        }
    }
    // A remover of the same id may be waiting for exactly these calls.
    if (found)
        cnxx_pf_wake(wait_key());
    return found;
}

bool Entry::drained(const task_struct* task, bool skip_removing)
{
    // The task's own calls are below it on its stack: they cannot end
    // while it waits. Under the lock, which also orders what each ended
    // call did to the entry before the remover frees it.
    AtomicSection section;
    BitLockGuard guard(lock_word_, section);
    for (CallFrame& frame : frames_) {
        if (frame.task != task && !(skip_removing && frame.removing))
            return false;
    }
    return true;
}

namespace {

struct DrainCondition {
    Entry* entry;
    const task_struct* task;
    bool skip_removing;
};

} // namespace

bool Entry::calls_drained(const void* condition)
{
    const auto* drain = static_cast<const DrainCondition*>(condition);
    return drain->entry->drained(drain->task, drain->skip_removing);
}

void Entry::wait_for_calls(const task_struct* task, bool skip_removing)
{
    const DrainCondition condition{ this, task, skip_removing };
    // No new frame can appear (dead_); a waker changes the frames under
    // the lock that calls_drained() takes.
    cnxx_pf_wait(wait_key(), &Entry::calls_drained, &condition);
}

} // namespace cnxx
