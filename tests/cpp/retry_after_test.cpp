// backoff::parse_retry_after: the C library's Retry-After parser from C++.
#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <string>

using namespace std::chrono_literals;
using namespace std::string_literals;

namespace {

// Sun, 06 Nov 1994 08:49:37 GMT
const auto rfc_date = std::chrono::system_clock::time_point(784111777s);

double seconds_of(const std::optional<backoff::seconds> &s) {
  REQUIRE(s.has_value());
  return s->count();
}

} // namespace

TEST_CASE("delay-seconds") {
  CHECK(seconds_of(backoff::parse_retry_after("120", rfc_date)) == 120);
  CHECK(seconds_of(backoff::parse_retry_after(" \t0 ", rfc_date)) == 0);
}

TEST_CASE("HTTP-dates count from now") {
  const auto now = rfc_date - 90s;
  CHECK(seconds_of(backoff::parse_retry_after(
            "Sun, 06 Nov 1994 08:49:37 GMT", now)) == 90);
  CHECK(seconds_of(backoff::parse_retry_after(
            "Sunday, 06-Nov-94 08:49:37 GMT", now)) == 90); // RFC 850
  CHECK(seconds_of(backoff::parse_retry_after("Sun Nov  6 08:49:37 1994",
                                              now)) == 90); // asctime
  CHECK(seconds_of(backoff::parse_retry_after(
            "Sun, 06 Nov 1994 08:49:37 GMT", rfc_date + 1h)) == 0); // past
}

TEST_CASE("sub-second precision of now is kept") {
  CHECK(seconds_of(backoff::parse_retry_after(
            "Sun, 06 Nov 1994 08:49:37 GMT", rfc_date - 1500ms)) == 1.5);
}

TEST_CASE("a malformed value is nullopt, not an exception") {
  CHECK_FALSE(backoff::parse_retry_after("soon", rfc_date));
  CHECK_FALSE(backoff::parse_retry_after("", rfc_date));
  CHECK_FALSE(backoff::parse_retry_after("-1", rfc_date));
  CHECK_FALSE(backoff::parse_retry_after("Sun, 06 Nov 1994 08:49:37 UTC",
                                         rfc_date));
  // C would read "120" and ignore the rest: a NUL makes the value malformed.
  CHECK_FALSE(backoff::parse_retry_after("120\0 garbage"s, rfc_date));
}

TEST_CASE("now defaults to the system clock") {
  CHECK(seconds_of(backoff::parse_retry_after("5")) == 5);
  CHECK(seconds_of(backoff::parse_retry_after(
            "Sun, 06 Nov 1994 08:49:37 GMT")) == 0);
}
