// libbackoff for C++: the retry policy and its runs. Include
// <backoff/backoff.hpp>.
#ifndef BACKOFF_CPP_POLICY_HPP
#define BACKOFF_CPP_POLICY_HPP

#include <backoff/cpp/budget.hpp>
#include <backoff/cpp/cancel.hpp>
#include <backoff/cpp/common.hpp>
#include <backoff/cpp/retry_after.hpp>
#include <backoff/cpp/run.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace backoff {


/// A retry policy: how long to wait between attempts, when to give up, and
/// what to call along the way. Configure it with the fluent setters, then
/// call retry() and friends any number of times, from any number of
/// threads (the setters themselves are not thread-safe).
///
/// Every setter validates through the library and throws
/// std::invalid_argument with its message on bad input, leaving the policy
/// unchanged. Callables are copied or moved into the policy, which destroys
/// them when they are replaced or when the policy is destroyed.
class Policy {
public:
  /// The library's defaults: expo waits drawn from U[0, 1], U[0, 2],
  /// U[0, 4] … seconds (expo 1, 2, 4 … with full jitter), no limits
  /// (retries until success), no hooks, no budget.
  Policy() {
    detail::check(backoff_policy_new(&p_), "backoff_policy_new");
    // RetryAfter and retry_after() reach the core through the hint function.
    const backoff_status s =
        backoff_policy_hint(p_, &detail::pending_hint, nullptr, nullptr);
    if (s != BACKOFF_OK) {
      backoff_policy_free(p_);
      detail::check(s, "backoff_policy_hint");
    }
  }

  /// A policy configured from a spec, e.g.
  /// "expo(factor=0.5,max=30) jitter=full tries=5 time=60" (see
  /// backoff_policy_parse for the language). Throws SpecError.
  static Policy parse(std::string_view text) {
    Policy p;
    p.spec(text);
    return p;
  }
  ~Policy() { backoff_policy_free(p_); }
  Policy(Policy &&other) noexcept
      : p_(std::exchange(other.p_, nullptr)),
        stop_on_callback_error_(other.stop_on_callback_error_),
        tracks_run_(other.tracks_run_) {}
  Policy &operator=(Policy &&other) noexcept {
    std::swap(p_, other.p_);
    std::swap(stop_on_callback_error_, other.stop_on_callback_error_);
    std::swap(tracks_run_, other.tracks_run_);
    return *this;
  }
  Policy(const Policy &) = delete;
  Policy &operator=(const Policy &) = delete;

  // ---- specs ---------------------------------------------------------------

  /// Applies a spec: the settings it names replace the policy's, the others
  /// are kept. All or nothing: on error the policy is unchanged and
  /// SpecError says where and why. A NUL byte is refused, and so are
  /// `retry-on=` and `giveup-on=`: they classify C return codes, and in C++
  /// the exception types of retry_on<E...>() and giveup() do.
  Policy &spec(std::string_view text) {
    if (const std::size_t at = detail::nul_offset(text);
        at != std::string_view::npos)
      throw SpecError(at, "NUL byte in the spec");
    const detail::CString c_text(text, "policy spec");
    refuse_classification(text, c_text.c_str());
    std::size_t offset = 0;
    char message[256];
    const backoff_status s = backoff_policy_parse(p_, c_text.c_str(), &offset,
                                                  message, sizeof message);
    if (s == BACKOFF_E_PARSE)
      throw SpecError(offset, message);
    detail::check(s, "backoff_policy_parse");
    return *this;
  }

  /// The policy's canonical spec; Policy::parse of it gives the same
  /// policy. Throws std::logic_error when the policy holds what a spec
  /// cannot say: a custom wait, jitter or limit function, or a giveup
  /// predicate (hooks, logging, clock, sleep and hints are not part of a
  /// spec). A budget shared with Budget formats as its parameters.
  std::string format() const {
    std::string text;
    detail::check(format_into(p_, text), "backoff_policy_format");
    return text;
  }

