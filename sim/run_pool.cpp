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
                 std::uint64_t seed)
    : spec_(spec), clock_(clock), seed_(seed),
      state_words_((backoff_state_size() + 7) / 8) {}

RunPool::~RunPool() {
  for (Slot &slot : slots_)
    backoff_policy_free(slot.policy);
}

std::uint32_t RunPool::new_slot() {
  Slot slot;
  check(backoff_policy_new(&slot.policy), "backoff_policy_new");
  slots_.push_back(std::move(slot)); // owned from here on, freed on error
  Slot &s = slots_.back();
  check(backoff_policy_parse(s.policy, spec_.text().c_str(), nullptr, nullptr,
                             0),
        "backoff_policy_parse");
  check(backoff_policy_clock(s.policy, read_virtual_clock, clock_, nullptr),
        "backoff_policy_clock");
  s.memory.reset(new std::uint64_t[state_words_]);
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

std::uint32_t RunPool::start() {
  std::uint32_t id;
  if (free_.empty()) {
    id = new_slot();
  } else {
    id = free_.back();
    free_.pop_back();
  }
  Slot &s = slots_[id];
  // No run of this policy is in flight: reseeding it touches nobody else.
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

} // namespace sim
