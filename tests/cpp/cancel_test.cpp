#include <backoff/backoff.hpp>
#include <catch2/catch.hpp>

#include <stdexcept>
#include <thread>


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

TEST_CASE("cancelling wakes a run sleeping the system sleep") {
  // A wait of an hour: only the token can end this run in time.
  backoff::Policy policy;
  backoff::Cancel cancel;
  policy.wait_constant(3600).jitter(backoff::Jitter::none);
  int giveups = 0;
  policy.on_giveup([&](const backoff::Details &d) {
    ++giveups;
    CHECK(d.status == backoff::Status::cancelled);
  });
  backoff::RunOptions options;
  options.cancel = &cancel;

  std::thread canceller;
  int calls = 0;
  const auto out = policy.try_retry(
      [&]() -> int {
        if (++calls == 1) // trigger from elsewhere once the run is under way
          canceller = std::thread([&] { cancel.trigger(); });
        throw std::runtime_error("fail");
      },
      options);
  canceller.join();
  CHECK(out.status == backoff::Status::cancelled);
  CHECK(giveups == 1);
  CHECK_THROWS_AS(std::rethrow_exception(out.error), std::runtime_error);
}

TEST_CASE("a token is shared by runs on several threads") {
  backoff::Policy policy;
  policy.wait_constant(3600);
  backoff::Cancel cancel;
  backoff::RunOptions options;
  options.cancel = &cancel;
  auto fail = []() -> int { throw std::runtime_error("fail"); };
  // Catch2 assertions are not thread-safe: the threads report statuses.
  backoff::Status a_status{}, b_status{};
  std::thread a([&] { a_status = policy.try_retry(fail, options).status; });
  std::thread b([&] { b_status = policy.try_retry(fail, options).status; });
  cancel.trigger();
  a.join();
  b.join();
  CHECK(a_status == backoff::Status::cancelled);
  CHECK(b_status == backoff::Status::cancelled);
}

TEST_CASE("Cancel is movable") {
  backoff::Cancel a;
  backoff_cancel *handle = a.native_handle();
  backoff::Cancel b(std::move(a));
  CHECK(b.native_handle() == handle);
  b.trigger();
  CHECK(backoff_cancel_triggered(handle) == 1);
}
