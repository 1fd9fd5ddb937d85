// The command line: what the user asked for, checked for form only. What
// the policy values mean for retrying is the library's business (policy.cpp
// hands them to its spec parser).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exit_codes.hpp"

namespace cli {

enum Verbosity { kQuiet, kNormal, kVerbose };

struct Options {
  // Policy settings, as typed; empty when not given.
  std::string policy;  // --policy SPEC
  std::string wait;    // --wait KIND
  std::vector<std::pair<std::string, std::string>> wait_params; // --base …
  std::string jitter, tries, max_time, seed;
  bool print_policy = false;
  std::optional<double> schedule; // --schedule[=S]: seconds per attempt

  // Which statuses succeed and which are retried.
  std::optional<CodeSet> retry_on, giveup_on, success_on;
  std::vector<std::string> retry_if_output, until_output; // ERE patterns

  // Server hints and budgets.
  std::string hint_file, budget_file;

  // Running the command.
  double attempt_timeout = 0.0; // 0: none
  double kill_after = 5.0;      // grace between SIGTERM and SIGKILL
  bool replay_stdin = false;
  bool hold_output = false;
  std::string label; // for messages; the command's name by default
  Verbosity verbosity = kNormal;
  char **command = nullptr; // argv tail: NULL-terminated

  // Output patterns are matched over held output.
  bool holds_stdout() const {
    return hold_output || holds_stderr();
  }
  bool holds_stderr() const {
    return !retry_if_output.empty() || !until_output.empty();
  }
};

// Fills *out from argv. Returns an exit status when the command must stop
// here (0 after --help or --version, 2 after a usage error, reported on
// stderr, 125 when --help/--version could not be written), nothing when it
// should go on.
std::optional<int> parse_options(int argc, char **argv, Options *out);

// Reports a usage error on stderr ("backoff: ..." and a pointer to
// --help); returns the usage status.
int usage_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

} // namespace cli
