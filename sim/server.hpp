// The server of the outage and overload scenarios.
//
// It serves `capacity` calls per second in arrival order. A call that would
// wait longer than `queue` seconds is refused at once (the excess above
// capacity fails); during an outage every call fails at once. A client
// stops waiting after `timeout` seconds, but a call it gave up on stays in
// the queue and is served anyway: that wasted work is what lets retries
// keep a server overloaded after the cause has gone (the metastable
// failures of Bronson et al., HotOS 2021).
#pragma once

namespace sim {

struct ServerConfig {
  double capacity = 1000.0; // calls served per second
  double queue = 2.0;       // seconds a call may wait before being refused
  double timeout = 1.0;     // seconds a client waits for its reply
  double latency = 0.01;    // network round trip, seconds
  double outage_start = 0.0;
  double outage_end = 0.0;  // [start, end): every call fails
};

// What a call's client sees, and when.
enum class Reply { kSuccess, kRefused, kOutage, kTimeout };

// The return codes the attempts give the state machine (HTTP-like, so that
// retry-on= and giveup-on= in a spec can select them).
constexpr int kRcSuccess = 0;
constexpr int kRcUnavailable = 503; // refused, or the outage
constexpr int kRcTimeout = 504;     // the client stopped waiting

int reply_code(Reply r);

class Server {
public:
  explicit Server(const ServerConfig &config) : config_(config) {}

  struct Response {
    double at; // when the client sees it
    Reply reply;
  };
  Response call(double now);

  // Seconds a call arriving now would wait before being served.
  double queue_delay(double now) const;

private:
  ServerConfig config_;
  double free_at_ = 0.0; // when the last accepted call will be served
};

} // namespace sim
