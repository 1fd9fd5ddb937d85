// Jitter: spreads each generated wait so that many clients failing together
// do not retry together.
#pragma once

#include "callback.hpp"
#include "rng.hpp"

namespace backoff {

struct JitterConfig {
  int kind = BACKOFF_JITTER_FULL;
  double proportion = 0.5; // spread of BACKOFF_JITTER_PROPORTIONAL
  Callback<backoff_jitter_fn> custom;
};

// Per-run memory of the decorrelated jitter, which depends on the previous
// wait.
struct JitterCursor {
  double base = 0.0;
  double previous = 0.0;
  bool started = false;
};

// The real wait for generated wait `w`; never negative or NaN. `cap` is the
// generator's cap (0: none), used by the decorrelated jitter.
double apply_jitter(const JitterConfig &config, JitterCursor &cursor, double w,
                    double cap, Rng &rng) noexcept;

} // namespace backoff
