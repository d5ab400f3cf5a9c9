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

class Lifetime : public CoreTest {};

TEST_F(Lifetime, DeleteWaitsForARunningCallback)
{
    Core core;
    ASSERT_EQ(core.add(1, 1), 0);
    Gate release;
    Events events;
    std::atomic<bool> entered{ false };
    set_handler(1, 1, [&](cn_msg*, Sender*) {
        entered = true;
        release.wait();
        std::this_thread::sleep_for(20ms);
        events.add("callback returns");
    });

    std::thread receiver([&] {
        Bytes buffer = netlink(cn_message(1, 1));
        core.receive(buffer);
    });
    wait_for([&] { return entered.load(); });

    std::atomic<bool> deleted{ false };
    std::thread remover([&] {
        EXPECT_EQ(core.del(1, 1), 0);
        events.add("del returns");
        deleted = true;
    });
    // Unlinked at once: no new call starts and sends find no route...
    wait_for([&] { return core.stats().callbacks == 0; });
    std::uint32_t dst = 0;
    EXPECT_EQ(core.route(cn_message(1, 1), 0, 0, 0, &dst), -ENODEV);
    Bytes again = netlink(cn_message(1, 1), NLM_F_ACK);
    core.receive(again);
    ASSERT_EQ(core.recorder().acks().size(), 1u);
    EXPECT_EQ(core.recorder().acks()[0].err, -ENODEV);
    // ...but del itself waits for the running call.
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(deleted.load());

    release.open();
    receiver.join();
    remover.join();
    EXPECT_EQ(events.get(), (std::vector<std::string>{ "callback returns", "del returns" }));
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
        release.wait();
        std::this_thread::sleep_for(5ms);
        ++returned;
    });
    std::vector<std::thread> receivers;
    for (int i = 0; i < 4; ++i) {
        receivers.emplace_back([&] {
            Bytes buffer = netlink(cn_message(1, 1));
            core.receive(buffer);
        });
    }
    wait_for([&] { return inside.load() == 4; });
    std::thread opener([&] {
        std::this_thread::sleep_for(50ms);
        release.open();
    });
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

TEST_F(Lifetime, SelfRemovalStillWaitsForOtherTasks)
{
    Core core;
    ASSERT_EQ(core.add(3, 3), 0);
    Gate release;
    Events events;
    std::atomic<bool> blocked_entered{ false };
    const auto main_thread = std::this_thread::get_id();
    set_handler(3, 3, [&](cn_msg* msg, Sender*) {
        if (std::this_thread::get_id() != main_thread) {
            blocked_entered = true;
            release.wait();
            std::this_thread::sleep_for(20ms);
            events.add("other call returns");
            return;
        }
        std::thread opener([&] {
            std::this_thread::sleep_for(50ms);
            release.open();
        });
        EXPECT_EQ(cnxx_core_del(core.get(), id_of(msg)), 0);
        events.add("self del returns");
        opener.join();
    });
    std::thread other([&] {
        Bytes buffer = netlink(cn_message(3, 3));
        core.receive(buffer);
    });
    wait_for([&] { return blocked_entered.load(); });
    Bytes buffer = netlink(cn_message(3, 3));
    core.receive(buffer);
    other.join();
    EXPECT_EQ(events.get(), (std::vector<std::string>{ "other call returns", "self del returns" }));
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
        EXPECT_EQ(core.route(cn_message(5, 5), 0, 0, 0, &dst), 0);
        EXPECT_EQ(dst, 5u);
        // Dispatching another message from inside a callback also works.
        Bytes nested = netlink(cn_message(5, 5));
        cnxx_core_receive(core.get(), nested.data(), nested.size(), nullptr, nullptr);
    });
    Bytes buffer = netlink(cn_message(4, 4));
    core.receive(buffer);
    EXPECT_EQ(deliveries(5, 5), 1u);
    Bytes to_removed = netlink(cn_message(6, 6));
    core.receive(to_removed);
    EXPECT_EQ(deliveries(6, 6), 0u);
    EXPECT_EQ(core.stats().callbacks, 2u);
}

TEST_F(Lifetime, CallbackRemovesAnIdRunningElsewhere)
{
    Core core;
    ASSERT_EQ(core.add(7, 7), 0);
    ASSERT_EQ(core.add(8, 8), 0);
    Gate release;
    Events events;
    std::atomic<bool> entered{ false };
    set_handler(7, 7, [&](cn_msg*, Sender*) {
        entered = true;
        release.wait();
        std::this_thread::sleep_for(20ms);
        events.add("7 returns");
    });
    set_handler(8, 8, [&](cn_msg*, Sender*) {
        std::thread opener([&] {
            std::this_thread::sleep_for(50ms);
            release.open();
        });
        EXPECT_EQ(core.del(7, 7), 0);
        events.add("del 7 returns");
        opener.join();
    });
    std::thread receiver([&] {
        Bytes buffer = netlink(cn_message(7, 7));
        core.receive(buffer);
    });
    wait_for([&] { return entered.load(); });
    Bytes buffer = netlink(cn_message(8, 8));
    core.receive(buffer);
    receiver.join();
    EXPECT_EQ(events.get(), (std::vector<std::string>{ "7 returns", "del 7 returns" }));
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
            Bytes inner = netlink(cn_message(9, 9));
            cnxx_core_receive(core.get(), inner.data(), inner.size(), nullptr, nullptr);
        } else {
            EXPECT_EQ(cnxx_core_del(core.get(), id_of(msg)), 0);
        }
    });
    Bytes buffer = netlink(cn_message(9, 9));
    core.receive(buffer);
    EXPECT_EQ(depth, 2);
    EXPECT_EQ(core.stats().callbacks, 0u);
}

