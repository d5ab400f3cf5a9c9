// SPDX-License-Identifier: GPL-2.0
// The runtime's building blocks on their own.
#include "cxxrt/atomic.h"
#include "cxxrt/intrusive_list.h"
#include "cxxrt/memory.h"
#include "cxxrt/rcu_hash.h"
#include "cxxrt/result.h"

#include "fake_platform.h"

#include <cerrno>
#include <deque>
#include <vector>

#include <gtest/gtest.h>

namespace {

using cxxrt::Error;
using cxxrt::Result;

struct Item : public cxxrt::ListNode<Item>, public cxxrt::HashNode<Item> {
    explicit Item(int key) : key(key) {}
    int key;
};

std::vector<int> keys_of(cxxrt::IntrusiveList<Item>& list)
{
    std::vector<int> keys;
    for (Item& item : list)
        keys.push_back(item.key);
    return keys;
}

TEST(IntrusiveList, PushRemovePopInOrder)
{
    Item a(1), b(2), c(3);
    cxxrt::IntrusiveList<Item> list;
    EXPECT_TRUE(list.is_empty());
    list.push_back(a);
    list.push_back(b);
    list.push_back(c);
    EXPECT_EQ(keys_of(list), (std::vector<int>{ 1, 2, 3 }));
    EXPECT_EQ(list.size_slow(), 3u);
    EXPECT_EQ(list.first(), &a);
    EXPECT_TRUE(b.is_linked());
    list.remove(b);
    EXPECT_FALSE(b.is_linked());
    EXPECT_EQ(keys_of(list), (std::vector<int>{ 1, 3 }));
    EXPECT_EQ(list.pop_front(), &a);
    EXPECT_EQ(list.pop_front(), &c);
    EXPECT_EQ(list.pop_front(), nullptr);
    EXPECT_EQ(list.size_slow(), 0u);
}

TEST(IntrusiveList, TakeAllKeepsOrder)
{
    Item a(1), b(2), c(3);
    cxxrt::IntrusiveList<Item> first, second;
    first.push_back(a);
    second.push_back(b);
    second.push_back(c);
    first.take_all_from(second);
    EXPECT_TRUE(second.is_empty());
    EXPECT_EQ(keys_of(first), (std::vector<int>{ 1, 2, 3 }));
    first.take_all_from(second);
    EXPECT_EQ(first.size_slow(), 3u);
    while (first.pop_front()) {}
}

Result<int> half(int value)
{
    if (value % 2)
        return Error::from_errno(EINVAL);
    return value / 2;
}

Result<int> quarter(int value)
{
    const int halved = TRY(half(value));
    return TRY(half(halved));
}

Result<void> check_quarter(int value)
{
    TRY(quarter(value));
    return {};
}

TEST(Result, TryPropagatesErrors)
{
    EXPECT_EQ(quarter(8).value(), 2);
    EXPECT_TRUE(quarter(6).is_error());
    EXPECT_EQ(quarter(6).error().code(), -EINVAL);
    EXPECT_EQ(check_quarter(4).to_errno(), 0);
    EXPECT_EQ(check_quarter(5).to_errno(), -EINVAL);
    EXPECT_EQ(Result<int>(3).to_errno(), 0);
}

TEST(Atomic, ReadModifyWrite)
{
    cxxrt::Atomic<unsigned> value(5);
    EXPECT_EQ(value.fetch_add(2, cxxrt::MemoryOrder::Relaxed), 5u);
    EXPECT_EQ(value.fetch_sub(1, cxxrt::MemoryOrder::SequentiallyConsistent), 7u);
    EXPECT_EQ(value.load(cxxrt::MemoryOrder::Acquire), 6u);
    value.store(0, cxxrt::MemoryOrder::Release);
    EXPECT_EQ(value.fetch_sub(1, cxxrt::MemoryOrder::Relaxed), 0u);
    EXPECT_EQ(value.load(cxxrt::MemoryOrder::Relaxed), ~0u);
}

struct ItemTraits {
    using Key = int;
    static Key key_of(const Item& item) { return item.key; }
    static bool equal(Key a, Key b) { return a == b; }
    static cxxrt::u64 hash(Key key) { return cxxrt::u64(key) * 0x9e3779b97f4a7c15ULL; }
};

TEST(RcuHashTable, InsertFindErase)
{
    using Table = cxxrt::RcuHashTable<Item, ItemTraits>;
    for (cxxrt::u32 bits : { 0u, 3u }) {
        std::vector<unsigned char> storage(Table::storage_size(bits));
        Table table;
        table.attach(storage.data(), bits);
        std::deque<Item> items;
        for (int i = 0; i < 50; ++i)
            items.emplace_back(i);
        for (Item& item : items)
            EXPECT_EQ(table.insert_or_find(item), nullptr);
        Item duplicate(7);
        EXPECT_EQ(table.insert_or_find(duplicate), &items[7]);
        EXPECT_EQ(table.size(), 50u);
        for (int i = 0; i < 50; ++i)
            EXPECT_EQ(table.find(i), &items[i]);
        EXPECT_EQ(table.find(50), nullptr);
        for (int i = 0; i < 50; i += 2)
            EXPECT_EQ(table.erase(i), &items[i]);
        EXPECT_EQ(table.erase(0), nullptr);
        for (int i = 0; i < 50; ++i)
            EXPECT_EQ(table.find(i), i % 2 ? &items[i] : nullptr);
        EXPECT_EQ(table.size(), 25u);
        for (int i = 1; i < 50; i += 2)
            table.erase(i);
        EXPECT_EQ(table.detach(), storage.data());
    }
}

struct Tracked {
    explicit Tracked(int* counter) : counter(counter) { ++*counter; }
    ~Tracked() { --*counter; }
    int* counter;
};

TEST(Memory, MakeAndDestroy)
{
    int alive = 0;
    const auto live = fake::live_allocations();
    Tracked* tracked = cxxrt::make<Tracked>(CNXX_GFP_KERNEL, &alive);
    ASSERT_NE(tracked, nullptr);
    EXPECT_EQ(alive, 1);
    cxxrt::destroy(tracked);
    EXPECT_EQ(alive, 0);
    cxxrt::destroy<Tracked>(nullptr);

    fake::fail_allocation(1);
    EXPECT_EQ(cxxrt::make<Tracked>(CNXX_GFP_KERNEL, &alive), nullptr);
    EXPECT_EQ(alive, 0);

    // A trailing size that would wrap the allocation size fails cleanly.
    EXPECT_EQ(
        cxxrt::make_with_trailing<Tracked>(CNXX_GFP_KERNEL, ~cxxrt::size_t(0), &alive), nullptr);
    Tracked* trailed = cxxrt::make_with_trailing<Tracked>(CNXX_GFP_KERNEL, 64, &alive);
    ASSERT_NE(trailed, nullptr);
    EXPECT_EQ(alive, 1);
    cxxrt::destroy(trailed);
    EXPECT_EQ(fake::live_allocations(), live);
}

} // namespace