  // ---- waits (each replaces the previous one) ----------------------------

  /// factor * base^n: 1, 2, 4, 8 … by default; capped at max_value (0: none).
  Policy &wait_expo(double base = 2, Duration factor = 1,
                    Duration max_value = 0) {
    detail::check(backoff_policy_wait_expo(p_, base, factor.count(),
                                           max_value.count()),
                  "backoff_policy_wait_expo");
    return *this;
  }

  /// 1, 1, 2, 3, 5, 8 … seconds, capped at max_value (0: none).
  Policy &wait_fibo(Duration max_value = 0) {
    detail::check(backoff_policy_wait_fibo(p_, max_value.count()),
                  "backoff_policy_wait_fibo");
    return *this;
  }

  Policy &wait_constant(Duration interval = 1) {
    detail::check(backoff_policy_wait_constant(p_, interval.count()),
                  "backoff_policy_wait_constant");
    return *this;
  }

  /// These waits in order, then give up (Status::gave_up_exhausted).
  Policy &wait_sequence(std::initializer_list<Duration> waits) {
    return wait_sequence<std::initializer_list<Duration>>(waits);
  }
  template <class Range> Policy &wait_sequence(const Range &waits) {
    std::vector<double> values;
    for (const auto &w : waits)
      values.push_back(Duration(w).count());
    detail::check(
        backoff_policy_wait_sequence(p_, values.data(), values.size()),
        "backoff_policy_wait_sequence");
    return *this;
  }

  /// initial * e^(-n * factor), never below min_value (0: no floor).
  Policy &wait_decay(Duration initial = 1, double factor = 1,
                     Duration min_value = 0) {
    detail::check(backoff_policy_wait_decay(p_, initial.count(), factor,
                                            min_value.count()),
                  "backoff_policy_wait_decay");
    return *this;
  }

  /// start + n * increment, capped at max (0: none).
  Policy &wait_linear(Duration start, Duration increment, Duration max = 0) {
    detail::check(backoff_policy_wait_linear(p_, start.count(),
                                             increment.count(), max.count()),
                  "backoff_policy_wait_linear");
    return *this;
  }

  /// The reference's runtime wait: fn(const Details &) returns the next wait
  /// (seconds or a chrono duration); a negative one gives up. Details carry
  /// the attempt's exception, e.g. one holding a server's Retry-After.
  template <class F> Policy &wait_custom(F &&fn) {
    using Fn = std::decay_t<F>;
    detail::check(backoff_policy_wait_custom(p_, &detail::wait<Fn>,
                                             detail::own(std::forward<F>(fn)),
                                             &detail::destroy<Fn>),
                  "backoff_policy_wait_custom");
    return *this;
  }

  // ---- jitter --------------------------------------------------------------

  Policy &jitter(Jitter kind) {
    detail::check(backoff_policy_jitter(p_, static_cast<int>(kind)),
                  "backoff_policy_jitter");
    return *this;
  }

  /// w * U[1 - spread, 1 + spread], 0 <= spread <= 1.
  Policy &jitter_proportional(double spread) {
    detail::check(backoff_policy_jitter_proportional(p_, spread),
                  "backoff_policy_jitter_proportional");
    return *this;
  }

  /// fn(wait, uniform) returns the real wait; `wait` is a double or
  /// backoff::seconds (whichever fn takes), `uniform` a draw in [0, 1) from
  /// the run's generator, so a seeded policy stays reproducible.
  template <class F> Policy &jitter_custom(F &&fn) {
    using Fn = std::decay_t<F>;
    tracks_run_ = true;
    detail::check(backoff_policy_jitter_custom(p_, &detail::jitter<Fn>,
                                               detail::own(std::forward<F>(fn)),
                                               &detail::destroy<Fn>),
                  "backoff_policy_jitter_custom");
    return *this;
  }

  // ---- limits --------------------------------------------------------------

