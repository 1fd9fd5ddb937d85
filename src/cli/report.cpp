#include "report.hpp"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "exit_status.hpp"

namespace cli {

void report(int level, const char *format, ...) noexcept {
  char message[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof message, format, args);
  va_end(args);
  // The library's stderr logger formats and writes the line; it only needs
  // details for the signature.
  const backoff_details none = BACKOFF_DETAILS_INIT;
  backoff_log_stderr(level, message, &none, nullptr);
}

int finish_stdout() noexcept {
  if (std::fflush(stdout) == 0 && !std::ferror(stdout))
    return 0;
  report(BACKOFF_LOG_ERROR, "cannot write to stdout: %s", std::strerror(errno));
  return kInternal;
}

} // namespace cli
