// SPDX-License-Identifier: GPL-2.0
// Callbacks run without locks, yet cn_del_callback() waits for them: the
// in-flight protocol of the registry entries.
#include "harness.h"

#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace test {
namespace {

using namespace std::chrono_literals;

// An ordered record of what happened, across threads.
class Events {
public:
    void add(const std::string& event)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        events_.push_back(event);
    }
    std::vector<std::string> get()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return events_;
    }

private:
    std::mutex mutex_;
    std::vector<std::string> events_;
};

void wait_for(const std::function<bool()>& condition)
{
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!condition()) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "timed out";
        std::this_thread::sleep_for(1ms);
    }
}

// Delivers one message to @idx:@val on a thread of its own, straight to
// the core: the thread may outlive the test's Core wrapper.
std::thread receive_in_thread(cnxx_core* core, std::uint32_t idx, std::uint32_t val)
{
    return std::thread([core, idx, val] { deliver(core, idx, val); });
}

// Opens @gate 50 ms from now: time for a remover to start waiting.
std::thread open_later(Gate& gate)
{
    return std::thread([&gate] {
        std::this_thread::sleep_for(50ms);
        gate.open();
    });
}

// What a callback that removal must wait for does: blocks until @release
// opens, then runs on a little, so that a remover returning early shows.
void block_until(Gate& release)
{
    release.wait();
    std::this_thread::sleep_for(20ms);
}

// A removal on a thread of its own, which the test expects to wait.
class PendingRemoval {
public:
    explicit PendingRemoval(std::function<void()> remove)
        : thread_([this, remove] {
            remove();
            returned_ = true;
        })
    {
    }

    // Whether it returned within 100 ms, while the call it must wait for
    // is still blocked.
    bool returns_early()
    {
        std::this_thread::sleep_for(100ms);
        return returned_.load();
    }

    void join()
    {
        if (thread_.joinable())
            thread_.join();
    }

    ~PendingRemoval() { join(); }

private:
    std::atomic<bool> returned_{ false };
    std::thread thread_;
};

// A call of @id running on a task of its own, blocked until finish(). With
// RemovesItself, the callback first removed its own id. It records
// "callback returns" in events as it returns.
class BlockedCall {
public:
    enum Kind { Plain, RemovesItself };

    BlockedCall(Core& core, std::uint32_t id, Kind kind)
    {
        EXPECT_EQ(core.add(id, id), 0);
        cnxx_core* raw = core.get();
        set_handler(id, id, [this, raw, kind](cn_msg* msg, Sender*) {
            if (kind == RemovesItself) {
                EXPECT_EQ(cnxx_core_del(raw, id_of(msg)), 0);
            }
            entered_ = true;
            block_until(release_);
            events.add("callback returns");
        });
        thread_ = receive_in_thread(raw, id, id);
        wait_for([&] { return entered_.load(); });
    }

    // The gate the call waits at, for open_later().
    Gate& release() { return release_; }

    // Lets the call return and waits until it has.
    void finish()
    {
        release_.open();
        if (thread_.joinable())
            thread_.join();
    }

    ~BlockedCall() { finish(); }

    Events events;

private:
    Gate release_;
    std::atomic<bool> entered_{ false };
    std::thread thread_;
};

class Lifetime : public CoreTest {};

TEST_F(Lifetime, DeleteWaitsForARunningCallback)
{
    Core core;
    BlockedCall call(core, 1, BlockedCall::Plain);
    PendingRemoval remover([&] {
        EXPECT_EQ(core.del(1, 1), 0);
        call.events.add("del returns");
    });
    // Unlinked at once: no new call starts and sends find no route...
    wait_for([&] { return core.stats().callbacks == 0; });
    std::uint32_t dst = 0;
    EXPECT_EQ(core.route(cn_message(1, 1), &dst), -ENODEV);
    Bytes again = netlink(cn_message(1, 1), NLM_F_ACK);
    core.receive(again);
    ASSERT_EQ(core.recorder().acks().size(), 1u);
    EXPECT_EQ(core.recorder().acks()[0].err, -ENODEV);
    // ...but del itself waits for the running call.
    EXPECT_FALSE(remover.returns_early());

    call.finish();
    remover.join();
    EXPECT_EQ(call.events.get(), (std::vector<std::string>{ "callback returns", "del returns" }));
    EXPECT_EQ(deliveries(1, 1), 1u);
}