  /// Total attempts, the first included; 0 means unlimited. Any integer
  /// type; a negative count (which C's unsigned would read as about four
  /// billion tries) or one past UINT_MAX throws std::invalid_argument, and
  /// a non-integer does not compile.
  template <class N, std::enable_if_t<std::is_integral_v<N>, int> = 0>
  Policy &max_tries(N n) {
    detail::check(backoff_policy_max_tries(p_, detail::tries_count(n)),
                  "backoff_policy_max_tries");
    return *this;
  }
  /// max_tries computed by fn() at the start of each run; fn returns an
  /// integer, and a negative one makes the run throw std::invalid_argument.
  template <class F, detail::if_invocable<F> = 0> Policy &max_tries(F &&fn) {
    using Fn = std::decay_t<F>;
    tracks_run_ = true;
    detail::check(backoff_policy_max_tries_fn(p_, &detail::max_tries<Fn>,
                                              detail::own(std::forward<F>(fn)),
                                              &detail::destroy<Fn>),
                  "backoff_policy_max_tries_fn");
    return *this;
  }

  /// Gives up once this much time has elapsed (0: unlimited).
  Policy &max_time(Duration limit) {
    detail::check(backoff_policy_max_time(p_, limit.count()),
                  "backoff_policy_max_time");
    return *this;
  }
  /// max_time computed by fn() at the start of each run.
  template <class F, detail::if_invocable<F> = 0> Policy &max_time(F &&fn) {
    using Fn = std::decay_t<F>;
    tracks_run_ = true;
    detail::check(backoff_policy_max_time_fn(p_, &detail::max_time<Fn>,
                                             detail::own(std::forward<F>(fn)),
                                             &detail::destroy<Fn>),
                  "backoff_policy_max_time_fn");
    return *this;
  }

  // ---- server hints and budgets --------------------------------------------

  /// The longest server hint (RetryAfter, retry_after()) a run honours: a
  /// longer one ends the run at once with Status::gave_up_time. 0 (the
  /// default) or infinity: no cap, only max_time bounds a hint.
  Policy &hint_max(Duration limit) {
    detail::check(backoff_policy_hint_max(p_, limit.count()),
                  "backoff_policy_hint_max");
    return *this;
  }

  /// Every run of this policy counts its first attempt in `b` and asks it
  /// before each retry; a refusal ends the run with Status::gave_up_budget
  /// (retry() and retry_on() throw BudgetExhausted). Replaces a budget set
  /// before, also one from a spec.
  Policy &budget(const Budget &b) {
    tracks_run_ = true; // the budget's clock may be a C++ callable
    detail::check(backoff_policy_budget(p_, b.native_handle()),
                  "backoff_policy_budget");
    return *this;
  }
  /// Detaches the policy's budget.
  Policy &budget(std::nullptr_t) {
    detail::check(backoff_policy_budget(p_, nullptr), "backoff_policy_budget");
    return *this;
  }

  /// Gives up at once (on_giveup hooks run, the exception is rethrown) when
  /// a retriable exception of type E makes pred(const E &) true — the
  /// reference's `giveup`. E is pred's parameter type unless given (and
  /// std::exception for a generic lambda); other exceptions are retried as
  /// usual. Replaces the previous predicate.
  template <class E = void, class Pred> Policy &giveup(Pred &&pred) {
    using Fn = std::decay_t<Pred>;
    using Caught = std::conditional_t<
        std::is_void_v<E>, typename detail::exception_parameter<Fn>::type, E>;
    detail::check(backoff_policy_classify(p_,
                                          &detail::giveup_verdict<Caught, Fn>,
                                          detail::own(std::forward<Pred>(pred)),
                                          &detail::destroy<Fn>),
                  "backoff_policy_classify");
    return *this;
  }

  // ---- hooks: fn(const Details &); several of a kind run in order ---------

