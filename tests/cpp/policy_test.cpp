#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "fake_time.hpp"

using namespace std::chrono_literals;

namespace {

// The waits a policy produces for `failures` failed attempts followed by a
// success.
std::vector<double> waits_of(backoff::Policy &policy,
                             const std::shared_ptr<FakeTime> &t,
                             int failures) {
  int calls = 0;
  policy.retry([&] {
    if (calls++ < failures)
      throw std::runtime_error("fail");
  });
  return t->waits;
}

} // namespace

TEST_CASE("Policy is move-only") {
  STATIC_REQUIRE(!std::is_copy_constructible_v<backoff::Policy>);
  STATIC_REQUIRE(!std::is_copy_assignable_v<backoff::Policy>);
  STATIC_REQUIRE(std::is_nothrow_move_constructible_v<backoff::Policy>);
  STATIC_REQUIRE(std::is_nothrow_move_assignable_v<backoff::Policy>);
  STATIC_REQUIRE(!std::is_copy_constructible_v<backoff::Cancel>);
}

TEST_CASE("a moved policy keeps its configuration; the moved-from one is "
          "rejected") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy original = fake_time_policy(t);
  original.wait_constant(3).max_tries(2);

  backoff::Policy moved(std::move(original));
  CHECK_THROWS_AS(moved.retry([]() -> int { throw std::runtime_error("x"); }),
                  std::runtime_error);
  CHECK(t->waits == std::vector<double>{3.0});

  CHECK_THROWS_AS(original.retry([] { return 1; }), std::invalid_argument);
  CHECK_THROWS_AS(original.max_tries(3), std::invalid_argument);

  backoff::Policy assigned;
  assigned = std::move(moved);
  CHECK(assigned.retry([] { return 7; }) == 7);
}

TEST_CASE("bad input throws std::invalid_argument with the library's "
          "message and leaves the policy unchanged") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_constant(2).max_tries(2);

  try {
    policy.wait_expo(-1);
    FAIL("no exception");
  } catch (const std::invalid_argument &e) {
    CHECK(std::string(e.what()) ==
          std::string("backoff_policy_wait_expo: ") +
              backoff_strerror(BACKOFF_E_INVALID));
  }
  CHECK_THROWS_AS(policy.wait_constant(std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(policy.wait_constant(-1s), std::invalid_argument);
  CHECK_THROWS_AS(policy.wait_sequence(std::vector<double>{}),
                  std::invalid_argument);
  CHECK_THROWS_AS(policy.max_time(-1), std::invalid_argument);
  CHECK_THROWS_AS(policy.jitter_proportional(2), std::invalid_argument);
  CHECK_THROWS_AS(policy.log_levels(-1, 0), std::invalid_argument);

  CHECK(waits_of(policy, t, 1) == std::vector<double>{2.0});
}

TEST_CASE("durations are seconds or std::chrono durations alike") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_expo(2, 250ms, 1s);
  CHECK(waits_of(policy, t, 5) ==
        std::vector<double>{0.25, 0.5, 1.0, 1.0, 1.0});

  t->waits.clear();
  policy.wait_expo(2, 0.25, 1.0);
  CHECK(waits_of(policy, t, 5) ==
        std::vector<double>{0.25, 0.5, 1.0, 1.0, 1.0});
}

TEST_CASE("every wait generator is reachable") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);

  SECTION("expo defaults") {
    policy.wait_expo();
    CHECK(waits_of(policy, t, 4) == std::vector<double>{1, 2, 4, 8});
  }
  SECTION("fibo") {
    policy.wait_fibo(4);
    CHECK(waits_of(policy, t, 6) == std::vector<double>{1, 1, 2, 3, 4, 4});
  }
  SECTION("constant") {
    policy.wait_constant(500ms);
    CHECK(waits_of(policy, t, 2) == std::vector<double>{0.5, 0.5});
  }
  SECTION("linear") {
    policy.wait_linear(1, 2, 4);
    CHECK(waits_of(policy, t, 4) == std::vector<double>{1, 3, 4, 4});
  }
  SECTION("decay") {
    policy.wait_decay(8, std::log(2.0), 2);
    const auto waits = waits_of(policy, t, 4);
    REQUIRE(waits.size() == 4);
    CHECK(waits[0] == Approx(8));
    CHECK(waits[1] == Approx(4));
    CHECK(waits[2] == Approx(2));
    CHECK(waits[3] == Approx(2));
  }
  SECTION("a sequence, then give up as exhausted") {
    policy.wait_sequence({1, 2s, 3000ms});
    int calls = 0;
    const auto out = policy.try_retry([&] {
      ++calls;
      throw std::runtime_error("fail");
    });
    CHECK(out.status == backoff::Status::gave_up_exhausted);
    CHECK(calls == 4);
    CHECK(t->waits == std::vector<double>{1, 2, 3});
  }
}

