// Wait generators: the sequence of waits before jitter. WaitConfig is the
// policy's description; WaitCursor walks it for one run (the reference makes
// a fresh generator per call, and so do we: nothing carries over).
#pragma once

#include <cstdint>
#include <vector>

#include "callback.hpp"

namespace backoff {

enum class WaitKind { Expo, Fibo, Constant, Sequence, Decay, Linear, Custom };

struct WaitConfig {
  WaitKind kind = WaitKind::Expo;
  // Parameters by kind (0 for a cap or floor means none):
  //   Expo: a = base, b = factor, c = max     Fibo: c = max
  //   Constant: a = interval                  Decay: a = initial, b = factor, c = min
  //   Linear: a = start, b = increment, c = max
  double a = 2.0, b = 1.0, c = 0.0;
  std::vector<double> sequence;
  Callback<backoff_wait_fn> custom;

  // The largest wait the generator can give, or 0 when it has no cap.
  double cap() const noexcept;
};

class WaitCursor {
public:
  WaitCursor() = default;
  explicit WaitCursor(const WaitConfig &config) noexcept : config_(&config) {}

  // The next wait; false when the generator is exhausted (a sequence ran out,
  // or a custom function asked to stop).
  bool next(const backoff_details &details, double *out) noexcept;

private:
  const WaitConfig *config_ = nullptr;
  std::uint64_t n_ = 0;
  double fib_a_ = 1.0, fib_b_ = 1.0;
  bool saturated_ = false;
};

} // namespace backoff
