#include "policy_spec.hpp"

#include <cstdlib>
#include <memory>

#include <backoff/backoff.h>

namespace sim {

namespace {

struct PolicyDeleter {
  void operator()(backoff_policy *p) const { backoff_policy_free(p); }
};

// Reads "NAME=" and a number at *pos of the library's canonical text, which
// writes every number in a form strtod reads back exactly.
bool read_param(const std::string &text, const char *name, size_t *pos,
                double *out) {
  const std::string key = std::string(name) + "=";
  if (text.compare(*pos, key.size(), key) != 0)
    return false;
  const char *start = text.c_str() + *pos + key.size();
  char *end = nullptr;
  *out = std::strtod(start, &end);
  if (end == start)
    return false;
  *pos = static_cast<size_t>(end - text.c_str()) + 1; // past ',' or ')'
  return true;
}

} // namespace

bool PolicySpec::parse(const std::string &text, PolicySpec *out,
                       std::string *error) {
  backoff_policy *raw = nullptr;
  if (backoff_policy_new(&raw) != BACKOFF_OK) {
    *error = "out of memory";
    return false;
  }
  std::unique_ptr<backoff_policy, PolicyDeleter> policy(raw);
  size_t offset = 0;
  char message[256];
  const backoff_status st = backoff_policy_parse(
      policy.get(), text.c_str(), &offset, message, sizeof message);
  if (st != BACKOFF_OK) {
    *error = "policy '" + text + "': " + message + " (at byte " +
             std::to_string(offset) + ")";
    return false;
  }
  size_t needed = 0;
  backoff_policy_format(policy.get(), nullptr, 0, &needed);
  std::string canonical(needed + 1, '\0');
  if (backoff_policy_format(policy.get(), &canonical[0], canonical.size(),
                            &needed) != BACKOFF_OK) {
    *error = "policy '" + text + "' cannot be written back as a spec";
    return false;
  }
  canonical.resize(needed);

  PolicySpec spec;
  spec.canonical_ = canonical;
  spec.run_spec_ = canonical;
  // The canonical form ends with " budget(ratio=R,min=M,window=W)" when the
  // policy has one.
  const size_t at = canonical.find(" budget(");
  if (at != std::string::npos) {
    size_t pos = at + 8;
    if (!read_param(canonical, "ratio", &pos, &spec.budget_.ratio) ||
        !read_param(canonical, "min", &pos, &spec.budget_.min_per_second) ||
        !read_param(canonical, "window", &pos, &spec.budget_.window)) {
      *error = "cannot read the budget of '" + canonical + "'";
      return false;
    }
    spec.has_budget_ = true;
    spec.run_spec_ = canonical.substr(0, at) + canonical.substr(pos);
  }
  *out = std::move(spec);
  return true;
}

} // namespace sim
