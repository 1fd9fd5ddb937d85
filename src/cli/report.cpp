#include "report.hpp"

#include <cstdarg>
#include <cstdio>

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

} // namespace cli
