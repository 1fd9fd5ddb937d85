// Log lines in the reference's words, formatted on the stack: logging must
// not make a run allocate.
#pragma once

#include "policy.hpp"

namespace backoff {

void log_backoff(const LogConfig &log, const backoff_details &d) noexcept;
void log_giveup(const LogConfig &log, const backoff_details &d) noexcept;

// backoff_log_stderr: one line, one write(2).
void log_to_stderr(int level, const char *message) noexcept;

} // namespace backoff
