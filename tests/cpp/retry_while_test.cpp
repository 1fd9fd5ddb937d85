#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>
#include <vector>

#include "fake_time.hpp"

TEST_CASE("retry_while retries while the predicate holds") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  policy.wait_constant(1);
  int calls = 0;
  const int value = policy.retry_while([&] { return ++calls; },
                                       [](int v) { return v < 4; });
  CHECK(value == 4);
  CHECK(t->waits == std::vector<double>{1, 1, 1});
}

TEST_CASE("retry_while returns the last value on give-up") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  int giveups = 0;
  policy.max_tries(2).on_giveup([&](const backoff::Details &d) {
    ++giveups;
    CHECK(d.exception == nullptr);
    CHECK(d.status == backoff::Status::gave_up_tries);
  });
  int calls = 0;
  CHECK(policy.retry_while([&] { return ++calls; },
                           [](int) { return true; }) == 2);
  CHECK(giveups == 1);

  const auto out =
      policy.try_retry_while([] { return 0; }, [](int v) { return v == 0; });
  CHECK(out.status == backoff::Status::gave_up_tries);
  CHECK(out.value == 0);
  CHECK(out.error == nullptr);
}

TEST_CASE("an exception from the operation in retry_while propagates at "
          "once") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  int calls = 0;
  CHECK_THROWS_AS(policy.retry_while(
                      [&]() -> int {
                        ++calls;
                        throw std::runtime_error("boom");
                      },
                      [](int) { return true; }),
                  std::runtime_error);
  CHECK(calls == 1);
  CHECK(t->waits.empty());
}

TEST_CASE("a throwing predicate is rethrown and stops the run") {
  auto t = std::make_shared<FakeTime>();
  backoff::Policy policy = fake_time_policy(t);
  int calls = 0;
  CHECK_THROWS_AS(policy.try_retry_while([&] { return ++calls; },
                                         [](int) -> bool {
                                           throw std::logic_error("pred");
                                         }),
                  std::logic_error);
  CHECK(calls == 1);
}
