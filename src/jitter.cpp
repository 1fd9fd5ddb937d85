#include "jitter.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace backoff {

double apply_jitter(const JitterConfig &config, JitterCursor &cursor, double w,
                    double cap, Rng &rng) noexcept {
  double result;
  switch (config.kind) {
  case BACKOFF_JITTER_NONE:
    result = w;
    break;
  case BACKOFF_JITTER_FULL:
    result = w * rng.uniform();
    break;
  case BACKOFF_JITTER_RANDOM:
    result = w + rng.uniform();
    break;
  case BACKOFF_JITTER_EQUAL:
    result = w / 2.0 + (w / 2.0) * rng.uniform();
    break;
  case BACKOFF_JITTER_DECORRELATED: {
    if (!cursor.started) {
      cursor.started = true;
      cursor.base = w;
      cursor.previous = w;
    }
    const double high = 3.0 * cursor.previous;
    result = cursor.base + (high - cursor.base) * rng.uniform();
    result = std::min(result, cap > 0.0 ? cap : DBL_MAX);
    cursor.previous = result;
    break;
  }
  case BACKOFF_JITTER_PROPORTIONAL:
    result = w * (1.0 - config.proportion +
                  2.0 * config.proportion * rng.uniform());
    break;
  case BACKOFF_JITTER_CUSTOM:
    result = config.custom.fn()(w, rng.uniform(), config.custom.data());
    break;
  default:
    result = w;
    break;
  }
  if (std::isnan(result) || result < 0.0)
    return 0.0;
  return std::min(result, DBL_MAX); // w + U[0,1) of DBL_MAX stays finite
}

} // namespace backoff
