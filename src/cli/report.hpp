// The command's own messages on stderr, in the same "backoff: LEVEL: ..."
// shape as the library's log lines, which they interleave with.
#pragma once

#include "backoff/backoff.h"

namespace cli {

// printf-style; one write(2) per line, so safe from any thread. Never
// allocates.
void report(int level, const char *format, ...) noexcept
    __attribute__((format(printf, 2, 3)));

} // namespace cli
