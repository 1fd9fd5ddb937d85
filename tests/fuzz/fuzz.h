/*
 * What the fuzz targets share: the libFuzzer entry point they define, CHECK
 * (../check.h: a failed check aborts with a message, which libFuzzer reports
 * as a finding and the replay program as a failed test), and a reader that
 * turns the fuzzer's bytes into choices and numbers. Exhausted input reads as zeros, so every
 * input, however short, is a complete test case.
 */
#ifndef BACKOFF_TESTS_FUZZ_H
#define BACKOFF_TESTS_FUZZ_H

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fuzz_input {
  const uint8_t *data;
  size_t size;
} fuzz_input;

static inline uint8_t fuzz_byte(fuzz_input *in) {
  if (in->size == 0)
    return 0;
  in->size--;
  return *in->data++;
}

/* A choice among n (n >= 1). */
static inline unsigned fuzz_pick(fuzz_input *in, unsigned n) {
  return fuzz_byte(in) % n;
}

static inline uint64_t fuzz_u64(fuzz_input *in) {
  uint64_t v = 0;
  int i;
  for (i = 0; i < 8; ++i)
    v = v << 8 | fuzz_byte(in);
  return v;
}

/* Any double at all, NaNs and infinities included. */
static inline double fuzz_raw_double(fuzz_input *in) {
  const uint64_t bits = fuzz_u64(in);
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

/* Mostly the values where rules change (0, -0, tiny, 1, huge, DBL_MAX, inf,
 * NaN, negatives), sometimes any double. */
static inline double fuzz_double(fuzz_input *in) {
  static const double interesting[] = {
      0.0,  -0.0, 5e-324, 1e-300, 0.001, 0.25, 0.5,     1.0,     1.5,
      2.0,  3.0,  10.0,   60.0,   1e9,   1e300, DBL_MAX, HUGE_VAL, -HUGE_VAL,
      NAN,  -1.0, -1e-9};
  const unsigned n = sizeof interesting / sizeof interesting[0];
  const unsigned k = fuzz_pick(in, n + 1);
  return k < n ? interesting[k] : fuzz_raw_double(in);
}

#endif
