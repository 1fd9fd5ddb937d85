#include "policy.hpp"

#include <cstdio>
#include <string>

#include "exit_status.hpp"

namespace cli {

namespace {

// A command that cannot be run will not start working by itself: unless
// told otherwise, 126 and 127 end the retries at once.
const char kDefaultClassification[] = "giveup-on=126,127";

// Applies one spec; on error says which option was wrong.
bool apply(backoff_policy *p, const std::string &spec, const char *option,
           const std::string &value) {
  std::size_t offset = 0;
  char message[256] = "";
  const backoff_status status =
      backoff_policy_parse(p, spec.c_str(), &offset, message, sizeof message);
  if (status == BACKOFF_OK)
    return true;
  if (status != BACKOFF_E_PARSE) {
    std::fprintf(stderr, "backoff: %s: %s\n", option, backoff_strerror(status));
  } else if (std::string(option) == "--policy") {
    // Point at the offending token of the user's own text.
    std::fprintf(stderr, "backoff: --policy: %s (at byte %zu)\n  %s\n  %*s^\n",
                 message, offset, value.c_str(), static_cast<int>(offset), "");
  } else {
    std::fprintf(stderr, "backoff: %s %s: %s\n", option, value.c_str(),
                 message);
  }
  std::fputs("Try 'backoff --help' for more information.\n", stderr);
  return false;
}

std::string wait_spec(const Options &o) {
  std::string spec = o.wait + "(";
  for (const auto &[name, value] : o.wait_params) {
    if (spec.back() != '(')
      spec += ',';
    spec += name + "=" + value;
  }
  return spec + ")";
}

} // namespace

backoff_policy *build_policy(const Options &o, int *exit) {
  backoff_policy *p = nullptr;
  if (backoff_policy_new(&p) != BACKOFF_OK) {
    std::fputs("backoff: out of memory\n", stderr);
    *exit = kInternal;
    return nullptr;
  }
  // Later settings override earlier ones: defaults, --policy, options.
  bool ok = apply(p, kDefaultClassification, "default", "") &&
            (o.policy.empty() || apply(p, o.policy, "--policy", o.policy)) &&
            (o.wait.empty() ||
             apply(p, wait_spec(o), "--wait", wait_spec(o))) &&
            (o.jitter.empty() ||
             apply(p, "jitter=" + o.jitter, "--jitter", o.jitter)) &&
            (o.tries.empty() ||
             apply(p, "tries=" + o.tries, "--tries", o.tries)) &&
            (o.max_time.empty() ||
             apply(p, "time=" + o.max_time, "--max-time", o.max_time)) &&
            (o.retry_on.empty() ||
             apply(p, "retry-on=" + o.retry_on, "--retry-on", o.retry_on)) &&
            (o.giveup_on.empty() ||
             apply(p, "giveup-on=" + o.giveup_on, "--giveup-on", o.giveup_on)) &&
            (o.seed.empty() || apply(p, "seed=" + o.seed, "--seed", o.seed));
  if (!ok) {
    backoff_policy_free(p);
    *exit = kUsage;
    return nullptr;
  }
  return p;
}

} // namespace cli
