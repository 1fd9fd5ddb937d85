// Brooker's contention scenario ("Exponential Backoff And Jitter", 2015):
// N clients each make one write to a shared resource, all starting at
// time 0; a write that conflicts fails and is retried when the client's
// backoff_state says so. The run ends when every client has either written
// or given up. Two models of a conflict:
//
//  slot: time is cut into slots; writes that land in the same slot conflict
//        and all of them fail (the default);
//  occ:  Brooker's own optimistic concurrency: a client reads the version,
//        then writes; the write fails if another write committed in
//        between. Every message takes |N(latency, noise)| seconds.
#pragma once

#include <cstdint>
#include <vector>

#include "csv.hpp"
#include "policy_spec.hpp"

namespace sim {

enum class ConflictModel { kSlot, kOcc };

struct ContentionConfig {
  ConflictModel model = ConflictModel::kSlot;
  std::vector<unsigned> clients; // the N to simulate, each one a run
  unsigned reps = 10;            // runs per (policy, N), averaged in plots
  double slot = 0.01;            // slot: writes in one slot conflict
  double latency = 0.01;         // occ: mean seconds per message
  // Network variance: the sd of a message's |normal| delay. slot: added to
  // each write's send time (default 0: none); occ: around `latency`
  // (Brooker's 2 ms).
  double noise = 0.0;
  double interval = 0.1; // seconds per row of the interval CSV
  std::uint64_t seed = 1;
};

// One run: N clients, one policy.
struct ContentionResult {
  unsigned clients = 0;
  unsigned rep = 0;
  std::uint64_t calls = 0;      // writes attempted
  std::uint64_t conflicts = 0;  // writes that failed
  double completion = 0.0;      // seconds until the last client finished
  unsigned succeeded = 0;
  unsigned gave_up = 0;
  unsigned retried = 0;              // clients that made a second attempt
  unsigned first_retry_conflicts = 0; // ... whose second attempt failed
};

// Per-interval counts of one run, for the interval CSV.
struct ContentionInterval {
  std::uint64_t calls = 0;
  std::uint64_t conflicts = 0;
  std::uint64_t successes = 0;
};

// Simulates one run. `intervals`, when not null, receives the counts per
// config.interval seconds of virtual time.
ContentionResult
simulate_contention(const PolicySpec &policy, unsigned clients, unsigned rep,
                    const ContentionConfig &config,
                    std::vector<ContentionInterval> *intervals);

// Every policy x N x rep, one CSV row per run (and per interval of each run
// when `intervals` is enabled). Returns the number of client-runs.
std::uint64_t write_contention(const std::vector<PolicySpec> &policies,
                               const ContentionConfig &config,
                               CsvWriter &runs, CsvWriter &intervals);

} // namespace sim
