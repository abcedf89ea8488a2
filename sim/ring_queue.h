// RingQueue<T>: a FIFO queue in one growable circular buffer.
//
// Used for the network's per-direction queues, which are usually empty or
// short: an empty RingQueue owns no memory, and a busy one reuses its buffer
// without allocating per element (std::deque allocates even when empty, and
// allocates and frees blocks as elements stream through).
//
// Invariants: capacity is zero or a power of two; elements are at indices
// head, head+1, ... (mod capacity); size <= capacity.

#ifndef SLOTSIM_SIM_RING_QUEUE_H_
#define SLOTSIM_SIM_RING_QUEUE_H_

#include <cstddef>
#include <memory>
#include <utility>

#include "sim/check.h"

namespace slotsim::sim {

template <typename T>
class RingQueue {
 public:
  RingQueue() = default;
  RingQueue(RingQueue&& o) noexcept { *this = std::move(o); }
  RingQueue& operator=(RingQueue&& o) noexcept {
    buffer_ = std::move(o.buffer_);
    capacity_ = o.capacity_;
    head_ = o.head_;
    size_ = o.size_;
    o.capacity_ = o.head_ = o.size_ = 0;
    return *this;
  }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  // i-th element from the front. REQUIRES: i < size().
  T& operator[](std::size_t i) { return buffer_[(head_ + i) & (capacity_ - 1)]; }
  const T& operator[](std::size_t i) const {
    return buffer_[(head_ + i) & (capacity_ - 1)];
  }
  T& front() {
    CHECK(size_ > 0);
    return (*this)[0];
  }
  T& back() {
    CHECK(size_ > 0);
    return (*this)[size_ - 1];
  }

  void push_back(T value) {
    if (size_ == capacity_) Grow();
    (*this)[size_] = std::move(value);
    ++size_;
  }
  void pop_front() {
    CHECK(size_ > 0);
    (*this)[0] = T();
    head_ = (head_ + 1) & (capacity_ - 1);
    --size_;
  }
  // Removes every element; keeps the buffer.
  void clear() {
    for (std::size_t i = 0; i < size_; ++i) (*this)[i] = T();
    head_ = 0;
    size_ = 0;
  }

 private:
  void Grow() {
    const std::size_t capacity = capacity_ == 0 ? 4 : capacity_ * 2;
    std::unique_ptr<T[]> buffer(new T[capacity]);
    for (std::size_t i = 0; i < size_; ++i) buffer[i] = std::move((*this)[i]);
    buffer_ = std::move(buffer);
    capacity_ = capacity;
    head_ = 0;
  }

  std::unique_ptr<T[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_RING_QUEUE_H_
