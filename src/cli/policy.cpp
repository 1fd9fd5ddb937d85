#include "policy.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "exit_status.hpp"

namespace cli {

namespace {

const std::string kDefaults =
    "tries=" + std::to_string(kDefaultTries) + " giveup-on=126,127";

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
  } else if (spec == value) {
    // A whole spec of the user's: point at the offending token.
    std::fprintf(stderr, "backoff: %s: %s (at byte %zu)\n  %s\n  %*s^\n",
                 option, message, offset, value.c_str(),
                 static_cast<int>(offset), "");
  } else {
    std::fprintf(stderr, "backoff: %s %s: %s\n", option, value.c_str(),
                 message);
  }
  std::fputs("Try 'backoff --help' for more information.\n", stderr);
  return false;
}

// The value of `key=` in a canonical spec, or empty.
std::string_view setting(std::string_view spec, std::string_view key) {
  for (std::size_t at = 0; at < spec.size();) {
    std::size_t end = spec.find(' ', at);
    if (end == std::string_view::npos)
      end = spec.size();
    const std::string_view token = spec.substr(at, end - at);
    if (token.substr(0, key.size()) == key && token.size() > key.size() &&
        token[key.size()] == '=')
      return token.substr(key.size() + 1);
    at = end + 1;
  }
  return {};
}

// The wait to build: --wait KIND from its defaults, or the policy's current
// wait (the canonical form's first token, "expo(base=2,factor=1,max=0)")
// with the options' parameters put in.
std::string wait_spec(const Options &o, const backoff_policy *p) {
  std::vector<std::pair<std::string, std::string>> params;
  std::string kind = o.wait;
  if (kind.empty()) {
    const std::string current = format_policy(p);
    const std::string call = current.substr(0, current.find(' '));
    const std::size_t open = call.find('(');
    kind = call.substr(0, open);
    std::string_view args = std::string_view(call).substr(open + 1);
    args.remove_suffix(1); // ')'
    while (!args.empty() && kind != "sequence") {
      const std::size_t comma = args.find(',');
      const std::string_view arg = args.substr(0, comma);
      const std::size_t eq = arg.find('=');
      params.emplace_back(arg.substr(0, eq), arg.substr(eq + 1));
      args.remove_prefix(comma == std::string_view::npos ? args.size()
                                                         : comma + 1);
    }
  }
  for (const auto &[name, value] : o.wait_params) {
    bool replaced = false;
    for (auto &param : params)
      if (param.first == name) {
        param.second = value;
        replaced = true;
      }
    if (!replaced)
      params.emplace_back(name, value);
  }
  std::string spec = kind + "(";
  for (const auto &[name, value] : params) {
    if (spec.back() != '(')
      spec += ',';
    spec += name + "=" + value;
  }
  return spec + ")";
}

// The classification the specs left in p, as a rule.
ExitRule rule_in(const backoff_policy *p) {
  const std::string spec = format_policy(p);
  ExitRule rule;
  std::string why;
  for (const auto mode : {ExitRule::Mode::RetryOn, ExitRule::Mode::GiveupOn}) {
    const std::string_view list = setting(
        spec, mode == ExitRule::Mode::RetryOn ? "retry-on" : "giveup-on");
    if (auto codes = CodeSet::parse(list, &why)) {
      rule.mode = mode;
      rule.codes = *codes;
    }
  }
  return rule;
}

