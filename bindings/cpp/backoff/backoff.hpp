// libbackoff for C++: retry any callable with exponential backoff and jitter.
//
//   backoff::Policy policy;
//   policy.wait_expo(2, 100ms, 10s).max_tries(5);
//   std::string body = policy.retry([&] { return fetch(url); });
//
// Header-only, C++17, built on the public C API alone: every retry decision
// (classification, limits, waits, jitter, clamping, hooks) is made by the C
// core, so C++ behaves exactly like C, Rust, Go and the `backoff` command.
// Link with the library: `pkg-config --cflags --libs backoff`.
//
// How C++ crosses the C frames: nothing ever unwinds through the library.
// Every function the core calls back (the attempt, hooks, waits, jitter,
// clock, sleep, limits) is a `noexcept` trampoline that catches what the
// user's code throws and stores it as a std::exception_ptr in the run's own
// state; the run is then made to stop, and the exception is rethrown only
// after backoff_run has returned.
#ifndef BACKOFF_BACKOFF_HPP
#define BACKOFF_BACKOFF_HPP

#include <backoff/backoff.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace backoff {

/// Seconds as a floating-point std::chrono duration: what hooks report.
using seconds = std::chrono::duration<double>;

/// A length of time given to the library: a number of seconds (`0.5`) or any
/// std::chrono duration (`500ms`).
class Duration {
public:
  Duration(double s) noexcept : seconds_(s) {}
  template <class Rep, class Period>
  Duration(std::chrono::duration<Rep, Period> d) noexcept
      : seconds_(std::chrono::duration_cast<seconds>(d).count()) {}

  double count() const noexcept { return seconds_; }

private:
  double seconds_;
};

/// How a run ended (or, inside a hook, `retry` while it goes on). The values
/// are the C library's backoff_status outcomes.
enum class Status : int {
  ok = BACKOFF_OK,
  retry = BACKOFF_RETRY,
  gave_up_tries = BACKOFF_GAVE_UP_TRIES,
  gave_up_time = BACKOFF_GAVE_UP_TIME,
  gave_up_fatal = BACKOFF_GAVE_UP_FATAL,
  gave_up_exhausted = BACKOFF_GAVE_UP_EXHAUSTED,
  cancelled = BACKOFF_CANCELLED,
  passed_through = BACKOFF_PASSED_THROUGH,
};

/// The library's description of a status, e.g. "gave up: tries limit reached".
inline const char *to_string(Status s) noexcept {
  return backoff_strerror(static_cast<int>(s));
}

/// Built-in jitters; see backoff_jitter_kind.
enum class Jitter : int {
  none = BACKOFF_JITTER_NONE,
  full = BACKOFF_JITTER_FULL,
  random = BACKOFF_JITTER_RANDOM,
  equal = BACKOFF_JITTER_EQUAL,
  decorrelated = BACKOFF_JITTER_DECORRELATED,
  proportional = BACKOFF_JITTER_PROPORTIONAL,
};

/// Thrown by the throwing forms of retry when the run was cancelled: there
/// may be no exception of the operation's to rethrow, and the caller asked
/// for the stop, so it deserves a type of its own.
class Cancelled : public std::runtime_error {
public:
  Cancelled() : std::runtime_error(backoff_strerror(BACKOFF_CANCELLED)) {}
};

/// What a hook, a custom wait or a log function sees of the run.
struct Details {
  std::string_view label;
  unsigned tries = 0; ///< attempts started so far, 1-based
  seconds elapsed{};  ///< since the run started (after the attempt)
  seconds wait{};     ///< the wait about to be slept (on_backoff) or the last
  seconds total_wait{};
  seconds remaining{}; ///< before max_time; +inf without a time limit
  Status status = Status::retry;
  /// What the last attempt threw, if it threw (null for retry_while runs,
  /// and before the first attempt).
  std::exception_ptr exception;
};

/// The result of a run that does not throw the operation's exceptions.
/// `error` is the operation's last exception (null on success and for
/// retry_while runs that gave up on the value).
struct Report {
  Status status = Status::ok;
  unsigned tries = 0;
  seconds elapsed{};
  seconds total_wait{};
  std::exception_ptr error;

