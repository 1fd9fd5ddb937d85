#include "driver.hpp"

#include "clock.hpp"

namespace cli {

namespace {

// Sleeps `seconds` unless a stopping signal comes first; that signal then
// triggers the cancel token, which ends the run at its next step.
void sleep_between(double seconds, backoff_cancel *cancel,
                   Signals &signals) noexcept {
  const double until = monotonic_now() + seconds;
  for (;;) {
    const double left = until - monotonic_now();
    if (left <= 0.0)
      return;
    const int signo = signals.wait(left);
    if (signals.stops_retries(signo)) {
      signals.note_received(signo);
      backoff_cancel_trigger(cancel);
      return;
    }
  }
}

} // namespace

backoff_status drive(const backoff_policy *p, const char *label,
                     backoff_cancel *cancel, Attempt &attempt,
                     BudgetMirror *budget, Signals &signals,
                     backoff_details *details) noexcept {
  backoff_run_options run_options = BACKOFF_RUN_OPTIONS_INIT;
  run_options.cancel = cancel;
  run_options.label = label;
  backoff_state *state = nullptr;
  backoff_status status = backoff_state_new(p, &run_options, &attempt, &state);
  if (status != BACKOFF_OK)
    return status;
  for (bool first = true;; first = false) {
    status = backoff_state_begin(state);
    if (status != BACKOFF_OK)
      break;
    if (budget != nullptr && first)
      budget->first_attempt_started();
    const int rc = attempt.run();
    double wait = 0.0;
    if (budget != nullptr)
      budget->before_next();
    status = backoff_state_next(state, rc, &wait);
    if (budget != nullptr)
      budget->after_next();
    if (status != BACKOFF_RETRY)
      break;
    sleep_between(wait, cancel, signals);
  }
  backoff_state_details(state, details);
  backoff_state_free(state);
  return status;
}

} // namespace cli
