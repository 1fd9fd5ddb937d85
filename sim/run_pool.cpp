#include "run_pool.hpp"

#include <stdexcept>
#include <string>

#include "sim_rng.hpp"

namespace sim {

namespace {

double read_virtual_clock(void *data) {
  return static_cast<const VirtualClock *>(data)->now;
}

void check(backoff_status st, const char *what) {
  if (st < 0)
    throw std::runtime_error(std::string(what) + ": " + backoff_strerror(st));
}

} // namespace

RunPool::RunPool(const PolicySpec &spec, VirtualClock *clock,
                 std::uint64_t seed, unsigned budgets)
    : spec_(spec), clock_(clock), seed_(seed),
      state_words_((backoff_state_size() + 7) / 8) {
  if (!spec.has_budget())
    return;
  const BudgetParams &b = spec.budget();
  for (unsigned i = 0; i < budgets; ++i) {
    backoff_budget *budget = nullptr;
    check(backoff_budget_new(&budget, b.ratio, b.min_per_second, b.window),
          "backoff_budget_new");
    budgets_.push_back(budget);
    check(backoff_budget_clock(budget, read_virtual_clock, clock, nullptr),
          "backoff_budget_clock");
  }
}

RunPool::~RunPool() {
  for (Slot &slot : slots_)
    backoff_policy_free(slot.policy);
  for (backoff_budget *b : budgets_)
    backoff_budget_free(b);
}

std::uint32_t RunPool::new_slot() {
  Slot slot;
  check(backoff_policy_new(&slot.policy), "backoff_policy_new");
  slots_.push_back(std::move(slot)); // owned from here on, freed on error
  Slot &s = slots_.back();
  check(backoff_policy_parse(s.policy, spec_.run_spec().c_str(), nullptr,
                             nullptr, 0),
        "backoff_policy_parse");
  check(backoff_policy_clock(s.policy, read_virtual_clock, clock_, nullptr),
        "backoff_policy_clock");
  if (budgets_.size() == 1)
    check(backoff_policy_budget(s.policy, budgets_[0]),
          "backoff_policy_budget");
  s.memory.reset(new std::uint64_t[state_words_]);
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

std::uint32_t RunPool::start(std::uint32_t owner) {
  std::uint32_t id;
  if (free_.empty()) {
    id = new_slot();
  } else {
    id = free_.back();
    free_.pop_back();
  }
  Slot &s = slots_[id];
  // No run of this policy is in flight: reseeding it (and attaching the
  // owner's budget) touches nobody else.
  if (budgets_.size() > 1)
    check(backoff_policy_budget(s.policy, budgets_.at(owner)),
          "backoff_policy_budget");
  check(backoff_policy_seed(s.policy, derive_seed(seed_, runs_started_++)),
        "backoff_policy_seed");
  check(backoff_state_init(s.memory.get(), state_words_ * 8, s.policy, nullptr,
                           nullptr, &s.state),
        "backoff_state_init");
  return id;
}

backoff_status RunPool::begin(std::uint32_t run) {
  const backoff_status st = backoff_state_begin(slots_[run].state);
  check(st, "backoff_state_begin");
  return st;
}

backoff_status RunPool::next(std::uint32_t run, int rc, double *wait) {
  const backoff_status st = backoff_state_next(slots_[run].state, rc, wait);
  check(st, "backoff_state_next");
  return st;
}

void RunPool::finish(std::uint32_t run) { free_.push_back(run); }

backoff_budget_stats RunPool::budget_stats(std::uint32_t i) const {
  backoff_budget_stats stats = BACKOFF_BUDGET_STATS_INIT;
  if (i < budgets_.size())
    check(backoff_budget_stats_get(budgets_[i], &stats),
          "backoff_budget_stats_get");
  return stats;
}

} // namespace sim
