// Invariants of the simulator that hold whatever the tuning: they check the
// simulation and, through it, that every client's waits really come from
// its own backoff_state.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "contention.hpp"
#include "load.hpp"
#include "policy_spec.hpp"

namespace {

sim::PolicySpec spec(const std::string &text) {
  sim::PolicySpec s;
  std::string error;
  REQUIRE(sim::PolicySpec::parse(text, &s, &error));
  return s;
}

sim::ContentionResult contend(const std::string &policy, unsigned clients,
                              double slot = 0.01, unsigned rep = 0) {
  sim::ContentionConfig config;
  config.slot = slot;
  return sim::simulate_contention(spec(policy), clients, rep, config, nullptr);
}

const char *const kJitters[] = {"none",   "full",   "equal", "decorrelated",
                                "random", "proportional(0.3)"};

} // namespace

TEST_CASE("without jitter every client conflicts on its first retry") {
  const char *const waits[] = {"expo(base=2,factor=0.005,max=2)",
                               "expo(base=3,factor=0.25)", "fibo(max=1)",
                               "constant(interval=0.02)",
                               "constant(interval=0)", // retries at slot ends
                               "linear(start=0.001,increment=0.5,max=3)"};
  for (const char *wait : waits)
    for (double slot : {0.001, 0.01, 0.1, 0.5})
      for (unsigned n : {2u, 3u, 17u, 100u}) {
        const auto r =
            contend(std::string(wait) + " jitter=none tries=4", n, slot);
        INFO(wait << " slot " << slot << " N " << n);
        CHECK(r.retried == n);
        CHECK(r.first_retry_conflicts == n);
        // ... and on every later one: nobody gets out of step.
        CHECK(r.succeeded == 0);
        CHECK(r.gave_up == n);
        CHECK(r.calls == 4u * n);
        CHECK(r.completion >= 4 * slot); // one slot per round at least
      }
}

TEST_CASE("a lone client writes once, whatever the policy") {
  for (const char *jitter : kJitters) {
    const auto r = contend(std::string("expo jitter=") + jitter, 1);
    INFO(jitter);
    CHECK(r.calls == 1);
    CHECK(r.conflicts == 0);
    CHECK(r.retried == 0);
    CHECK(r.succeeded == 1);
    CHECK(r.completion == 0.01); // the end of the first slot
  }
}

TEST_CASE("every client ends once, and the calls add up") {
  for (const char *jitter : kJitters)
    for (unsigned n : {2u, 10u, 40u}) {
      const auto r = contend(
          std::string("expo(base=2,factor=0.005,max=2) tries=8 jitter=") +
              jitter,
          n);
      INFO(jitter << " N " << n);
      CHECK(r.succeeded + r.gave_up == n);
      CHECK(r.calls == r.conflicts + r.succeeded);
      CHECK(r.calls <= 8u * n);
      CHECK(r.calls >= n + (n > 1 ? n : 0)); // the first slot always fails
    }
}

TEST_CASE("runs of one policy draw their own jitter") {
  // A seeded policy gives all of its runs the same random numbers; if the
  // simulator let clients share one, jittered clients would stay in step
  // like unjittered ones and never write.
  for (const char *jitter : {"full", "equal", "decorrelated", "random"}) {
    const auto r = contend(
        std::string("expo(factor=0.005,max=2) tries=40 seed=3 jitter=") +
            jitter,
        30);
    INFO(jitter);
    CHECK(r.succeeded == 30);
  }
}

TEST_CASE("a fleet under capacity sends each request once") {
  sim::LoadConfig config;
  config.clients = 10;
  config.rate = 10.0;
  config.duration = 20.0;
  config.length = 0.0; // no outage
  const auto r = sim::simulate_load(spec("expo tries=5"), config);
  CHECK(r.requests >= 1990); // 10 x 10/s x 20 s, minus those phased late
  CHECK(r.calls == r.requests);
  CHECK(r.gave_up == 0);
  CHECK(r.recovery == 0.0);
  for (const auto &in : r.intervals)
    CHECK(sim::is_normal(in));
}