  bool ok() const noexcept { return status == Status::ok; }
  explicit operator bool() const noexcept { return ok(); }
};

/// A Report with the operation's value: set on success, and for retry_while
/// the last value returned, whatever the status.
template <class T> struct Outcome : Report {
  std::optional<T> value;
};
template <> struct Outcome<void> : Report {};

class Cancel;

/// Per-run options: a cancel token (borrowed) and a label for logs.
struct RunOptions {
  Cancel *cancel = nullptr;
  const char *label = nullptr; ///< borrowed; NULL gives "operation"
};

namespace detail {

/// Turns a negative C status into the matching C++ exception, naming the
/// C function and carrying the library's message.
inline void check(backoff_status status, const char *function) {
  if (status >= 0)
    return;
  const std::string message =
      std::string(function) + ": " + backoff_strerror(status);
  switch (status) {
  case BACKOFF_E_NOMEM:
    throw std::bad_alloc();
  case BACKOFF_E_INVALID:
  case BACKOFF_E_PARSE:
    throw std::invalid_argument(message);
  case BACKOFF_E_MISUSE:
  case BACKOFF_E_UNSUPPORTED:
    throw std::logic_error(message);
  default:
    throw std::runtime_error(message);
  }
}

} // namespace detail

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

namespace detail {

/// State of one retry call, on its stack. Every callback of the run reaches
/// it: through backoff_details::user_data when the core passes details, and
/// through current_run() otherwise (sleep, clock, jitter, limits).
struct Run {
  std::exception_ptr attempt_error;  ///< what the operation last threw
  std::exception_ptr callback_error; ///< what a callback threw: ends the run
  backoff_cancel *stop = nullptr;    ///< triggered when a callback throws
  std::size_t depth = 0;             ///< how many runs this one is inside

  bool failed() const noexcept { return callback_error != nullptr; }

  /// Records the first exception a callback threw and makes the run stop
  /// (the attempt is skipped and classified as pass-through; a sleep about
  /// to start is interrupted through the stop token).
  void fail(std::exception_ptr e) noexcept {
    if (!callback_error)
      callback_error = std::move(e);
    if (stop != nullptr)
      backoff_cancel_trigger(stop);
  }

