// libbackoff for C++: retry any callable with exponential backoff and jitter.
//
//   backoff::Policy policy;
//   policy.wait_expo(2, 100ms, 10s).max_tries(5);
//   std::string body = policy.retry([&] { return fetch(url); });
//
// Header-only, C++17, built on the public C API alone: every retry decision
// (classification, limits, waits, jitter, clamping, server hints, budgets,
// hooks) is made by the C core, so C++ behaves exactly like C, Rust, Go and
// the `backoff` command. Link with the library:
// `pkg-config --cflags --libs backoff`.
//
// The parts, one concept a header (all included here):
//   backoff/cpp/common.hpp       durations, statuses, Details, Outcome,
//                                the wrapper's exceptions
//   backoff/cpp/cancel.hpp       Cancel
//   backoff/cpp/retry_after.hpp  RetryAfter, retry_after(), parse_retry_after
//   backoff/cpp/budget.hpp       Budget
//   backoff/cpp/policy.hpp       Policy: configuration and runs
//   backoff/cpp/run.hpp          internals: how C++ crosses the C frames
#ifndef BACKOFF_BACKOFF_HPP
#define BACKOFF_BACKOFF_HPP

#include <backoff/cpp/budget.hpp>
#include <backoff/cpp/cancel.hpp>
#include <backoff/cpp/common.hpp>
#include <backoff/cpp/policy.hpp>
#include <backoff/cpp/retry_after.hpp>

#endif // BACKOFF_BACKOFF_HPP