// The hole of a delete that found its id already unlinked: a callback
// removed its own id and still runs; the module's exit then removes the
// same id and must wait for that call, or its text goes under it.
TEST_F(Lifetime, DeleteOfASelfRemovedIdWaitsForTheCall)
{
    Core core;
    ASSERT_EQ(core.add(10, 10), 0);
    Gate release;
    Events events;
    std::atomic<bool> removed{ false };
    set_handler(10, 10, [&](cn_msg* msg, Sender*) {
        EXPECT_EQ(cnxx_core_del(core.get(), id_of(msg)), 0);
        removed = true;
        release.wait();
        std::this_thread::sleep_for(20ms);
        events.add("callback returns");
    });
    std::thread receiver([&] {
        Bytes buffer = netlink(cn_message(10, 10));
        core.receive(buffer);
    });
    wait_for([&] { return removed.load(); });

    std::atomic<bool> deleted{ false };
    std::thread remover([&] {
        EXPECT_EQ(core.del(10, 10), -ENOENT);
        events.add("del returns");
        deleted = true;
    });
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(deleted.load()) << "del returned while the self-removed callback runs";
    release.open();
    receiver.join();
    remover.join();
    EXPECT_EQ(events.get(), (std::vector<std::string>{ "callback returns", "del returns" }));
}

TEST_F(Lifetime, ConcurrentDeletersOfOneIdBothWait)
{
    Core core;
    ASSERT_EQ(core.add(11, 11), 0);
    Gate release;
    std::atomic<bool> entered{ false };
    std::atomic<bool> returned{ false };
    set_handler(11, 11, [&](cn_msg*, Sender*) {
        entered = true;
        release.wait();
        std::this_thread::sleep_for(20ms);
        returned = true;
    });
    std::thread receiver([&] {
        Bytes buffer = netlink(cn_message(11, 11));
        core.receive(buffer);
    });
    wait_for([&] { return entered.load(); });
    std::atomic<int> results[2] = { { 1 }, { 1 } };
    std::atomic<bool> early[2] = { { false }, { false } };
    std::vector<std::thread> removers;
    for (int i = 0; i < 2; ++i) {
        removers.emplace_back([&, i] {
            results[i] = core.del(11, 11);
            early[i] = !returned.load();
        });
    }
    std::this_thread::sleep_for(100ms);
    release.open();
    for (auto& remover : removers)
        remover.join();
    receiver.join();
    EXPECT_FALSE(early[0].load());
    EXPECT_FALSE(early[1].load());
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
    std::thread old_call([&] {
        Bytes buffer = netlink(cn_message(12, 12));
        core.receive(buffer);
    });
    wait_for([&] { return entered.load() == 1; });
    // A first remover unlinks the old entry and waits for its call.
    std::thread first_remover([&] { EXPECT_EQ(core.del(12, 12), 0); });
    wait_for([&] { return core.stats().callbacks == 0; });
    generation = 1;
    ASSERT_EQ(core.add(12, 12), 0);
    std::thread new_call([&] {
        Bytes buffer = netlink(cn_message(12, 12));
        core.receive(buffer);
    });
    wait_for([&] { return entered.load() == 2; });

    std::atomic<bool> deleted{ false };
    std::thread second_remover([&] {
        EXPECT_EQ(core.del(12, 12), 0);
        deleted = true;
    });
    release_new.open();
    new_call.join();
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(deleted.load()) << "del returned while the old entry's call runs";
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
    std::thread receiver([&] {
        Bytes buffer = netlink(cn_message(13, 13));
        core.receive(buffer);
    });
    wait_for([&] { return may_block.size() == 1; });
    EXPECT_TRUE(cnxx_core_reply_may_block(core.get())); // not inside a call
    std::thread remover([&] { EXPECT_EQ(core.del(13, 13), 0); });
    wait_for([&] { return core.stats().callbacks == 1; });
    // Other callbacks are not affected.
    bool other = false;
    set_handler(14, 14, [&](cn_msg*, Sender*) { other = cnxx_core_reply_may_block(core.get()); });
    Bytes to_other = netlink(cn_message(14, 14));
    core.receive(to_other);
    EXPECT_TRUE(other);
    removal_started.open();
    remover.join();
    receiver.join();
    EXPECT_EQ(may_block, (std::vector<bool>{ true, false }));

    // A reply dropped at a full receiver is counted for its id.
    const cnxx_cb_id id = { 14, 14 };
    cnxx_core_account_send(core.get(), &id, -EAGAIN);
    cnxx_core_account_send(core.get(), &id, -ENOMEM);
    cnxx_stats stats = core.stats();
    EXPECT_EQ(stats.tx_replies_dropped, 1u);
    EXPECT_EQ(stats.tx_errors, 2u);
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
    ASSERT_EQ(core->add(15, 15), 0);
    Gate release;
    std::atomic<bool> removed{ false };
    std::atomic<bool> returned{ false };
    cnxx_core* raw = core->get();
    set_handler(15, 15, [&](cn_msg* msg, Sender*) {
        EXPECT_EQ(cnxx_core_del(raw, id_of(msg)), 0);
        removed = true;
        release.wait();
        std::this_thread::sleep_for(20ms);
        returned = true;
    });
    std::thread receiver([&] {
        Bytes buffer = netlink(cn_message(15, 15));
        cnxx_core_receive(raw, buffer.data(), buffer.size(), nullptr, nullptr);
    });
    wait_for([&] { return removed.load(); });
    std::thread opener([&] {
        std::this_thread::sleep_for(50ms);
        release.open();
    });
    core.reset();
    EXPECT_TRUE(returned.load());
    opener.join();
    receiver.join();
}

} // namespace
} // namespace test