  static Run &of(const backoff_details *d) noexcept {
    return *static_cast<Run *>(d->user_data);
  }
};

/// The run this thread is executing, for callbacks the core calls without
/// details. Runs nest (an operation may run another policy), so the
/// previous one is restored when a run ends.
inline Run *&current_run() noexcept {
  static thread_local Run *run = nullptr;
  return run;
}

class CurrentRun {
public:
  explicit CurrentRun(Run &run) noexcept
      : slot_(current_run()), previous_(slot_) {
    run.depth = previous_ != nullptr ? previous_->depth + 1 : 0;
    slot_ = &run;
  }
  ~CurrentRun() { slot_ = previous_; }
  CurrentRun(const CurrentRun &) = delete;
  CurrentRun &operator=(const CurrentRun &) = delete;

private:
  Run *&slot_;
  Run *previous_;
};

/// A cancel token for a run to stop itself with (Run::stop). Creating one
/// costs an allocation, so they are kept per thread, one per nesting depth,
/// and reset after a run that triggered its own.
inline backoff_cancel *stop_token(std::size_t depth) {
  static thread_local std::vector<Cancel> tokens;
  while (tokens.size() <= depth)
    tokens.emplace_back();
  return tokens[depth].native_handle();
}

inline Details details_of(const backoff_details &d, const Run &run) noexcept {
  Details out;
  out.label = d.label;
  out.tries = d.tries;
  out.elapsed = seconds(d.elapsed);
  out.wait = seconds(d.wait);
  out.total_wait = seconds(d.total_wait);
  out.remaining = seconds(d.remaining);
  out.status = static_cast<Status>(d.outcome);
  out.exception = run.attempt_error;
  return out;
}

// Closures are owned by the C policy: allocated here, freed by its destroy
// callback when replaced or when the policy is freed.
template <class F> void *own(F &&f) {
  return new std::decay_t<F>(std::forward<F>(f));
}
template <class Fn> void destroy(void *data) noexcept {
  delete static_cast<Fn *>(data);
}
template <class Fn> Fn &closure(void *data) noexcept {
  return *static_cast<Fn *>(data);
}

/// Calls f with a number of seconds, as a double or as backoff::seconds,
/// whichever f accepts.
template <class F, class... Rest>
decltype(auto) call_with_seconds(F &f, double s, Rest... rest) {
  if constexpr (std::is_invocable_v<F &, double, Rest...>)
    return f(s, rest...);
  else
    return f(seconds(s), rest...);
}

// ---- trampolines: the only functions the C core calls -------------------

template <class Fn>
void hook(const backoff_details *d, void *data) noexcept {
  Run &run = Run::of(d);
  if (run.failed()) // the run is ending because of it: no more user code
    return;
  try {
    closure<Fn>(data)(details_of(*d, run));
  } catch (...) {
    run.fail(std::current_exception());
  }
}

template <class Fn>
void log(int level, const char *message, const backoff_details *d,
         void *data) noexcept {
  Run &run = Run::of(d);
  if (run.failed())
    return;
  try {
    closure<Fn>(data)(level, std::string_view(message), details_of(*d, run));
  } catch (...) {
    run.fail(std::current_exception());
  }
}

template <class Fn>
double wait(const backoff_details *d, void *data) noexcept {
  Run &run = Run::of(d);
  try {
    return Duration(closure<Fn>(data)(details_of(*d, run))).count();
  } catch (...) {
    run.fail(std::current_exception());
    return -1.0; // ends the run (exhausted) without another attempt
  }
}

template <class Fn>
double jitter(double wait, double uniform, void *data) noexcept {
  try {
    return Duration(call_with_seconds(closure<Fn>(data), wait, uniform))
        .count();
  } catch (...) {
    current_run()->fail(std::current_exception());
    return 0.0;
  }
}

template <class Fn> unsigned max_tries(void *data) noexcept {
  try {
    return static_cast<unsigned>(closure<Fn>(data)());
  } catch (...) {
    current_run()->fail(std::current_exception());
    return 1; // the attempt is skipped anyway: the run has failed
  }
}

template <class Fn> double max_time(void *data) noexcept {
  try {
    return Duration(closure<Fn>(data)()).count();
  } catch (...) {
    current_run()->fail(std::current_exception());
    return 0.0;
  }
}

template <class Fn> double clock(void *data) noexcept {
  try {
    return Duration(closure<Fn>(data)()).count();
  } catch (...) {
    current_run()->fail(std::current_exception());
    return 0.0;
  }
}

template <class Fn> void sleep(double s, void *data) noexcept {
  Run &run = *current_run();
  if (run.failed())
    return;
  try {
    call_with_seconds(closure<Fn>(data), s);
  } catch (...) {
    run.fail(std::current_exception());
  }
}

// Classification. An attempt returns its verdict as its return code (it is
// the only code that knows the exception's type); the policy's classifier
// hands it to the core, after the give-up predicate had its say.

inline int verdict_of(const backoff_details *d, void *) noexcept {
  return d->last_rc;
}

template <class E, class Pred>
int giveup_verdict(const backoff_details *d, void *data) noexcept {
  Run &run = Run::of(d);
  if (d->last_rc != BACKOFF_VERDICT_RETRY || !run.attempt_error)
    return d->last_rc;
  try {
    std::rethrow_exception(run.attempt_error);
  } catch (const E &e) {
    try {
      return closure<Pred>(data)(e) ? BACKOFF_VERDICT_GIVE_UP
                                    : BACKOFF_VERDICT_RETRY;
    } catch (...) {
      run.fail(std::current_exception());
      return BACKOFF_VERDICT_PASS_THROUGH;
    }
  } catch (...) {
    return BACKOFF_VERDICT_RETRY; // not the predicate's type
  }
}

// Attempts: one per kind of call, instantiated per callable type.

template <class T> struct Slot {
  std::optional<T> value;
  template <class F> void fill(F &f) { value.emplace(f()); }
};
template <> struct Slot<void> {
  template <class F> void fill(F &f) { f(); }
};

/// Runs the attempt inside one try block per exception type to retry:
/// a match is retried, anything else passes through.
template <class... E> struct Catching {
  template <class Attempt> static int invoke(Attempt &a) {
    a.slot.fill(a.f);
    return BACKOFF_VERDICT_SUCCESS;
  }
};
template <class E, class... Rest> struct Catching<E, Rest...> {
  template <class Attempt> static int invoke(Attempt &a) {
    try {
      return Catching<Rest...>::invoke(a);
    } catch (const E &) {
      a.attempt_error = std::current_exception();
      return BACKOFF_VERDICT_RETRY;
    }
  }
};

template <class T, class F, class... E> struct ExceptionAttempt : Run {
  F &f;
  Slot<T> slot;

  explicit ExceptionAttempt(F &fn) : f(fn) {}

  static int call(void *user_data) noexcept {
    auto &a = static_cast<ExceptionAttempt &>(*static_cast<Run *>(user_data));
    if (a.failed())
      return BACKOFF_VERDICT_PASS_THROUGH;
    a.attempt_error = nullptr; // a success leaves no "last exception"
    try {
      return Catching<E...>::invoke(a);
    } catch (...) {
      a.attempt_error = std::current_exception();
      return BACKOFF_VERDICT_PASS_THROUGH;
    }
  }
};

template <class T, class F, class Pred> struct PredicateAttempt : Run {
  F &f;
  Pred &retry_if;
  Slot<T> slot;

  PredicateAttempt(F &fn, Pred &pred) : f(fn), retry_if(pred) {}

  static int call(void *user_data) noexcept {
    auto &a = static_cast<PredicateAttempt &>(*static_cast<Run *>(user_data));
    if (a.failed())
      return BACKOFF_VERDICT_PASS_THROUGH;
    try {
      a.slot.fill(a.f);
    } catch (...) { // the reference's on_predicate: exceptions propagate
      a.attempt_error = std::current_exception();
      return BACKOFF_VERDICT_PASS_THROUGH;
    }
    try {
      return a.retry_if(std::as_const(*a.slot.value)) ? BACKOFF_VERDICT_RETRY
                                                      : BACKOFF_VERDICT_SUCCESS;
    } catch (...) {
      a.fail(std::current_exception());
      return BACKOFF_VERDICT_PASS_THROUGH;
    }
  }
};

template <class F> using result_t = std::decay_t<std::invoke_result_t<F &>>;

/// The exception type a give-up predicate takes: the type of its parameter
/// when it has exactly one call operator, std::exception otherwise (generic
/// lambdas).
template <class M> struct parameter_of_call {
  using type = std::exception;
};
template <class C, class R, class A> struct parameter_of_call<R (C::*)(A)> {
  using type = std::decay_t<A>;
};
template <class C, class R, class A>
struct parameter_of_call<R (C::*)(A) const> {
  using type = std::decay_t<A>;
};
template <class C, class R, class A>
struct parameter_of_call<R (C::*)(A) noexcept> {
  using type = std::decay_t<A>;
};
template <class C, class R, class A>
struct parameter_of_call<R (C::*)(A) const noexcept> {
  using type = std::decay_t<A>;
};

template <class F, class = void> struct exception_parameter {
  using type = std::exception;
};
template <class F>
struct exception_parameter<F, std::void_t<decltype(&F::operator())>> {
  using type = typename parameter_of_call<decltype(&F::operator())>::type;
};
template <class R, class A> struct exception_parameter<R (*)(A)> {
  using type = std::decay_t<A>;
};

template <class F>
using if_invocable = std::enable_if_t<std::is_invocable_v<F &>, int>;

} // namespace detail

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
  /// The library's defaults: expo wait 1, 2, 4, 8 … seconds, full jitter,
  /// no limits (retries until success), no hooks.
  Policy() {
    detail::check(backoff_policy_new(&p_), "backoff_policy_new");
    const backoff_status s =
        backoff_policy_classify(p_, &detail::verdict_of, nullptr, nullptr);
    if (s != BACKOFF_OK) {
      backoff_policy_free(p_);
      detail::check(s, "backoff_policy_classify");
    }
  }
  ~Policy() { backoff_policy_free(p_); }
  Policy(Policy &&other) noexcept
      : p_(std::exchange(other.p_, nullptr)),
        stop_on_callback_error_(other.stop_on_callback_error_) {}
  Policy &operator=(Policy &&other) noexcept {
    std::swap(p_, other.p_);
    std::swap(stop_on_callback_error_, other.stop_on_callback_error_);
    return *this;
  }
  Policy(const Policy &) = delete;
  Policy &operator=(const Policy &) = delete;

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
    detail::check(backoff_policy_jitter_custom(p_, &detail::jitter<Fn>,
                                               detail::own(std::forward<F>(fn)),
                                               &detail::destroy<Fn>),
                  "backoff_policy_jitter_custom");
    return *this;
  }

  // ---- limits --------------------------------------------------------------

  /// Total attempts, the first included; 0 means unlimited.
  Policy &max_tries(unsigned n) {
    detail::check(backoff_policy_max_tries(p_, n), "backoff_policy_max_tries");
    return *this;
  }
  /// max_tries computed by fn() at the start of each run.
  template <class F, detail::if_invocable<F> = 0> Policy &max_tries(F &&fn) {
    using Fn = std::decay_t<F>;
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
    detail::check(backoff_policy_max_time_fn(p_, &detail::max_time<Fn>,
                                             detail::own(std::forward<F>(fn)),
                                             &detail::destroy<Fn>),
                  "backoff_policy_max_time_fn");
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
  /// throws backoff::Cancelled when cancelled. Exceptions that are not
  /// std::exception are let out at once.
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
  /// on_predicate — and returns the last result, also on give-up. An
  /// exception from f is let out at once; cancellation throws Cancelled.
  template <class F, class Pred>
  detail::result_t<F> retry_while(F &&f, Pred &&retry_if,
                                  const RunOptions &options = {}) const {
    using T = detail::result_t<F>;
    static_assert(!std::is_void_v<T>, "retry_while needs a value to test");
    detail::PredicateAttempt<T, std::remove_reference_t<F>,
                             std::remove_reference_t<Pred>>
        attempt(f, retry_if);
    const backoff_status s = drive(attempt, options, nullptr);
    if (s == BACKOFF_CANCELLED || s == BACKOFF_PASSED_THROUGH)
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
    std::rethrow_exception(last);
  }

  backoff_policy *p_ = nullptr;
  /// Set once the policy holds a callback that runs between the decision to
  /// retry and the sleep (on_backoff, log, clock): a run without a token of
  /// the caller's then gets one of its own, so that such a callback
  /// throwing does not sleep first.
  bool stop_on_callback_error_ = false;
};

template <class Attempt>
backoff_status Policy::drive(Attempt &attempt, const RunOptions &options,
                             backoff_details *details) const {
  detail::Run &run = attempt;
  const detail::CurrentRun scope(run);
  backoff_run_options o = BACKOFF_RUN_OPTIONS_INIT;
  o.label = options.label;
  if (options.cancel != nullptr)
    o.cancel = options.cancel->native_handle();
  else if (stop_on_callback_error_)
    o.cancel = run.stop = detail::stop_token(run.depth);

  const backoff_status s =
      backoff_run_ex(p_, &Attempt::call, &run, &o, details);
  if (run.callback_error) {
    if (run.stop != nullptr)
      backoff_cancel_reset(run.stop); // ready for this thread's next run
    std::rethrow_exception(run.callback_error);
  }
  detail::check(s, "backoff_run");
  return s;
}

} // namespace backoff

#endif // BACKOFF_BACKOFF_HPP
