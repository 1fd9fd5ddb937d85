// libbackoff for C++, internals: the state of one retry call, the noexcept
// trampolines the C core calls, and the attempts that turn the operation's
// exceptions into return codes. Include <backoff/backoff.hpp>.
//
// How C++ crosses the C frames: nothing ever unwinds through the library.
// Every function the core calls back (the attempt, hooks, waits, jitter,
// clock, sleep, limits) is a `noexcept` trampoline that catches what the
// user's code throws and stores it as a std::exception_ptr in the run's own
// state; the run is then made to stop, and the exception is rethrown only
// after backoff_run has returned.
//
// How an attempt reports to the core, and why so: the core's default
// classifier (0 ends the run, anything else is retried) costs nothing,
// while any custom classifier makes the core read the clock after every
// attempt, success included. So an attempt returns kAttemptDone or
// kAttemptFailed, and a classifier is installed only for giveup(). An
// exception that is not the run's to retry (a pass-through) is then reported
// as the end of the run: the attempt returns kAttemptDone and marks the run
// passed_through, the wrapper's on_success trampolines stay silent for it,
// and the run's status is PASSED_THROUGH. With giveup()'s classifier the
// core is told PASS_THROUGH itself.
#ifndef BACKOFF_CPP_RUN_HPP
#define BACKOFF_CPP_RUN_HPP

#include <backoff/cpp/cancel.hpp>
#include <backoff/cpp/common.hpp>
#include <backoff/cpp/retry_after.hpp>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace backoff::detail {

/// What an attempt returns to the core.
constexpr int kAttemptDone = 0;   ///< success, or the run ends otherwise
constexpr int kAttemptFailed = 1; ///< a failure the run may retry

/// State of one retry call, on its stack. Every callback of the run reaches
/// it: through backoff_details::user_data when the core passes details, and
/// through current_run() otherwise (sleep, clock, jitter, limits).
struct Run {
  std::exception_ptr attempt_error;  ///< what the operation last threw
  std::exception_ptr callback_error; ///< what a callback threw: ends the run
  backoff_cancel *stop = nullptr;    ///< triggered when a callback throws
  std::size_t depth = 0;             ///< how many runs this one is inside
  double hint = -1.0; ///< this attempt's server hint; negative: none
  bool passed_through = false; ///< ended by an exception not retried

  bool failed() const noexcept { return callback_error != nullptr; }
  /// No more user hooks: a callback failed, or the run passed through.
  bool silenced() const noexcept { return passed_through || failed(); }

  /// Records the first exception a callback threw and makes the run stop
  /// (the attempt is skipped and the run passes through; a sleep about to
  /// start is interrupted through the stop token).
  void fail(std::exception_ptr e) noexcept {
    if (!callback_error)
      callback_error = std::move(e);
    if (stop != nullptr)
      backoff_cancel_trigger(stop);
  }

  void start_attempt() noexcept {
    if (attempt_error) // a success leaves no "last exception"
      attempt_error = nullptr;
    hint = -1.0;
  }

  /// Ends the run at once, no hook, status PASSED_THROUGH.
  int pass_through() noexcept {
    passed_through = true;
    return kAttemptDone;
  }

