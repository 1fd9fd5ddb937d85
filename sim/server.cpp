#include "server.hpp"

#include <algorithm>

namespace sim {

int reply_code(Reply r) {
  switch (r) {
  case Reply::kSuccess:
    return kRcSuccess;
  case Reply::kTimeout:
    return kRcTimeout;
  case Reply::kRefused:
  case Reply::kOutage:
    break;
  }
  return kRcUnavailable;
}

double Server::queue_delay(double now) const {
  return std::max(0.0, free_at_ - now);
}

Server::Response Server::call(double now) {
  const double half_trip = config_.latency / 2.0;
  const double arrival = now + half_trip;
  if (arrival >= config_.outage_start && arrival < config_.outage_end)
    return {arrival + half_trip, Reply::kOutage};
  if (queue_delay(arrival) > config_.queue)
    return {arrival + half_trip, Reply::kRefused};
  free_at_ = std::max(free_at_, arrival) + 1.0 / config_.capacity;
  const double reply = free_at_ + half_trip;
  if (reply - now > config_.timeout)
    return {now + config_.timeout, Reply::kTimeout};
  return {reply, Reply::kSuccess};
}

} // namespace sim
