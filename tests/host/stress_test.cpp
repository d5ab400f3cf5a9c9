// SPDX-License-Identifier: GPL-2.0
// Everything at once for a few hundred milliseconds: registration churn,
// dispatch, self-removal, routing and notification requests on several
// threads. Correctness is judged by ASan/UBSan, the fake platform's
// context checks, the leak check of the fixture and the counters adding up.
#include "harness.h"

#include <cerrno>
#include <chrono>
#include <random>
#include <thread>

namespace test {
namespace {

using namespace std::chrono_literals;

class Stress : public CoreTest {};

TEST_F(Stress, ChurnDispatchAndNotifyTogether)
{
    Config config;
    config.hash_bits = 3; // long chains: more readers walking past writers
    config.max_notify_pending = 100000;
    Core core(config);
    constexpr std::uint32_t ids = 16;
    std::atomic<bool> stop{ false };
    std::atomic<std::uint64_t> self_removals{ 0 };

    for (std::uint32_t idx = 0; idx < ids; ++idx) {
        if (idx % 4 == 3) {
            // These remove themselves now and then.
            set_handler(idx, 1, [&, idx](cn_msg* msg, Sender*) {
                if ((msg->seq + idx) % 3 == 0 && cnxx_core_del(core.get(), id_of(msg)) == 0)
                    ++self_removals;
            });
        } else {
            set_handler(idx, 1, [](cn_msg* msg, Sender*) {
                volatile std::uint8_t sum = 0;
                for (std::uint16_t i = 0; i < msg->len; ++i)
                    sum = static_cast<std::uint8_t>(sum + msg->data[i]);
                if (msg->seq % 64 == 0)
                    std::this_thread::sleep_for(100us);
            });
        }
    }

    auto churn = [&](unsigned seed) {
        std::mt19937 random(seed);
        while (!stop) {
            const std::uint32_t idx = random() % ids;
            if (random() % 2)
                core.add(idx, 1);
            else
                core.del(idx, 1);
        }
    };
    auto dispatch = [&](unsigned seed) {
        std::mt19937 random(seed);
        std::uint32_t seq = 0;
        while (!stop) {
            std::vector<Bytes> messages;
            for (int i = 0; i < 3; ++i) {
                messages.push_back(netlink(
                    cn_message(random() % ids, 1, Bytes(random() % 8, 1), -1, ++seq), NLM_F_ACK));
            }
            Bytes buffer = concat(messages);
            core.receive(buffer);
        }
    };
    auto route = [&](unsigned seed) {
        std::mt19937 random(seed);
        while (!stop) {
            const std::uint32_t idx = random() % ids;
            const Bytes message = cn_message(idx, 1);
            std::uint32_t dst = 0;
            const int err = core.route(message, &dst);
            EXPECT_TRUE(err == 0 || err == -ENODEV);
            if (err == 0) {
                EXPECT_EQ(dst, idx);
            }
            const cnxx_cb_id id = { idx, 1 };
            cnxx_core_send_failed(core.get(), &id, -EAGAIN);
        }
    };
    auto requests = [&](unsigned seed) {
        std::mt19937 random(seed);
        while (!stop) {
            const std::uint32_t first = random() % ids;
            const Bytes add = control_request(1 + random() % 4, { { first, 4 } }, { { 0, 2 } });
            const Bytes remove = control_request(0, { { first, 4 } }, { { 0, 2 } });
            const Bytes& request = random() % 2 ? add : remove;
            const int err = notify_request(core.get(), request);
            EXPECT_TRUE(err == 0 || err == -ENOENT || err == -ENOSPC) << err;
            std::this_thread::sleep_for(50us);
        }
    };

    fake::set_preemption(true);
    std::vector<std::thread> threads;
    threads.emplace_back(churn, 1);
    threads.emplace_back(churn, 2);
    threads.emplace_back(dispatch, 3);
    threads.emplace_back(dispatch, 4);
    threads.emplace_back(route, 5);
    threads.emplace_back(requests, 6);
    std::this_thread::sleep_for(400ms);
    stop = true;
    for (auto& thread : threads)
        thread.join();
    fake::set_preemption(false);
    fake::drain_work();

    const auto stats = core.stats();
    EXPECT_EQ(stats.rx_messages, stats.rx_delivered + stats.rx_unknown);
    EXPECT_EQ(stats.rx_invalid, 0u);
    EXPECT_GT(stats.rx_delivered, 0u);
    EXPECT_GT(stats.rx_unknown, 0u);
    EXPECT_EQ(stats.notify_failed, 0u);
    EXPECT_LE(stats.callbacks, ids);
    std::printf("stress: %llu messages, %llu delivered, %llu self-removals, %llu notifications\n",
        static_cast<unsigned long long>(stats.rx_messages),
        static_cast<unsigned long long>(stats.rx_delivered),
        static_cast<unsigned long long>(self_removals.load()),
        static_cast<unsigned long long>(stats.notify_sent));
}

} // namespace
} // namespace test
