#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <vector>

#include "wake_up.hpp"

TEST_CASE("a triggered token stops the run before its first attempt") {
  backoff::Policy policy;
  backoff::Cancel cancel;
  cancel.trigger();
  CHECK(cancel.triggered());
  int calls = 0;
  backoff::RunOptions options;
  options.cancel = &cancel;
  CHECK_THROWS_AS(policy.retry([&] { return ++calls; }, options),
                  backoff::Cancelled);
  CHECK(calls == 0);

  const auto out = policy.try_retry([&] { return ++calls; }, options);
  CHECK(out.status == backoff::Status::cancelled);
  CHECK(out.tries == 0);

  cancel.reset();
  CHECK_FALSE(cancel.triggered());
  CHECK(policy.retry([&] { return ++calls; }, options) == 1);
}

// What a run of an hour's wait on another thread shares with the test.
struct HourLongRuns {
  backoff::Policy policy;
  backoff::Cancel cancel;
  Sleepers sleepers;
  std::atomic<int> calls{0}, giveups{0};
  std::vector<backoff::Outcome<int>> outcomes;

  explicit HourLongRuns(std::size_t runs) : outcomes(runs) {
    policy.wait_constant(3600)
        .jitter(backoff::Jitter::none)
        .on_backoff([this](const backoff::Details &) { sleepers.announce(); })
        .on_giveup([this](const backoff::Details &d) {
          if (d.status == backoff::Status::cancelled)
            ++giveups;
        });
  }

  void run(std::size_t i) {
    backoff::RunOptions options;
    options.cancel = &cancel;
    outcomes[i] = policy.try_retry(
        [this]() -> int {
          ++calls;
          throw std::runtime_error("fail");
        },
        options);
  }
};

TEST_CASE("cancelling wakes a run asleep in the system sleep") {
  // A wait of an hour: only the token can end this run in time. It is
  // triggered once the run's thread is asleep in that wait.
  auto runs = std::make_shared<HourLongRuns>(1);
  Background run([runs] { runs->run(0); });
  REQUIRE(runs->sleepers.asleep(1));
  const auto triggered = std::chrono::steady_clock::now();
  runs->cancel.trigger();
  if (!run.finishes_in_time())
    FAIL("an hour's wait was still asleep 5 s after the trigger");
  CHECK(std::chrono::steady_clock::now() - triggered < kWakeUpWithin);
  const auto &out = runs->outcomes[0];
  CHECK(out.status == backoff::Status::cancelled);
  CHECK(out.tries == 1);
  CHECK(out.elapsed < kWakeUpWithin);
  CHECK(runs->calls == 1);
  CHECK(runs->giveups == 1);
  CHECK_THROWS_AS(std::rethrow_exception(out.error), std::runtime_error);
}

TEST_CASE("a token is shared by runs on several threads") {
  auto runs = std::make_shared<HourLongRuns>(2);
  Background a([runs] { runs->run(0); });
  Background b([runs] { runs->run(1); });
  REQUIRE(runs->sleepers.asleep(2));
  runs->cancel.trigger(); // one trigger wakes both
  if (!a.finishes_in_time() || !b.finishes_in_time())
    FAIL("an hour's wait was still asleep 5 s after the trigger");
  CHECK(runs->outcomes[0].status == backoff::Status::cancelled);
  CHECK(runs->outcomes[1].status == backoff::Status::cancelled);
  CHECK(runs->calls == 2);
  CHECK(runs->giveups == 2);
}

TEST_CASE("Cancel is movable") {
  backoff::Cancel a;
  backoff_cancel *handle = a.native_handle();
  backoff::Cancel b(std::move(a));
  CHECK(b.native_handle() == handle);
  b.trigger();
  CHECK(backoff_cancel_triggered(handle) == 1);
}
