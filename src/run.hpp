// backoff_run: the blocking driver of the state machine. It calls the
// operation and sleeps; every decision is the state machine's. Inline: the
// C boundary's backoff_run compiles it in, one frame less per run.
#pragma once

#include "details.hpp"
#include "state.hpp"

namespace backoff {

// `caller_verdicts`: fn returns backoff_verdicts (BACKOFF_RUN_RC_IS_VERDICT).
inline backoff_status run(const backoff_policy &policy, backoff_attempt_fn fn,
                          void *user_data, backoff_cancel *cancel,
                          const char *label, backoff_details *details_out,
                          bool caller_verdicts = false) {
  using Timing = backoff_state::Timing;
  const Timing timing = details_out != nullptr ? Timing::Measured
                        : policy.observes_time ? Timing::UnreadSuccess
                                               : Timing::Unobserved;
  backoff_state state; // on the stack: a run never allocates
  const backoff_status status = state.drive(policy, cancel, label, user_data,
                                            timing, caller_verdicts, fn);
  if (details_out != nullptr && status != BACKOFF_E_INVALID) // it started
    copy_details(state.details(), details_out);
  return status;
}

} // namespace backoff
