#include "state.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <new>

#include "clock.hpp"
#include "log.hpp"

double backoff_state::now() const noexcept {
  const auto &clock = policy_->clock;
  return clock ? clock.fn()(clock.data()) : backoff::monotonic_seconds();
}

// How this file is built: each step of a run (start, begin, next) is an
// inline function, and every entry point (start, begin and next, the fused
// ones drivers use, and backoff_run's drive) is a thin shell around them.
// A run then costs one call per entry point and none per step; the slow
// paths (limit functions, the wait generator, hooks, logs) stay out of line.

bool backoff_state::limits_from_functions() noexcept {
  const backoff_policy &policy = *policy_;
  if (policy.max_tries_fn)
    max_tries_ = policy.max_tries_fn.fn()(policy.max_tries_fn.data());
  if (policy.max_time_fn) {
    const double t = policy.max_time_fn.fn()(policy.max_time_fn.data());
    if (std::isnan(t) || t < 0.0)
      return false;
    max_time_ = std::isinf(t) ? 0.0 : t;
  }
  return true;
}

[[gnu::always_inline]] inline backoff_status
backoff_state::start_step(const backoff_policy &policy, backoff_cancel *cancel,
                          const char *label, void *user_data,
                          Timing timing) noexcept {
  policy_ = &policy;
  cancel_ = cancel;
  // A success is measured when an on_success hook will see its details.
  timing_ = timing == Timing::UnreadSuccess &&
                    !policy.hooks[backoff::kOnSuccess].empty()
                ? Timing::Measured
                : timing;
  retry_after_ = -1.0;
  caller_verdicts_ = false;
  generating_ = false;

  max_tries_ = policy.max_tries;
  max_time_ = policy.max_time;
  if ((policy.max_tries_fn || policy.max_time_fn) && !limits_from_functions()) {
    phase_ = Phase::Ended;
    return BACKOFF_E_INVALID;
  }

  // Field by field, each written once, in the header's order.
  d_ = backoff_details{sizeof d_,
                       label != nullptr ? label : "operation",
                       user_data,
                       0,   // tries
                       0.0, // elapsed
                       0.0, // wait
                       0.0, // total_wait
                       0,   // last_rc
                       BACKOFF_RETRY,
                       max_time_ > 0.0 ? max_time_ : HUGE_VAL, // remaining
                       -1.0}; // hint: none
  start_ = timing_ == Timing::Unobserved ? 0.0 : now();
  measured_at_ = start_;
  phase_ = Phase::Ready;
  return BACKOFF_OK;
}

void backoff_state::measure() noexcept {
  if (timing_ == Timing::Unobserved)
    return;
  measured_at_ = now();
  d_.elapsed = measured_at_ - start_;
  d_.remaining = max_time_ > 0.0 ? std::max(0.0, max_time_ - d_.elapsed)
                                 : HUGE_VAL;
}

void backoff_state::run_hooks(backoff::HookKind kind) const noexcept {
  for (const auto &hook : policy_->hooks[kind])
    hook.fn()(&d_, hook.data());
}

backoff_status backoff_state::end(backoff_status outcome) noexcept {
  phase_ = Phase::Ended;
  d_.outcome = outcome;
  if (outcome == BACKOFF_OK) {
    run_hooks(backoff::kOnSuccess);
  } else if (outcome != BACKOFF_PASSED_THROUGH) {
    run_hooks(backoff::kOnGiveup);
    backoff::log_giveup(policy_->log, d_);
  }
  return outcome;
}

[[gnu::always_inline]] inline backoff_status
backoff_state::begin_step() noexcept {
  if (phase_ != Phase::Ready)
    return BACKOFF_E_MISUSE;
  if (cancel_ != nullptr && cancel_->triggered()) {
    measure();
    return end(BACKOFF_CANCELLED);
  }
  ++d_.tries;
  phase_ = Phase::Attempting;
  if (d_.tries == 1 && policy_->budget)
    policy_->budget->deposit(budget_time(start_));
  if (!policy_->hooks[backoff::kOnTry].empty()) {
    measure();
    run_hooks(backoff::kOnTry);
  }
  return BACKOFF_OK;
}

