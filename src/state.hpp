// The state machine: the one place where retry decisions are made. It is
// told each attempt's return code and answers "retry after W seconds" or a
// final status. backoff_run, the async bindings and the command only drive
// it. It never allocates and never sleeps.
#pragma once

#include "cancel.hpp"
#include "policy.hpp"
#include "rng.hpp"

struct backoff_state {
  // How much of a run's time someone can see. A run nobody can observe the
  // time of (backoff_run without details, and a policy with no time limit,
  // hook, log, budget or function that reads the details) never reads the
  // clock.
  enum class Timing { Measured, UnreadSuccess, Unobserved };

  // Starts a run. Fails with BACKOFF_E_INVALID when a limit function gives a
  // bad value; the state is then unusable.
  backoff_status start(const backoff_policy &policy, backoff_cancel *cancel,
                       const char *label, void *user_data,
                       Timing timing) noexcept;

  // True when the policy lets a run's details reach a user callback, or
  // depends on the time itself.
  static bool observes_time(const backoff_policy &policy) noexcept;

  backoff_status begin() noexcept;
  backoff_status next(int rc, double *wait_out) noexcept;
  backoff_status retry_after(double seconds) noexcept;
  backoff_status sleep(double seconds) noexcept;
  backoff_status cancel() noexcept;

  const backoff_details &details() const noexcept { return d_; }

  backoff_cancel *cancel_token() const noexcept { return cancel_; }
  const backoff_policy &policy() const noexcept { return *policy_; }
  bool heap_allocated = false;

private:
  enum class Phase { Ready, Attempting, Ended };

  double now() const noexcept;
  void measure() noexcept;
  void run_hooks(backoff::HookKind kind) const noexcept;
  backoff_status end(backoff_status outcome) noexcept;
  double server_hint() noexcept;
  bool hint_too_long(double hint) const noexcept;
  bool generated_wait(double *out) noexcept;
  double budget_time(double clock_reading) const noexcept;

  // start() sets every field: a run's state lives on its stack and is not
  // initialised twice.
  Phase phase_ = Phase::Ended;
  const backoff_policy *policy_;
  backoff_cancel *cancel_;
  backoff_details d_;
  double start_;
  double measured_at_; // the clock reading behind d_.elapsed
  unsigned max_tries_;
  double max_time_;
  double retry_after_; // < 0 or NaN: none pending
  Timing timing_;
  bool rng_ready_;     // rng_ is seeded on first use
  backoff::Rng rng_;
  backoff::WaitCursor wait_;
  backoff::JitterCursor jitter_;
};
