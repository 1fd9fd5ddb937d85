// libbackoff for C++: retry budgets, shared by any number of policies.
// Include <backoff/backoff.hpp>.
#ifndef BACKOFF_CPP_BUDGET_HPP
#define BACKOFF_CPP_BUDGET_HPP

#include <backoff/cpp/common.hpp>
#include <backoff/cpp/run.hpp>

#include <cstdint>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

namespace backoff {

/// A budget's counters (see backoff_budget_stats).
struct BudgetStats {
  std::uint64_t first_attempts = 0; ///< counted in the current window
  std::uint64_t retries = 0;        ///< allowed in the current window
  std::uint64_t refusals = 0;       ///< refused in the current window
  double available = 0;             ///< retries it would allow now
  std::uint64_t total_first_attempts = 0; ///< since the budget was made
  std::uint64_t total_retries = 0;
  std::uint64_t total_refusals = 0;
  double ratio = 0; ///< its parameters
  double min_per_second = 0;
  seconds window{};
};

namespace detail {

/// A budget clock's exception, when it was thrown outside any run (from
/// Budget::stats()): rethrown by stats() on this thread.
inline std::exception_ptr &budget_clock_error() noexcept {
  static thread_local std::exception_ptr error;
  return error;
}

template <class Fn> double budget_clock(void *data) noexcept {
  try {
    return Duration(closure<Fn>(data)()).count();
  } catch (...) {
    if (Run *run = current_run())
      run->fail(std::current_exception()); // the run that asked ends
    else
      budget_clock_error() = std::current_exception();
    return 0.0;
  }
}

} // namespace detail

/// A retry budget: retries are allowed only while, in any window of
/// `window`, they stay under `ratio` times the first attempts plus
/// `min_per_second * window` (see backoff_budget_new for the exact rule).
/// One budget is shared by every policy given it — across threads, too —
/// so a whole process stops multiplying its load on a failing service.
/// A refused retry ends the run with Status::gave_up_budget: retry() and
/// retry_on() throw BudgetExhausted.
///
/// Budget is a handle: copies share the one budget, and each policy given
/// it keeps it alive, so a Budget may go out of scope before its policies.
class Budget {
public:
  /// The defaults are the anchors of Finagle and tower: 20 % retries, a
  /// floor of 10 retries per second, a 10 s window. Throws
  /// std::invalid_argument on a negative, NaN or infinite ratio or floor,
  /// or a window that is not positive and finite.
  explicit Budget(double ratio = 0.2, double min_per_second = 10,
                  Duration window = 10) {
    backoff_budget *b = nullptr;
    detail::check(
        backoff_budget_new(&b, ratio, min_per_second, window.count()),
        "backoff_budget_new");
    b_.reset(b, &backoff_budget_free);
  }

  /// A clock for tests: fn() returns seconds (double) or a chrono duration.
  /// It is called from every run that uses the budget, on their threads.
  /// Set it before the budget is shared (not thread-safe). What it throws
  /// ends the run that read it, or is rethrown by stats().
  template <class F> Budget &clock(F &&fn) {
    using Fn = std::decay_t<F>;
    detail::check(backoff_budget_clock(b_.get(), &detail::budget_clock<Fn>,
                                       detail::own(std::forward<F>(fn)),
                                       &detail::destroy<Fn>),
                  "backoff_budget_clock");
    return *this;
  }

  /// The counters, read now (on the budget's clock).
  BudgetStats stats() const {
    backoff_budget_stats s = BACKOFF_BUDGET_STATS_INIT;
    std::exception_ptr &clock_error = detail::budget_clock_error();
    clock_error = nullptr;
    detail::check(backoff_budget_stats_get(b_.get(), &s),
                  "backoff_budget_stats_get");
    if (clock_error)
      std::rethrow_exception(std::exchange(clock_error, nullptr));
    BudgetStats out;
    out.first_attempts = s.first_attempts;
    out.retries = s.retries;
    out.refusals = s.refusals;
    out.available = s.available;
    out.total_first_attempts = s.total_first_attempts;
    out.total_retries = s.total_retries;
    out.total_refusals = s.total_refusals;
    out.ratio = s.ratio;
    out.min_per_second = s.min_per_second;
    out.window = seconds(s.window);
    return out;
  }

  backoff_budget *native_handle() const noexcept { return b_.get(); }

private:
  std::shared_ptr<backoff_budget> b_;
};

} // namespace backoff

#endif // BACKOFF_CPP_BUDGET_HPP
