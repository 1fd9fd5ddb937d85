// Compiled with -Wall -Wextra -Werror -pedantic in each C++ standard a
// consumer may use (see meson.build): the header must be warning-free, and
// its templates are instantiated here so their bodies are checked too.
#include <backoff/backoff.hpp>
#include <backoff/backoff.hpp> // include guard

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <stdexcept>

TEST_CASE("the header instantiates cleanly under strict warnings") {
  using namespace std::chrono_literals;
  backoff::Policy policy;
  policy.wait_expo(2, 10ms, 1s)
      .wait_sequence({1, 2ms})
      .wait_custom([](const backoff::Details &) { return 1ms; })
      .jitter_custom([](backoff::seconds w, double) { return w; })
      .max_tries([] { return 2u; })
      .max_time([] { return 1s; })
      .giveup([](const std::logic_error &) { return true; })
      .on_try([](const backoff::Details &) {})
      .log([](int, std::string_view, const backoff::Details &) {})
      .clock([] { return std::chrono::steady_clock::now().time_since_epoch(); })
      .sleep([](backoff::seconds) {});
  CHECK(policy.retry([] { return 1; }) == 1);
  CHECK_NOTHROW(policy.retry_on<std::runtime_error, std::logic_error>([] {}));
  CHECK(policy.retry_while([] { return 2; }, [](int v) { return v != 2; }) ==
        2);
  CHECK(policy.try_retry([] { return 3; }).value == 3);
  CHECK(policy.try_retry_while([] { return 4; }, [](int) { return false; })
            .ok());
}

TEST_CASE("the wave-2 parts instantiate cleanly under strict warnings") {
  using namespace std::chrono_literals;
  backoff::Budget budget(0.5, 1, 2s);
  budget.clock([] { return 1s; });
  backoff::Policy policy = backoff::Policy::parse("constant(interval=0)");
  policy.spec("tries=3")
      .max_tries(3L)
      .max_tries(std::uint8_t{3})
      .hint_max(1s)
      .budget(budget)
      .sleep([](double) {});
  CHECK(policy.format().find("tries=3") != std::string::npos);
  CHECK(budget.stats().total_first_attempts == 0);
  int calls = 0;
  CHECK(policy.retry([&] {
    if (++calls == 1)
      throw backoff::RetryAfter(0s, std::runtime_error("429"));
    return calls;
  }) == 2);
  CHECK(policy.retry_while([] { return 1; },
                           [](int) -> backoff::Verdict {
                             return false;
                           }) == 1);
  CHECK(backoff::parse_retry_after("1").has_value());
}