// The rule the specs and the options give together; false after reporting
// a contradiction.
bool merge_rule(const Options &o, ExitRule *rule) {
  if (o.retry_on) {
    rule->mode = ExitRule::Mode::RetryOn;
    rule->codes = *o.retry_on;
  } else if (o.giveup_on) {
    rule->mode = ExitRule::Mode::GiveupOn;
    rule->codes = *o.giveup_on;
  }
  if (o.success_on) {
    rule->success = *o.success_on;
    // Later layers override earlier ones: a spec's list yields to it.
    if (!o.retry_on && !o.giveup_on)
      for (int c = 0; c < 256; ++c)
        if (rule->success.has(c))
          rule->codes.remove(c);
  }
  rule->keep_unrunnable_fatal();
  for (int c = 0; c < 256; ++c)
    if (rule->success.has(c) && rule->codes.has(c)) {
      usage_error("status %d cannot both succeed (--success-on%s) and fail "
                  "(--%s)",
                  c, o.success_on ? "" : ": 0 by default",
                  rule->mode == ExitRule::Mode::RetryOn ? "retry-on"
                                                        : "giveup-on");
      return false;
    }
  return true;
}

} // namespace

std::string format_policy(const backoff_policy *p) {
  std::size_t needed = 0;
  if (backoff_policy_format(p, nullptr, 0, &needed) != BACKOFF_OK)
    return "";
  std::string text(needed + 1, '\0');
  backoff_policy_format(p, text.data(), text.size(), nullptr);
  text.resize(needed);
  return text;
}

BudgetParams budget_params(backoff_policy *p) {
  std::string spec = format_policy(p);
  std::size_t at = spec.find(" budget(");
  if (at == std::string::npos) {
    // The library's defaults, as its spec parser gives them.
    backoff_policy_parse(p, "budget()", nullptr, nullptr, 0);
    spec = format_policy(p);
    at = spec.find(" budget(");
  }
  // " budget(ratio=R,min=M,window=W)": the canonical form.
  BudgetParams params{0.0, 0.0, 0.0};
  double *fields[] = {&params.ratio, &params.min_per_second, &params.window};
  const char *cursor = spec.c_str() + at;
  for (double *field : fields) {
    cursor = std::strchr(cursor, '=') + 1;
    cursor = std::from_chars(cursor, spec.c_str() + spec.size(), *field).ptr;
  }
  return params;
}

BuiltPolicy build_policy(const Options &o) {
  BuiltPolicy out;
  backoff_policy *p = nullptr;
  if (backoff_policy_new(&p) != BACKOFF_OK) {
    std::fputs("backoff: out of memory\n", stderr);
    out.exit = kInternal;
    return out;
  }
  const char *env = std::getenv("BACKOFF_POLICY");
  const std::string env_spec = env != nullptr ? env : "";
  bool ok = apply(p, kDefaults, "default", "") &&
            (env_spec.empty() ||
             apply(p, env_spec, "BACKOFF_POLICY", env_spec)) &&
            (o.policy.empty() || apply(p, o.policy, "--policy", o.policy));
  if (ok && (!o.wait.empty() || !o.wait_params.empty())) {
    const std::string wait = wait_spec(o, p);
    ok = apply(p, wait, o.wait.empty() ? "the wait" : "--wait", wait);
  }
  ok = ok &&
       (o.jitter.empty() ||
        apply(p, "jitter=" + o.jitter, "--jitter", o.jitter)) &&
       (o.tries.empty() || apply(p, "tries=" + o.tries, "--tries", o.tries)) &&
       (o.max_time.empty() ||
        apply(p, "time=" + o.max_time, "--max-time", o.max_time)) &&
       (o.seed.empty() || apply(p, "seed=" + o.seed, "--seed", o.seed));
  if (ok) {
    out.rule = rule_in(p);
    ok = merge_rule(o, &out.rule);
  }
  if (ok) {
    out.needs_classifier = !out.rule.library_can_express() ||
                           !o.retry_if_output.empty() ||
                           !o.until_output.empty();
    // The library's own list whenever it can hold the rule, so that
    // --print-policy shows it.
    if (out.rule.library_can_express())
      ok = apply(p, out.rule.spec(), "the statuses", out.rule.spec());
  }
  if (!ok) {
    backoff_policy_free(p);
    out.exit = kUsage;
    return out;
  }
  out.policy = p;
  return out;
}

} // namespace cli
