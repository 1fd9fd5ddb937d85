// The command line: `backoff-sim SCENARIO [OPTIONS]`.
#pragma once

#include <string>
#include <vector>

#include "contention.hpp"
#include "load.hpp"
#include "policy_spec.hpp"

namespace sim {

enum class Scenario { kContention, kOutage, kOverload };

struct Options {
  Scenario scenario = Scenario::kContention;
  std::vector<PolicySpec> policies; // the scenario's defaults if none given
  std::string runs_path = "-";      // "-": standard output
  std::string intervals_path;       // empty: not written
  bool timing = false;              // report client-runs per second
  ContentionConfig contention;
  LoadConfig load;
};

// Parses argv into *out. Returns true to go on; false when the program
// should exit with *status: 0 after --help, 2 after a usage error (both
// already printed).
bool parse_options(int argc, char **argv, Options *out, int *status);

// The policies a scenario simulates when no --policy is given.
std::vector<std::string> default_policies(Scenario s);

} // namespace sim
