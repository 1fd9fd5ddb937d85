// Retry budgets from C++: one Budget shared by several policies, its
// counters, its test clock, and how a refusal surfaces.
#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "fake_time.hpp"

using namespace std::chrono_literals;

namespace {

struct Unavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A budget on a clock the test moves by hand.
backoff::Budget budget_at(double ratio, double min, double window,
                          const std::shared_ptr<double> &now) {
  backoff::Budget b(ratio, min, window);
  b.clock([now] { return *now; });
  return b;
}

// A policy that retries at once, as often as its budget lets it.
backoff::Policy instant_policy(const std::shared_ptr<FakeTime> &t,
                               const backoff::Budget &b, unsigned tries) {
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_constant(0).max_tries(tries).budget(b);
  return policy;
}

} // namespace

TEST_CASE("Budget is a copyable handle to one shared budget") {
  STATIC_REQUIRE(std::is_copy_constructible_v<backoff::Budget>);
  STATIC_REQUIRE(std::is_copy_assignable_v<backoff::Budget>);
  const backoff::Budget a;
  const backoff::Budget b = a;
  CHECK(a.native_handle() == b.native_handle());
  const auto s = a.stats();
  CHECK(s.ratio == 0.2);
  CHECK(s.min_per_second == 10);
  CHECK(s.window.count() == 10);
}

TEST_CASE("the ratio bounds retries by first attempts; refusals throw "
          "BudgetExhausted with the last error") {
  auto now = std::make_shared<double>(0.0);
  auto t = std::make_shared<FakeTime>();
  const backoff::Budget budget = budget_at(0.2, 0, 10, now);
  const backoff::Policy policy = instant_policy(t, budget, 5);

  unsigned attempts = 0, refused = 0;
  for (int run = 0; run < 100; ++run) {
    try {
      policy.retry([&]() -> int {
        ++attempts;
        throw Unavailable("down");
      });
      FAIL("no exception");
    } catch (const backoff::BudgetExhausted &e) {
      ++refused;
      CHECK(std::string(e.what()) == backoff_strerror(BACKOFF_GAVE_UP_BUDGET));
      CHECK_THROWS_AS(std::rethrow_exception(e.last_error()), Unavailable);
    }
  }
  // 100 first attempts pay for 20 retries: 120 attempts, not 500.
  CHECK(attempts == 120);
  CHECK(refused == 100);
  const backoff::BudgetStats s = budget.stats();
  CHECK(s.first_attempts == 100);
  CHECK(s.retries == 20);
  CHECK(s.refusals == 100);
  CHECK(s.total_first_attempts == 100);
  CHECK(s.total_retries == 20);
  CHECK(s.total_refusals == 100);
  CHECK(s.available == 0);

  SECTION("the non-throwing form reports gave_up_budget") {
    const auto out = policy.try_retry([]() -> int { throw Unavailable("x"); });
    CHECK(out.status == backoff::Status::gave_up_budget);
    CHECK(out.tries == 1);
    CHECK_THROWS_AS(std::rethrow_exception(out.error), Unavailable);
  }
  SECTION("after the window, old first attempts and retries no longer "
          "count") {
    *now = 25;
    const auto later = budget.stats();
    CHECK(later.first_attempts == 0);
    CHECK(later.retries == 0);
    CHECK(later.total_retries == 20);
  }
}

TEST_CASE("several policies share one budget") {
  auto now = std::make_shared<double>(0.0);
  auto t = std::make_shared<FakeTime>();
  const backoff::Budget budget = budget_at(1.0, 0, 10, now);
  const backoff::Policy healthy = instant_policy(t, budget, 5);
  const backoff::Policy failing = instant_policy(t, budget, 10);

  // Three first attempts of the healthy policy pay for the failing one's
  // retries: ratio 1 allows as many retries as first attempts, its own
  // included.
  for (int i = 0; i < 3; ++i)
    CHECK(healthy.retry([] { return 1; }) == 1);
  int calls = 0;
  const auto out = failing.try_retry([&]() -> int {
    ++calls;
    throw Unavailable("down");
  });
  CHECK(out.status == backoff::Status::gave_up_budget);
  CHECK(calls == 5); // its first attempt and 4 retries
  CHECK(budget.stats().total_first_attempts == 4);
  CHECK(budget.stats().total_retries == 4);
}

TEST_CASE("the floor lets a lone client retry min x window times") {
  auto now = std::make_shared<double>(0.0);
  auto t = std::make_shared<FakeTime>();
  const backoff::Policy policy = instant_policy(t, budget_at(0, 0.5, 10, now),
                                                0);
  int calls = 0;
  const auto out = policy.try_retry([&]() -> int {
    ++calls;
    throw Unavailable("down");
  });
  CHECK(out.status == backoff::Status::gave_up_budget);
  CHECK(calls == 1 + 5);
}

TEST_CASE("a policy keeps its budget alive; a budget can be detached") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_constant(0).max_tries(5);
  {
    auto now = std::make_shared<double>(0.0);
    policy.budget(budget_at(0, 0, 10, now)); // no retry allowed at all
  }
  auto fail = []() -> int { throw Unavailable("down"); };
  CHECK(policy.try_retry(fail).status == backoff::Status::gave_up_budget);
  policy.budget(nullptr);
  CHECK(policy.try_retry(fail).status == backoff::Status::gave_up_tries);
}

TEST_CASE("retry_while returns the last value when the budget refuses") {
  auto now = std::make_shared<double>(0.0);
  auto t = std::make_shared<FakeTime>();
  const backoff::Policy policy =
      instant_policy(t, budget_at(0, 0, 10, now), 5);
  CHECK(policy.retry_while([] { return 503; }, [](int s) { return s >= 500; })
            == 503);
  const auto out =
      policy.try_retry_while([] { return 503; }, [](int s) { return s >= 500; });
  CHECK(out.status == backoff::Status::gave_up_budget);
  CHECK(out.value == 503);
}

TEST_CASE("a spec can give a policy a private budget") {
  const backoff::Policy policy =
      backoff::Policy::parse("constant(interval=0) budget(ratio=0,min=0,window=5)");
  auto out = policy.try_retry([]() -> int { throw Unavailable("down"); });
  CHECK(out.status == backoff::Status::gave_up_budget);
}

TEST_CASE("bad budget parameters and a throwing clock") {
  CHECK_THROWS_AS(backoff::Budget(-1), std::invalid_argument);
  CHECK_THROWS_AS(backoff::Budget(0.2, std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(backoff::Budget(0.2, 10, 0), std::invalid_argument);
  CHECK_THROWS_AS(backoff::Budget(0.2, 10, -1s), std::invalid_argument);

  struct ClockError : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  backoff::Budget budget;
  budget.clock([]() -> double { throw ClockError("clock"); });
  SECTION("outside a run, stats() rethrows it") {
    CHECK_THROWS_AS(budget.stats(), ClockError);
    CHECK_THROWS_AS(budget.stats(), ClockError); // every time, not once
  }
  SECTION("inside a run, the run rethrows it and makes no attempt") {
    auto t = std::make_shared<FakeTime>();
    backoff::Policy policy = fake_time_policy(t);
    policy.budget(budget);
    int calls = 0;
    CHECK_THROWS_AS(policy.retry([&] { return ++calls; }), ClockError);
    CHECK(calls == 0);
  }
}
