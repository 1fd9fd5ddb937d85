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

  backoff_status begin() noexcept;
  backoff_status next(int rc, double *wait_out) noexcept;

  // The fused steps of drivers whose calls into the library are costly.
  // start() then begin(): BACKOFF_E_INVALID only when the run did not start.
  backoff_status start_and_begin(const backoff_policy &policy,
                                 backoff_cancel *cancel, const char *label,
                                 void *user_data, Timing timing) noexcept;
  // next(), then begin() when it answers RETRY with a zero wait.
  backoff_status next_and_begin(int rc, double *wait_out) noexcept;
  // start(), then attempts fn(user_data) until the run ends, sleeping the
  // waits through sleep(): backoff_run's loop. BACKOFF_E_INVALID only when
  // the run did not start.
  backoff_status drive(const backoff_policy &policy, backoff_cancel *cancel,
                       const char *label, void *user_data, Timing timing,
                       bool caller_verdicts, backoff_attempt_fn fn);

  backoff_status retry_after(double seconds) noexcept;
  backoff_status sleep(double seconds) noexcept;
  backoff_status cancel() noexcept;

  const backoff_details &details() const noexcept { return d_; }

  // The driver judges each attempt itself (BACKOFF_RUN_RC_IS_VERDICT): the
  // code given to next() is a backoff_verdict, and the policy's classifier
  // is not asked.
  void take_verdicts_from_caller() noexcept { caller_verdicts_ = true; }

  backoff_cancel *cancel_token() const noexcept { return cancel_; }
  const backoff_policy &policy() const noexcept { return *policy_; }
  bool heap_allocated = false;

private:
  enum class Phase { Ready, Attempting, Ended };

  // A run's generator of waits: set up by the first generated wait, which a
  // run that succeeds at once never needs.
  struct Generator {
    explicit Generator(const backoff::WaitConfig &config) noexcept
        : wait(config) {}
    backoff::WaitCursor wait;
    backoff::JitterCursor jitter;
    backoff::Rng rng;
    bool rng_seeded = false; // seeded by the first jitter that draws
  };

  // The steps behind every entry point above (see state.cpp).
  backoff_status start_step(const backoff_policy &policy,
                            backoff_cancel *cancel, const char *label,
                            void *user_data, Timing timing) noexcept;
  bool limits_from_functions() noexcept;
  backoff_status begin_step() noexcept;
  backoff_status next_step(int rc, double *wait_out) noexcept;
  backoff_status sleep_step(double seconds) noexcept;
  double now() const noexcept;
  void measure() noexcept;
  void run_hooks(backoff::HookKind kind) const noexcept;
  backoff_status end(backoff_status outcome) noexcept;
  // next() after a failure (`measured`: the clock was read already).
  backoff_status after_failure(backoff_verdict verdict, bool measured,
                               double *wait_out) noexcept;
  double server_hint() noexcept;
  bool hint_too_long(double hint) const noexcept;
  bool generated_wait(double *out) noexcept;
  double budget_time(double clock_reading) const noexcept;

  // start() sets every field but generator_ (see there): a run's state
  // lives on its stack, or in a driver's memory, and is not initialised
  // twice.
  Phase phase_ = Phase::Ended;
  const backoff_policy *policy_;
  backoff_cancel *cancel_;
  backoff_details d_;
  double start_;
  double measured_at_; // the clock reading behind d_.elapsed
  unsigned max_tries_;
  double max_time_;
  double retry_after_; // < 0 or NaN: none pending; unread once ended
  Timing timing_;
  bool caller_verdicts_;
  bool generating_; // generator_ holds the run's generator
  union LazyGenerator {
    LazyGenerator() noexcept {} // leaves it unconstructed
    Generator value;
  } generator_;
};