TEST_CASE("a seeded policy jitters reproducibly") {
  auto run = [](std::uint64_t seed) {
    auto t = std::make_shared<FakeTime>();
    backoff::Policy policy = fake_time_policy(t);
    policy.jitter(backoff::Jitter::full).seed(seed);
    return waits_of(policy, t, 5);
  };
  const auto first = run(42);
  CHECK(first == run(42));
  CHECK(first != run(43));
  const std::vector<double> caps{1, 2, 4, 8, 16};
  for (size_t i = 0; i < first.size(); ++i) {
    CHECK(first[i] >= 0.0);
    CHECK(first[i] <= caps[i]);
  }
}

TEST_CASE("custom jitter sees the wait and a uniform draw") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  std::vector<double> uniforms;
  policy.wait_constant(2).jitter_custom([&](backoff::seconds w, double u) {
    uniforms.push_back(u);
    return w * 1.5;
  });
  CHECK(waits_of(policy, t, 2) == std::vector<double>{3, 3});
  REQUIRE(uniforms.size() == 2);
  for (double u : uniforms) {
    CHECK(u >= 0.0);
    CHECK(u < 1.0);
  }
}

TEST_CASE("custom wait: the reference's runtime wait, fed by the "
          "exception") {
  struct RetryAfter : std::runtime_error {
    double seconds;
    explicit RetryAfter(double s) : std::runtime_error("429"), seconds(s) {}
  };
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_custom([](const backoff::Details &d) -> backoff::Duration {
    try {
      std::rethrow_exception(d.exception);
    } catch (const RetryAfter &e) {
      return e.seconds;
    } catch (...) {
      return -1.0;
    }
  });
  int calls = 0;
  CHECK(policy.retry([&] {
    if (++calls < 3)
      throw RetryAfter(calls * 10.0);
    return calls;
  }) == 3);
  CHECK(t->waits == std::vector<double>{10, 20});

  SECTION("a negative wait gives up") {
    policy.wait_custom([](const backoff::Details &) { return -1.0; });
    const auto out = policy.try_retry([]() -> int { throw RetryAfter(1); });
    CHECK(out.status == backoff::Status::gave_up_exhausted);
    CHECK(out.tries == 1);
  }
}

TEST_CASE("limits: tries, time, and both computed per run") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_constant(10);
  auto fail = []() -> int { throw std::runtime_error("fail"); };

  SECTION("max_tries counts every attempt") {
    policy.max_tries(3);
    const auto out = policy.try_retry(fail);
    CHECK(out.status == backoff::Status::gave_up_tries);
    CHECK(out.tries == 3);
  }
  SECTION("max_time clamps the last wait and gives up") {
    policy.max_time(25s);
    const auto out = policy.try_retry(fail);
    CHECK(out.status == backoff::Status::gave_up_time);
    CHECK(t->waits == std::vector<double>{10, 10, 5});
    CHECK(out.elapsed.count() == Approx(25));
    CHECK(out.total_wait.count() == Approx(25));
  }
  SECTION("callables are evaluated once at the start of each run") {
    unsigned tries_calls = 0;
    policy.max_tries([&] { return ++tries_calls; });
    CHECK(policy.try_retry(fail).tries == 1);
    CHECK(policy.try_retry(fail).tries == 2);
    CHECK(tries_calls == 2);

    policy.max_tries(0u).max_time([] { return 15s; });
    CHECK(policy.try_retry(fail).status == backoff::Status::gave_up_time);
  }
  SECTION("a bad computed time is an invalid argument") {
    policy.max_time([] { return -1.0; });
    CHECK_THROWS_AS(policy.try_retry(fail), std::invalid_argument);
  }
}

TEST_CASE("the log function gets the reference's messages and the label") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  std::vector<std::pair<int, std::string>> lines;
  policy.wait_constant(1).max_tries(2).log(
      [&](int level, std::string_view message, const backoff::Details &d) {
        CHECK(d.label == "fetch");
        lines.emplace_back(level, std::string(message));
      });
  backoff::RunOptions options;
  options.label = "fetch";
  CHECK_THROWS_AS(
      policy.retry([]() -> int { throw std::runtime_error("x"); }, options),
      std::runtime_error);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].first == BACKOFF_LOG_INFO);
  CHECK(lines[0].second.rfind("Backing off fetch(...)", 0) == 0);
  CHECK(lines[1].first == BACKOFF_LOG_ERROR);
  CHECK(lines[1].second.rfind("Giving up fetch(...) after 2 tries", 0) == 0);
}
