// The attempt's environment: backoff's own, plus what the attempt may want
// to know about the run — BACKOFF_ATTEMPT (1-based), BACKOFF_ELAPSED
// (seconds since the first attempt started) and, with a time limit,
// BACKOFF_REMAINING (seconds left), so it can size its own time-outs.
// Values inherited under these names (a backoff inside a backoff) are
// replaced, and BACKOFF_REMAINING is removed when this run has no limit.
#pragma once

#include <string>
#include <vector>

namespace cli {

class Environment {
public:
  // envp for the attempt; valid until the next call.
  char **for_attempt(unsigned attempt, double elapsed, double remaining);

private:
  std::vector<std::string> added_;
  std::vector<char *> envp_;
};

} // namespace cli
