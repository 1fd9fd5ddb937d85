// Server hints from C++: RetryAfter thrown by an attempt, retry_after()
// answered by a retry_while predicate. The core applies the one rule: the
// hint replaces one wait, unjittered, the generator does not advance, and a
// hint beyond the time left (or hint_max, or infinite) gives up at once.
#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "fake_time.hpp"

using namespace std::chrono_literals;

namespace {

struct HttpError : std::runtime_error {
  int status;
  explicit HttpError(int s)
      : std::runtime_error("HTTP " + std::to_string(s)), status(s) {}
};

// An operation that fails once per entry: with RetryAfter(hint) where the
// entry has one, with a bare HttpError(503) otherwise; then succeeds.
struct Server {
  std::vector<std::optional<double>> hints;
  unsigned calls = 0;

  int operator()() {
    if (calls < hints.size()) {
      const auto hint = hints[calls++];
      if (hint)
        throw backoff::RetryAfter(*hint, HttpError(429));
      throw HttpError(503);
    }
    return static_cast<int>(++calls);
  }
};

// Records what on_backoff and on_giveup see of the hint.
struct HintLog {
  std::vector<std::optional<double>> backoffs;
  std::optional<double> giveup;
  bool gave_up = false;
};

std::optional<double> count_of(const std::optional<backoff::seconds> &s) {
  return s ? std::optional<double>(s->count()) : std::nullopt;
}

void record_hints(backoff::Policy &policy, HintLog &log) {
  policy
      .on_backoff([&log](const backoff::Details &d) {
        log.backoffs.push_back(count_of(d.hint));
      })
      .on_giveup([&log](const backoff::Details &d) {
        log.gave_up = true;
        log.giveup = count_of(d.hint);
      });
}

const std::optional<double> none;

} // namespace

TEST_CASE("a RetryAfter replaces one wait exactly; jitter and the generator "
          "resume where they were") {
  // Seeded full jitter: the waits without hints, then the same run with a
  // hint after the second failure. The hint takes no random draw and does
  // not advance expo, so the jittered waits around it are unchanged.
  auto plain_time = std::make_shared<FakeTime>();
  backoff::Policy plain = fake_time_policy(plain_time);
  plain.jitter(backoff::Jitter::full).seed(11);
  Server plain_server{{none, none, none}};
  CHECK(plain.retry(plain_server) == 4);
  const std::vector<double> jittered = plain_time->waits;
  REQUIRE(jittered.size() == 3);
  CHECK(jittered[0] <= 1.0);
  CHECK(jittered[1] <= 2.0);
  CHECK(jittered[2] <= 4.0);

  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.jitter(backoff::Jitter::full).seed(11);
  HintLog log;
  record_hints(policy, log);
  Server server{{none, 7.0, none, none}};
  CHECK(policy.retry(server) == 5);
  CHECK(t->waits ==
        std::vector<double>{jittered[0], 7.0, jittered[1], jittered[2]});
  CHECK(log.backoffs == std::vector<std::optional<double>>{none, 7.0, none,
                                                           none});
  CHECK_FALSE(log.gave_up);
}

TEST_CASE("a hint longer than the time left gives up at once, on time") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_constant(1).max_time(10s);
  HintLog log;
  record_hints(policy, log);
  Server server{{none, 20.0, none}};

  SECTION("retry rethrows the hint's cause") {
    try {
      policy.retry(server);
      FAIL("no exception");
    } catch (const HttpError &e) {
      CHECK(e.status == 429);
    }
    CHECK(server.calls == 2);
    CHECK(t->waits == std::vector<double>{1.0}); // nothing slept for it
    CHECK(log.gave_up);
    CHECK(log.giveup == 20.0);
  }
  SECTION("try_retry reports gave_up_time and the cause") {
    const auto out = policy.try_retry(server);
    CHECK(out.status == backoff::Status::gave_up_time);
    CHECK(out.tries == 2);
    CHECK(out.total_wait.count() == 1.0);
    CHECK_THROWS_AS(std::rethrow_exception(out.error), HttpError);
  }
  SECTION("a hint that fits is honoured, not shortened") {
    server.hints = {none, 9.0};
    CHECK(policy.retry(server) == 3);
    CHECK(t->waits == std::vector<double>{1.0, 9.0});
  }
}

TEST_CASE("hint_max caps the hints a run honours") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_constant(1).hint_max(5s);

  Server fits{{5.0}};
  CHECK(policy.retry(fits) == 2);
  CHECK(t->waits == std::vector<double>{5.0});

  Server too_long{{6.0}};
  const auto out = policy.try_retry(too_long);
  CHECK(out.status == backoff::Status::gave_up_time);
  CHECK(out.tries == 1);

  SECTION("0 removes the cap") {
    policy.hint_max(0);
    Server again{{6.0}};
    CHECK(policy.retry(again) == 2);
  }
  SECTION("bad caps are refused") {
    CHECK_THROWS_AS(policy.hint_max(-1s), std::invalid_argument);
    CHECK_THROWS_AS(policy.hint_max(std::nan("")), std::invalid_argument);
  }
}

TEST_CASE("an infinite hint means never: the run gives up without a time "
          "limit") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  Server server{{std::numeric_limits<double>::infinity()}};
  const auto out = policy.try_retry(server);
  CHECK(out.status == backoff::Status::gave_up_time);
  CHECK(t->waits.empty());
}

