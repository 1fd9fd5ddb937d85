#include "wait.hpp"

#include <cfloat>
#include <cmath>

namespace backoff {

double WaitConfig::cap() const noexcept {
  switch (kind) {
  case WaitKind::Expo:
  case WaitKind::Fibo:
  case WaitKind::Linear:
    return c;
  default:
    return 0.0;
  }
}

namespace {

// The reference yields max_value forever once a value reaches it. Without a
// cap it would overflow; we saturate at DBL_MAX instead.
double limit_of(double cap) noexcept { return cap > 0.0 ? cap : DBL_MAX; }

} // namespace

bool WaitCursor::next(const backoff_details &details, double *out) noexcept {
  const WaitConfig &c = *config_;
  switch (c.kind) {
  case WaitKind::Expo:
  case WaitKind::Fibo:
  case WaitKind::Linear: {
    const double limit = limit_of(c.c);
    if (saturated_) {
      *out = limit;
      return true;
    }
    double value;
    if (c.kind == WaitKind::Expo) {
      value = c.b * std::pow(c.a, static_cast<double>(n_));
    } else if (c.kind == WaitKind::Fibo) {
      value = fib_a_;
      const double sum = fib_a_ + fib_b_;
      fib_a_ = fib_b_;
      fib_b_ = sum;
    } else {
      value = c.a + static_cast<double>(n_) * c.b;
    }
    ++n_;
    if (!(value < limit)) { // also catches +inf from an overflow
      saturated_ = true;
      value = limit;
    }
    *out = value;
    return true;
  }
  case WaitKind::Constant:
    *out = c.a;
    return true;
  case WaitKind::Sequence:
    if (n_ >= c.sequence.size())
      return false;
    *out = c.sequence[n_++];
    return true;
  case WaitKind::Decay: {
    // pow(e, x) rather than exp(x): the reference computes math.e ** x.
    const double value =
        c.a * std::pow(M_E, -static_cast<double>(n_) * c.b);
    ++n_;
    *out = (c.c > 0.0 && !(value > c.c)) ? c.c : value;
    return true;
  }
  case WaitKind::Custom: {
    const double value = c.custom.fn()(&details, c.custom.data());
    if (!std::isfinite(value) || value < 0.0)
      return false;
    *out = value;
    return true;
  }
  }
  return false;
}

} // namespace backoff