TEST_F(Lifetime, DeleteWaitsForEveryConcurrentCall)
{
    Core core;
    ASSERT_EQ(core.add(1, 1), 0);
    Gate release;
    std::atomic<int> inside{ 0 };
    std::atomic<int> returned{ 0 };
    set_handler(1, 1, [&](cn_msg*, Sender*) {
        ++inside;
        block_until(release);
        ++returned;
    });
    std::vector<std::thread> receivers;
    for (int i = 0; i < 4; ++i)
        receivers.push_back(receive_in_thread(core.get(), 1, 1));
    wait_for([&] { return inside.load() == 4; });
    std::thread opener = open_later(release);
    EXPECT_EQ(core.del(1, 1), 0);
    EXPECT_EQ(returned.load(), 4);
    opener.join();
    for (auto& receiver : receivers)
        receiver.join();
}

TEST_F(Lifetime, CallbackRemovesItsOwnId)
{
    Core core;
    ASSERT_EQ(core.add(2, 2), 0);
    int result = 1;
    set_handler(2, 2, [&](cn_msg* msg, Sender*) {
        result = cnxx_core_del(core.get(), id_of(msg));
        // The entry must outlive this call: give an early free time to
        // happen, so that ASan would see the core touch freed memory.
        std::this_thread::sleep_for(30ms);
        fake::rcu_barrier();
    });
    Bytes buffer = netlink(cn_message(2, 2), NLM_F_ACK);
    core.receive(buffer);
    EXPECT_EQ(result, 0);
    EXPECT_EQ(core.stats().callbacks, 0u);
    ASSERT_EQ(core.recorder().acks().size(), 1u);
    EXPECT_EQ(core.recorder().acks()[0].err, 0);
    core.receive(buffer);
    EXPECT_EQ(core.recorder().acks()[1].err, -ENODEV);
    EXPECT_EQ(deliveries(2, 2), 1u);
    EXPECT_EQ(core.add(2, 2), 0); // the id is free again
}

// A call of @running blocks on another task while the test's task, inside
// a call of @remover, removes @running: the removal returns only after
// that other call. @remover may be @running itself: a callback that
// removes its own id still waits for its calls on other tasks.
void expect_removal_inside_a_call_waits(Core& core, std::uint32_t running, std::uint32_t remover)
{
    ASSERT_EQ(core.add(running, running), 0);
    if (remover != running) {
        ASSERT_EQ(core.add(remover, remover), 0);
    }
    Gate release;
    Events events;
    std::atomic<bool> entered{ false };
    const auto test_thread = std::this_thread::get_id();
    const Handler handler = [&](cn_msg*, Sender*) {
        if (std::this_thread::get_id() != test_thread) {
            entered = true;
            block_until(release);
            events.add("other call returns");
            return;
        }
        std::thread opener = open_later(release);
        EXPECT_EQ(core.del(running, running), 0);
        events.add("del returns");
        opener.join();
    };
    set_handler(running, running, handler);
    set_handler(remover, remover, handler);
    std::thread other = receive_in_thread(core.get(), running, running);
    wait_for([&] { return entered.load(); });
    core.deliver(remover, remover);
    other.join();
    EXPECT_EQ(events.get(), (std::vector<std::string>{ "other call returns", "del returns" }));
}

TEST_F(Lifetime, SelfRemovalStillWaitsForOtherTasks)
{
    Core core;
    expect_removal_inside_a_call_waits(core, 3, 3);
}

