// The policy: a run's whole configuration. Plain data; the boundary
// (capi.cpp) validates every value before it lands here, so the state
// machine can trust it. Whoever changes a policy calls settle() after the
// change: a run reads the facts settle() derives without recomputing them.
#pragma once

#include <cstdint>
#include <vector>

#include "budget.hpp"
#include "callback.hpp"
#include "classify.hpp"
#include "jitter.hpp"
#include "wait.hpp"

namespace backoff {

enum HookKind { kOnTry, kOnBackoff, kOnSuccess, kOnGiveup, kHookKinds };

using Hooks = std::vector<Callback<backoff_hook_fn>>;

struct LogConfig {
  Callback<backoff_log_fn> sink;
  int backoff_level = BACKOFF_LOG_INFO;
  int giveup_level = BACKOFF_LOG_ERROR;
};

} // namespace backoff

struct backoff_policy {
  backoff::WaitConfig wait;
  backoff::JitterConfig jitter;

  unsigned max_tries = 0;  // 0: unlimited
  double max_time = 0.0;   // 0: unlimited
  backoff::Callback<backoff_tries_fn> max_tries_fn;
  backoff::Callback<backoff_time_fn> max_time_fn;

  backoff::Callback<backoff_hint_fn> hint;
  double hint_max = 0.0;   // 0: no cap
  backoff::BudgetRef budget;

  backoff::Classifier classifier;
  backoff::Hooks hooks[backoff::kHookKinds];
  backoff::LogConfig log;

  backoff::Callback<backoff_clock_fn> clock;
  backoff::Callback<backoff_sleep_fn> sleep;
  bool seeded = false;
  std::uint64_t seed = 0;

  // Whether a run can see its own time: through a time limit, a hook, the
  // log, a budget, or a wait or classifier function that reads the details.
  // A run nobody can observe never reads the clock. A hint function does
  // not count: hints come from what the attempt left in its user data, and
  // the header says a hint function of such a run sees elapsed 0.
  // Derived by settle(); policies are immutable once shared, so runs on
  // other threads read it without a race.
  bool observes_time = false;

  void settle() noexcept {
    bool hooked = false;
    for (const auto &hooks : this->hooks)
      hooked = hooked || !hooks.empty();
    observes_time = hooked || max_time > 0.0 || max_time_fn || log.sink ||
                    budget || wait.kind == backoff::WaitKind::Custom ||
                    classifier.mode == backoff::Classifier::Mode::Custom;
  }
};
