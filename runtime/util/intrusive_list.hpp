// IntrusiveList<T>: a doubly linked list threaded through nodes the caller owns.
//
// Wait lists use it: each pending future embeds its own node, so waiting costs no allocation and
// a dropped future unlinks itself in O(1).
#pragma once

#include <cassert>

namespace loopscope {

struct ListNode {
  ListNode* prev = nullptr;
  ListNode* next = nullptr;
  bool linked() const noexcept { return prev != nullptr; }
};

template <class T>  // T derives from ListNode
class IntrusiveList {
 public:
  IntrusiveList() noexcept { head_.prev = head_.next = &head_; }
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;

  bool empty() const noexcept { return head_.next == &head_; }
  T* front() const noexcept { return empty() ? nullptr : static_cast<T*>(head_.next); }
  T* back() const noexcept { return empty() ? nullptr : static_cast<T*>(head_.prev); }

  void push_back(T* node) noexcept {
    ListNode* n = node;
    assert(!n->linked());
    n->prev = head_.prev;
    n->next = &head_;
    head_.prev->next = n;
    head_.prev = n;
  }
  void push_front(T* node) noexcept {
    ListNode* n = node;
    assert(!n->linked());
    n->next = head_.next;
    n->prev = &head_;
    head_.next->prev = n;
    head_.next = n;
  }
  static void remove(T* node) noexcept {
    ListNode* n = node;
    assert(n->linked());
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->prev = n->next = nullptr;
  }
  // Puts `fresh` (unlinked) where `old` is in its list and unlinks `old`.
  static void replace(T* old, T* fresh) noexcept {
    ListNode* o = old;
    ListNode* n = fresh;
    assert(o->linked() && !n->linked());
    n->prev = o->prev;
    n->next = o->next;
    n->prev->next = n;
    n->next->prev = n;
    o->prev = o->next = nullptr;
  }
  T* pop_front() noexcept {
    T* n = front();
    if (n) remove(n);
    return n;
  }
  T* pop_back() noexcept {
    T* n = back();
    if (n) remove(n);
    return n;
  }
  template <class F>
  void for_each(F&& f) const {
    for (ListNode* n = head_.next; n != &head_;) {
      ListNode* next = n->next;
      f(static_cast<T*>(n));
      n = next;
    }
  }

 private:
  ListNode head_;
};

}  // namespace loopscope
