#include "options.hpp"

#include <getopt.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace sim {

namespace {

const char kUsage[] =
    "usage: backoff-sim SCENARIO [OPTIONS]\n"
    "\n"
    "Simulates a fleet of clients whose retries come from libbackoff's own\n"
    "state machine, on virtual time, and writes CSV. The same options and\n"
    "--seed give the same bytes.\n"
    "\n"
    "Scenarios:\n"
    "  contention  N clients each make one write; writes in the same time\n"
    "              slot conflict and fail (Brooker 2015). One run per\n"
    "              policy, N and repetition.\n"
    "  outage      clients send at a steady rate to a server that fails\n"
    "              every call for --length s from --start s, then recovers.\n"
    "  overload    the clients send --factor times their rate for --length s\n"
    "              from --start s: does the load return to normal after?\n"
    "\n"
    "Common options:\n"
    "  --policy SPEC      a policy spec (backoff_policy_parse); repeat to\n"
    "                     compare several. A budget(...) in it is made on\n"
    "                     virtual time and shared as --budget-scope says\n"
    "  --seed N           seed of every random number (default 1)\n"
    "  --runs FILE        per-run CSV (default: standard output)\n"
    "  --intervals FILE   per-interval CSV (default: not written)\n"
    "  --interval S       seconds per interval row (contention 0.1, else 1)\n"
    "  --timing           print client-runs and client-runs/s on stderr\n"
    "  --help\n"
    "\n"
    "contention:\n"
    "  --clients LIST     N values, e.g. 1-100 or 2,5,10-20 (default 1-100)\n"
    "  --reps R           runs per policy and N (default 10)\n"
    "  --model slot|occ   slot: writes in one time slot all fail (default);\n"
    "                     occ: Brooker's read-then-write, a write fails if\n"
    "                     another committed since its read\n"
    "  --slot S           slot: seconds per conflict slot (default 0.01)\n"
    "  --latency S        occ: mean seconds per message (default 0.01)\n"
    "  --noise S          network variance, the sd of a |normal| delay:\n"
    "                     slot: added to each write's send time (default\n"
    "                     0); occ: around --latency (default 0.002)\n"
    "\n"
    "outage, overload:\n"
    "  --clients C        clients (default 100)\n"
    "  --rate R           requests per second per client (default 8)\n"
    "  --capacity K       calls the server serves per second (default 1000)\n"
    "  --queue S          longest wait in the server's queue; calls beyond\n"
    "                     it are refused (default 2)\n"
    "  --timeout S        the client's wait for a reply (default 1)\n"
    "  --latency S        network round trip (default 0.01)\n"
    "  --start S          when the outage or spike starts (default 10)\n"
    "  --length S         how long it lasts (outage 10, overload 5)\n"
    "  --factor F         overload: rate multiplier in the spike (default 2)\n"
    "  --duration S       simulated seconds (default 60)\n"
    "  --budget-scope fleet|client\n"
    "                     who shares a spec's budget: every request of the\n"
    "                     fleet (default), or each client's own requests\n"
    "                     (one budget per client process)\n"
    "\n"
    "Return codes the attempts give the policy: 503 refused or outage, 504\n"
    "timeout (for retry-on= / giveup-on=).\n"
    "\n"
    "Default policies:\n";

enum OptionId {
  kPolicy = 256, kSeed, kRuns, kIntervals, kInterval, kTiming, kHelp,
  kClients, kReps, kSlot, kNoise, kRate, kCapacity, kQueue, kTimeout,
  kLatency, kStart, kLength, kFactor, kDuration, kBudgetScope, kModel,
};

const struct option kLongOptions[] = {
    {"policy", required_argument, nullptr, kPolicy},
    {"seed", required_argument, nullptr, kSeed},
    {"runs", required_argument, nullptr, kRuns},
    {"intervals", required_argument, nullptr, kIntervals},
    {"interval", required_argument, nullptr, kInterval},
    {"timing", no_argument, nullptr, kTiming},
    {"help", no_argument, nullptr, kHelp},
    {"clients", required_argument, nullptr, kClients},
    {"reps", required_argument, nullptr, kReps},
    {"slot", required_argument, nullptr, kSlot},
    {"noise", required_argument, nullptr, kNoise},
    {"rate", required_argument, nullptr, kRate},
    {"capacity", required_argument, nullptr, kCapacity},
    {"queue", required_argument, nullptr, kQueue},
    {"timeout", required_argument, nullptr, kTimeout},
    {"latency", required_argument, nullptr, kLatency},
    {"start", required_argument, nullptr, kStart},
    {"length", required_argument, nullptr, kLength},
    {"factor", required_argument, nullptr, kFactor},
    {"duration", required_argument, nullptr, kDuration},
    {"budget-scope", required_argument, nullptr, kBudgetScope},
    {"model", required_argument, nullptr, kModel},
    {nullptr, 0, nullptr, 0},
};

void print_usage() {
  std::fputs(kUsage, stdout);
  const char *names[] = {"contention", "outage, overload"};
  const Scenario scenarios[] = {Scenario::kContention, Scenario::kOutage};
  for (int i = 0; i < 2; ++i) {
    std::printf("  %s:\n", names[i]);
    for (const std::string &spec : default_policies(scenarios[i]))
      std::printf("    %s\n", spec.c_str());
  }
}

bool usage_error(const std::string &message, int *status) {
  std::fprintf(stderr,
               "backoff-sim: %s\nTry 'backoff-sim --help' for more "
               "information.\n",
               message.c_str());
  *status = 2;
  return false;
}

// A finite number >= min (> min when strict).
bool number(const char *text, double min, bool strict, double *out) {
  errno = 0;
  char *end = nullptr;
  const double v = std::strtod(text, &end);
  if (*text == '\0' || *end != '\0' || errno != 0 || !std::isfinite(v) ||
      v < min || (strict && v == min))
    return false;
  *out = v;
  return true;
}

bool whole(const char *text, unsigned long long min, unsigned long long max,
           unsigned long long *out) {
  if (*text < '0' || *text > '9')
    return false;
  errno = 0;
  char *end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (*end != '\0' || errno != 0 || v < min || v > max)
    return false;
  *out = v;
  return true;
}

// "1-100" or "2,5,10-20": each N from 1 to 100000.
bool client_list(const char *text, std::vector<unsigned> *out) {
  std::vector<unsigned> list;
  std::string rest(text);
  size_t pos = 0;
  while (pos <= rest.size()) {
    const size_t comma = rest.find(',', pos);
    const std::string item =
        rest.substr(pos, comma == std::string::npos ? std::string::npos
                                                    : comma - pos);
    const size_t dash = item.find('-');
    unsigned long long lo = 0, hi = 0;
    if (dash == std::string::npos) {
      if (!whole(item.c_str(), 1, 100000, &lo))
        return false;
      hi = lo;
    } else if (!whole(item.substr(0, dash).c_str(), 1, 100000, &lo) ||
               !whole(item.substr(dash + 1).c_str(), lo, 100000, &hi)) {
      return false;
    }
    for (unsigned long long n = lo; n <= hi; ++n)
      list.push_back(static_cast<unsigned>(n));
    if (comma == std::string::npos)
      break;
    pos = comma + 1;
  }
  *out = std::move(list);
  return true;
}

} // namespace

