// SPDX-License-Identifier: GPL-2.0
#include "entry.h"

#include "../../cxxrt/assert.h"
#include "../../cxxrt/lock.h"
#include "wire.h"

namespace cnxx {

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
    registered.ack = wire::notify_registered;
    unregistered.id = id;
    unregistered.ack = wire::notify_unregistered;
}

Entry::~Entry()
{
    ASSERT(frames_.is_empty());
    ASSERT(!registered.is_linked());
    ASSERT(!unregistered.is_linked());
}

u32 Entry::mark_dead(const void* task)
{
    BitLockGuard guard(lock_word_);
    ASSERT(!dead_);
    dead_ = true;
    u32 own_calls = 0;
    for (CallFrame& frame : frames_) {
        if (frame.task == task)
            ++own_calls;
    }
    // The remover's own calls are below it on its stack: they end after
    // it returns, and the last of them frees the entry.
    reclaim_by_last_call_ = own_calls > 0;
    return own_calls;
}

namespace {

struct DrainCondition {
    const cxxrt::Atomic<u32>* in_flight;
    u32 own_calls;
};

} // namespace

bool Entry::calls_drained(const void* condition)
{
    const auto* drain = static_cast<const DrainCondition*>(condition);
    // Acquire: pairs with the exit of each call, so everything those calls
    // did to the entry happened before the remover frees it.
    return drain->in_flight->load(MemoryOrder::Acquire) == drain->own_calls;
}

void Entry::wait_for_calls(u32 own_calls)
{
    const DrainCondition condition{ &in_flight_, own_calls };
    // No new frame can appear (dead_), and the own ones cannot leave while
    // their task is here, so the count only falls towards own_calls.
    cnxx_pf_wait(wait_key(), &Entry::calls_drained, &condition);
}

} // namespace cnxx
