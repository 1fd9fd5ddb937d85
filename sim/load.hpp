// The outage and overload scenarios: a fleet of clients, each sending
// requests at a steady rate (open loop: a new request does not wait for the
// previous one) to one Server. Each request is a run of the policy; its
// retries come from its backoff_state.
//
//  outage:   the server fails every call for `length` seconds from `start`;
//  overload: for `length` seconds from `start` the clients send `factor`
//            times their usual rate.
// Either way the question is what the retries do to the load, and whether
// it returns to normal once the cause is gone.
#pragma once

#include <cstdint>
#include <vector>

#include "csv.hpp"
#include "policy_spec.hpp"
#include "server.hpp"

namespace sim {

enum class Disturbance { kOutage, kSpike };

// Who shares a spec's budget: every run of the fleet, or each client's own
// runs (one budget per client process).
enum class BudgetScope { kFleet, kClient };

struct LoadConfig {
  Disturbance disturbance = Disturbance::kOutage;
  unsigned clients = 100;
  double rate = 8.0;     // requests per second per client, outside a spike
  ServerConfig server;   // outage_start/end are set from start/length
  double start = 10.0;   // seconds: when the disturbance starts
  double length = 10.0;  // seconds it lasts
  double factor = 2.0;   // spike: rate multiplier
  double duration = 60.0;
  double interval = 1.0; // seconds per row of the interval CSV
  BudgetScope budget_scope = BudgetScope::kFleet;
  std::uint64_t seed = 1;
  // Keep the time of every first attempt and every retry the state machine
  // allowed (for tests that check the budget's rule independently).
  bool record_times = false;
};

struct LoadInterval {
  std::uint64_t calls = 0;          // attempts sent
  std::uint64_t first_attempts = 0; // of which a request's first
  std::uint64_t successes = 0;      // replies in time (goodput)
  std::uint64_t refused = 0;        // over capacity
  std::uint64_t outage = 0;         // failed by the outage
  std::uint64_t timeouts = 0;       // the client stopped waiting
  std::uint64_t gave_up = 0;        // requests that ended without success
  std::uint64_t budget_refusals = 0; // ... of which the budget refused
  double queue_delay = 0.0;         // seconds, at the interval's end
};

struct LoadResult {
  std::uint64_t requests = 0; // runs started
  std::uint64_t calls = 0;
  std::uint64_t successes = 0;
  std::uint64_t gave_up = 0;
  std::uint64_t budget_refusals = 0;
  // The budgets' own counters (backoff_budget_stats), summed.
  std::uint64_t budget_first_attempts = 0;
  std::uint64_t budget_retries = 0;
  std::uint64_t budget_total_refusals = 0;
  double peak_calls_per_s = 0.0;
  // Seconds from the disturbance's end until the load was back to normal
  // for good (every later interval normal); NaN if it never was.
  double recovery = 0.0;
  std::vector<LoadInterval> intervals;
  // With config.record_times: when each first attempt began, and when the
  // state machine answered RETRY (the moment the budget was asked).
  std::vector<double> first_attempt_times;
  std::vector<double> retry_times;
};

// A normal interval: nearly every request succeeds at its first attempt.
bool is_normal(const LoadInterval &i);

LoadResult simulate_load(const PolicySpec &policy, const LoadConfig &config);

// One run per policy: a row each in `runs`, and its intervals. Returns the
// number of client-runs (requests).
std::uint64_t write_load(const std::vector<PolicySpec> &policies,
                         const LoadConfig &config, CsvWriter &runs,
                         CsvWriter &intervals);

} // namespace sim