  /// Before every attempt.
  template <class F> Policy &on_try(F &&fn) {
    return add_hook(&backoff_policy_on_try, "backoff_policy_on_try",
                    std::forward<F>(fn));
  }
  /// After a failed attempt, before sleeping; Details::wait is the real wait.
  template <class F> Policy &on_backoff(F &&fn) {
    stop_on_callback_error_ = true;
    return add_hook(&backoff_policy_on_backoff, "backoff_policy_on_backoff",
                    std::forward<F>(fn));
  }
  template <class F> Policy &on_success(F &&fn) {
    return add_hook(&backoff_policy_on_success, "backoff_policy_on_success",
                    std::forward<F>(fn));
  }
  /// When a run ends without success (not after an exception that is not
  /// retried: that one is let out untouched).
  template <class F> Policy &on_giveup(F &&fn) {
    return add_hook(&backoff_policy_on_giveup, "backoff_policy_on_giveup",
                    std::forward<F>(fn));
  }

  // ---- logging -------------------------------------------------------------

  /// fn(int level, std::string_view message, const Details &) for each
  /// backoff and give-up; messages follow the Python package.
  template <class F> Policy &log(F &&fn) {
    using Fn = std::decay_t<F>;
    stop_on_callback_error_ = true;
    detail::check(backoff_policy_log(p_, &detail::log<Fn>,
                                     detail::own(std::forward<F>(fn)),
                                     &detail::destroy<Fn>),
                  "backoff_policy_log");
    return *this;
  }
  /// The library's stderr logger: "backoff: LEVEL: message".
  Policy &log_stderr() {
    detail::check(backoff_policy_log(p_, &backoff_log_stderr, nullptr, nullptr),
                  "backoff_policy_log");
    return *this;
  }
  Policy &log_levels(int backoff_level, int giveup_level) {
    detail::check(backoff_policy_log_levels(p_, backoff_level, giveup_level),
                  "backoff_policy_log_levels");
    return *this;
  }

  // ---- testing and reproducibility ----------------------------------------

  /// A monotonic clock: fn() returns seconds (double) or a chrono duration.
  template <class F> Policy &clock(F &&fn) {
    using Fn = std::decay_t<F>;
    tracks_run_ = true;
    stop_on_callback_error_ = true;
    detail::check(backoff_policy_clock(p_, &detail::clock<Fn>,
                                       detail::own(std::forward<F>(fn)),
                                       &detail::destroy<Fn>),
                  "backoff_policy_clock");
    return *this;
  }
  /// Replaces sleeping: fn(double) or fn(backoff::seconds). Tests record the
  /// waits instead of sleeping them. A cancel token cannot interrupt it.
  template <class F> Policy &sleep(F &&fn) {
    using Fn = std::decay_t<F>;
    tracks_run_ = true;
    detail::check(backoff_policy_sleep(p_, &detail::sleep<Fn>,
                                       detail::own(std::forward<F>(fn)),
                                       &detail::destroy<Fn>),
                  "backoff_policy_sleep");
    return *this;
  }
  /// Makes jitter reproducible: every run draws the same numbers.
  Policy &seed(std::uint64_t value) {
    detail::check(backoff_policy_seed(p_, value), "backoff_policy_seed");
    return *this;
  }

  // ---- running -----------------------------------------------------------

  /// Calls f() until it returns, retrying when it throws a std::exception.
  /// Returns what f returned; on give-up rethrows f's last exception;
  /// throws backoff::Cancelled when cancelled and backoff::BudgetExhausted
  /// when the budget refused. Exceptions that are not std::exception are
  /// let out at once. f may throw RetryAfter to set the next wait.
  template <class F>
  detail::result_t<F> retry(F &&f, const RunOptions &options = {}) const {
    return retry_on<std::exception>(std::forward<F>(f), options);
  }

