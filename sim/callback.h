// Callback: a move-only `void()` callable with inline storage.
//
// The event queue stores one Callback per pending event. A callable whose size
// is at most kInlineBytes (and whose alignment and move are ordinary) is stored
// inline, so scheduling a lambda that captures a pointer and a few ids does not
// touch the heap; larger callables are boxed on the heap. Unlike std::function,
// a Callback may hold move-only state (a unique_ptr, a message).
//
// Invariants: an empty Callback must not be invoked (CHECKed); a moved-from
// Callback is empty.
//
// Example:
//   Callback cb = [this, id] { Fire(id); };
//   cb();

#ifndef SLOTSIM_SIM_CALLBACK_H_
#define SLOTSIM_SIM_CALLBACK_H_

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

#include "sim/check.h"

namespace slotsim::sim {

class Callback {
 public:
  static constexpr std::size_t kInlineBytes = 48;

  Callback() = default;

  template <typename F,
            typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Callback> &&
                                        std::is_invocable_r_v<void, std::decay_t<F>&>>>
  Callback(F&& f) {  // NOLINT: implicit, so lambdas convert.
    Construct(std::forward<F>(f));
  }

  // Replaces the held callable with `f`, constructed in place.
  template <typename F>
  void Emplace(F&& f) {
    if constexpr (std::is_same_v<std::decay_t<F>, Callback>) {
      *this = std::move(f);
    } else {
      Reset();
      Construct(std::forward<F>(f));
    }
  }

  Callback(Callback&& o) noexcept : ops_(o.ops_) {
    if (ops_ != nullptr) {
      ops_->move(storage_, o.storage_);
      o.ops_ = nullptr;
    }
  }

  Callback& operator=(Callback&& o) noexcept {
    if (this != &o) {
      Reset();
      ops_ = o.ops_;
      if (ops_ != nullptr) {
        ops_->move(storage_, o.storage_);
        o.ops_ = nullptr;
      }
    }
    return *this;
  }

  Callback(const Callback&) = delete;
  Callback& operator=(const Callback&) = delete;

  ~Callback() { Reset(); }

  explicit operator bool() const { return ops_ != nullptr; }

  void operator()() {
    CHECK(ops_ != nullptr) << "invoked an empty Callback";
    ops_->invoke(storage_);
  }

  // Destroys the held callable (and whatever it captured); leaves this empty.
  void Reset() {
    if (ops_ != nullptr) {
      ops_->destroy(storage_);
      ops_ = nullptr;
    }
  }

  // Whether a callable of type F is stored without a heap allocation.
  template <typename F>
  static constexpr bool kFitsInline =
      sizeof(F) <= kInlineBytes &&
      alignof(F) <= alignof(std::max_align_t) && std::is_nothrow_move_constructible_v<F>;

 private:
  template <typename F>
  void Construct(F&& f) {
    using Fn = std::decay_t<F>;
    if constexpr (kFitsInline<Fn>) {
      new (storage_) Fn(std::forward<F>(f));
      ops_ = &kInlineOps<Fn>;
    } else {
      *reinterpret_cast<Fn**>(storage_) = new Fn(std::forward<F>(f));
      ops_ = &kHeapOps<Fn>;
    }
  }

  struct Ops {
    void (*invoke)(void* storage);
    // Move-constructs into dst from src and destroys src.
    void (*move)(void* dst, void* src);
    void (*destroy)(void* storage);
  };

  template <typename Fn>
  static constexpr Ops kInlineOps = {
      [](void* s) { (*static_cast<Fn*>(s))(); },
      [](void* dst, void* src) {
        Fn* from = static_cast<Fn*>(src);
        new (dst) Fn(std::move(*from));
        from->~Fn();
      },
      [](void* s) { static_cast<Fn*>(s)->~Fn(); },
  };

  template <typename Fn>
  static constexpr Ops kHeapOps = {
      [](void* s) { (**static_cast<Fn**>(s))(); },
      [](void* dst, void* src) { *static_cast<Fn**>(dst) = *static_cast<Fn**>(src); },
      [](void* s) { delete *static_cast<Fn**>(s); },
  };

  alignas(std::max_align_t) unsigned char storage_[kInlineBytes];
  const Ops* ops_ = nullptr;
};

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_CALLBACK_H_
