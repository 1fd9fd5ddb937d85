#include "log.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace backoff {

void log_backoff(const LogConfig &log, const backoff_details &d) noexcept {
  if (!log.sink)
    return;
  char line[512];
  std::snprintf(line, sizeof line, "Backing off %s(...) for %.1fs (rc=%d%s)",
                d.label, d.wait, d.last_rc,
                d.hint >= 0.0 ? ", server hint" : "");
  log.sink.fn()(log.backoff_level, line, &d, log.sink.data());
}

void log_giveup(const LogConfig &log, const backoff_details &d) noexcept {
  if (!log.sink)
    return;
  char line[512];
  if (d.outcome == BACKOFF_CANCELLED && d.tries == 0) {
    std::snprintf(line, sizeof line, "Giving up %s(...) before trying (%s)",
                  d.label, backoff_strerror(d.outcome));
  } else {
    // A give-up on time caused by the server's hint says what it asked for.
    char why[64] = "";
    if (d.outcome == BACKOFF_GAVE_UP_TIME && std::isinf(d.hint))
      std::snprintf(why, sizeof why, "; server asked never to retry");
    else if (d.outcome == BACKOFF_GAVE_UP_TIME && d.hint >= 0.0)
      std::snprintf(why, sizeof why, "; server asked for %.1fs", d.hint);
    std::snprintf(line, sizeof line,
                  "Giving up %s(...) after %u tr%s (rc=%d: %s%s)", d.label,
                  d.tries, d.tries == 1 ? "y" : "ies", d.last_rc,
                  backoff_strerror(d.outcome), why);
  }
  log.sink.fn()(log.giveup_level, line, &d, log.sink.data());
}

} // namespace backoff

namespace {

const char *level_name(int level, char *scratch, std::size_t size) {
  switch (level) {
  case BACKOFF_LOG_DEBUG:
    return "DEBUG";
  case BACKOFF_LOG_INFO:
    return "INFO";
  case BACKOFF_LOG_WARNING:
    return "WARNING";
  case BACKOFF_LOG_ERROR:
    return "ERROR";
  default:
    std::snprintf(scratch, size, "LEVEL %d", level);
    return scratch;
  }
}

} // namespace

namespace backoff {

void log_to_stderr(int level, const char *message) noexcept {
  char scratch[32];
  char line[600];
  const int n = std::snprintf(line, sizeof line, "backoff: %s: %s\n",
                              level_name(level, scratch, sizeof scratch),
                              message != nullptr ? message : "");
  if (n <= 0)
    return;
  std::size_t len = static_cast<std::size_t>(n);
  if (len >= sizeof line) { // truncated: keep the newline
    len = sizeof line - 1;
    line[len - 1] = '\n';
  }
  // One write, so that lines from concurrent runs do not interleave.
  ssize_t ignored = write(STDERR_FILENO, line, len);
  (void)ignored;
}

} // namespace backoff
