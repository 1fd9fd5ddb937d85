#include "options.hpp"

#include <charconv>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <getopt.h>
#include <string_view>
#include <system_error>

#include "backoff/backoff.h"
#include "exit_status.hpp"
#include "report.hpp"
#include "usage.hpp"

namespace cli {

namespace {

enum LongOnly {
  kMaxTime = 256,
  kWait,
  kWaitParam, // --base, --factor …: the name comes from the option table
  kJitter,
  kSeed,
  kPolicy,
  kPrintPolicy,
  kSchedule,
  kRetryOn,
  kGiveupOn,
  kSuccessOn,
  kRetryIfOutput,
  kUntilOutput,
  kHintFile,
  kBudgetFile,
  kAttemptTimeout,
  kKillAfter,
  kReplayStdin,
  kHoldOutput,
  kLabel,
};

const option kLongOptions[] = {
    {"tries", required_argument, nullptr, 'n'},
    {"max-time", required_argument, nullptr, kMaxTime},
    {"wait", required_argument, nullptr, kWait},
    {"base", required_argument, nullptr, kWaitParam},
    {"factor", required_argument, nullptr, kWaitParam},
    {"max", required_argument, nullptr, kWaitParam},
    {"interval", required_argument, nullptr, kWaitParam},
    {"initial", required_argument, nullptr, kWaitParam},
    {"min", required_argument, nullptr, kWaitParam},
    {"start", required_argument, nullptr, kWaitParam},
    {"increment", required_argument, nullptr, kWaitParam},
    {"jitter", required_argument, nullptr, kJitter},
    {"seed", required_argument, nullptr, kSeed},
    {"policy", required_argument, nullptr, kPolicy},
    {"print-policy", no_argument, nullptr, kPrintPolicy},
    {"schedule", optional_argument, nullptr, kSchedule},
    {"retry-on", required_argument, nullptr, kRetryOn},
    {"giveup-on", required_argument, nullptr, kGiveupOn},
    {"success-on", required_argument, nullptr, kSuccessOn},
    {"retry-if-output", required_argument, nullptr, kRetryIfOutput},
    {"until-output", required_argument, nullptr, kUntilOutput},
    {"hint-file", required_argument, nullptr, kHintFile},
    {"budget-file", required_argument, nullptr, kBudgetFile},
    {"attempt-timeout", required_argument, nullptr, kAttemptTimeout},
    {"kill-after", required_argument, nullptr, kKillAfter},
    {"replay-stdin", no_argument, nullptr, kReplayStdin},
    {"hold-output", no_argument, nullptr, kHoldOutput},
    {"label", required_argument, nullptr, kLabel},
    {"verbose", no_argument, nullptr, 'v'},
    {"quiet", no_argument, nullptr, 'q'},
    {"help", no_argument, nullptr, 'h'},
    {"version", no_argument, nullptr, 'V'},
    {nullptr, 0, nullptr, 0},
};

// Option values become one setting of a policy spec; characters that would
// let a value spill into other settings are refused here.
bool plain(std::string_view value, const char *forbidden) {
  if (value.empty())
    return false;
  for (char c : value)
    if (std::strchr(" \t\n\r=", c) != nullptr ||
        std::strchr(forbidden, c) != nullptr)
      return false;
  return true;
}

bool seconds(const char *text, double *out) {
  const char *end = text + std::strlen(text);
  const auto [ptr, ec] = std::from_chars(text, end, *out);
  return *text != '\0' && ec == std::errc() && ptr == end &&
         std::isfinite(*out) && *out >= 0.0;
}

void set_wait_param(Options *out, const char *name, const char *value) {
  for (auto &param : out->wait_params)
    if (param.first == name) {
      param.second = value;
      return;
    }
  out->wait_params.emplace_back(name, value);
}

} // namespace

int usage_error(const char *format, ...) {
  std::fputs("backoff: ", stderr);
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fputs("\nTry 'backoff --help' for more information.\n", stderr);
  return kUsage;
}

std::optional<int> parse_options(int argc, char **argv, Options *out) {
  opterr = 0; // our own messages
  int index = -1;
  int c;
  // '+': options end at the command's name, so its own options stay its own.
  while ((c = getopt_long(argc, argv, "+n:vqhV", kLongOptions, &index)) != -1) {
    const char *name = c == 'n' ? "tries"
                       : index >= 0 ? kLongOptions[index].name
                                    : "";
    index = -1; // set again by the next long option
    switch (c) {
    case 'n':
    case kMaxTime:
    case kSeed:
    case kWait:
    case kWaitParam:
      if (!plain(optarg, "(),"))
        return usage_error("invalid value '%s' for --%s", optarg, name);
      if (c == kWaitParam)
        set_wait_param(out, name, optarg);
      else
        (c == 'n'       ? out->tries
         : c == kSeed   ? out->seed
         : c == kWait   ? out->wait
                        : out->max_time) = optarg;
      break;
    case kJitter:
      if (!plain(optarg, ","))
        return usage_error("invalid value '%s' for --%s", optarg, name);
      out->jitter = optarg;
      break;
    case kPolicy:
      out->policy = optarg;
      break;
    case kPrintPolicy:
      out->print_policy = true;
      break;
    case kSchedule: {
      double cost = 0.0;
      if (optarg != nullptr && !seconds(optarg, &cost))
        return usage_error(
            "invalid value '%s' for --schedule: expected seconds >= 0", optarg);
      out->schedule = cost;
      break;
    }
    case kRetryOn:
    case kGiveupOn:
    case kSuccessOn: {
      std::string why;
      auto set = CodeSet::parse(optarg, &why);
      if (!set)
        return usage_error("invalid statuses '%s' for --%s: %s", optarg, name,
                           why.c_str());
      (c == kRetryOn    ? out->retry_on
       : c == kGiveupOn ? out->giveup_on
                        : out->success_on) = *set;
      break;
    }
    case kRetryIfOutput:
    case kUntilOutput:
      (c == kRetryIfOutput ? out->retry_if_output : out->until_output)
          .emplace_back(optarg);
      break;
    case kHintFile:
    case kBudgetFile:
    case kLabel:
      if (*optarg == '\0')
        return usage_error("--%s needs a non-empty value", name);
      (c == kHintFile     ? out->hint_file
       : c == kBudgetFile ? out->budget_file
                          : out->label) = optarg;
      break;
    case kAttemptTimeout:
    case kKillAfter:
      if (!seconds(optarg, c == kKillAfter ? &out->kill_after
                                           : &out->attempt_timeout))
        return usage_error("invalid value '%s' for --%s: expected seconds >= 0",
                           optarg, name);
      break;
    case kReplayStdin:
      out->replay_stdin = true;
      break;
    case kHoldOutput:
      out->hold_output = true;
      break;
    case 'v':
      out->verbosity = kVerbose;
      break;
    case 'q':
      out->verbosity = kQuiet;
      break;
    case 'h':
      std::fputs(kUsageText, stdout);
      return finish_stdout();
    case 'V':
      std::printf("backoff (libbackoff) %s\n", backoff_version_string());
      return finish_stdout();
    default: // '?': an unknown option, or a value missing
      if (optopt == 0)
        return usage_error("unknown option '%s'", argv[optind - 1]);
      if (optopt == 'n' || optopt >= 256)
        return usage_error("option '%s' needs a value", argv[optind - 1]);
      return usage_error("unknown option '-%c'", optopt);
    }
  }

  if (out->retry_on && out->giveup_on)
    return usage_error("give only one of --retry-on and --giveup-on");
  const bool only_printing = out->print_policy || out->schedule;
  if (optind >= argc && !only_printing)
    return usage_error("no command given");
  out->command = argv + optind;
  return std::nullopt;
}

} // namespace cli