double backoff_state::budget_time(double clock_reading) const noexcept {
  // The system clock was read for this run already: reuse that reading
  // rather than pay for a second one.
  const backoff_budget &budget = *policy_->budget.get();
  if (budget.has_own_clock() || policy_->clock)
    return budget.now();
  return clock_reading;
}

double backoff_state::server_hint() noexcept {
  // A hint given to this attempt by backoff_state_retry_after wins over the
  // policy's hint function. NaN and negative values mean "no hint".
  double hint = retry_after_;
  retry_after_ = -1.0;
  if (!(hint >= 0.0) && policy_->hint)
    hint = policy_->hint.fn()(&d_, policy_->hint.data());
  return hint >= 0.0 ? hint : -1.0;
}

bool backoff_state::hint_too_long(double hint) const noexcept {
  // Sleeping towards a deadline the server already said will pass would
  // only delay the give-up.
  return std::isinf(hint) ||
         (policy_->hint_max > 0.0 && hint > policy_->hint_max) ||
         (max_time_ > 0.0 && hint > d_.remaining);
}

bool backoff_state::generated_wait(double *out) noexcept {
  if (!generating_) {
    new (&generator_.value) Generator(policy_->wait);
    generating_ = true;
  }
  Generator &g = generator_.value;
  double w;
  if (!g.wait.next(d_, &w))
    return false;
  // Seeding is deferred to the first jitter that draws: a run that succeeds
  // at once, or that jitters nothing, pays nothing for randomness.
  const backoff::JitterConfig &jitter = policy_->jitter;
  if (jitter.kind != BACKOFF_JITTER_NONE) {
    if (!g.rng_seeded) {
      g.rng = backoff::Rng(policy_->seeded ? policy_->seed
                                           : backoff::fresh_seed());
      g.rng_seeded = true;
    }
    // The generator's cap bounds only the decorrelated jitter.
    const double cap = jitter.kind == BACKOFF_JITTER_DECORRELATED
                           ? policy_->wait.cap()
                           : 0.0;
    w = backoff::apply_jitter(jitter, g.jitter, w, cap, g.rng);
  }
  *out = max_time_ > 0.0 ? std::min(w, d_.remaining) : w;
  return true;
}

[[gnu::always_inline]] inline backoff_status
backoff_state::next_step(int rc, double *wait_out) noexcept {
  *wait_out = 0.0;
  if (phase_ != Phase::Attempting)
    return BACKOFF_E_MISUSE;
  d_.last_rc = rc;
  d_.hint = -1.0;

  // Elapsed is measured after the attempt: a custom classifier may judge by
  // it, and a slow attempt must not earn a retry.
  const bool measured_early =
      !caller_verdicts_ &&
      policy_->classifier.mode == backoff::Classifier::Mode::Custom;
  if (measured_early)
    measure();
  const backoff_verdict verdict = caller_verdicts_
                                      ? backoff::verdict_from_int(rc)
                                      : policy_->classifier.verdict(d_);
  if (verdict != BACKOFF_VERDICT_SUCCESS)
    return after_failure(verdict, measured_early, wait_out);
  if (!measured_early && timing_ == Timing::Measured)
    measure(); // skipped only for a success nobody will look at
  return end(BACKOFF_OK);
}

[[gnu::always_inline]] inline backoff_status
backoff_state::after_failure(backoff_verdict verdict,
                                            bool measured,
                                            double *wait_out) noexcept {
  if (!measured)
    measure(); // a failure is always measured
  switch (verdict) {
  case BACKOFF_VERDICT_RETRY:
    break;
  case BACKOFF_VERDICT_PASS_THROUGH:
    return end(BACKOFF_PASSED_THROUGH);
  default: // BACKOFF_VERDICT_GIVE_UP (never SUCCESS here)
    return end(BACKOFF_GAVE_UP_FATAL);
  }

  if (max_tries_ != 0 && d_.tries >= max_tries_)
    return end(BACKOFF_GAVE_UP_TRIES);
  if (max_time_ > 0.0 && d_.elapsed >= max_time_)
    return end(BACKOFF_GAVE_UP_TIME);
  if (cancel_ != nullptr && cancel_->triggered())
    return end(BACKOFF_CANCELLED);

  // The server's hint replaces the generated wait for this one backoff: no
  // jitter, and the generator does not advance.
  double w;
  d_.hint = server_hint();
  if (d_.hint >= 0.0) {
    if (hint_too_long(d_.hint))
      return end(BACKOFF_GAVE_UP_TIME);
    w = d_.hint;
  } else if (!generated_wait(&w)) {
    return end(BACKOFF_GAVE_UP_EXHAUSTED);
  }
  if (policy_->budget && !policy_->budget->withdraw(budget_time(measured_at_)))
    return end(BACKOFF_GAVE_UP_BUDGET);

  d_.wait = w;
  d_.total_wait = std::min(d_.total_wait + w, DBL_MAX);
  phase_ = Phase::Ready;
  run_hooks(backoff::kOnBackoff);
  backoff::log_backoff(policy_->log, d_);
  *wait_out = w;
  return BACKOFF_RETRY;
}

