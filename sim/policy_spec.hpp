// A policy spec given on the command line, checked once by the library's
// own parser before any simulation starts.
#pragma once

#include <string>

namespace sim {

// The parameters of a spec's budget(ratio=..,min=..,window=..).
struct BudgetParams {
  double ratio = 0.0;
  double min_per_second = 0.0;
  double window = 0.0;
};

class PolicySpec {
public:
  // Validates `text` with backoff_policy_parse. On error returns false and
  // says why (the library's message and the offending offset) in *error.
  static bool parse(const std::string &text, PolicySpec *out,
                    std::string *error);

  // The library's canonical form (backoff_policy_format): what the CSV
  // shows, so a figure always names the policy exactly.
  const std::string &canonical() const { return canonical_; }

  // The spec each run's own policy is made from: the canonical form less
  // its budget. A spec's budget is private to one policy and reads the
  // system clock, while the runs of a simulation each have a policy and
  // share a budget on virtual time: the simulator makes that budget itself
  // (backoff_budget_new, backoff_budget_clock) from budget().
  const std::string &run_spec() const { return run_spec_; }
  bool has_budget() const { return has_budget_; }
  const BudgetParams &budget() const { return budget_; }

private:
  std::string canonical_;
  std::string run_spec_;
  bool has_budget_ = false;
  BudgetParams budget_;
};

} // namespace sim
