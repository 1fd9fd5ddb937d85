#include <catch2/catch.hpp>

#include <algorithm>
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

// The formulas exactly, against a copy of the run's generator: bounds and
// means cannot tell w/2 + U*w/2 from w - U*w/2, nor 3x from 2x.
TEST_CASE("equal jitter is w/2 + U * w/2 exactly", "[jitter]") {
  Rng rng(3), mirror(3);
  JitterCursor cursor;
  for (int i = 0; i < 2000; ++i) {
    const double w = 0.25 * (1 + i % 41);
    const double u = mirror.uniform();
    REQUIRE(apply_jitter(kind(BACKOFF_JITTER_EQUAL), cursor, w, 0, rng) ==
            w / 2.0 + (w / 2.0) * u);
  }
}

TEST_CASE("decorrelated jitter is min(cap, base + U * (3 * previous - base))",
          "[jitter]") {
  for (const double cap : {20.0, 0.0}) {
    Rng rng(11), mirror(11);
    JitterCursor cursor;
    const double base = 0.5;
    double previous = base;
    for (int i = 0; i < 300; ++i) {
      // Only the first generated wait counts: later ones are ignored.
      const double w = apply_jitter(kind(BACKOFF_JITTER_DECORRELATED), cursor,
                                    i == 0 ? base : 7.0 * i, cap, rng);
      double expected = base + (3.0 * previous - base) * mirror.uniform();
      if (cap > 0.0)
        expected = std::min(expected, cap);
      REQUIRE(w == expected);
      previous = expected;
    }
  }
}
