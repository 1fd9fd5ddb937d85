// The command's own messages on stderr, in the same "backoff: LEVEL: ..."
// shape as the library's log lines, which they interleave with; and the end
// of what backoff itself prints on stdout.
#pragma once

#include "backoff/backoff.h"

namespace cli {

// printf-style; one write(2) per line. Never allocates. A failed write
// (stderr closed, a pipe nobody reads) is not an error: the run goes on.
void report(int level, const char *format, ...) noexcept
    __attribute__((format(printf, 2, 3)));

// Flushes what backoff printed on stdout (--help, --version,
// --print-policy, --schedule): 0, or 125 after reporting a write error.
int finish_stdout() noexcept;

} // namespace cli
