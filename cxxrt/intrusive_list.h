// SPDX-License-Identifier: GPL-2.0
// IntrusiveList<T, Tag>: a doubly linked list whose node is a base class of
// the element, so that linking never allocates and cannot fail. A type can
// sit on several lists at once by deriving from one ListNode per Tag.
#pragma once

#include "types.h"

namespace cxxrt {

struct DefaultListTag;

template <typename T, typename Tag = DefaultListTag>
class IntrusiveList;

// The links of an element on a list of kind (T, Tag).
template <typename T, typename Tag = DefaultListTag>
class ListNode {
public:
    constexpr ListNode() = default;
    ListNode(const ListNode&) = delete;
    ListNode& operator=(const ListNode&) = delete;

    // Whether the element is on a list of this kind.
    // Only stable under the lock that guards that list.
    bool is_linked() const { return next_ != nullptr; }

private:
    friend class IntrusiveList<T, Tag>;

    ListNode* prev_ = nullptr;
    ListNode* next_ = nullptr;
};

template <typename T, typename Tag>
class IntrusiveList {
    using Node = ListNode<T, Tag>;

public:
    class Iterator {
    public:
        explicit Iterator(Node* node) : node_(node) {}
        T& operator*() const { return *static_cast<T*>(node_); }
        T* operator->() const { return static_cast<T*>(node_); }
        Iterator& operator++()
        {
            node_ = node_->next_;
            return *this;
        }
        bool operator!=(const Iterator& other) const { return node_ != other.node_; }

    private:
        Node* node_;
    };

    IntrusiveList() { head_.prev_ = head_.next_ = &head_; }
    ~IntrusiveList() = default;
    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;

    // Whether the list holds no element.
    // O(1).
    bool is_empty() const { return head_.next_ == &head_; }

    // The number of elements. O(n): no count is kept, so that linking and
    // unlinking, which run for every message, touch only the links.
    size_t size_slow() const
    {
        size_t count = 0;
        for (const Node* node = head_.next_; node != &head_; node = node->next_)
            ++count;
        return count;
    }

    // Appends @item, which must not be on a list of this kind.
    // Never allocates, never fails.
    void push_back(T& item) { insert_before(head_, item); }

    // Unlinks @item, which must be on this list.
    // O(1); the element itself is untouched otherwise.
    void remove(T& item)
    {
        Node& node = item;
        node.prev_->next_ = node.next_;
        node.next_->prev_ = node.prev_;
        node.prev_ = node.next_ = nullptr;
    }

    // The first element, or nullptr when empty.
    // The element stays on the list.
    T* first() { return is_empty() ? nullptr : static_cast<T*>(head_.next_); }

    // Unlinks and returns the first element, or nullptr when empty.
    // The caller owns the element from then on.
    T* pop_front()
    {
        T* item = first();
        if (item)
            remove(*item);
        return item;
    }

    // Moves every element of @other to the end of this list, in order.
    // O(1); @other is left empty.
    void take_all_from(IntrusiveList& other)
    {
        if (other.is_empty())
            return;
        Node* first_moved = other.head_.next_;
        Node* last_moved = other.head_.prev_;
        Node* last = head_.prev_;
        last->next_ = first_moved;
        first_moved->prev_ = last;
        last_moved->next_ = &head_;
        head_.prev_ = last_moved;
        other.head_.prev_ = other.head_.next_ = &other.head_;
    }

    // Iteration in list order. Do not unlink the current element while
    // iterating; drain with pop_front() instead.
    Iterator begin() { return Iterator(head_.next_); }
    Iterator end() { return Iterator(&head_); }

private:
    void insert_before(Node& position, T& item)
    {
        Node& node = item;
        node.next_ = &position;
        node.prev_ = position.prev_;
        position.prev_->next_ = &node;
        position.prev_ = &node;
    }

    // Sentinel: never converted to T.
    Node head_;
};

} // namespace cxxrt
