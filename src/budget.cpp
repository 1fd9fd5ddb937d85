#include "budget.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "clock.hpp"

backoff_budget::backoff_budget(double ratio, double min_per_second,
                               double window) noexcept
    : ratio_(ratio), min_per_second_(min_per_second), window_(window),
      slot_width_(window / kSlotsInWindow), epoch_(0) {}

void backoff_budget::release() noexcept {
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1)
    delete this;
}

double backoff_budget::now() const noexcept {
  return clock_ ? clock_.fn()(clock_.data()) : backoff::monotonic_seconds();
}

std::int64_t backoff_budget::epoch_of(double t) const noexcept {
  const double q = std::floor(t / slot_width_);
  return std::isfinite(q) && q > -9e18 && q < 9e18
             ? static_cast<std::int64_t>(q)
             : epoch_;
}

int backoff_budget::advance(double now) const noexcept {
  // Slot numbers are floor(now / width). A clock that is not finite, or a
  // thread whose reading is older than another's, counts in the newest slot:
  // time never runs backwards inside the budget.
  const std::int64_t epoch = epoch_of(now);
  if (!started_) {
    started_ = true;
    epoch_ = epoch;
  } else if (epoch > epoch_) {
    // Every slot passed over starts empty; after a whole ring, all of them.
    const std::int64_t steps = std::min<std::int64_t>(epoch - epoch_, kSlots);
    for (std::int64_t e = epoch - steps + 1; e <= epoch; ++e) {
      Counts &slot = slots_[((e % kSlots) + kSlots) % kSlots];
      in_ring_.first_attempts -= slot.first_attempts;
      in_ring_.retries -= slot.retries;
      in_ring_.refusals -= slot.refusals;
      slot = Counts{};
    }
    epoch_ = epoch;
  }
  return static_cast<int>(((epoch_ % kSlots) + kSlots) % kSlots);
}

std::uint64_t backoff_budget::first_attempts_inside() const noexcept {
  // The oldest slot of the ring holds the window's start: its deposits may
  // be older than the window, so they do not count. Its retries do.
  const int oldest = static_cast<int>((((epoch_ + 1) % kSlots) + kSlots) % kSlots);
  return in_ring_.first_attempts - slots_[oldest].first_attempts;
}

double backoff_budget::allowance() const noexcept {
  const double a = ratio_ * static_cast<double>(first_attempts_inside()) +
                   min_per_second_ * window_;
  // ratio * n is computed in binary: 0.2 * 5 must allow one retry, not
  // miss it by an ulp.
  return a + 1e-9 * std::max(1.0, a);
}

void backoff_budget::deposit(double now) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  const int slot = advance(now);
  ++slots_[slot].first_attempts;
  ++in_ring_.first_attempts;
  ++totals_.first_attempts;
}

bool backoff_budget::withdraw(double now) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  const int slot = advance(now);
  if (static_cast<double>(in_ring_.retries + 1) <= allowance()) {
    ++slots_[slot].retries;
    ++in_ring_.retries;
    ++totals_.retries;
    return true;
  }
  ++slots_[slot].refusals;
  ++in_ring_.refusals;
  ++totals_.refusals;
  return false;
}

void backoff_budget::record(double at, std::uint64_t first_attempts,
                            std::uint64_t retries) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::int64_t epoch = epoch_of(at);
  if (!started_ || epoch > epoch_)
    advance(at);
  else if (epoch <= epoch_ - kSlots)
    return; // older than anything the ring still holds
  Counts &slot = slots_[((epoch % kSlots) + kSlots) % kSlots];
  slot.first_attempts += first_attempts;
  slot.retries += retries;
  in_ring_.first_attempts += first_attempts;
  in_ring_.retries += retries;
  totals_.first_attempts += first_attempts;
  totals_.retries += retries;
}

backoff_budget_stats backoff_budget::stats(double now) const noexcept {
  backoff_budget_stats s = BACKOFF_BUDGET_STATS_INIT;
  std::lock_guard<std::mutex> lock(mutex_);
  advance(now);
  s.first_attempts = first_attempts_inside();
  s.retries = in_ring_.retries;
  s.refusals = in_ring_.refusals;
  s.available = std::max(
      0.0, std::floor(allowance() - static_cast<double>(in_ring_.retries)));
  s.total_first_attempts = totals_.first_attempts;
  s.total_retries = totals_.retries;
  s.total_refusals = totals_.refusals;
  s.ratio = ratio_;
  s.min_per_second = min_per_second_;
  s.window = window_;
  return s;
}
