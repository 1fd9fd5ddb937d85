// Retries a flaky operation the way a C++ program would: a lambda, an
// exception type that is worth retrying, one that is not, a server's
// Retry-After, and hooks.
// Run by the test suite, so it must not sleep: the waits are printed
// instead (drop the .sleep(...) line to really wait).
#include <backoff/backoff.hpp>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;

struct Unavailable : std::runtime_error { // worth retrying
  using std::runtime_error::runtime_error;
};
struct NotFound : std::runtime_error { // retrying will not help
  using std::runtime_error::runtime_error;
};

int main() {
  backoff::Policy policy;
  policy.wait_expo(2, 100ms, 2s)
      .jitter(backoff::Jitter::none)
      .max_tries(5)
      .on_backoff([](const backoff::Details &d) {
        std::printf("attempt %u failed; waiting %.1fs%s\n", d.tries,
                    d.wait.count(), d.hint ? " (the server's wait)" : "");
      })
      .sleep([](double) {});

  // 503, then 429 with "Retry-After: 1", then 200: waits 0.1 s, then 1 s.
  int calls = 0;
  const std::string body = policy.retry_on<Unavailable>([&] {
    if (++calls == 1)
      throw Unavailable("503");
    if (calls == 2)
      throw backoff::RetryAfter(*backoff::parse_retry_after("1"),
                                Unavailable("429"));
    return std::string("hello");
  });
  std::printf("got %s after %d calls\n", body.c_str(), calls);

  try {
    policy.retry_on<Unavailable>(
        []() -> std::string { throw NotFound("404"); });
  } catch (const NotFound &e) {
    std::printf("not retried: %s\n", e.what());
  }

  const auto out = policy.try_retry([]() -> int { throw Unavailable("503"); });
  std::printf("%s after %u tries\n", backoff::to_string(out.status),
              out.tries);
  return body == "hello" && calls == 3 && out.tries == 5 ? 0 : 1;
}
