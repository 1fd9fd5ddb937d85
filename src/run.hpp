// backoff_run: the blocking driver of the state machine. It calls the
// operation and sleeps; every decision is the state machine's.
#pragma once

#include "state.hpp"

namespace backoff {

// `caller_verdicts`: fn returns backoff_verdicts (BACKOFF_RUN_RC_IS_VERDICT).
backoff_status run(const backoff_policy &policy, backoff_attempt_fn fn,
                   void *user_data, backoff_cancel *cancel, const char *label,
                   backoff_details *details_out, bool caller_verdicts = false);

} // namespace backoff
