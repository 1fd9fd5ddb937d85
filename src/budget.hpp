// The retry budget: first attempts are deposits, retries withdrawals, both
// counted over a sliding window of slots. It is shared by many policies and
// threads, so it is reference counted and every count is taken under one
// short lock that never covers a user callback (the clock is read before).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "backoff/backoff.h"
#include "callback.hpp"

struct backoff_budget {
  backoff_budget(double ratio, double min_per_second, double window) noexcept;
  backoff_budget(const backoff_budget &) = delete;
  backoff_budget &operator=(const backoff_budget &) = delete;

  void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  // Deletes the budget when the last reference goes.
  void release() noexcept;

  // The budget's own time: its injected clock, or the system's monotonic
  // clock. A run whose policy also uses the system clock passes the time it
  // read anyway (`system_now`) instead of reading the clock a second time.
  bool has_own_clock() const noexcept { return static_cast<bool>(clock_); }
  double now() const noexcept;

  void deposit(double now) noexcept;
  // Counts a retry and returns true if the rule allows it; otherwise counts
  // a refusal and returns false.
  bool withdraw(double now) noexcept;

  // Adds counts that happened elsewhere at time `at`; counts older than the
  // ring are dropped, and a time newer than the budget's moves it forward.
  void record(double at, std::uint64_t first_attempts,
              std::uint64_t retries) noexcept;

  backoff_budget_stats stats(double now) const noexcept;

  double ratio() const noexcept { return ratio_; }
  double min_per_second() const noexcept { return min_per_second_; }
  double window() const noexcept { return window_; }

  backoff::Callback<backoff_clock_fn> clock_;

private:
  // 32 slots inside the window, plus the one the window's start falls in.
  static constexpr int kSlotsInWindow = 32;
  static constexpr int kSlots = kSlotsInWindow + 1;

  struct Counts {
    std::uint64_t first_attempts = 0, retries = 0, refusals = 0;
  };

  // Rotates the ring forward to the slot of time `now`; the caller holds the
  // lock. Returns that slot's index.
  int advance(double now) const noexcept;
  // The slot number of time `t`, or -1 for a time that is not finite.
  std::int64_t epoch_of(double t) const noexcept;
  // First attempts of the slots wholly inside the window ending in the
  // current slot.
  std::uint64_t first_attempts_inside() const noexcept;
  double allowance() const noexcept;

  const double ratio_, min_per_second_, window_, slot_width_;
  std::atomic<int> refs_{1};

  mutable std::mutex mutex_;
  mutable Counts slots_[kSlots];
  mutable Counts in_ring_;       // the sum over every slot of the ring
  mutable std::int64_t epoch_;   // the slot number of the newest slot
  mutable bool started_ = false;
  Counts totals_;
};

namespace backoff {

// A policy's counted reference to a budget.
class BudgetRef {
public:
  BudgetRef() = default;
  explicit BudgetRef(backoff_budget *b) noexcept : b_(b) {} // adopts one ref
  BudgetRef(BudgetRef &&other) noexcept : b_(other.b_) { other.b_ = nullptr; }
  BudgetRef &operator=(BudgetRef &&other) noexcept {
    if (this != &other) {
      reset();
      b_ = other.b_;
      other.b_ = nullptr;
    }
    return *this;
  }
  ~BudgetRef() { reset(); }

  static BudgetRef shared(backoff_budget *b) noexcept {
    if (b != nullptr)
      b->retain();
    return BudgetRef(b);
  }

  backoff_budget *get() const noexcept { return b_; }
  backoff_budget *operator->() const noexcept { return b_; }
  explicit operator bool() const noexcept { return b_ != nullptr; }
  void reset() noexcept {
    if (b_ != nullptr)
      b_->release();
    b_ = nullptr;
  }

private:
  backoff_budget *b_ = nullptr;
};

} // namespace backoff