  /// retry() that retries only exceptions of types E... (and types derived
  /// from them): any other exception is let out at once, without a hook —
  /// the reference's exception tuple.
  template <class... E, class F>
  detail::result_t<F> retry_on(F &&f, const RunOptions &options = {}) const {
    static_assert(sizeof...(E) > 0, "retry_on needs an exception type");
    using T = detail::result_t<F>;
    detail::ExceptionAttempt<T, std::remove_reference_t<F>, E...> attempt(f);
    const backoff_status s = drive(attempt, options, nullptr);
    if (s != BACKOFF_OK)
      give_up(s, attempt.attempt_error);
    if constexpr (!std::is_void_v<T>)
      return std::move(*attempt.slot.value);
  }

  /// Calls f() until retry_if(result) is false — the reference's
  /// on_predicate — and returns the last result, also on give-up (by the
  /// budget too: the try_ form tells why). retry_if returns a bool, or
  /// backoff::retry_after(d) to retry on a server's wait. An exception from
  /// f is let out at once, except RetryAfter, which is retried (when the
  /// run gives up right after one, its cause is thrown: there is no value);
  /// cancellation throws Cancelled.
  template <class F, class Pred>
  detail::result_t<F> retry_while(F &&f, Pred &&retry_if,
                                  const RunOptions &options = {}) const {
    using T = detail::result_t<F>;
    static_assert(!std::is_void_v<T>, "retry_while needs a value to test");
    detail::PredicateAttempt<T, std::remove_reference_t<F>,
                             std::remove_reference_t<Pred>>
        attempt(f, retry_if);
    const backoff_status s = drive(attempt, options, nullptr);
    if (s == BACKOFF_CANCELLED || s == BACKOFF_PASSED_THROUGH ||
        !attempt.slot.value)
      give_up(s, attempt.attempt_error);
    return std::move(*attempt.slot.value);
  }

  /// The non-throwing forms: the outcome carries the value or the
  /// operation's last exception, the status, tries and times. Exceptions
  /// thrown by the policy's own callbacks (hooks, waits, predicates) are
  /// still thrown: they are bugs, not outcomes.
  template <class F>
  Outcome<detail::result_t<F>> try_retry(F &&f,
                                         const RunOptions &options = {}) const {
    return try_retry_on<std::exception>(std::forward<F>(f), options);
  }

  template <class... E, class F>
  Outcome<detail::result_t<F>>
  try_retry_on(F &&f, const RunOptions &options = {}) const {
    static_assert(sizeof...(E) > 0, "try_retry_on needs an exception type");
    using T = detail::result_t<F>;
    detail::ExceptionAttempt<T, std::remove_reference_t<F>, E...> attempt(f);
    return outcome_of<T>(attempt, options);
  }

  template <class F, class Pred>
  Outcome<detail::result_t<F>>
  try_retry_while(F &&f, Pred &&retry_if,
                  const RunOptions &options = {}) const {
    using T = detail::result_t<F>;
    static_assert(!std::is_void_v<T>, "retry_while needs a value to test");
    detail::PredicateAttempt<T, std::remove_reference_t<F>,
                             std::remove_reference_t<Pred>>
        attempt(f, retry_if);
    return outcome_of<T>(attempt, options);
  }

private:
  template <class Setter, class F>
  Policy &add_hook(Setter setter, const char *name, F &&fn) {
    using Fn = std::decay_t<F>;
    detail::check(setter(p_, &detail::hook<Fn>,
                         detail::own(std::forward<F>(fn)),
                         &detail::destroy<Fn>),
                  name);
    return *this;
  }

  /// One blocking run of the C core around `attempt`; rethrows what a
  /// callback threw, throws on API errors, returns the outcome status.
  template <class Attempt>
  backoff_status drive(Attempt &attempt, const RunOptions &options,
                       backoff_details *details) const;

  template <class T, class Attempt>
  Outcome<T> outcome_of(Attempt &attempt, const RunOptions &options) const {
    backoff_details d = BACKOFF_DETAILS_INIT;
    Outcome<T> out;
    out.status = static_cast<Status>(drive(attempt, options, &d));
    out.tries = d.tries;
    out.elapsed = seconds(d.elapsed);
    out.total_wait = seconds(d.total_wait);
    out.error = std::move(attempt.attempt_error);
    if constexpr (!std::is_void_v<T>)
      out.value = std::move(attempt.slot.value);
    return out;
  }

