// The command's own exit statuses. Beyond these it exits with the last
// attempt's status; the numbers follow timeout(1) and the shell so that
// scripts can tell them apart.
#pragma once

namespace cli {

constexpr int kUsage = 2;           // bad options: nothing was run
constexpr int kTimedOut = 124;      // the attempt ran past --attempt-timeout
constexpr int kInternal = 125;      // backoff itself failed
constexpr int kCannotExecute = 126; // the command exists but cannot run
constexpr int kNotFound = 127;      // the command was not found
constexpr int kSignalBase = 128;    // + N: killed by (or stopped on) signal N

} // namespace cli
