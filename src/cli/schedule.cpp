#include "schedule.hpp"

#include <charconv>
#include <cstdio>

#include "exit_status.hpp"
#include "report.hpp"

namespace cli {

namespace {

// An unlimited policy is shown this far.
constexpr unsigned kMaxShown = 100;

double read_clock(void *now) { return *static_cast<double *>(now); }

int always_retry(const backoff_details *, void *) {
  return BACKOFF_VERDICT_RETRY;
}

// The shortest text that reads back as the same double.
const char *number(double x, char (&buffer)[32]) {
  const auto result = std::to_chars(buffer, buffer + sizeof buffer - 1, x);
  *result.ptr = '\0';
  return buffer;
}

} // namespace

int print_schedule(backoff_policy *p, double attempt_seconds) {
  double now = 0.0;
  backoff_policy_clock(p, read_clock, &now, nullptr);
  backoff_policy_classify(p, always_retry, nullptr, nullptr);
  backoff_state *s = nullptr;
  if (backoff_state_new(p, nullptr, nullptr, &s) != BACKOFF_OK) {
    report(BACKOFF_LOG_ERROR, "cannot compute the schedule");
    return kInternal;
  }
  std::printf("# attempt\tfails at\twait\tnext at (seconds; every attempt "
              "failing after %g s)\n",
              attempt_seconds);
  char a[32], b[32], c[32];
  for (unsigned attempt = 1;; ++attempt) {
    backoff_state_begin(s);
    now += attempt_seconds;
    double wait = 0.0;
    const backoff_status status = backoff_state_next(s, 1, &wait);
    if (status != BACKOFF_RETRY) {
      std::printf("# gives up after attempt %u: %s\n", attempt,
                  backoff_strerror(status));
      break;
    }
    std::printf("%u\t%s\t%s\t%s\n", attempt, number(now, a), number(wait, b),
                number(now + wait, c));
    now += wait;
    if (attempt == kMaxShown) {
      std::printf("# and more: only the first %u waits are shown\n",
                  kMaxShown);
      break;
    }
  }
  backoff_state_free(s);
  return finish_stdout();
}

} // namespace cli
