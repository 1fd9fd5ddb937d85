/*
 * A check for test programs that run without a test framework (the fuzz
 * targets, the stress test): when it fails it prints where and what was
 * seen, then aborts, which libFuzzer reports as a finding and meson test as
 * a failed test.
 */
#ifndef BACKOFF_TESTS_CHECK_H
#define BACKOFF_TESTS_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n  ", __FILE__, __LINE__,      \
              #cond);                                                          \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
      abort();                                                                 \
    }                                                                          \
  } while (0)

#endif
