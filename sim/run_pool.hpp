// The runs of one policy spec in a simulation, each a real backoff_state.
//
// Every run gets a policy of its own, parsed from the spec, reading the
// simulation's virtual clock and seeded for that run: a seeded policy gives
// all of its runs the same random numbers, so one seeded policy shared by a
// fleet would make every client jitter alike. Policies and state memory are
// kept for reuse once a run ends, so a simulation allocates only while its
// number of runs in flight grows.
//
// When the spec has a budget, the pool makes it with backoff_budget_new on
// the virtual clock: one shared by every run (the spec's own meaning: one
// budget for all runs of the policy), or one per owner (e.g. per client
// process).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <backoff/backoff.h>

#include "policy_spec.hpp"

namespace sim {

// The virtual time that every clock in a simulation reads.
struct VirtualClock {
  double now = 0.0;
};

class RunPool {
public:
  // `seed` decides every run's seed, in the order runs are started.
  // `budgets`: how many budgets to make if the spec has one (>= 1).
  RunPool(const PolicySpec &spec, VirtualClock *clock, std::uint64_t seed,
          unsigned budgets = 1);
  ~RunPool();
  RunPool(const RunPool &) = delete;
  RunPool &operator=(const RunPool &) = delete;

  // Starts a run (backoff_state_init in the pool's memory) that uses budget
  // number `owner` (ignored with one budget or none) and returns its id,
  // valid until finish(). Throws std::runtime_error if the library refuses
  // (it never should: the spec was checked).
  std::uint32_t start(std::uint32_t owner = 0);
  // backoff_state_begin / _next; an API error (a bug here) throws.
  backoff_status begin(std::uint32_t run);
  backoff_status next(std::uint32_t run, int rc, double *wait);
  // Gives the run's slot back for reuse. Call once its run has ended.
  void finish(std::uint32_t run);

  // The counters of budget `i` (backoff_budget_stats_get), all zero when
  // the spec has no budget.
  backoff_budget_stats budget_stats(std::uint32_t i = 0) const;

private:
  struct Slot {
    backoff_policy *policy = nullptr;
    std::unique_ptr<std::uint64_t[]> memory; // 8-byte aligned state memory
    backoff_state *state = nullptr;
  };
  std::uint32_t new_slot();

  const PolicySpec &spec_;
  VirtualClock *clock_;
  std::uint64_t seed_;
  std::uint64_t runs_started_ = 0;
  size_t state_words_;
  std::vector<backoff_budget *> budgets_; // one reference each
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
};

} // namespace sim