TEST_CASE("an outage fails every call, and tries bound the amplification") {
  sim::LoadConfig config;
  config.clients = 20;
  config.duration = 30.0;
  config.start = 5.0;
  config.length = 10.0;
  for (unsigned tries : {1u, 3u, 6u}) {
    const auto r = sim::simulate_load(
        spec("expo(factor=0.05) tries=" + std::to_string(tries)), config);
    INFO("tries " << tries);
    CHECK(r.calls <= tries * r.requests);
    for (size_t i = 6; i < 14; ++i) { // inside the outage
      CHECK(r.intervals[i].successes == 0);
      CHECK(r.intervals[i].outage > 0);
    }
    CHECK(r.gave_up > 0);
  }
}

namespace {

struct Budget {
  double ratio, min_per_second, window;
};

// The budget's rule, checked from the simulation's own record: at every
// retry the state machine allowed at time t, the retries in (t - window, t]
// (itself included) are at most ratio x the first attempts in that window
// plus min_per_second x window. So the amplification of any window,
// (first attempts + retries) / first attempts, never exceeds
// 1 + ratio + floor / first attempts.
void check_budget_rule(const sim::LoadResult &r, const Budget &b) {
  const auto &first = r.first_attempt_times;
  const auto &retries = r.retry_times;
  size_t first_lo = 0, first_hi = 0, retry_lo = 0;
  size_t violations = 0;
  for (size_t i = 0; i < retries.size(); ++i) {
    const double t = retries[i];
    while (retry_lo < i && retries[retry_lo] <= t - b.window)
      ++retry_lo;
    while (first_hi < first.size() && first[first_hi] <= t)
      ++first_hi;
    while (first_lo < first_hi && first[first_lo] <= t - b.window)
      ++first_lo;
    const double in_window = static_cast<double>(i - retry_lo + 1);
    const double allowed =
        b.ratio * static_cast<double>(first_hi - first_lo) +
        b.min_per_second * b.window;
    // The library's own tolerance for ratio * n computed in binary.
    if (in_window > allowed + 1e-9 * std::max(1.0, allowed)) {
      if (violations++ == 0)
        UNSCOPED_INFO("first excess at t=" << t << ": " << in_window
                                           << " retries > " << allowed);
    }
  }
  CHECK(violations == 0);
}

} // namespace

TEST_CASE("with a budget, no window's amplification exceeds ratio + floor") {
  const Budget budgets[] = {{0.1, 10, 10}, {0.2, 10, 10}, {0.0, 5, 1},
                            {0.5, 0, 2},   {1.0, 1, 0.5}, {0.05, 0, 10}};
  for (const Budget &b : budgets)
    for (auto disturbance : {sim::Disturbance::kOutage,
                             sim::Disturbance::kSpike}) {
      sim::LoadConfig config;
      config.disturbance = disturbance;
      config.clients = 50;
      config.rate = 10.0;
      config.server.capacity = 400.0;
      config.start = 5.0;
      config.length = 10.0;
      config.factor = 3.0;
      config.duration = 40.0;
      config.record_times = true;
      char text[160];
      std::snprintf(text, sizeof text,
                    "expo(factor=0.05,max=1) tries=20 "
                    "budget(ratio=%g,min=%g,window=%g)",
                    b.ratio, b.min_per_second, b.window);
      const auto r = sim::simulate_load(spec(text), config);
      INFO(text << (disturbance == sim::Disturbance::kOutage ? " outage"
                                                              : " spike"));
      check_budget_rule(r, b);
      CHECK(r.budget_refusals > 0); // the budget was what bound the retries
      // The budget's own counters agree with the simulation's.
      CHECK(r.budget_first_attempts == r.first_attempt_times.size());
      CHECK(r.budget_retries == r.retry_times.size());
      CHECK(r.budget_total_refusals == r.budget_refusals);
    }
}

TEST_CASE("Brooker's model: some writer of every round commits") {
  sim::ContentionConfig config;
  config.model = sim::ConflictModel::kOcc;
  config.noise = 0.002;
  for (const char *jitter : kJitters)
    for (unsigned n : {1u, 2u, 10u}) {
      // No limit on tries: even unjittered clients all get through, since a
      // write fails only when another one committed.
      const auto r = sim::simulate_contention(
          spec(std::string("expo(factor=0.005,max=2) jitter=") + jitter), n,
          0, config, nullptr);
      INFO(jitter << " N " << n);
      CHECK(r.succeeded == n);
      CHECK(r.gave_up == 0);
      CHECK(r.calls == r.conflicts + n);
      if (n == 1)
        CHECK(r.calls == 1);
    }
}