TEST_F(Lifetime, CallbackRemovesAnIdRunningElsewhere)
{
    Core core;
    expect_removal_inside_a_call_waits(core, 7, 8);
}

TEST_F(Lifetime, CallbackAddsAndRemovesOtherIds)
{
    Core core;
    ASSERT_EQ(core.add(4, 4), 0);
    ASSERT_EQ(core.add(6, 6), 0);
    set_handler(4, 4, [&](cn_msg*, Sender*) {
        EXPECT_EQ(core.add(5, 5), 0);
        EXPECT_EQ(core.del(6, 6), 0);
        EXPECT_EQ(core.del(6, 6), -ENOENT);
        // And a send from inside the callback.
        std::uint32_t dst = 0;
        EXPECT_EQ(core.route(cn_message(5, 5), &dst), 0);
        EXPECT_EQ(dst, 5u);
        // Dispatching another message from inside a callback also works.
        deliver(core.get(), 5, 5);
    });
    core.deliver(4, 4);
    EXPECT_EQ(deliveries(5, 5), 1u);
    core.deliver(6, 6);
    EXPECT_EQ(deliveries(6, 6), 0u);
    EXPECT_EQ(core.stats().callbacks, 2u);
}

TEST_F(Lifetime, NestedCallsOfOneTaskFreeOnce)
{
    // A callback that dispatches its own id again and removes it in the
    // inner call: two frames of one task, the outer one frees.
    Core core;
    ASSERT_EQ(core.add(9, 9), 0);
    int depth = 0;
    set_handler(9, 9, [&](cn_msg* msg, Sender*) {
        if (++depth == 1) {
            deliver(core.get(), 9, 9);
        } else {
            EXPECT_EQ(cnxx_core_del(core.get(), id_of(msg)), 0);
        }
    });
    core.deliver(9, 9);
    EXPECT_EQ(depth, 2);
    EXPECT_EQ(core.stats().callbacks, 0u);
}

// The hole of a delete that found its id already unlinked: a callback
// removed its own id and still runs; the module's exit then removes the
// same id and must wait for that call, or its text goes under it.
TEST_F(Lifetime, DeleteOfASelfRemovedIdWaitsForTheCall)
{
    Core core;
    BlockedCall call(core, 10, BlockedCall::RemovesItself);
    PendingRemoval remover([&] {
        EXPECT_EQ(core.del(10, 10), -ENOENT);
        call.events.add("del returns");
    });
    EXPECT_FALSE(remover.returns_early()) << "del returned while the self-removed callback runs";
    call.finish();
    remover.join();
    EXPECT_EQ(call.events.get(), (std::vector<std::string>{ "callback returns", "del returns" }));
}

TEST_F(Lifetime, ConcurrentDeletersOfOneIdBothWait)
{
    Core core;
    BlockedCall call(core, 11, BlockedCall::Plain);
    std::atomic<int> results[2] = { { 1 }, { 1 } };
    const auto remove = [&](int i) {
        results[i] = core.del(11, 11);
        call.events.add("del returns");
    };
    PendingRemoval first([&] { remove(0); });
    PendingRemoval second([&] { remove(1); });
    EXPECT_FALSE(first.returns_early());
    EXPECT_FALSE(second.returns_early());
    call.finish();
    first.join();
    second.join();
    EXPECT_EQ(call.events.get(),
        (std::vector<std::string>{ "callback returns", "del returns", "del returns" }));
    // One of them unlinked it.
    EXPECT_EQ(results[0] + results[1], -ENOENT);
}

