// The retry loop: the library's state machine, driven around a child
// process. The state machine decides everything about retrying (verdicts,
// limits, waits, jitter, hints, the budget, hooks, log lines); this loop
// only runs the attempts it asks for and sleeps the waits it gives, in
// sigtimedwait, so that a signal ends a wait at once without a thread.
#pragma once

#include "attempt.hpp"
#include "backoff/backoff.h"
#include "budget_mirror.hpp"
#include "signals.hpp"

namespace cli {

// Runs p to its end; *details gets the run's final details. Returns the
// run's status (BACKOFF_OK, a positive outcome, or a negative error).
// `budget` (may be NULL) is told when the library counts a first attempt
// and when it is about to judge one.
backoff_status drive(const backoff_policy *p, const char *label,
                     backoff_cancel *cancel, Attempt &attempt,
                     BudgetMirror *budget, Signals &signals,
                     backoff_details *details) noexcept;

} // namespace cli
