#include "state.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "clock.hpp"
#include "log.hpp"

double backoff_state::now() const noexcept {
  const auto &clock = policy_->clock;
  return clock ? clock.fn()(clock.data()) : backoff::monotonic_seconds();
}

bool backoff_state::observes_time(const backoff_policy &p) noexcept {
  for (const auto &hooks : p.hooks)
    if (!hooks.empty())
      return true;
  return p.max_time > 0.0 || p.max_time_fn || p.log.sink || p.hint ||
         p.budget || p.wait.kind == backoff::WaitKind::Custom ||
         p.classifier.mode == backoff::Classifier::Mode::Custom;
}

backoff_status backoff_state::start(const backoff_policy &policy,
                                    backoff_cancel *cancel, const char *label,
                                    void *user_data, Timing timing) noexcept {
  policy_ = &policy;
  cancel_ = cancel;
  wait_ = backoff::WaitCursor(policy.wait);
  jitter_ = backoff::JitterCursor{};
  rng_ready_ = false;
  retry_after_ = -1.0;
  timing_ = timing;

  max_tries_ = policy.max_tries_fn
                   ? policy.max_tries_fn.fn()(policy.max_tries_fn.data())
                   : policy.max_tries;
  max_time_ = policy.max_time;
  if (policy.max_time_fn) {
    const double t = policy.max_time_fn.fn()(policy.max_time_fn.data());
    if (std::isnan(t) || t < 0.0) {
      phase_ = Phase::Ended;
      return BACKOFF_E_INVALID;
    }
    max_time_ = std::isinf(t) ? 0.0 : t;
  }

  d_ = backoff_details{};
  d_.size = sizeof d_;
  d_.label = label != nullptr ? label : "operation";
  d_.user_data = user_data;
  d_.outcome = BACKOFF_RETRY;
  d_.remaining = max_time_ > 0.0 ? max_time_ : HUGE_VAL;
  d_.hint = -1.0;
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

backoff_status backoff_state::begin() noexcept {
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
  double w;
  if (!wait_.next(d_, &w))
    return false;
  // Seeding is deferred to the first jitter: a run that succeeds at once
  // pays nothing for randomness.
  if (!rng_ready_) {
    rng_ = backoff::Rng(policy_->seeded ? policy_->seed : backoff::fresh_seed());
    rng_ready_ = true;
  }
  w = backoff::apply_jitter(policy_->jitter, jitter_, w, policy_->wait.cap(),
                            rng_);
  *out = max_time_ > 0.0 ? std::min(w, d_.remaining) : w;
  return true;
}

backoff_status backoff_state::next(int rc, double *wait_out) noexcept {
  *wait_out = 0.0;
  if (phase_ != Phase::Attempting)
    return BACKOFF_E_MISUSE;
  d_.last_rc = rc;
  d_.hint = -1.0;

  // Elapsed is measured after the attempt: a custom classifier may judge by
  // it, and a slow attempt must not earn a retry.
  const bool measured_early =
      policy_->classifier.mode == backoff::Classifier::Mode::Custom;
  if (measured_early)
    measure();
  const backoff_verdict verdict = policy_->classifier.verdict(d_);
  if (!measured_early &&
      (verdict != BACKOFF_VERDICT_SUCCESS || timing_ == Timing::Measured ||
       !policy_->hooks[backoff::kOnSuccess].empty()))
    measure(); // skipped only for a success nobody will look at
  if (verdict != BACKOFF_VERDICT_RETRY)
    retry_after_ = -1.0; // a hint is only for a failure that is retried
  switch (verdict) {
  case BACKOFF_VERDICT_SUCCESS:
    return end(BACKOFF_OK);
  case BACKOFF_VERDICT_PASS_THROUGH:
    return end(BACKOFF_PASSED_THROUGH);
  case BACKOFF_VERDICT_GIVE_UP:
    return end(BACKOFF_GAVE_UP_FATAL);
  case BACKOFF_VERDICT_RETRY:
    break;
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

backoff_status backoff_state::retry_after(double seconds) noexcept {
  if (phase_ == Phase::Ended)
    return BACKOFF_E_MISUSE;
  retry_after_ = seconds;
  return BACKOFF_OK;
}

backoff_status backoff_state::sleep(double seconds) noexcept {
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

backoff_status backoff_state::cancel() noexcept {
  if (phase_ == Phase::Ended)
    return BACKOFF_E_MISUSE;
  measure();
  return end(BACKOFF_CANCELLED);
}
