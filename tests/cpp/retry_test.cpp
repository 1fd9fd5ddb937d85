#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "fake_time.hpp"

namespace {

struct Transient : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct Timeout : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct Fatal : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct HttpError : std::runtime_error {
  int code;
  explicit HttpError(int c) : std::runtime_error("http"), code(c) {}
};

// Counts the hooks that ran, to check that pass-through runs none.
struct HookCounts {
  int tries = 0, backoffs = 0, successes = 0, giveups = 0;
};

backoff::Policy counting_policy(const std::shared_ptr<FakeTime> &t,
                                HookCounts &counts) {
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_constant(1)
      .max_tries(3)
      .on_try([&](const backoff::Details &) { ++counts.tries; })
      .on_backoff([&](const backoff::Details &) { ++counts.backoffs; })
      .on_success([&](const backoff::Details &) { ++counts.successes; })
      .on_giveup([&](const backoff::Details &) { ++counts.giveups; });
  return policy;
}

} // namespace

TEST_CASE("retry returns the value of the first success") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_constant(1);
  int calls = 0;
  const std::string value = policy.retry([&] {
    if (++calls < 3)
      throw Transient("not yet");
    return std::string("done");
  });
  CHECK(value == "done");
  CHECK(calls == 3);
  CHECK(t->waits == std::vector<double>{1, 1});
}

TEST_CASE("retry of a void callable") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  int calls = 0;
  policy.retry([&] {
    if (++calls < 2)
      throw Transient("not yet");
  });
  CHECK(calls == 2);
}

TEST_CASE("retry works with move-only results and callables kept by "
          "reference") {
  backoff::Policy policy;
  auto make = [] { return std::make_unique<int>(5); };
  std::unique_ptr<int> p = policy.retry(make);
  REQUIRE(p);
  CHECK(*p == 5);
}

TEST_CASE("on give-up the last exception is rethrown") {
  auto t = std::make_shared<FakeTime>();
  HookCounts counts;
  backoff::Policy policy = counting_policy(t, counts);
  int calls = 0;
  try {
    policy.retry([&]() -> int {
      throw Transient("try " + std::to_string(++calls));
    });
    FAIL("no exception");
  } catch (const Transient &e) {
    CHECK(std::string(e.what()) == "try 3");
  }
  CHECK(calls == 3);
  CHECK(counts.tries == 3);
  CHECK(counts.backoffs == 2);
  CHECK(counts.giveups == 1);
  CHECK(counts.successes == 0);
}

TEST_CASE("retry lets a non-std::exception out at once") {
  auto t = std::make_shared<FakeTime>();
  HookCounts counts;
  backoff::Policy policy = counting_policy(t, counts);
  int calls = 0;
  CHECK_THROWS_AS(policy.retry([&] {
    ++calls;
    throw 42;
  }),
                  int);
  CHECK(calls == 1);
  CHECK(counts.giveups == 0);
}

TEST_CASE("retry_on retries only the listed types (and derived ones)") {
  auto t = std::make_shared<FakeTime>();
  HookCounts counts;
  backoff::Policy policy = counting_policy(t, counts);
  policy.max_tries(0u);

  int calls = 0;
  const int value = policy.retry_on<Transient, Timeout>([&] {
    ++calls;
    if (calls == 1)
      throw Transient("a");
    if (calls == 2)
      throw Timeout("b");
    return calls;
  });
  CHECK(value == 3);
  CHECK(counts.backoffs == 2);

  SECTION("an exception that must not be retried passes through untouched") {
    counts = HookCounts{};
    calls = 0;
    try {
      policy.retry_on<Transient, Timeout>([&]() -> int {
        ++calls;
        throw Fatal("stop");
      });
      FAIL("no exception");
    } catch (const Fatal &e) {
      CHECK(std::string(e.what()) == "stop");
    }
    CHECK(calls == 1);
    CHECK(counts.tries == 1);
    CHECK(counts.backoffs == 0);
    CHECK(counts.giveups == 0); // no hook after a pass-through
    CHECK(counts.successes == 0);
    CHECK(t->waits == std::vector<double>{1, 1});
  }
  SECTION("the base class catches derived exceptions") {
    calls = 0;
    CHECK(policy.retry_on<std::runtime_error>([&] {
      if (++calls < 2)
        throw Fatal("derived");
      return calls;
    }) == 2);
  }
}

