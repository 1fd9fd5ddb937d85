#include "clock.hpp"

#include <cerrno>
#include <cmath>
#include <ctime>

namespace backoff {

namespace {
constexpr double kForever = 100.0 * 365.25 * 24 * 3600;
}

double monotonic_seconds() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::chrono::nanoseconds to_duration(double seconds) noexcept {
  if (!(seconds > 0.0))
    return std::chrono::nanoseconds(0);
  if (seconds > kForever)
    seconds = kForever;
  return std::chrono::nanoseconds(static_cast<long long>(seconds * 1e9));
}

void monotonic_sleep(double seconds) noexcept {
  const long long ns = to_duration(seconds).count();
  if (ns == 0)
    return;
  // An absolute deadline makes restarts after EINTR exact.
  timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += static_cast<time_t>(ns / 1000000000LL);
  deadline.tv_nsec += static_cast<long>(ns % 1000000000LL);
  if (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_sec += 1;
    deadline.tv_nsec -= 1000000000L;
  }
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nullptr) ==
         EINTR) {
  }
}

} // namespace backoff
