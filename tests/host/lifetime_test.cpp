// SPDX-License-Identifier: GPL-2.0
// Callbacks run without locks, yet cn_del_callback() waits for them: the
// in-flight protocol of the registry entries.
#include "harness.h"

#include <cerrno>
#include <chrono>
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
    set_handler(1, 1, [&](cn_msg*, void*) {
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
    set_handler(1, 1, [&](cn_msg*, void*) {
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
    set_handler(2, 2, [&](cn_msg* msg, void*) {
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
    set_handler(3, 3, [&](cn_msg* msg, void*) {
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
    set_handler(4, 4, [&](cn_msg*, void*) {
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
    set_handler(7, 7, [&](cn_msg*, void*) {
        entered = true;
        release.wait();
        std::this_thread::sleep_for(20ms);
        events.add("7 returns");
    });
    set_handler(8, 8, [&](cn_msg*, void*) {
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
    set_handler(9, 9, [&](cn_msg* msg, void*) {
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

} // namespace
} // namespace test
