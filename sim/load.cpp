#include "load.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "event_queue.hpp"
#include "run_pool.hpp"
#include "sim_rng.hpp"

namespace sim {

namespace {

enum EventKind : std::uint32_t { kArrive, kAttempt, kReply };

const char *scenario_name(Disturbance d) {
  return d == Disturbance::kOutage ? "outage" : "overload";
}

class LoadSimulation {
public:
  LoadSimulation(const PolicySpec &policy, const LoadConfig &config)
      : config_(config), server_(server_config(config)),
        pool_(policy, &clock_, derive_seed(config.seed, 0x72756e73), // "runs"
              config.budget_scope == BudgetScope::kClient ? config.clients
                                                          : 1),
        intervals_(static_cast<size_t>(
            std::ceil(config.duration / config.interval))) {}

  LoadResult run();

private:
  static ServerConfig server_config(const LoadConfig &c) {
    ServerConfig s = c.server;
    if (c.disturbance == Disturbance::kOutage) {
      s.outage_start = c.start;
      s.outage_end = c.start + c.length;
    }
    return s;
  }
  double rate_at(double t) const {
    const bool spike = config_.disturbance == Disturbance::kSpike &&
                       t >= config_.start && t < config_.start + config_.length;
    return spike ? config_.rate * config_.factor : config_.rate;
  }
  // Only events before the end are counted. The clamp is for a time a hair
  // below the end whose quotient rounds up.
  LoadInterval &interval_at(double t) {
    const size_t i = static_cast<size_t>(t / config_.interval);
    return intervals_[std::min(i, intervals_.size() - 1)];
  }
  void arrive(std::uint32_t client);
  void attempt(std::uint32_t run);
  void reply(std::uint32_t run, Reply reply);
  void sample_queue_until(double t);

