// The two conflict models behind simulate_contention (contention.hpp), and
// what they share. Internal to the simulator.
#pragma once

#include <cstdint>
#include <vector>

#include "contention.hpp"

namespace sim {

constexpr int kConflict = 1; // a failed write's return code

// Adds one to `field` of the interval holding time t.
inline void count_interval(std::vector<ContentionInterval> *intervals,
                           double interval, double t,
                           std::uint64_t ContentionInterval::*field) {
  if (!intervals)
    return;
  const size_t i = static_cast<size_t>(t / interval);
  if (intervals->size() <= i)
    intervals->resize(i + 1);
  ++((*intervals)[i].*field);
}

// Writes in one slot all fail (contention.cpp).
ContentionResult simulate_slotted(const PolicySpec &policy, unsigned clients,
                                  std::uint64_t seed,
                                  const ContentionConfig &config,
                                  std::vector<ContentionInterval> *intervals);

// Brooker's optimistic concurrency (contention_occ.cpp).
ContentionResult simulate_occ(const PolicySpec &policy, unsigned clients,
                              std::uint64_t seed,
                              const ContentionConfig &config,
                              std::vector<ContentionInterval> *intervals);

} // namespace sim
