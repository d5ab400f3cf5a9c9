// SPDX-License-Identifier: GPL-2.0
// RcuHashTable<T, Traits>: an intrusive hash table that readers walk under
// RCU alone while one writer at a time (serialized by the caller's lock)
// inserts and erases. Buckets are singly linked; the node is a base class of
// the element, and the bucket array is storage the caller allocated.
//
// Traits provides:
//   using Key = ...;
//   static Key key_of(const T&);
//   static bool equal(const Key&, const Key&);
//   static u64 hash(const Key&);  // well mixed: the top bits pick the bucket
#pragma once

#include "atomic.h"
#include "new.h"
#include "types.h"

namespace cxxrt {

template <typename T, typename Traits>
class RcuHashTable;

// The bucket link of an element of an RcuHashTable.
template <typename T>
class HashNode {
public:
    constexpr HashNode() = default;
    HashNode(const HashNode&) = delete;
    HashNode& operator=(const HashNode&) = delete;

private:
    template <typename, typename>
    friend class RcuHashTable;

    Atomic<HashNode*> next_;
};

template <typename T, typename Traits>
class RcuHashTable {
    using Node = HashNode<T>;
    using Key = typename Traits::Key;

public:
    using Bucket = Atomic<Node*>;

    constexpr RcuHashTable() = default;
    RcuHashTable(const RcuHashTable&) = delete;
    RcuHashTable& operator=(const RcuHashTable&) = delete;

    // Bytes of bucket storage for 1 << @bits buckets.
    // The caller allocates them and hands them to attach().
    static constexpr size_t storage_size(u32 bits) { return sizeof(Bucket) << bits; }

    // Starts using @storage (storage_size(@bits) bytes) as empty buckets.
    // Must precede every other call; the table never allocates.
    void attach(void* storage, u32 bits)
    {
        buckets_ = static_cast<Bucket*>(storage);
        bits_ = bits;
        for (size_t i = 0; i < (size_t(1) << bits); ++i)
            new (&buckets_[i]) Bucket(nullptr);
    }

    // Gives the bucket storage back for the caller to free: nullptr if
    // never attached. The table must be empty, and no reader may walk it.
    void* detach()
    {
        void* storage = buckets_;
        buckets_ = nullptr;
        return storage;
    }

    // The element with @key, or nullptr.
    // Reader: inside an RCU read section, or holding the writers' lock.
    T* find(const Key& key) const
    {
        Node* node = bucket_for(key).load(MemoryOrder::Acquire);
        for (; node; node = node->next_.load(MemoryOrder::Acquire)) {
            if (Traits::equal(Traits::key_of(*static_cast<T*>(node)), key))
                return static_cast<T*>(node);
        }
        return nullptr;
    }

    // Inserts @item unless an element with its key exists, which is
    // returned instead. Writer only; never allocates.
    T* insert_or_find(T& item)
    {
        const Key key = Traits::key_of(item);
        if (T* existing = find(key))
            return existing;
        Bucket& bucket = bucket_for(key);
        Node& node = static_cast<Node&>(item);
        node.next_.store(bucket.load(MemoryOrder::Relaxed), MemoryOrder::Relaxed);
        // Publish: a reader that sees the node sees it initialized.
        bucket.store(&node, MemoryOrder::Release);
        count_.store(count_.load(MemoryOrder::Relaxed) + 1, MemoryOrder::Relaxed);
        return nullptr;
    }

    // Unlinks and returns the element with @key, or nullptr. Writer only.
    // Readers may still hold it until a grace period has passed.
    T* erase(const Key& key)
    {
        Atomic<Node*>* link = &bucket_for(key);
        for (Node* node = link->load(MemoryOrder::Relaxed); node;
             node = link->load(MemoryOrder::Relaxed)) {
            if (Traits::equal(Traits::key_of(*static_cast<T*>(node)), key)) {
                // The node keeps its own next pointer, so a reader standing
                // on it still reaches the rest of the bucket.
                link->store(node->next_.load(MemoryOrder::Relaxed), MemoryOrder::Release);
                count_.store(count_.load(MemoryOrder::Relaxed) - 1, MemoryOrder::Relaxed);
                return static_cast<T*>(node);
            }
            link = &node->next_;
        }
        return nullptr;
    }

    // The number of elements; exact for the writer, a snapshot otherwise.
    // Never blocks.
    size_t size() const { return count_.load(MemoryOrder::Relaxed); }

    // Calls @visit(const T&) for every element. Reader: inside an RCU
    // read section (an element added or erased meanwhile may be missed or
    // seen), or holding the writers' lock. Walks every bucket, if any.
    template <typename Visitor>
    void for_each_rcu(Visitor&& visit) const
    {
        for (size_t i = 0; i < bucket_count(); ++i) {
            for (Node* node = buckets_[i].load(MemoryOrder::Acquire); node;
                 node = node->next_.load(MemoryOrder::Acquire))
                visit(*static_cast<const T*>(node));
        }
    }

    // The length of the longest bucket chain, to check the hash spreads.
    // Writer only; walks every bucket.
    size_t longest_chain() const
    {
        size_t longest = 0;
        for (size_t i = 0; i < bucket_count(); ++i) {
            size_t length = 0;
            for (Node* node = buckets_[i].load(MemoryOrder::Relaxed); node;
                 node = node->next_.load(MemoryOrder::Relaxed))
                ++length;
            if (length > longest)
                longest = length;
        }
        return longest;
    }

private:
    // 0 before attach() and after detach().
    size_t bucket_count() const { return buckets_ ? size_t(1) << bits_ : 0; }

    Bucket& bucket_for(const Key& key) const
    {
        if (bits_ == 0)
            return buckets_[0];
        return buckets_[Traits::hash(key) >> (64 - bits_)];
    }

    Bucket* buckets_ = nullptr;
    u32 bits_ = 0;
    Atomic<size_t> count_;
};

} // namespace cxxrt
