// libbackoff for C++: cancel tokens. Include <backoff/backoff.hpp>.
#ifndef BACKOFF_CPP_CANCEL_HPP
#define BACKOFF_CPP_CANCEL_HPP

#include <backoff/cpp/common.hpp>

#include <utility>

namespace backoff {

/// A cancel token: trigger() from any thread stops every run given it; a
/// run sleeping between attempts wakes at once and ends cancelled.
class Cancel {
public:
  Cancel() { detail::check(backoff_cancel_new(&c_), "backoff_cancel_new"); }
  ~Cancel() { backoff_cancel_free(c_); }
  Cancel(Cancel &&other) noexcept : c_(std::exchange(other.c_, nullptr)) {}
  Cancel &operator=(Cancel &&other) noexcept {
    std::swap(c_, other.c_);
    return *this;
  }
  Cancel(const Cancel &) = delete;
  Cancel &operator=(const Cancel &) = delete;

  void trigger() {
    detail::check(backoff_cancel_trigger(c_), "backoff_cancel_trigger");
  }
  bool triggered() const noexcept { return backoff_cancel_triggered(c_) != 0; }
  void reset() {
    detail::check(backoff_cancel_reset(c_), "backoff_cancel_reset");
  }

  backoff_cancel *native_handle() const noexcept { return c_; }

private:
  backoff_cancel *c_ = nullptr;
};

} // namespace backoff

#endif // BACKOFF_CPP_CANCEL_HPP