  [[noreturn]] static void give_up(backoff_status s,
                                   const std::exception_ptr &last) {
    if (s == BACKOFF_CANCELLED || !last)
      throw Cancelled();
    if (s == BACKOFF_GAVE_UP_BUDGET)
      throw BudgetExhausted(last);
    std::rethrow_exception(last);
  }

  /// retry-on= and giveup-on= would replace the wrapper's classification
  /// with return-code lists that mean nothing to C++ attempts. Parsed on a
  /// scratch policy, so that a refused spec leaves this one unchanged.
  static void refuse_classification(std::string_view text, const char *c_text) {
    backoff_policy *scratch = nullptr;
    detail::check(backoff_policy_new(&scratch), "backoff_policy_new");
    std::string canonical;
    const bool parsed =
        backoff_policy_parse(scratch, c_text, nullptr, nullptr, 0) ==
            BACKOFF_OK &&
        format_into(scratch, canonical) == BACKOFF_OK;
    backoff_policy_free(scratch);
    if (!parsed) // the real parse reports the error
      return;
    for (const std::string key : {"retry-on", "giveup-on"})
      if (canonical.find(" " + key + "=") != std::string::npos)
        throw SpecError(text.find(key),
                        key + " classifies C return codes; in C++ use "
                              "retry_on<E...>() and giveup()");
  }

  static backoff_status format_into(const backoff_policy *p, std::string &out) {
    std::size_t needed = 0;
    backoff_status s = backoff_policy_format(p, nullptr, 0, &needed);
    if (s != BACKOFF_OK)
      return s;
    std::vector<char> text(needed + 1);
    s = backoff_policy_format(p, text.data(), text.size(), &needed);
    if (s == BACKOFF_OK)
      out.assign(text.data(), needed);
    return s;
  }

  backoff_policy *p_ = nullptr;
  /// Set once the policy holds a callback that runs between the decision to
  /// retry and the sleep (on_backoff, log, clock): a run without a token of
  /// the caller's then gets one of its own, so that such a callback
  /// throwing does not sleep first.
  bool stop_on_callback_error_ = false;
  /// Set once the policy holds a callable the core calls without details
  /// (jitter, limits, clock, sleep, a budget's clock): each run then
  /// registers as this thread's current run, where such a callable finds
  /// it (detail::current_run). Runs with a stop token register too.
  bool tracks_run_ = false;
};

template <class Attempt>
backoff_status Policy::drive(Attempt &attempt, const RunOptions &options,
                             backoff_details *details) const {
  detail::Run &run = attempt;
  const detail::CurrentRun scope(run, tracks_run_ || stop_on_callback_error_);
  backoff_cancel *cancel = nullptr;
  if (options.cancel != nullptr)
    cancel = options.cancel->native_handle();
  else if (stop_on_callback_error_)
    cancel = run.stop = detail::stop_token(run.depth);

  backoff_status s;
  if (cancel == nullptr && options.label.empty()) {
    s = backoff_run(p_, &Attempt::call, &run, details); // the common case
  } else {
    const detail::CString label(options.label, "label");
    backoff_run_options o = BACKOFF_RUN_OPTIONS_INIT;
    o.cancel = cancel;
    o.label = options.label.empty() ? nullptr : label.c_str();
    s = backoff_run_ex(p_, &Attempt::call, &run, &o, details);
  }
  if (run.callback_error) {
    if (run.stop != nullptr)
      backoff_cancel_reset(run.stop); // ready for this thread's next run
    std::rethrow_exception(run.callback_error);
  }
  detail::check(s, "backoff_run");
  // The core saw a pass-through as the end of the run (see run.hpp).
  return run.passed_through ? BACKOFF_PASSED_THROUGH : s;
}

} // namespace backoff

#endif // BACKOFF_CPP_POLICY_HPP