[[gnu::always_inline]] inline backoff_status
backoff_state::sleep_step(double seconds) noexcept {
  // Only between a RETRY and the next attempt: before the first attempt, or
  // while one runs, there is no wait to sleep.
  if (phase_ != Phase::Ready || d_.tries == 0)
    return BACKOFF_E_MISUSE;
  if (seconds > 0.0) {
    const auto &injected = policy_->sleep;
    if (injected)
      injected.fn()(seconds, injected.data());
    else if (cancel_ != nullptr)
      cancel_->sleep_for(seconds);
    else
      backoff::monotonic_sleep(seconds);
  }
  if (cancel_ != nullptr && cancel_->triggered()) {
    measure();
    return end(BACKOFF_CANCELLED);
  }
  return BACKOFF_OK;
}

// -------------------------------------------------------- entry points --

backoff_status backoff_state::start(const backoff_policy &policy,
                                    backoff_cancel *cancel, const char *label,
                                    void *user_data, Timing timing) noexcept {
  return start_step(policy, cancel, label, user_data, timing);
}

backoff_status backoff_state::begin() noexcept { return begin_step(); }

backoff_status backoff_state::next(int rc, double *wait_out) noexcept {
  return next_step(rc, wait_out);
}

backoff_status backoff_state::sleep(double seconds) noexcept {
  return sleep_step(seconds);
}

backoff_status backoff_state::start_and_begin(const backoff_policy &policy,
                                              backoff_cancel *cancel,
                                              const char *label,
                                              void *user_data,
                                              Timing timing) noexcept {
  const backoff_status status =
      start_step(policy, cancel, label, user_data, timing);
  return status == BACKOFF_OK ? begin_step() : status;
}

backoff_status backoff_state::next_and_begin(int rc,
                                             double *wait_out) noexcept {
  const backoff_status status = next_step(rc, wait_out);
  if (status == BACKOFF_RETRY && *wait_out == 0.0) {
    const backoff_status begun = begin_step();
    return begun == BACKOFF_OK ? BACKOFF_RETRY : begun;
  }
  return status;
}

backoff_status backoff_state::drive(const backoff_policy &policy,
                                    backoff_cancel *cancel, const char *label,
                                    void *user_data, Timing timing,
                                    bool caller_verdicts,
                                    backoff_attempt_fn fn) {
  backoff_status status = start_step(policy, cancel, label, user_data, timing);
  if (status != BACKOFF_OK)
    return status;
  caller_verdicts_ = caller_verdicts;
  for (;;) {
    status = begin_step();
    if (status != BACKOFF_OK)
      break;
    double wait;
    status = next_step(fn(user_data), &wait);
    if (status != BACKOFF_RETRY)
      break;
    status = sleep_step(wait);
    if (status != BACKOFF_OK)
      break;
  }
  return status;
}

backoff_status backoff_state::retry_after(double seconds) noexcept {
  if (phase_ == Phase::Ended)
    return BACKOFF_E_MISUSE;
  retry_after_ = seconds;
  return BACKOFF_OK;
}

backoff_status backoff_state::cancel() noexcept {
  if (phase_ == Phase::Ended)
    return BACKOFF_E_MISUSE;
  measure();
  return end(BACKOFF_CANCELLED);
}
