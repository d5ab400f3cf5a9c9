// SPDX-License-Identifier: GPL-2.0
#include "entry.h"

#include "../../cxxrt/assert.h"
#include "../../cxxrt/lock.h"
#include "wire.h"

namespace cnxx {

using cxxrt::AtomicSection;
using cxxrt::MemoryOrder;
using cxxrt::SpinlockGuard;

Entry::Entry(const cnxx_cb_id& id, const char* name, cnxx_callback_t callback)
    : id_(id)
    , callback_(callback)
    , lock_(cnxx_entry_lock_class)
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
    SpinlockGuard guard(lock_, section);
    ASSERT(!dead_);
    dead_ = true;
}

bool Entry::try_get()
{
    u32 refs = refs_.load(MemoryOrder::Relaxed);
    do {
        if (refs == 0)
            return false;
    } while (!refs_.compare_exchange_weak(refs, refs + 1, MemoryOrder::Relaxed));
    return true;
}

bool Entry::is_called_by(const task_struct* task)
{
    AtomicSection section;
    SpinlockGuard guard(lock_, section);
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
        SpinlockGuard guard(lock_, section);
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
    Entry& entry = *drain->entry;
    // The task's own calls are below it on its stack: they cannot end
    // while it waits. Wakers change the frames under this lock.
    AtomicSection section;
    SpinlockGuard guard(entry.lock_, section);
    for (CallFrame& frame : entry.frames_) {
        if (frame.task != drain->task && !(drain->skip_removing && frame.removing))
            return false;
    }
    return true;
}

void Entry::wait_for_calls(const task_struct* task, bool skip_removing)
{
    const DrainCondition condition{ this, task, skip_removing };
    cnxx_pf_wait(wait_key(), &Entry::calls_drained, &condition);
}

} // namespace cnxx