std::vector<std::string> default_policies(Scenario s) {
  if (s == Scenario::kContention) {
    // Brooker's waits: 5 ms doubling up to 2 s, no limit on tries (his
    // clients kept trying). Clients without jitter never get out of step,
    // so they alone need a limit to end.
    std::vector<std::string> specs;
    for (const char *jitter : {"none", "full", "equal", "decorrelated",
                               "random", "proportional"})
      specs.push_back(std::string("expo(base=2,factor=0.005,max=2) jitter=") +
                      jitter +
                      (std::string(jitter) == "none" ? " tries=20" : ""));
    return specs;
  }
  const std::string retries = "expo(base=2,factor=0.1,max=10) jitter=full"
                              " tries=10";
  return {retries, retries + " budget(ratio=0.1,min=10,window=10)",
          retries + " budget(ratio=0.2,min=10,window=10)"};
}

bool parse_options(int argc, char **argv, Options *out, int *status) {
  *status = 0;
  if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 ||
                    std::strcmp(argv[1], "-h") == 0)) {
    print_usage();
    return false;
  }
  if (argc < 2)
    return usage_error("missing scenario (contention, outage or overload)",
                       status);
  const std::string name = argv[1];
  if (name == "contention") {
    out->scenario = Scenario::kContention;
    for (unsigned n = 1; n <= 100; ++n)
      out->contention.clients.push_back(n);
  } else if (name == "outage" || name == "overload") {
    out->scenario = name == "outage" ? Scenario::kOutage : Scenario::kOverload;
    out->load.disturbance =
        name == "outage" ? Disturbance::kOutage : Disturbance::kSpike;
    if (out->scenario == Scenario::kOverload)
      out->load.length = 5.0;
  } else {
    return usage_error("unknown scenario '" + name + "'", status);
  }
  const bool contention = out->scenario == Scenario::kContention;

  std::vector<std::string> specs;
  bool noise_given = false;
  opterr = 0; // our own messages
  optind = 2;
  int c;
  int index = -1;
  while ((c = getopt_long(argc, argv, "", kLongOptions, &index)) != -1) {
    const std::string option =
        index >= 0 ? std::string("--") + kLongOptions[index].name : "";
    index = -1;
    const std::string value = optarg ? optarg : "";
    const std::string bad = "invalid value '" + value + "' for " + option;
    double d = 0.0;
    unsigned long long u = 0;
    // Options that belong to the other kind of scenario are refused, so a
    // mistyped command cannot silently simulate something else.
    const bool load_only = c >= kRate && c <= kBudgetScope && c != kLatency;
    const bool contention_only =
        c == kReps || c == kSlot || c == kNoise || c == kModel;
    if ((contention && load_only) || (!contention && contention_only))
      return usage_error(option + " does not apply to " + name, status);
    switch (c) {
    case kPolicy:
      specs.push_back(value);
      break;
    case kSeed:
      if (!whole(optarg, 0, UINT64_MAX, &u))
        return usage_error(bad, status);
      out->contention.seed = out->load.seed = u;
      break;
    case kRuns:
      out->runs_path = value;
      break;
    case kIntervals:
      out->intervals_path = value;
      break;
    case kInterval:
      if (!number(optarg, 0.0, true, &d))
        return usage_error(bad, status);
      out->contention.interval = out->load.interval = d;
      break;
    case kTiming:
      out->timing = true;
      break;
    case kHelp:
      print_usage();
      return false;
    case kClients:
      if (contention ? !client_list(optarg, &out->contention.clients)
                     : !whole(optarg, 1, 1000000, &u))
        return usage_error(bad, status);
      out->load.clients = static_cast<unsigned>(u);
      break;
    case kReps:
      if (!whole(optarg, 1, 1000000, &u))
        return usage_error(bad, status);
      out->contention.reps = static_cast<unsigned>(u);
      break;
    case kSlot:
      if (!number(optarg, 0.0, true, &out->contention.slot))
        return usage_error(bad, status);
      break;
    case kNoise:
      if (!number(optarg, 0.0, false, &out->contention.noise))
        return usage_error(bad, status);
      noise_given = true;
      break;
    case kModel:
      if (value != "slot" && value != "occ")
        return usage_error(bad + ": expected slot or occ", status);
      out->contention.model =
          value == "slot" ? ConflictModel::kSlot : ConflictModel::kOcc;
      break;
    case kLatency:
      if (contention) {
        if (!number(optarg, 0.0, false, &out->contention.latency))
          return usage_error(bad, status);
        break;
      }
      [[fallthrough]];
    case kRate:
    case kCapacity:
    case kQueue:
    case kTimeout:
    case kStart:
    case kLength:
    case kFactor:
    case kDuration: {
      double *field = c == kRate       ? &out->load.rate
                      : c == kCapacity ? &out->load.server.capacity
                      : c == kQueue    ? &out->load.server.queue
                      : c == kTimeout  ? &out->load.server.timeout
                      : c == kLatency  ? &out->load.server.latency
                      : c == kStart    ? &out->load.start
                      : c == kLength   ? &out->load.length
                      : c == kFactor   ? &out->load.factor
                                       : &out->load.duration;
      // Rates, capacity, timeout and duration must be > 0; the others >= 0.
      const bool positive = c == kRate || c == kCapacity || c == kTimeout ||
                            c == kFactor || c == kDuration;
      if (!number(optarg, 0.0, positive, field))
        return usage_error(bad, status);
      break;
    }
    case kBudgetScope:
      if (value != "fleet" && value != "client")
        return usage_error(bad + ": expected fleet or client", status);
      out->load.budget_scope =
          value == "fleet" ? BudgetScope::kFleet : BudgetScope::kClient;
      break;
    default: // '?': unknown or ambiguous, or missing its value
      for (const struct option &o : kLongOptions)
        if (o.name && o.val == optopt)
          return usage_error(std::string("--") + o.name + " needs a value",
                             status);
      return usage_error(std::string("bad option ") + argv[optind - 1],
                         status);
    }
  }
  if (optind < argc)
    return usage_error(std::string("unexpected argument '") + argv[optind] +
                           "'",
                       status);

  if (out->contention.model == ConflictModel::kOcc && !noise_given)
    out->contention.noise = 0.002; // Brooker's network: 10 +- 2 ms
  if (specs.empty())
    specs = default_policies(out->scenario);
  for (const std::string &text : specs) {
    PolicySpec spec;
    std::string error;
    if (!PolicySpec::parse(text, &spec, &error))
      return usage_error(error, status);
    out->policies.push_back(std::move(spec));
  }
  return true;
}

} // namespace sim
