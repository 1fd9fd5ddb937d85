// --schedule: the waits a policy would give if every attempt failed, each
// after the same number of seconds, computed by the library's state machine
// on a clock of our own (nothing runs, nothing sleeps). With a seed these
// are exactly the waits every binding gives for that spec
// (tests/vectors/waits.tsv).
#pragma once

#include "backoff/backoff.h"

namespace cli {

// Prints the schedule of p (which it changes: clock and classifier) on
// stdout; returns the exit status.
int print_schedule(backoff_policy *p, double attempt_seconds);

} // namespace cli
