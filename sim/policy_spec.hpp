// A policy spec given on the command line, checked once by the library's
// own parser before any simulation starts.
#pragma once

#include <string>

namespace sim {

class PolicySpec {
public:
  // Validates `text` with backoff_policy_parse. On error returns false and
  // says why (the library's message and the offending offset) in *error.
  static bool parse(const std::string &text, PolicySpec *out,
                    std::string *error);

  const std::string &text() const { return text_; }
  // The library's canonical form (backoff_policy_format): what the CSV
  // shows, so a figure always names the policy exactly.
  const std::string &canonical() const { return canonical_; }

private:
  std::string text_;
  std::string canonical_;
};

} // namespace sim
