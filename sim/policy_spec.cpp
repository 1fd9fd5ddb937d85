#include "policy_spec.hpp"

#include <memory>

#include <backoff/backoff.h>

namespace sim {

namespace {
struct PolicyDeleter {
  void operator()(backoff_policy *p) const { backoff_policy_free(p); }
};
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
  out->text_ = text;
  out->canonical_ = canonical;
  return true;
}

} // namespace sim
