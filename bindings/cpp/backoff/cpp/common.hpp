// libbackoff for C++: the vocabulary every part of the wrapper shares —
// durations, statuses, what hooks see, what runs report, the exceptions the
// wrapper throws, and the one place C statuses become C++ exceptions.
// Include <backoff/backoff.hpp>, not this file.
#ifndef BACKOFF_CPP_COMMON_HPP
#define BACKOFF_CPP_COMMON_HPP

#include <backoff/backoff.h>

#include <chrono>
#include <cstddef>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

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
  gave_up_budget = BACKOFF_GAVE_UP_BUDGET, ///< the retry budget refused
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

/// Thrown by retry() and retry_on() when the policy's retry budget refused a
/// retry (Status::gave_up_budget). The service is failing for many callers
/// at once: this is the moment to shed load, not to rethrow the operation's
/// error as if it were this call's own. last_error() is that error.
class BudgetExhausted : public std::runtime_error {
public:
  explicit BudgetExhausted(std::exception_ptr last)
      : std::runtime_error(backoff_strerror(BACKOFF_GAVE_UP_BUDGET)),
        last_(std::move(last)) {}

  /// What the last attempt threw.
  const std::exception_ptr &last_error() const noexcept { return last_; }

private:
  std::exception_ptr last_;
};

/// A malformed policy spec (Policy::parse, Policy::spec): where and why.
class SpecError : public std::invalid_argument {
public:
  SpecError(std::size_t offset, const std::string &message)
      : std::invalid_argument("policy spec, at byte " + std::to_string(offset) +
                              ": " + message),
        offset_(offset), message_(message) {}

  /// Byte offset of the offending token in the spec.
  std::size_t offset() const noexcept { return offset_; }
  /// The library's description of the problem, e.g. "unknown setting 'x'".
  const std::string &message() const noexcept { return message_; }

private:
  std::size_t offset_;
  std::string message_;
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
  /// The server's hint carried by the last failed attempt (RetryAfter, or
  /// retry_after() from a retry_while predicate); in on_backoff it tells
  /// that `wait` is the server's, in on_giveup that the hint ended the run.
  std::optional<seconds> hint;
  /// What the last attempt threw, if it threw (null for retry_while runs,
  /// and before the first attempt). For a RetryAfter, its cause.
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
  /// Used in logs and Details; empty gives "operation". Copied for the run;
  /// a NUL byte in it is refused (std::invalid_argument).
  std::string_view label;
};

namespace detail {

/// Throws the C++ exception that matches a negative C status, naming the
/// C function and carrying the library's message. Kept out of line, so
/// that check() costs a run one comparison.
[[noreturn, gnu::noinline, gnu::cold]] inline void
throw_status(backoff_status status, const char *function) {
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

/// Nothing for a success or an outcome; the exception for an error.
inline void check(backoff_status status, const char *function) {
  if (status < 0)
    throw_status(status, function);
}

/// Where a C string would be cut short: the offset of the first NUL byte in
/// `text`, or npos.
inline std::size_t nul_offset(std::string_view text) noexcept {
  return text.find('\0');
}

/// A std::string_view handed to C as a NUL-terminated copy. C would stop at
/// an embedded NUL and silently use a shorter text, so one is refused.
/// Short texts are copied into the object itself: no allocation.
class CString {
public:
  CString(std::string_view text, const char *what) {
    if (const std::size_t at = nul_offset(text); at != std::string_view::npos)
      throw std::invalid_argument(std::string("backoff: ") + what +
                                  " contains a NUL byte at offset " +
                                  std::to_string(at));
    if (text.size() < sizeof small_) {
      if (!text.empty()) // an empty view may hold no pointer to copy from
        std::memcpy(small_, text.data(), text.size());
      small_[text.size()] = '\0';
      c_str_ = small_;
    } else {
      large_.assign(text);
      c_str_ = large_.c_str();
    }
  }
  CString(const CString &) = delete;
  CString &operator=(const CString &) = delete;

  const char *c_str() const noexcept { return c_str_; }

private:
  char small_[64];
  std::string large_;
  const char *c_str_;
};

} // namespace detail

} // namespace backoff

#endif // BACKOFF_CPP_COMMON_HPP
