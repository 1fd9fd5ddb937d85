#include "contention.hpp"

#include <algorithm>
#include <cmath>

#include "contention_models.hpp"
#include "event_queue.hpp"
#include "run_pool.hpp"
#include "sim_rng.hpp"

namespace sim {

namespace {

struct Client {
  std::uint32_t run;
  unsigned attempt; // attempts started so far
};

} // namespace

ContentionResult
simulate_contention(const PolicySpec &policy, unsigned clients, unsigned rep,
                    const ContentionConfig &config,
                    std::vector<ContentionInterval> *intervals) {
  // The same (seed, N, rep) gives every policy the same random numbers, and
  // a policy's figures do not depend on which others are simulated with it.
  const std::uint64_t seed = derive_seed(config.seed, clients, rep);
  if (intervals)
    intervals->clear();
  ContentionResult r =
      config.model == ConflictModel::kOcc
          ? simulate_occ(policy, clients, seed, config, intervals)
          : simulate_slotted(policy, clients, seed, config, intervals);
  r.rep = rep;
  return r;
}

ContentionResult simulate_slotted(const PolicySpec &policy, unsigned clients,
                                  std::uint64_t seed,
                                  const ContentionConfig &config,
                                  std::vector<ContentionInterval> *intervals) {
  VirtualClock clock;
  RunPool pool(policy, &clock, seed);
  Rng noise(derive_seed(seed, 0x6e6f697365)); // "noise"
  EventQueue queue;
  std::vector<Client> fleet(clients);

  ContentionResult r;
  r.clients = clients;

  auto send = [&](std::uint32_t c, double when) {
    queue.push(when + noise.abs_normal(0.0, config.noise), 0, c);
  };
  for (std::uint32_t c = 0; c < clients; ++c) {
    fleet[c].run = pool.start();
    fleet[c].attempt = 0;
    send(c, 0.0);
  }

  // A write is in slot floor(t / config.slot) — but never in a slot already
  // closed: a retry sent exactly at a slot's end belongs to the next one even
  // where the division rounds down.
  double closed = -1.0; // the last slot resolved
  auto slot_of = [&](double t) {
    return std::max(std::floor(t / config.slot), closed + 1.0);
  };
  std::vector<std::uint32_t> writers; // the writes of the current slot
  while (!queue.empty()) {
    const double slot = slot_of(queue.top().time);
    writers.clear();
    while (!queue.empty() && slot_of(queue.top().time) == slot) {
      const Event e = queue.pop();
      clock.now = e.time;
      Client &client = fleet[e.id];
      pool.begin(client.run);
      ++client.attempt;
      ++r.calls;
      count_interval(intervals, config.interval, e.time,
                     &ContentionInterval::calls);
      writers.push_back(e.id);
    }
    // Every writer learns the outcome when the slot closes.
    closed = slot;
    clock.now = (slot + 1.0) * config.slot;
    const bool conflict = writers.size() > 1;
    for (std::uint32_t c : writers) {
      Client &client = fleet[c];
      if (client.attempt == 2) {
        ++r.retried;
        r.first_retry_conflicts += conflict;
      }
      if (conflict) {
        ++r.conflicts;
        count_interval(intervals, config.interval, clock.now,
                       &ContentionInterval::conflicts);
      }
      double wait = 0.0;
      const backoff_status st =
          pool.next(client.run, conflict ? kConflict : 0, &wait);
      if (st == BACKOFF_RETRY) {
        send(c, clock.now + wait);
        continue;
      }
      if (st == BACKOFF_OK) {
        ++r.succeeded;
        count_interval(intervals, config.interval, clock.now,
                       &ContentionInterval::successes);
      } else {
        ++r.gave_up;
      }
      r.completion = clock.now;
      pool.finish(client.run);
    }
  }
  return r;
}

std::uint64_t write_contention(const std::vector<PolicySpec> &policies,
                               const ContentionConfig &config,
                               CsvWriter &runs, CsvWriter &intervals) {
  runs.text("policy").text("clients").text("rep").text("calls")
      .text("conflicts").text("completion_s").text("succeeded")
      .text("gave_up").text("retried").text("first_retry_conflicts").end();
  intervals.text("policy").text("clients").text("rep").text("t_s")
      .text("calls").text("conflicts").text("successes").end();

  std::uint64_t client_runs = 0;
  std::vector<ContentionInterval> counts;
  for (const PolicySpec &policy : policies) {
    for (unsigned n : config.clients) {
      for (unsigned rep = 0; rep < config.reps; ++rep) {
        const ContentionResult r = simulate_contention(
            policy, n, rep, config, intervals.enabled() ? &counts : nullptr);
        client_runs += n;
        runs.text(policy.canonical()).integer(n).integer(rep)
            .integer(r.calls).integer(r.conflicts).number(r.completion)
            .integer(r.succeeded).integer(r.gave_up).integer(r.retried)
            .integer(r.first_retry_conflicts).end();
        for (size_t i = 0; intervals.enabled() && i < counts.size(); ++i)
          intervals.text(policy.canonical()).integer(n).integer(rep)
              .number(static_cast<double>(i) * config.interval)
              .integer(counts[i].calls).integer(counts[i].conflicts)
              .integer(counts[i].successes).end();
      }
    }
  }
  return client_runs;
}

} // namespace sim