// Re-added meanwhile: a delete unlinks the new entry and waits for the
// calls of both, the old one removed by someone else and the new one.
TEST_F(Lifetime, DeleteAfterReAddWaitsForOldAndNewCalls)
{
    Core core;
    ASSERT_EQ(core.add(12, 12), 0);
    Gate release_old, release_new;
    std::atomic<int> entered{ 0 };
    std::atomic<int> returned{ 0 };
    std::atomic<int> generation{ 0 };
    set_handler(12, 12, [&](cn_msg*, Sender*) {
        const int mine = generation.load();
        ++entered;
        (mine == 0 ? release_old : release_new).wait();
        ++returned;
    });
    std::thread old_call = receive_in_thread(core.get(), 12, 12);
    wait_for([&] { return entered.load() == 1; });
    // A first remover unlinks the old entry and waits for its call.
    std::thread first_remover([&] { EXPECT_EQ(core.del(12, 12), 0); });
    wait_for([&] { return core.stats().callbacks == 0; });
    generation = 1;
    ASSERT_EQ(core.add(12, 12), 0);
    std::thread new_call = receive_in_thread(core.get(), 12, 12);
    wait_for([&] { return entered.load() == 2; });

    PendingRemoval second_remover([&] { EXPECT_EQ(core.del(12, 12), 0); });
    release_new.open();
    new_call.join();
    EXPECT_FALSE(second_remover.returns_early()) << "del returned while the old entry's call runs";
    release_old.open();
    second_remover.join();
    first_remover.join();
    old_call.join();
    EXPECT_EQ(returned.load(), 2);
    EXPECT_EQ(core.stats().callbacks, 0u);
}

// Once a removal is pending, a reply from inside that callback must not
// wait for a slow receiver; otherwise it may.
TEST_F(Lifetime, RepliesDoNotBlockOnceRemovalIsPending)
{
    Core core;
    ASSERT_EQ(core.add(13, 13), 0);
    ASSERT_EQ(core.add(14, 14), 0);
    Gate removal_started;
    std::vector<bool> may_block;
    set_handler(13, 13, [&](cn_msg*, Sender*) {
        may_block.push_back(cnxx_core_reply_may_block(core.get()));
        removal_started.wait();
        may_block.push_back(cnxx_core_reply_may_block(core.get()));
    });
    std::thread receiver = receive_in_thread(core.get(), 13, 13);
    wait_for([&] { return may_block.size() == 1; });
    EXPECT_TRUE(cnxx_core_reply_may_block(core.get())); // not inside a call
    std::thread remover([&] { EXPECT_EQ(core.del(13, 13), 0); });
    wait_for([&] { return core.stats().callbacks == 1; });
    // Other callbacks are not affected.
    bool other = false;
    set_handler(14, 14, [&](cn_msg*, Sender*) { other = cnxx_core_reply_may_block(core.get()); });
    core.deliver(14, 14);
    EXPECT_TRUE(other);
    removal_started.open();
    remover.join();
    receiver.join();
    EXPECT_EQ(may_block, (std::vector<bool>{ true, false }));

    // A reply dropped at a full receiver is counted for its id.
    const cnxx_cb_id id = { 14, 14 };
    cnxx_core_send_failed(core.get(), &id, -EAGAIN);
    cnxx_core_send_failed(core.get(), &id, -ENOMEM);
    std::vector<cnxx_cb_info> infos;
    cnxx_core_for_each(
        core.get(),
        [](void* arg, const cnxx_cb_info* info) {
            static_cast<std::vector<cnxx_cb_info>*>(arg)->push_back(*info);
        },
        &infos);
    ASSERT_EQ(infos.size(), 1u);
    EXPECT_EQ(infos[0].replies_dropped, 1u);
    EXPECT_EQ(infos[0].send_errors, 2u);
}

// Destroying a core waits for a call of an id its callback removed.
TEST_F(Lifetime, DestroyWaitsForSelfRemovedCalls)
{
    auto core = std::make_unique<Core>();
    BlockedCall call(*core, 15, BlockedCall::RemovesItself);
    std::thread opener = open_later(call.release());
    core.reset();
    EXPECT_EQ(call.events.get(), (std::vector<std::string>{ "callback returns" }));
    opener.join();
}

} // namespace
} // namespace test