  /// The attempt threw RetryAfter (being handled): a retriable failure that
  /// carries the server's wait.
  int retry_after(const RetryAfter &r) noexcept {
    attempt_error = r.cause() ? r.cause() : std::current_exception();
    hint = r.wait().count() >= 0.0 ? r.wait().count() : -1.0; // NaN: none
    return kAttemptFailed;
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

/// Registers a run as the current one for its duration, when `active`:
/// a policy whose callables all receive details needs no registration.
/// depth counts the registered runs this one is inside, which keeps the
/// stop tokens of nested runs apart (every run with a token registers).
class CurrentRun {
public:
  CurrentRun(Run &run, bool active) noexcept
      : slot_(active ? &current_run() : nullptr) {
    if (slot_ == nullptr)
      return;
    previous_ = *slot_;
    run.depth = previous_ != nullptr ? previous_->depth + 1 : 0;
    *slot_ = &run;
  }
  ~CurrentRun() {
    if (slot_ != nullptr)
      *slot_ = previous_;
  }
  CurrentRun(const CurrentRun &) = delete;
  CurrentRun &operator=(const CurrentRun &) = delete;

private:
  Run **slot_;
  Run *previous_ = nullptr;
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
  if (d.hint >= 0.0)
    out.hint = seconds(d.hint);
  out.exception = run.attempt_error;
  return out;
}

/// A number of tries as the C library's unsigned, refusing what it cannot
/// mean: a negative count would wrap to about four billion tries, a count
/// past UINT_MAX would be cut.
template <class N> unsigned tries_count(N n) {
  static_assert(std::is_integral_v<N> && !std::is_same_v<N, bool>,
                "a number of tries is a whole number");
  if constexpr (std::is_signed_v<N>) {
    if (n < 0)
      throw std::invalid_argument("backoff: max_tries: negative number of "
                                  "tries " +
                                  std::to_string(n) + " (0 means unlimited)");
  }
  if constexpr (static_cast<std::uintmax_t>(std::numeric_limits<N>::max()) >
                UINT_MAX) {
    if (static_cast<std::uintmax_t>(n) > UINT_MAX)
      throw std::invalid_argument("backoff: max_tries: " + std::to_string(n) +
                                  " tries is more than the library counts");
  }
  return static_cast<unsigned>(n);
}

// Closures are owned by the C objects: allocated here, freed by their
// destroy callback when replaced or when the object is freed.
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
  if (run.silenced()) // the run is ending because of it: no more user code
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
  if (run.silenced())
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

/// The policy's hint function: what the attempt left in its run.
inline double pending_hint(const backoff_details *d, void *) noexcept {
  return Run::of(d).hint;
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
    return tries_count(closure<Fn>(data)());
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

/// giveup()'s classifier: the predicate judges a retriable exception of
/// type E; everything else keeps the attempt's verdict.
template <class E, class Pred>
int giveup_verdict(const backoff_details *d, void *data) noexcept {
  Run &run = Run::of(d);
  if (run.passed_through)
    return BACKOFF_VERDICT_PASS_THROUGH;
  if (d->last_rc != kAttemptFailed)
    return BACKOFF_VERDICT_SUCCESS;
  if (!run.attempt_error) // retry_while's predicate asked for a retry
    return BACKOFF_VERDICT_RETRY;
  try {
    std::rethrow_exception(run.attempt_error);
  } catch (const E &e) {
    try {
      return closure<Pred>(data)(e) ? BACKOFF_VERDICT_GIVE_UP
                                    : BACKOFF_VERDICT_RETRY;
    } catch (...) {
      run.fail(std::current_exception());
      run.passed_through = true;
      return BACKOFF_VERDICT_PASS_THROUGH;
    }
  } catch (...) {
    return BACKOFF_VERDICT_RETRY; // not the predicate's type
  }
}

// ---- attempts: one per kind of call, instantiated per callable type -----

template <class T> struct Slot {
  std::optional<T> value;
  template <class F> void fill(F &f) { value.emplace(f()); }
};
template <> struct Slot<void> {
  template <class F> void fill(F &f) { f(); }
};

/// Runs the attempt inside one try block per exception type to retry: a
/// match is retried, anything else passes through. RetryAfter is caught
/// innermost, so that no listed base class takes it for a plain failure.
template <class... E> struct Catching {
  template <class Attempt> static int invoke(Attempt &a) {
    try {
      a.slot.fill(a.f);
      return kAttemptDone;
    } catch (const RetryAfter &r) {
      return a.retry_after(r);
    }
  }
};
template <class E, class... Rest> struct Catching<E, Rest...> {
  template <class Attempt> static int invoke(Attempt &a) {
    try {
      return Catching<Rest...>::invoke(a);
    } catch (const E &) {
      a.attempt_error = std::current_exception();
      return kAttemptFailed;
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
      return a.pass_through();
    a.start_attempt();
    try {
      return Catching<E...>::invoke(a);
    } catch (...) {
      a.attempt_error = std::current_exception();
      return a.pass_through();
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
      return a.pass_through();
    a.start_attempt();
    try {
      a.slot.fill(a.f);
    } catch (const RetryAfter &r) {
      a.slot.value.reset(); // this attempt has no value to report
      return a.retry_after(r);
    } catch (...) { // the reference's on_predicate: exceptions propagate
      a.attempt_error = std::current_exception();
      return a.pass_through();
    }
    try {
      const Verdict verdict = a.retry_if(std::as_const(*a.slot.value));
      if (!verdict.retry())
        return kAttemptDone;
      a.hint = verdict.hint();
      return kAttemptFailed;
    } catch (...) {
      a.fail(std::current_exception());
      return a.pass_through();
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

} // namespace backoff::detail

#endif // BACKOFF_CPP_RUN_HPP
