// Overhead of policy.retry(f) when f succeeds at once, next to calling f
// directly and to the C backoff_run on the same operation; then the same
// for one failure followed by a success after a zero wait (C++ through
// retry_while, whose failures are values, and through retry, whose failure
// is an exception). Not a test: run it from a release or debugoptimized
// build and read the numbers. The output's lines keep their wording and
// order (scripts read them); new measurements are appended.
//
//   meson compile -C BUILD bench/cpp_retry_bench && BUILD/bench/cpp_retry_bench
#include <backoff/backoff.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace {

int counter = 0;

// Out of line, so that every variant pays the same call.
[[gnu::noinline]] int operation() { return ++counter == 0 ? 1 : 0; }

int c_attempt(void *) { return operation(); }

// Fails every other call: each run fails once, then succeeds.
int flip = 0;
[[gnu::noinline]] int flaky() { return flip ^= 1; }
int c_flaky(void *) { return flaky(); }
void c_no_op_hook(const backoff_details *, void *) {}

template <class Body> double ns_per_op(long iterations, Body &body) {
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < iterations; ++i)
    body();
  const std::chrono::duration<double, std::nano> took =
      std::chrono::steady_clock::now() - start;
  return took.count() / static_cast<double>(iterations);
}

} // namespace

int main(int argc, char **argv) {
  const long iterations = argc > 1 ? std::atol(argv[1]) : 1000000;
  constexpr int rounds = 15;

  backoff_policy *c_policy = nullptr;
  backoff_policy *c_hooked = nullptr;
  if (backoff_policy_new(&c_policy) != BACKOFF_OK ||
      backoff_policy_new(&c_hooked) != BACKOFF_OK ||
      backoff_policy_on_backoff(c_hooked, &c_no_op_hook, nullptr, nullptr) !=
          BACKOFF_OK)
    return 1;
  const backoff::Policy policy;
  // An on_backoff hook makes each C++ run use a cancel token of its own (so
  // that the hook throwing can interrupt the sleep): its price.
  backoff::Policy hooked;
  hooked.on_backoff([](const backoff::Details &) {});
  backoff_policy *c_zero = nullptr;
  if (backoff_policy_new(&c_zero) != BACKOFF_OK ||
      backoff_policy_wait_constant(c_zero, 0) != BACKOFF_OK)
    return 1;
  backoff::Policy zero;
  zero.wait_constant(0);

  int failures = 0;
  auto direct = [&] { failures += operation(); };
  auto c_run = [&] {
    failures += backoff_run(c_policy, &c_attempt, nullptr, nullptr);
  };
  auto cpp_retry = [&] { failures += policy.retry([] { return operation(); }); };
  auto c_hooked_run = [&] {
    failures += backoff_run(c_hooked, &c_attempt, nullptr, nullptr);
  };
  auto cpp_hooked_retry = [&] {
    failures += hooked.retry([] { return operation(); });
  };
  auto c_one_failure = [&] {
    failures += backoff_run(c_zero, &c_flaky, nullptr, nullptr);
  };
  auto cpp_one_failure_value = [&] {
    failures += zero.retry_while([] { return flaky(); },
                                 [](int rc) { return rc != 0; });
  };
  struct Failure {};
  auto cpp_one_failure_throw = [&] {
    failures += zero.retry_on<Failure>([] {
      if (flaky() != 0)
        throw Failure{};
      return 0;
    });
  };

  // Rounds interleave the variants so that all see the same machine load;
  // each keeps its best round, the least disturbed by other processes.
  // Throwing costs microseconds: that variant runs fewer iterations.
  const long throwing_iterations = std::max(1L, iterations / 50);
  std::array<double, 8> best;
  best.fill(1e30);
  for (int round = 0; round < rounds; ++round) {
    best[0] = std::min(best[0], ns_per_op(iterations, direct));
    best[1] = std::min(best[1], ns_per_op(iterations, c_run));
    best[2] = std::min(best[2], ns_per_op(iterations, cpp_retry));
    best[3] = std::min(best[3], ns_per_op(iterations, c_hooked_run));
    best[4] = std::min(best[4], ns_per_op(iterations, cpp_hooked_retry));
    best[5] = std::min(best[5], ns_per_op(iterations, c_one_failure));
    best[6] = std::min(best[6], ns_per_op(iterations, cpp_one_failure_value));
    best[7] = std::min(best[7], ns_per_op(throwing_iterations,
                                          cpp_one_failure_throw));
  }
  backoff_policy_free(c_policy);
  backoff_policy_free(c_hooked);
  backoff_policy_free(c_zero);

  std::printf("%ld iterations per round, best of %d rounds\n", iterations,
              rounds);
  std::printf("direct call:        %7.2f ns/op\n", best[0]);
  std::printf("C backoff_run:      %7.2f ns/op (+%.2f over direct)\n", best[1],
              best[1] - best[0]);
  std::printf("C++ policy.retry:   %7.2f ns/op (+%.2f over backoff_run)\n",
              best[2], best[2] - best[1]);
  std::printf("with an on_backoff hook (not called: the first try succeeds)\n");
  std::printf("C backoff_run:      %7.2f ns/op\n", best[3]);
  std::printf("C++ policy.retry:   %7.2f ns/op (+%.2f over backoff_run)\n",
              best[4], best[4] - best[3]);
  std::printf("one failure, then success after a zero wait\n");
  std::printf("C backoff_run:      %7.2f ns/op\n", best[5]);
  std::printf("C++ retry_while:    %7.2f ns/op (+%.2f over backoff_run)\n",
              best[6], best[6] - best[5]);
  std::printf("C++ retry_on, throw:%7.2f ns/op (+%.2f over backoff_run)\n",
              best[7], best[7] - best[5]);
  return failures == 0 ? 0 : 1;
}