TEST_CASE("a give-up predicate costs a run no clock read") {
  // The attempt asks the predicate and hands the core its verdict: the
  // policy has no classifier, which would make the core read the clock
  // before judging each attempt. A run nobody observes (no limit, hook or
  // log, no details asked for) then reads no clock at all.
  int reads = 0;
  backoff::Policy policy;
  policy.wait_constant(0)
      .clock([&reads] {
        ++reads;
        return 0.0;
      })
      .giveup([](const HttpError &e) { return e.code < 500; });
  int calls = 0;
  CHECK(policy.retry([&] {
    if (++calls < 2)
      throw HttpError(503);
    return calls;
  }) == 2);
  CHECK_THROWS_AS(policy.retry([]() -> int { throw HttpError(404); }),
                  HttpError);
  CHECK(reads == 0);
}

TEST_CASE("a give-up predicate stops at once and runs on_giveup") {
  auto t = std::make_shared<FakeTime>();
  HookCounts counts;
  backoff::Policy policy = counting_policy(t, counts);
  policy.max_tries(10).giveup(
      [](const HttpError &e) { return e.code < 500; });

  int calls = 0;
  const auto codes = std::vector<int>{503, 502, 404, 500};
  try {
    policy.retry([&]() -> int { throw HttpError(codes.at(calls++)); });
    FAIL("no exception");
  } catch (const HttpError &e) {
    CHECK(e.code == 404);
  }
  CHECK(calls == 3);
  CHECK(counts.backoffs == 2);
  CHECK(counts.giveups == 1);

  SECTION("other exception types are retried as usual") {
    calls = 0;
    CHECK(policy.retry([&] {
      if (++calls < 3)
        throw Transient("x");
      return calls;
    }) == 3);
  }
  SECTION("the outcome says fatal") {
    const auto out = policy.try_retry([]() -> int { throw HttpError(400); });
    CHECK(out.status == backoff::Status::gave_up_fatal);
    CHECK(out.tries == 1);
  }
  SECTION("an explicit type with a generic lambda") {
    policy.giveup<HttpError>([](const auto &e) { return e.code == 418; });
    calls = 0;
    CHECK_THROWS_AS(policy.retry([&]() -> int {
      throw HttpError(++calls == 1 ? 500 : 418);
    }),
                    HttpError);
    CHECK(calls == 2);
  }
}

TEST_CASE("try_retry returns the outcome instead of throwing") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_constant(2).max_tries(3);

  SECTION("success") {
    int calls = 0;
    const auto out = policy.try_retry([&] {
      if (++calls < 2)
        throw Transient("x");
      return 10;
    });
    REQUIRE(out);
    CHECK(out.status == backoff::Status::ok);
    CHECK(out.value == 10);
    CHECK(out.tries == 2);
    CHECK(out.total_wait.count() == 2);
    CHECK(out.error == nullptr);
  }
  SECTION("give-up keeps the last exception") {
    int calls = 0;
    const auto out = policy.try_retry([&]() -> int {
      throw Transient(std::to_string(++calls));
    });
    CHECK_FALSE(out);
    CHECK(out.status == backoff::Status::gave_up_tries);
    CHECK_FALSE(out.value.has_value());
    CHECK(out.tries == 3);
    CHECK(out.elapsed.count() == 4); // the fake clock advanced by the waits
    REQUIRE(out.error != nullptr);
    CHECK_THROWS_WITH(std::rethrow_exception(out.error), "3");
  }
  SECTION("void") {
    const backoff::Outcome<void> out = policy.try_retry([] {});
    CHECK(out.ok());
    CHECK(out.tries == 1);
  }
  SECTION("pass-through") {
    const auto out = policy.try_retry_on<Timeout>([]() -> int {
      throw Fatal("no");
    });
    CHECK(out.status == backoff::Status::passed_through);
    CHECK(out.tries == 1);
    CHECK_THROWS_AS(std::rethrow_exception(out.error), Fatal);
  }
}

TEST_CASE("Status names come from the library") {
  CHECK(std::string(backoff::to_string(backoff::Status::gave_up_tries)) ==
        backoff_strerror(BACKOFF_GAVE_UP_TRIES));
}