TEST_CASE("a negative or NaN RetryAfter is no hint: the policy's wait") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_constant(2);
  HintLog log;
  record_hints(policy, log);
  std::vector<double> waits; // the sleep is not called for a zero wait
  policy.on_backoff(
      [&](const backoff::Details &d) { waits.push_back(d.wait.count()); });
  Server server{{-1.0, std::nan(""), 0.0}};
  CHECK(policy.retry(server) == 4);
  CHECK(waits == std::vector<double>{2.0, 2.0, 0.0}); // 0 is a hint
  CHECK(log.backoffs == std::vector<std::optional<double>>{none, none, 0.0});
}

TEST_CASE("RetryAfter is retried by every exception form, and its cause is "
          "the attempt's error") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.max_tries(2);
  struct Unrelated : std::runtime_error {
    using std::runtime_error::runtime_error;
  };

  SECTION("retry_on of another type still retries it") {
    int calls = 0;
    CHECK(policy.retry_on<Unrelated>([&] {
      if (++calls == 1)
        throw backoff::RetryAfter(3s, HttpError(429));
      return calls;
    }) == 2);
    CHECK(t->waits == std::vector<double>{3.0});
  }
  SECTION("on give-up the cause is rethrown, and hooks see it") {
    std::string seen;
    policy.on_backoff([&](const backoff::Details &d) {
      try {
        std::rethrow_exception(d.exception);
      } catch (const HttpError &e) {
        seen = e.what();
      }
    });
    CHECK_THROWS_AS(policy.retry_on<Unrelated>([]() -> int {
      throw backoff::RetryAfter(1s, HttpError(429));
    }),
                    HttpError);
    CHECK(seen == "HTTP 429");
  }
  SECTION("without a cause, the RetryAfter itself") {
    try {
      policy.retry([]() -> int { throw backoff::RetryAfter(1.5); });
      FAIL("no exception");
    } catch (const backoff::RetryAfter &e) {
      CHECK(e.wait().count() == 1.5);
      CHECK(e.cause() == nullptr);
      CHECK(std::string(e.what()) == "retry after 1.5s");
    }
  }
  SECTION("the message names the cause") {
    const backoff::RetryAfter e(2s, HttpError(429));
    CHECK(std::string(e.what()) == "retry after 2s: HTTP 429");
  }
}

TEST_CASE("a giveup predicate judges a RetryAfter's cause") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.giveup([](const HttpError &e) { return e.status == 429; });
  const auto out = policy.try_retry(
      []() -> int { throw backoff::RetryAfter(1s, HttpError(429)); });
  CHECK(out.status == backoff::Status::gave_up_fatal);
  CHECK(t->waits.empty());
}

TEST_CASE("retry_while: retry_after(d) from the predicate is a hint") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_expo();
  HintLog log;
  record_hints(policy, log);
  const std::vector<int> statuses{503, 429, 503, 200};
  unsigned calls = 0;
  auto get = [&] { return statuses.at(calls++); };
  auto verdict = [](int status) -> backoff::Verdict {
    if (status == 429)
      return backoff::retry_after(4s);
    return status >= 500;
  };
  CHECK(policy.retry_while(get, verdict) == 200);
  CHECK(t->waits == std::vector<double>{1.0, 4.0, 2.0});
  CHECK(log.backoffs == std::vector<std::optional<double>>{none, 4.0, none});

  SECTION("a hint beyond the time left returns the value that carried it") {
    policy.max_time(3s);
    calls = 0;
    const auto out = policy.try_retry_while(get, verdict);
    CHECK(out.status == backoff::Status::gave_up_time);
    CHECK(out.value == 429);
    CHECK(t->waits == std::vector<double>{1.0, 4.0, 2.0, 1.0});
  }
}

TEST_CASE("retry_while: a RetryAfter thrown by the operation is retried") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.max_tries(3);
  unsigned calls = 0;
  auto op = [&]() -> int {
    if (++calls == 2)
      throw backoff::RetryAfter(5s, HttpError(429));
    return static_cast<int>(calls);
  };
  CHECK(policy.retry_while(op, [](int v) { return v < 3; }) == 3);
  CHECK(t->waits == std::vector<double>{1.0, 5.0});

  SECTION("giving up right after it throws the cause: there is no value") {
    calls = 0;
    t->waits.clear();
    policy.max_tries(2);
    CHECK_THROWS_AS(policy.retry_while(op, [](int) { return true; }),
                    HttpError);
    calls = 0;
    const auto out = policy.try_retry_while(op, [](int) { return true; });
    CHECK(out.status == backoff::Status::gave_up_tries);
    CHECK_FALSE(out.value.has_value());
    CHECK_THROWS_AS(std::rethrow_exception(out.error), HttpError);
  }
}

TEST_CASE("the log line says the wait is the server's") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  std::vector<std::string> lines;
  policy.log([&](int, std::string_view message, const backoff::Details &) {
    lines.emplace_back(message);
  });
  Server server{{2.0}};
  backoff::RunOptions options;
  options.label = "get";
  CHECK(policy.retry(server, options) == 2);
  CHECK(lines == std::vector<std::string>{
                     "Backing off get(...) for 2.0s (rc=1, server hint)"});
}
