// The command's own clock: the system's monotonic clock, in seconds, the
// one the library uses when nobody injects another.
#pragma once

#include <ctime>

namespace cli {

inline double monotonic_now() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

} // namespace cli
