#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <vector>

#include "wait.hpp"

using backoff::WaitConfig;
using backoff::WaitCursor;
using backoff::WaitKind;

namespace {

std::vector<double> take(const WaitConfig &config, int n) {
  WaitCursor cursor(config);
  backoff_details d{};
  std::vector<double> out;
  double w;
  for (int i = 0; i < n && cursor.next(d, &w); ++i)
    out.push_back(w);
  return out;
}

WaitConfig make(WaitKind kind, double a, double b, double c) {
  WaitConfig config;
  config.kind = kind;
  config.a = a;
  config.b = b;
  config.c = c;
  return config;
}

} // namespace

TEST_CASE("expo follows factor * base^n and stays at its cap", "[wait]") {
  CHECK(take(WaitConfig{}, 5) == std::vector<double>{1, 2, 4, 8, 16});
  CHECK(take(make(WaitKind::Expo, 2, 1, 16), 7) ==
        std::vector<double>{1, 2, 4, 8, 16, 16, 16});
  CHECK(take(make(WaitKind::Expo, 3, 0.5, 0), 4) ==
        std::vector<double>{0.5, 1.5, 4.5, 13.5});
  // A cap that is not a power: the first value to reach it is replaced.
  CHECK(take(make(WaitKind::Expo, 2, 1, 10), 6) ==
        std::vector<double>{1, 2, 4, 8, 10, 10});
}

TEST_CASE("expo without a cap saturates at DBL_MAX instead of overflowing",
          "[wait]") {
  const auto waits = take(WaitConfig{}, 5000);
  REQUIRE(waits.size() == 5000);
  CHECK(waits[1023] == std::ldexp(1.0, 1023));
  CHECK(waits[1024] == DBL_MAX);
  CHECK(waits[4999] == DBL_MAX);
  for (double w : waits)
    REQUIRE(std::isfinite(w));
}

TEST_CASE("fibo is 1, 1, 2, 3, 5 … and saturates", "[wait]") {
  CHECK(take(make(WaitKind::Fibo, 0, 0, 0), 8) ==
        std::vector<double>{1, 1, 2, 3, 5, 8, 13, 21});
  CHECK(take(make(WaitKind::Fibo, 0, 0, 6), 7) ==
        std::vector<double>{1, 1, 2, 3, 5, 6, 6});
  const auto waits = take(make(WaitKind::Fibo, 0, 0, 0), 3000);
  CHECK(waits.back() == DBL_MAX);
}

TEST_CASE("constant, linear and decay", "[wait]") {
  CHECK(take(make(WaitKind::Constant, 2.5, 0, 0), 3) ==
        std::vector<double>{2.5, 2.5, 2.5});
  CHECK(take(make(WaitKind::Linear, 1, 2, 6), 5) ==
        std::vector<double>{1, 3, 5, 6, 6});
  const auto decay = take(make(WaitKind::Decay, 8, 0.5, 2), 6);
  REQUIRE(decay.size() == 6);
  CHECK(decay[0] == 8);
  CHECK(decay[1] == Approx(8 * std::exp(-0.5)));
  CHECK(decay[2] == Approx(8 * std::exp(-1.0)));
  CHECK(decay[4] == 2); // 8e^-2 = 1.08 is below the floor
}

TEST_CASE("a sequence ends the generator", "[wait]") {
  WaitConfig config;
  config.kind = WaitKind::Sequence;
  config.sequence = {0.5, 1, 3};
  CHECK(take(config, 10) == std::vector<double>{0.5, 1, 3});
}

TEST_CASE("a custom wait sees the details and stops on a bad value",
          "[wait]") {
  WaitConfig config;
  config.kind = WaitKind::Custom;
  config.custom = backoff::Callback<backoff_wait_fn>(
      [](const backoff_details *d, void *) -> double {
        return d->last_rc == 503 ? 7.0 : -1.0;
      },
      nullptr, nullptr);
  WaitCursor cursor(config);
  backoff_details d{};
  double w = 0;
  d.last_rc = 503;
  REQUIRE(cursor.next(d, &w));
  CHECK(w == 7.0);
  d.last_rc = 500;
  CHECK_FALSE(cursor.next(d, &w));
}

TEST_CASE("the cap is reported for the kinds that have one", "[wait]") {
  CHECK(make(WaitKind::Expo, 2, 1, 30).cap() == 30);
  CHECK(make(WaitKind::Linear, 0, 1, 4).cap() == 4);
  CHECK(make(WaitKind::Decay, 8, 1, 2).cap() == 0);
  CHECK(make(WaitKind::Constant, 3, 0, 0).cap() == 0);
}
