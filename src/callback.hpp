// A C callback with the data it was registered with, owning that data: the
// destroy function runs exactly once, when the holder dies. Move-only, so a
// policy can keep callbacks in vectors without double frees.
#pragma once

#include "backoff/backoff.h"

namespace backoff {

template <class Fn> class Callback {
public:
  Callback() = default;
  Callback(Fn fn, void *data, backoff_destroy_fn destroy) noexcept
      : fn_(fn), data_(data), destroy_(destroy) {}
  Callback(Callback &&other) noexcept { steal(other); }
  Callback &operator=(Callback &&other) noexcept {
    if (this != &other) {
      reset();
      steal(other);
    }
    return *this;
  }
  Callback(const Callback &) = delete;
  Callback &operator=(const Callback &) = delete;
  ~Callback() { reset(); }

  explicit operator bool() const noexcept { return fn_ != nullptr; }
  Fn fn() const noexcept { return fn_; }
  void *data() const noexcept { return data_; }

  void reset() noexcept {
    if (destroy_ != nullptr)
      destroy_(data_);
    fn_ = nullptr;
    data_ = nullptr;
    destroy_ = nullptr;
  }

private:
  void steal(Callback &other) noexcept {
    fn_ = other.fn_;
    data_ = other.data_;
    destroy_ = other.destroy_;
    other.fn_ = nullptr;
    other.data_ = nullptr;
    other.destroy_ = nullptr;
  }

  Fn fn_ = nullptr;
  void *data_ = nullptr;
  backoff_destroy_fn destroy_ = nullptr;
};

} // namespace backoff
