// Overhead of policy.retry(f) when f succeeds at once, next to calling f
// directly and to the C backoff_run on the same operation. Not a test: run
// it from a release or debugoptimized build and read the numbers.
//
//   meson compile -C BUILD bench/cpp_retry_bench && BUILD/bench/cpp_retry_bench
#include <backoff/backoff.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace {

int counter = 0;

// Out of line, so that every variant pays the same call.
[[gnu::noinline]] int operation() { return ++counter == 0 ? 1 : 0; }

int c_attempt(void *) { return operation(); }
void c_no_op_hook(const backoff_details *, void *) {}

// Best of several rounds: the least disturbed by the other processes.
template <class Body> double ns_per_op(long iterations, Body body) {
  double best = 1e30;
  for (int round = 0; round < 7; ++round) {
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < iterations; ++i)
      body();
    const std::chrono::duration<double, std::nano> took =
        std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count() / static_cast<double>(iterations));
  }
  return best;
}

} // namespace

int main(int argc, char **argv) {
  const long iterations = argc > 1 ? std::atol(argv[1]) : 5000000;

  backoff_policy *c_policy = nullptr;
  backoff_policy *c_hooked = nullptr;
  if (backoff_policy_new(&c_policy) != BACKOFF_OK ||
      backoff_policy_new(&c_hooked) != BACKOFF_OK ||
      backoff_policy_on_backoff(c_hooked, &c_no_op_hook, nullptr, nullptr) !=
          BACKOFF_OK)
    return 1;
  const backoff::Policy policy;
  // An on_backoff hook makes each C++ run create a cancel token of its own
  // (so that the hook throwing can interrupt the sleep): its price.
  backoff::Policy hooked;
  hooked.on_backoff([](const backoff::Details &) {});

  int failures = 0;
  const double direct = ns_per_op(iterations, [&] { failures += operation(); });
  const double c_run = ns_per_op(iterations, [&] {
    failures += backoff_run(c_policy, &c_attempt, nullptr, nullptr);
  });
  const double cpp_retry = ns_per_op(iterations, [&] {
    failures += policy.retry([] { return operation(); });
  });
  const double c_hooked_run = ns_per_op(iterations, [&] {
    failures += backoff_run(c_hooked, &c_attempt, nullptr, nullptr);
  });
  const double cpp_hooked_retry = ns_per_op(iterations, [&] {
    failures += hooked.retry([] { return operation(); });
  });
  backoff_policy_free(c_policy);
  backoff_policy_free(c_hooked);

  std::printf("iterations per round: %ld (best of 7 rounds)\n", iterations);
  std::printf("direct call:        %7.2f ns/op\n", direct);
  std::printf("C backoff_run:      %7.2f ns/op (+%.2f over direct)\n", c_run,
              c_run - direct);
  std::printf("C++ policy.retry:   %7.2f ns/op (+%.2f over backoff_run)\n",
              cpp_retry, cpp_retry - c_run);
  std::printf("with an on_backoff hook (never called: first try succeeds):\n");
  std::printf("C backoff_run:      %7.2f ns/op\n", c_hooked_run);
  std::printf("C++ policy.retry:   %7.2f ns/op (+%.2f over backoff_run)\n",
              cpp_hooked_retry, cpp_hooked_retry - c_hooked_run);
  return failures == 0 ? 0 : 1;
}
