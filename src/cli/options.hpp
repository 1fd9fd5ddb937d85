// The command line: what the user asked for, checked for form only. What
// the values mean for retrying is the library's business (policy.cpp hands
// them to its spec parser).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cli {

enum Verbosity { kQuiet, kNormal, kVerbose };

struct Options {
  // Policy settings, as typed; empty when not given.
  std::string policy;  // --policy SPEC
  std::string wait;    // --wait KIND
  std::vector<std::pair<std::string, std::string>> wait_params; // --base …
  std::string jitter, tries, max_time, retry_on, giveup_on, seed;
  bool print_policy = false;

  // Running the command.
  double attempt_timeout = 0.0; // 0: none
  double kill_after = 5.0;      // grace between SIGTERM and SIGKILL
  Verbosity verbosity = kNormal;
  char **command = nullptr;     // argv tail: NULL-terminated
};

// Fills *out from argv. Returns an exit status when the command must stop
// here (0 after --help or --version, 2 after a usage error, reported on
// stderr), nothing when it should go on.
std::optional<int> parse_options(int argc, char **argv, Options *out);

} // namespace cli
