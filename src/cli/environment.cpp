#include "environment.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <initializer_list>

extern char **environ;

namespace cli {

namespace {

bool ours(const char *entry) {
  for (const char *name :
       {"BACKOFF_ATTEMPT=", "BACKOFF_ELAPSED=", "BACKOFF_REMAINING="})
    if (std::strncmp(entry, name, std::strlen(name)) == 0)
      return true;
  return false;
}

std::string seconds(const char *name, double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%s=%.3f", name, value);
  return text;
}

} // namespace

char **Environment::for_attempt(unsigned attempt, double elapsed,
                                double remaining) {
  added_.clear();
  added_.push_back("BACKOFF_ATTEMPT=" + std::to_string(attempt));
  added_.push_back(seconds("BACKOFF_ELAPSED", elapsed));
  if (std::isfinite(remaining))
    added_.push_back(seconds("BACKOFF_REMAINING", remaining));

  envp_.clear();
  for (char **entry = environ; *entry != nullptr; ++entry)
    if (!ours(*entry))
      envp_.push_back(*entry);
  for (std::string &entry : added_)
    envp_.push_back(entry.data());
  envp_.push_back(nullptr);
  return envp_.data();
}

} // namespace cli
