#include "options.hpp"

#include <charconv>
#include <cstdarg>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <getopt.h>
#include <string_view>
#include <system_error>

#include "backoff/backoff.h"
#include "exit_status.hpp"

namespace cli {

namespace {

const char kUsageText[] =
    "Usage: backoff [OPTION]... [--] COMMAND [ARG]...\n"
    "Run COMMAND, and run it again after a growing wait while it fails.\n"
    "\n"
    "Policy (see backoff(1) for the spec syntax; later options override\n"
    "--policy):\n"
    "  -n, --tries N           give up after N attempts in all (0: no limit)\n"
    "      --max-time S        give up once S seconds have passed (0: none)\n"
    "      --wait KIND         expo (default), fibo, constant, decay, linear\n"
    "      --base X --factor X --max X        expo: factor*base^n, capped\n"
    "      --max X                            fibo: 1 1 2 3 5 ..., capped\n"
    "      --interval X                       constant\n"
    "      --initial X --factor X --min X     decay: initial*e^(-n*factor)\n"
    "      --start X --increment X --max X    linear: start + n*increment\n"
    "      --jitter KIND       full (default), none, random, equal,\n"
    "                          decorrelated, proportional, proportional(F)\n"
    "      --retry-on CODES    retry only these exit statuses (a,b,...)\n"
    "      --giveup-on CODES   stop at once on these exit statuses\n"
    "      --seed N            reproducible jitter\n"
    "      --policy SPEC       a whole policy, e.g.\n"
    "                          'expo(base=2,max=30) jitter=full tries=5'\n"
    "      --print-policy      print the resulting policy spec and exit\n"
    "\n"
    "Attempts:\n"
    "      --attempt-timeout S  stop an attempt after S seconds (SIGTERM to\n"
    "                           its process group; 0: no limit)\n"
    "      --kill-after S       then SIGKILL after S more seconds (default 5)\n"
    "\n"
    "  -v, --verbose           also report each attempt and its status\n"
    "  -q, --quiet             report nothing (but usage errors)\n"
    "  -h, --help              show this help and exit\n"
    "  -V, --version           show the version and exit\n"
    "\n"
    "By default every failure is retried, except statuses 126 and 127 (the\n"
    "command cannot run or was not found), with no limit on tries or time.\n"
    "\n"
    "Exit status: 0 on success; else the last attempt's status; 124 if it\n"
    "timed out; 128+N if it was killed by signal N or backoff stopped on\n"
    "signal N; 126/127 if COMMAND cannot run or is not found; 2 on bad\n"
    "usage; 125 if backoff itself failed.\n";

enum LongOnly {
  kMaxTime = 256,
  kWait,
  kWaitParam, // --base, --factor …: the name comes from the option table
  kJitter,
  kRetryOn,
  kGiveupOn,
  kSeed,
  kPolicy,
  kPrintPolicy,
  kAttemptTimeout,
  kKillAfter,
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
    {"retry-on", required_argument, nullptr, kRetryOn},
    {"giveup-on", required_argument, nullptr, kGiveupOn},
    {"seed", required_argument, nullptr, kSeed},
    {"policy", required_argument, nullptr, kPolicy},
    {"print-policy", no_argument, nullptr, kPrintPolicy},
    {"attempt-timeout", required_argument, nullptr, kAttemptTimeout},
    {"kill-after", required_argument, nullptr, kKillAfter},
    {"verbose", no_argument, nullptr, 'v'},
    {"quiet", no_argument, nullptr, 'q'},
    {"help", no_argument, nullptr, 'h'},
    {"version", no_argument, nullptr, 'V'},
    {nullptr, 0, nullptr, 0},
};

__attribute__((format(printf, 1, 2))) int usage_error(const char *format,
                                                      ...) {
  std::fputs("backoff: ", stderr);
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fputs("\nTry 'backoff --help' for more information.\n", stderr);
  return kUsage;
}

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

} // namespace

std::optional<int> parse_options(int argc, char **argv, Options *out) {
  opterr = 0; // our own messages
  int index = -1;
  int c;
  // '+': options end at the command's name, so its own options stay its own.
  while ((c = getopt_long(argc, argv, "+n:vqhV", kLongOptions, &index)) != -1) {
    const char *name = index >= 0 ? kLongOptions[index].name : "";
    switch (c) {
    case 'n':
      name = "tries";
      [[fallthrough]];
    case kMaxTime:
    case kSeed: {
      std::string &field = c == 'n' ? out->tries
                           : c == kSeed ? out->seed
                                        : out->max_time;
      if (!plain(optarg, "(),"))
        return usage_error("invalid value '%s' for --%s", optarg, name);
      field = optarg;
      break;
    }
    case kWait:
      if (!plain(optarg, "(),"))
        return usage_error("invalid value '%s' for --%s", optarg, name);
      out->wait = optarg;
      break;
    case kWaitParam: {
      if (!plain(optarg, "(),"))
        return usage_error("invalid value '%s' for --%s", optarg, name);
      bool replaced = false;
      for (auto &param : out->wait_params)
        if (param.first == name) {
          param.second = optarg;
          replaced = true;
        }
      if (!replaced)
        out->wait_params.emplace_back(name, optarg);
      break;
    }
    case kJitter:
      if (!plain(optarg, ","))
        return usage_error("invalid value '%s' for --%s", optarg, name);
      out->jitter = optarg;
      break;
    case kRetryOn:
    case kGiveupOn:
      if (!plain(optarg, "()"))
        return usage_error("invalid value '%s' for --%s", optarg, name);
      (c == kRetryOn ? out->retry_on : out->giveup_on) = optarg;
      break;
    case kPolicy:
      out->policy = optarg;
      break;
    case kPrintPolicy:
      out->print_policy = true;
      break;
    case kAttemptTimeout:
    case kKillAfter:
      if (!seconds(optarg, c == kKillAfter ? &out->kill_after
                                           : &out->attempt_timeout))
        return usage_error("invalid value '%s' for --%s: expected seconds >= 0",
                           optarg, name);
      break;
    case 'v':
      out->verbosity = kVerbose;
      break;
    case 'q':
      out->verbosity = kQuiet;
      break;
    case 'h':
      std::fputs(kUsageText, stdout);
      return 0;
    case 'V':
      std::printf("backoff (libbackoff) %s\n", backoff_version_string());
      return 0;
    default: // '?': an unknown option, or a value missing
      if (optopt == 0)
        return usage_error("unknown option '%s'", argv[optind - 1]);
      if (optopt == 'n' || optopt >= 256)
        return usage_error("option '%s' needs a value", argv[optind - 1]);
      return usage_error("unknown option '-%c'", optopt);
    }
    index = -1; // set again by the next long option
  }

  if (!out->retry_on.empty() && !out->giveup_on.empty())
    return usage_error("give only one of --retry-on and --giveup-on");
  if (!out->wait_params.empty() && out->wait.empty())
    return usage_error("--%s needs --wait (e.g. --wait expo --%s X)",
                       out->wait_params.front().first.c_str(),
                       out->wait_params.front().first.c_str());
  if (optind >= argc && !out->print_policy)
    return usage_error("no command given");
  out->command = argv + optind;
  return std::nullopt;
}

} // namespace cli
