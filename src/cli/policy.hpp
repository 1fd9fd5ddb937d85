// The retry policy the options describe, built only through the library's
// spec parser, so the command and configuration files read settings the
// same way and every value is checked by the library. Layers, each
// overriding the one before: the command's defaults (5 tries, 126 and 127
// not retried), $BACKOFF_POLICY, --policy, the single options.
#pragma once

#include <string>

#include "backoff/backoff.h"
#include "budget_file.hpp"
#include "exit_codes.hpp"
#include "options.hpp"

namespace cli {

// The command's default for tries: see docs/cli.md for why 5.
constexpr unsigned kDefaultTries = 5;

struct BuiltPolicy {
  backoff_policy *policy = nullptr; // NULL after an error was reported
  ExitRule rule;                    // how statuses are judged
  // True when the library's classification cannot say what `rule` and the
  // output patterns say: the command must install its own classifier.
  bool needs_classifier = false;
  int exit = 0; // the status to stop with when policy is NULL
};

BuiltPolicy build_policy(const Options &options);

// The canonical spec of p ("" when it cannot be formatted).
std::string format_policy(const backoff_policy *p);

// The parameters of p's budget (its spec's budget(...)), or the library's
// defaults when it has none; then p has a budget of its own.
BudgetParams budget_params(backoff_policy *p);

} // namespace cli
