#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "jitter.hpp"

using backoff::apply_jitter;
using backoff::JitterConfig;
using backoff::JitterCursor;
using backoff::Rng;

namespace {

JitterConfig kind(int k) {
  JitterConfig config;
  config.kind = k;
  return config;
}

} // namespace

TEST_CASE("each jitter stays within its bounds", "[jitter]") {
  Rng rng(7);
  JitterCursor cursor;
  for (int i = 0; i < 10000; ++i) {
    const double w = 1.0 + i % 17;
    const double full = apply_jitter(kind(BACKOFF_JITTER_FULL), cursor, w, 0, rng);
    REQUIRE((full >= 0 && full < w));
    const double random = apply_jitter(kind(BACKOFF_JITTER_RANDOM), cursor, w, 0, rng);
    REQUIRE((random >= w && random < w + 1));
    const double equal = apply_jitter(kind(BACKOFF_JITTER_EQUAL), cursor, w, 0, rng);
    REQUIRE((equal >= w / 2 && equal <= w));
    const double prop = apply_jitter(kind(BACKOFF_JITTER_PROPORTIONAL), cursor, w, 0, rng);
    REQUIRE((prop >= w * 0.5 && prop <= w * 1.5));
    CHECK(apply_jitter(kind(BACKOFF_JITTER_NONE), cursor, w, 0, rng) == w);
  }
}

TEST_CASE("full jitter averages half the wait", "[jitter]") {
  Rng rng(1234);
  JitterCursor cursor;
  double sum = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i)
    sum += apply_jitter(kind(BACKOFF_JITTER_FULL), cursor, 10.0, 0, rng);
  CHECK(sum / n == Approx(5.0).epsilon(0.01));
}

TEST_CASE("decorrelated jitter grows from the first wait up to the cap",
          "[jitter]") {
  Rng rng(99);
  JitterCursor cursor;
  double previous = 1.0;
  for (int i = 0; i < 1000; ++i) {
    // Only the first generated value matters; later ones are ignored.
    const double w = apply_jitter(kind(BACKOFF_JITTER_DECORRELATED), cursor,
                                  i == 0 ? 1.0 : 1000.0 + i, 20.0, rng);
    REQUIRE(w >= 1.0);
    REQUIRE(w <= std::min(20.0, 3 * previous));
    previous = w;
  }
}

TEST_CASE("a custom jitter gets the run's uniform; bad results become 0",
          "[jitter]") {
  JitterConfig config;
  config.kind = BACKOFF_JITTER_CUSTOM;
  config.custom = backoff::Callback<backoff_jitter_fn>(
      [](double w, double u, void *) { return u < 0.5 ? -w : w * u; }, nullptr,
      nullptr);
  Rng rng(5), mirror(5);
  JitterCursor cursor;
  for (int i = 0; i < 100; ++i) {
    const double u = mirror.uniform();
    const double w = apply_jitter(config, cursor, 4.0, 0, rng);
    CHECK(w == (u < 0.5 ? 0.0 : 4.0 * u));
  }
  config.custom = backoff::Callback<backoff_jitter_fn>(
      [](double, double, void *) {
        return std::numeric_limits<double>::quiet_NaN();
      },
      nullptr, nullptr);
  CHECK(apply_jitter(config, cursor, 4.0, 0, rng) == 0.0);
}
