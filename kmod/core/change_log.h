// SPDX-License-Identifier: GPL-2.0
// ChangeLog: registrations and unregistrations in the order the registry
// made them, waiting to be turned into notifications. The registry appends
// under its own mutex, the notifier takes under its mutex; the log's bit
// lock lets the two mutexes stay unnested while the order is kept.
#pragma once

#include "../../cxxrt/intrusive_list.h"
#include "../../cxxrt/lock.h"
#include "../../cxxrt/types.h"
#include "cnxx_abi.h"

namespace cnxx {

// One registry change. Lives inside the callback entry it describes, which
// is not freed before the change has been taken and handled.
struct Change : public cxxrt::ListNode<Change> {
    cnxx_cb_id id = {};
    cxxrt::u32 ack = 0; // CN_NOTIFY_REGISTERED or CN_NOTIFY_UNREGISTERED
};

class ChangeLog {
public:
    ChangeLog() = default;
    ChangeLog(const ChangeLog&) = delete;
    ChangeLog& operator=(const ChangeLog&) = delete;

    // Appends @change; it must not be in the log already.
    // Never sleeps, never fails.
    void append(Change& change)
    {
        cxxrt::AtomicSection section;
        cxxrt::BitLockGuard guard(lock_word_, section);
        changes_.push_back(change);
    }

    // Removes and returns the oldest change, or nullptr.
    // Never sleeps.
    Change* take_oldest()
    {
        cxxrt::AtomicSection section;
        cxxrt::BitLockGuard guard(lock_word_, section);
        return changes_.pop_front();
    }

private:
    unsigned long lock_word_ = 0;
    cxxrt::IntrusiveList<Change> changes_;
};

} // namespace cnxx
