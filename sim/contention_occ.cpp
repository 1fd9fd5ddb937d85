// Brooker's model of contention, as in his simulator: one row with a
// version number; a client reads it, then writes with the version it read;
// the write succeeds only if no other write committed in between. Every
// message (read, its reply, write, its reply) takes |N(latency, noise)|
// seconds; a client whose write failed waits what its backoff_state says,
// then reads again. Unlike the slot model, one writer of a contended round
// always succeeds.
#include "contention_models.hpp"
#include "event_queue.hpp"
#include "run_pool.hpp"
#include "sim_rng.hpp"

namespace sim {

namespace {

enum EventKind : std::uint32_t { kAttempt, kRead, kWrite, kReply };

struct Client {
  std::uint32_t run;
  unsigned attempt;          // attempts started so far
  std::uint64_t read_version; // what its last read saw
};

} // namespace

ContentionResult simulate_occ(const PolicySpec &policy, unsigned clients,
                              std::uint64_t seed,
                              const ContentionConfig &config,
                              std::vector<ContentionInterval> *intervals) {
  VirtualClock clock;
  RunPool pool(policy, &clock, seed);
  Rng network(derive_seed(seed, 0x6e6574)); // "net"
  auto delay = [&] { return network.abs_normal(config.latency, config.noise); };
  EventQueue queue;
  std::vector<Client> fleet(clients);
  std::uint64_t version = 0;

  ContentionResult r;
  r.clients = clients;
  for (std::uint32_t c = 0; c < clients; ++c) {
    fleet[c] = Client{pool.start(), 0, 0};
    queue.push(0.0, kAttempt, c);
  }
  while (!queue.empty()) {
    const Event e = queue.pop();
    clock.now = e.time;
    Client &client = fleet[e.id];
    switch (e.kind) {
    case kAttempt: // the client sends its read
      pool.begin(client.run);
      ++client.attempt;
      queue.push(e.time + delay(), kRead, e.id);
      break;
    case kRead: // the server answers; the client writes on receipt
      client.read_version = version;
      queue.push(e.time + delay() + delay(), kWrite, e.id);
      break;
    case kWrite: {
      ++r.calls;
      count_interval(intervals, config.interval, e.time,
                     &ContentionInterval::calls);
      const bool conflict = client.read_version != version;
      if (!conflict)
        ++version;
      queue.push(e.time + delay(), kReply, e.id, conflict);
      break;
    }
    case kReply: {
      const bool conflict = e.detail != 0;
      if (client.attempt == 2) {
        ++r.retried;
        r.first_retry_conflicts += conflict;
      }
      if (conflict) {
        ++r.conflicts;
        count_interval(intervals, config.interval, e.time,
                       &ContentionInterval::conflicts);
      }
      double wait = 0.0;
      const backoff_status st =
          pool.next(client.run, conflict ? kConflict : 0, &wait);
      if (st == BACKOFF_RETRY) {
        queue.push(e.time + wait, kAttempt, e.id);
        break;
      }
      if (st == BACKOFF_OK) {
        ++r.succeeded;
        count_interval(intervals, config.interval, e.time,
                       &ContentionInterval::successes);
      } else {
        ++r.gave_up;
      }
      r.completion = e.time;
      pool.finish(client.run);
      break;
    }
    }
  }
  return r;
}

} // namespace sim
