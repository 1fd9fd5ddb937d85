// libbackoff for C++: server hints. An attempt says "retry after d" by
// throwing RetryAfter, a retry_while predicate by answering retry_after(d);
// parse_retry_after reads an HTTP Retry-After header. The wrapper hands the
// hint to the C core, which applies the one rule every language follows
// (see backoff_policy_hint in backoff.h). Include <backoff/backoff.hpp>.
#ifndef BACKOFF_CPP_RETRY_AFTER_HPP
#define BACKOFF_CPP_RETRY_AFTER_HPP

#include <backoff/cpp/common.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace backoff {

/// Thrown by an attempt to say "this failed; retry after `wait`", e.g. on an
/// HTTP 429 with a Retry-After. It is always retried, whatever exception
/// types the run retries: the wait replaces the policy's next wait for that
/// one backoff (no jitter, the generator does not advance), and a wait
/// beyond the time left before max_time, beyond hint_max, or infinite, ends
/// the run at once on time. A negative or NaN wait is no hint: the policy's
/// own wait is used. The cause is what the run reports as the attempt's
/// error (Details::exception, Outcome::error, the exception rethrown on
/// give-up, what a giveup predicate judges); without a cause, the RetryAfter
/// itself.
class RetryAfter : public std::runtime_error {
public:
  explicit RetryAfter(Duration wait, std::exception_ptr cause = nullptr)
      : std::runtime_error(describe(wait.count(), cause)), wait_(wait.count()),
        cause_(std::move(cause)) {}

  /// RetryAfter(2s, HttpError(429)): the cause is copied into the exception.
  template <class E, class = std::enable_if_t<std::is_base_of_v<
                         std::exception, std::remove_reference_t<E>>>>
  RetryAfter(Duration wait, E &&cause)
      : RetryAfter(wait, std::make_exception_ptr(std::forward<E>(cause))) {}

  seconds wait() const noexcept { return seconds(wait_); }
  const std::exception_ptr &cause() const noexcept { return cause_; }

private:
  static std::string describe(double wait, const std::exception_ptr &cause) {
    char head[64];
    std::snprintf(head, sizeof head, "retry after %gs", wait);
    std::string text = head;
    if (cause) {
      try {
        std::rethrow_exception(cause);
      } catch (const std::exception &e) {
        text += std::string(": ") + e.what();
      } catch (...) { // a cause of another type has no text to add
      }
    }
    return text;
  }

  double wait_;
  std::exception_ptr cause_;
};

/// What a retry_while predicate answers: a bool (true: retry on the policy's
/// wait), or retry_after(d) (retry on the server's wait, under the same
/// rule as RetryAfter).
class Verdict {
public:
  Verdict(bool retry) noexcept : retry_(retry) {}

  bool retry() const noexcept { return retry_; }
  /// The server's wait in seconds; negative when there is none.
  double hint() const noexcept { return hint_; }

private:
  friend Verdict retry_after(Duration wait) noexcept;
  bool retry_;
  double hint_ = -1.0;
};

/// Retry, after `wait` (a server's instruction) instead of the policy's
/// wait. A negative or NaN wait is no hint.
inline Verdict retry_after(Duration wait) noexcept {
  Verdict v(true);
  v.hint_ = wait.count() >= 0.0 ? wait.count() : -1.0;
  return v;
}

/// Reads an HTTP Retry-After value (RFC 9110): delay-seconds ("120") or an
/// HTTP-date ("Sun, 06 Nov 1994 08:49:37 GMT", a date at or before `now`
/// giving 0). Returns the wait, or nullopt when the value is malformed — a
/// server's answer, not a programming error, so no exception; a NUL byte
/// in it makes it malformed. Runs the C library's parser.
inline std::optional<seconds> parse_retry_after(
    std::string_view value,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) {
  if (detail::nul_offset(value) != std::string_view::npos)
    return std::nullopt;
  const detail::CString text(value, "Retry-After value");
  const double unix_now =
      std::chrono::duration_cast<seconds>(now.time_since_epoch()).count();
  double wait = 0.0;
  const backoff_status s =
      backoff_parse_retry_after(text.c_str(), unix_now, &wait);
  if (s == BACKOFF_E_PARSE)
    return std::nullopt;
  detail::check(s, "backoff_parse_retry_after");
  return seconds(wait);
}

} // namespace backoff

#endif // BACKOFF_CPP_RETRY_AFTER_HPP
