// The retry policy the options describe, built only through the library's
// spec parser, so the command and configuration files read settings the
// same way and every value is checked by the library.
#pragma once

#include "backoff/backoff.h"
#include "options.hpp"

namespace cli {

// The policy, or NULL after reporting the offending option on stderr (*exit
// says with which status the command must stop).
backoff_policy *build_policy(const Options &options, int *exit);

} // namespace cli
