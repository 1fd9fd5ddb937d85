// One C++ wrapper path, CALLS times, silent: for counting instructions per
// call under callgrind (bench/run runs it twice, with CALLS and 2 * CALLS,
// and divides the difference). The paths are those of cpp_retry_bench:
//   success/retry        policy.retry(f), f succeeds at once
//   retry0/retry_while   one failure (a value), then success after a zero
//                        wait
//
//   cpp_instructions CASE/VARIANT CALLS
#include <backoff/backoff.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

int counter = 0;
[[gnu::noinline]] int operation() { return ++counter == 0 ? 1 : 0; }

int flip = 0;
[[gnu::noinline]] int flaky() { return flip ^= 1; }

} // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: cpp_instructions CASE/VARIANT CALLS\n");
    return 2;
  }
  const long calls = std::atol(argv[2]);
  const backoff::Policy defaults;
  backoff::Policy zero;
  zero.wait_constant(0);
  int failures = 0;
  if (std::strcmp(argv[1], "success/retry") == 0) {
    for (long i = 0; i < calls; ++i)
      failures += defaults.retry([] { return operation(); });
  } else if (std::strcmp(argv[1], "retry0/retry_while") == 0) {
    for (long i = 0; i < calls; ++i)
      failures += zero.retry_while([] { return flaky(); },
                                   [](int rc) { return rc != 0; });
  } else {
    std::fprintf(stderr, "cpp_instructions: no variant %s\n", argv[1]);
    return 2;
  }
  return failures == 0 ? 0 : 1;
}
