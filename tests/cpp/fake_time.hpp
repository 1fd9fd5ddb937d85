// A policy that never sleeps: waits are recorded, and a fake clock advances
// by exactly what was "slept", so time limits are tested without real time.
#pragma once

#include <backoff/backoff.hpp>

#include <memory>
#include <vector>

struct FakeTime {
  std::vector<double> waits;
  double now = 0.0;
};

// The policy keeps a shared_ptr so the recorder outlives it in every test.
inline backoff::Policy fake_time_policy(const std::shared_ptr<FakeTime> &t) {
  backoff::Policy policy;
  policy.jitter(backoff::Jitter::none)
      .sleep([t](double s) {
        t->waits.push_back(s);
        t->now += s;
      })
      .clock([t] { return t->now; });
  return policy;
}