  const LoadConfig &config_;
  VirtualClock clock_;
  Server server_;
  RunPool pool_;
  EventQueue queue_;
  std::vector<unsigned> attempts_; // per run id: attempts started
  std::vector<LoadInterval> intervals_;
  size_t sampled_ = 0; // intervals whose queue delay is recorded
  LoadResult result_;
};

void LoadSimulation::arrive(std::uint32_t client) {
  const double t = clock_.now;
  queue_.push(t + 1.0 / rate_at(t), kArrive, client);
  const std::uint32_t run = pool_.start(client);
  if (attempts_.size() <= run)
    attempts_.resize(run + 1);
  attempts_[run] = 0;
  ++result_.requests;
  attempt(run);
}

void LoadSimulation::attempt(std::uint32_t run) {
  const double t = clock_.now;
  pool_.begin(run);
  LoadInterval &in = interval_at(t);
  ++in.calls;
  ++result_.calls;
  if (++attempts_[run] == 1) {
    ++in.first_attempts;
    if (config_.record_times)
      result_.first_attempt_times.push_back(t);
  }
  const Server::Response r = server_.call(t);
  queue_.push(r.at, kReply, run, static_cast<std::uint32_t>(r.reply));
}

void LoadSimulation::reply(std::uint32_t run, Reply reply) {
  LoadInterval &in = interval_at(clock_.now);
  switch (reply) {
  case Reply::kSuccess:
    break; // counted below, once the state machine agrees
  case Reply::kRefused:
    ++in.refused;
    break;
  case Reply::kOutage:
    ++in.outage;
    break;
  case Reply::kTimeout:
    ++in.timeouts;
    break;
  }
  double wait = 0.0;
  const backoff_status st = pool_.next(run, reply_code(reply), &wait);
  if (st == BACKOFF_RETRY) {
    if (config_.record_times)
      result_.retry_times.push_back(clock_.now);
    queue_.push(clock_.now + wait, kAttempt, run);
    return;
  }
  if (st == BACKOFF_OK) {
    ++in.successes;
    ++result_.successes;
  } else {
    ++in.gave_up;
    ++result_.gave_up;
  }
  if (st == BACKOFF_GAVE_UP_BUDGET) {
    ++in.budget_refusals;
    ++result_.budget_refusals;
  }
  pool_.finish(run);
}

void LoadSimulation::sample_queue_until(double t) {
  while (sampled_ < intervals_.size() &&
         static_cast<double>(sampled_ + 1) * config_.interval <= t) {
    const double end = static_cast<double>(sampled_ + 1) * config_.interval;
    intervals_[sampled_++].queue_delay = server_.queue_delay(end);
  }
}

LoadResult LoadSimulation::run() {
  Rng phases(derive_seed(config_.seed, 0x706861736573)); // "phases"
  for (std::uint32_t c = 0; c < config_.clients; ++c)
    queue_.push(phases.uniform() / rate_at(0.0), kArrive, c);

  while (!queue_.empty() && queue_.top().time < config_.duration) {
    const Event e = queue_.pop();
    sample_queue_until(e.time);
    clock_.now = e.time;
    switch (e.kind) {
    case kArrive:
      arrive(e.id);
      break;
    case kAttempt:
      attempt(e.id);
      break;
    case kReply:
      reply(e.id, static_cast<Reply>(e.detail));
      break;
    }
  }
  sample_queue_until(config_.duration);

  // Recovered at the first interval after the disturbance from which on
  // every interval is normal.
  const double end = config_.start + config_.length;
  double recovered = std::numeric_limits<double>::quiet_NaN();
  for (size_t i = intervals_.size(); i-- > 0;) {
    const double t = static_cast<double>(i) * config_.interval;
    if (t < end || !is_normal(intervals_[i]))
      break;
    recovered = t;
  }
  result_.recovery = recovered - end; // NaN stays NaN: never
  const std::uint32_t budgets =
      config_.budget_scope == BudgetScope::kClient ? config_.clients : 1;
  for (std::uint32_t b = 0; b < budgets; ++b) {
    const backoff_budget_stats stats = pool_.budget_stats(b);
    result_.budget_first_attempts += stats.total_first_attempts;
    result_.budget_retries += stats.total_retries;
    result_.budget_total_refusals += stats.total_refusals;
  }
  for (const LoadInterval &in : intervals_)
    result_.peak_calls_per_s =
        std::max(result_.peak_calls_per_s,
                 static_cast<double>(in.calls) / config_.interval);
  result_.intervals = std::move(intervals_);
  return std::move(result_);
}

} // namespace

bool is_normal(const LoadInterval &i) {
  const double first = static_cast<double>(i.first_attempts);
  return static_cast<double>(i.calls) <= 1.1 * first &&
         static_cast<double>(i.successes) >= 0.9 * first;
}

LoadResult simulate_load(const PolicySpec &policy, const LoadConfig &config) {
  return LoadSimulation(policy, config).run();
}

std::uint64_t write_load(const std::vector<PolicySpec> &policies,
                         const LoadConfig &config, CsvWriter &runs,
                         CsvWriter &intervals) {
  const char *scenario = scenario_name(config.disturbance);
  runs.text("scenario").text("policy").text("requests").text("calls")
      .text("amplification").text("successes").text("gave_up")
      .text("budget_refusals").text("peak_calls_per_s").text("recovery_s")
      .end();
  intervals.text("scenario").text("policy").text("t_s").text("calls_per_s")
      .text("first_attempts_per_s").text("amplification")
      .text("goodput_per_s").text("refused_per_s").text("outage_per_s")
      .text("timeouts_per_s").text("gave_up_per_s")
      .text("budget_refusals_per_s").text("queue_delay_s").end();

  std::uint64_t client_runs = 0;
  for (const PolicySpec &policy : policies) {
    const LoadResult r = simulate_load(policy, config);
    client_runs += r.requests;
    const double requests = static_cast<double>(r.requests);
    runs.text(scenario).text(policy.canonical()).integer(r.requests)
        .integer(r.calls)
        .number(requests > 0 ? static_cast<double>(r.calls) / requests : 0.0, 4)
        .integer(r.successes).integer(r.gave_up).integer(r.budget_refusals)
        .number(r.peak_calls_per_s, 1).number(r.recovery, 1).end();
    const double per_s = 1.0 / config.interval;
    for (size_t i = 0; i < r.intervals.size(); ++i) {
      const LoadInterval &in = r.intervals[i];
      const double first = static_cast<double>(in.first_attempts);
      intervals.text(scenario).text(policy.canonical())
          .number(static_cast<double>(i) * config.interval, 3)
          .number(static_cast<double>(in.calls) * per_s, 1)
          .number(first * per_s, 1)
          .number(first > 0 ? static_cast<double>(in.calls) / first : 0.0, 4)
          .number(static_cast<double>(in.successes) * per_s, 1)
          .number(static_cast<double>(in.refused) * per_s, 1)
          .number(static_cast<double>(in.outage) * per_s, 1)
          .number(static_cast<double>(in.timeouts) * per_s, 1)
          .number(static_cast<double>(in.gave_up) * per_s, 1)
          .number(static_cast<double>(in.budget_refusals) * per_s, 1)
          .number(in.queue_delay, 3).end();
    }
  }
  return client_runs;
}

} // namespace sim
