/*
 * backoff_policy_parse on any text, into a policy that already holds
 * settings (the first byte picks which). Checks:
 *  - the status is OK or BACKOFF_E_PARSE, nothing else;
 *  - on error the policy is unchanged (its canonical form and its waits),
 *    the offset lies inside the spec and the message is NUL-terminated
 *    within the buffer it was given;
 *  - on success the canonical form parses, into a fresh policy, to a policy
 *    with the same canonical form and, without a budget (which decides by
 *    the system clock), the same waits: parse -> format -> parse is the
 *    identity; formatting into a short buffer truncates without changing
 *    the length it reports.
 */
#include "fuzz.h"

#include <backoff/backoff.h>

enum { FORMAT_SIZE = 8192, STEPS = 12 };

/* A policy's canonical form, into buf; aborts if it cannot be formatted. */
static void canonical(const backoff_policy *p, char *buf) {
  size_t needed = 0;
  const backoff_status st = backoff_policy_format(p, buf, FORMAT_SIZE, &needed);
  CHECK(st == BACKOFF_OK, "format gave %d", st);
  CHECK(needed < FORMAT_SIZE && strlen(buf) == needed,
        "format needed %zu, wrote %zu", needed, strlen(buf));
}

static double fake_now(void *data) { return *(const double *)data; }

/* The statuses and waits of one run, every attempt failing with the next of
 * a few codes, on a fake clock that the waits advance. Jitter is seeded by
 * the caller, so equal policies give equal waits. */
typedef struct trace {
  int status[STEPS];
  double wait[STEPS];
} trace;

static void run_trace(backoff_policy *p, trace *out) {
  static const int codes[] = {1, 2, 3, 7, -1, 255, 1, 4, 5, 6, 100, 1};
  double now = 0.0;
  backoff_state *s = NULL;
  int i;
  CHECK(backoff_policy_clock(p, fake_now, &now, NULL) == BACKOFF_OK,
        "clock refused");
  CHECK(backoff_state_new(p, NULL, NULL, &s) == BACKOFF_OK,
        "state refused");
  memset(out, 0, sizeof *out);
  for (i = 0; i < STEPS; ++i) {
    double w = -1.0;
    CHECK(backoff_state_begin(s) == BACKOFF_OK, "begin refused");
    now += 0.125;
    out->status[i] = backoff_state_next(s, codes[i], &w);
    out->wait[i] = w;
    if (out->status[i] != BACKOFF_RETRY)
      break;
    now = now + w < 1e300 ? now + w : 1e300;
  }
  backoff_state_free(s);
}

/* p and q give the same statuses and waits, both seeded alike. */
static void same_behaviour(backoff_policy *p, backoff_policy *q,
                           const char *what) {
  trace a, b;
  int i;
  CHECK(backoff_policy_seed(p, 42) == BACKOFF_OK &&
            backoff_policy_seed(q, 42) == BACKOFF_OK,
        "seed refused");
  run_trace(p, &a);
  run_trace(q, &b);
  for (i = 0; i < STEPS; ++i) {
    CHECK(a.status[i] == b.status[i], "%s: step %d status %d vs %d", what, i,
          a.status[i], b.status[i]);
    CHECK(memcmp(&a.wait[i], &b.wait[i], sizeof(double)) == 0,
          "%s: step %d wait %.17g vs %.17g", what, i, a.wait[i], b.wait[i]);
  }
}

/* The settings the spec is parsed over: omitted settings keep them. */
static const char *const starting_points[] = {
    "",
    "fibo(max=9) jitter=equal tries=4 time=30 retry-on=1,2,3 seed=3",
    "sequence(0.5,1,2) jitter=proportional(0.25) giveup-on=7 seed=11",
    "decay(initial=8,factor=0.5,min=1) jitter=decorrelated time=inf",
    "linear hint-max=30 budget(ratio=0.5,min=1,window=4)",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char before[FORMAT_SIZE], after[FORMAT_SIZE], again[FORMAT_SIZE];
  static const size_t errmsg_sizes[] = {0, 1, 2, 16, 256};
  char errmsg[256 + 1];
  fuzz_input in = {data, size};
  const unsigned start = fuzz_pick(&in, 5);
  const size_t errmsg_size = errmsg_sizes[fuzz_pick(&in, 5)];
  char *spec = malloc(in.size + 1);
  backoff_policy *p = NULL, *q = NULL;
  size_t offset = (size_t)-1, needed = 0;
  backoff_status st;

  CHECK(spec != NULL, "out of memory");
  memcpy(spec, in.data, in.size);
  spec[in.size] = '\0'; /* the C API sees up to the first NUL */
  CHECK(backoff_policy_new(&p) == BACKOFF_OK, "new refused");
  CHECK(backoff_policy_parse(p, starting_points[start], NULL, NULL, 0) ==
            BACKOFF_OK,
        "starting point %u refused", start);
  canonical(p, before);

  memset(errmsg, 'x', sizeof errmsg);
  st = backoff_policy_parse(p, spec, &offset, errmsg_size ? errmsg : NULL,
                            errmsg_size);
  CHECK(st == BACKOFF_OK || st == BACKOFF_E_PARSE, "parse gave %d", st);
  canonical(p, after);

  if (st != BACKOFF_OK) {
    CHECK(strcmp(before, after) == 0,
          "a failed parse changed the policy: '%s' -> '%s'", before,
          after);
    CHECK(offset <= strlen(spec), "error offset %zu past the spec (%zu)",
          offset, strlen(spec));
    if (errmsg_size > 0) {
      CHECK(memchr(errmsg, '\0', errmsg_size) != NULL,
            "message not terminated within %zu bytes", errmsg_size);
      CHECK(errmsg[errmsg_size] == 'x', "message overran %zu bytes",
            errmsg_size);
    }
    /* ... and behaves as the same starting point never parsed over. */
    CHECK(backoff_policy_new(&q) == BACKOFF_OK, "new refused");
    CHECK(backoff_policy_parse(q, starting_points[start], NULL, NULL,
                               0) == BACKOFF_OK,
          "starting point %u refused", start);
    same_behaviour(p, q, before);
    backoff_policy_free(q);
    backoff_policy_free(p);
    free(spec);
    return 0;
  }

  /* parse -> format -> parse: the same text, the same behaviour. */
  CHECK(backoff_policy_new(&q) == BACKOFF_OK, "new refused");
  st = backoff_policy_parse(q, after, &offset, errmsg, sizeof errmsg);
  CHECK(st == BACKOFF_OK, "canonical form '%s' refused at %zu: %s", after,
        offset, errmsg);
  canonical(q, again);
  CHECK(strcmp(after, again) == 0, "round trip: '%s' -> '%s'", after,
        again);

  /* A short buffer: a NUL-terminated prefix, the same length needed. */
  {
    char small[8];
    const size_t len = strlen(again);
    CHECK(backoff_policy_format(q, small, sizeof small, &needed) ==
              BACKOFF_OK,
          "format into 8 bytes refused");
    CHECK(needed == len, "needed %zu, length %zu", needed, len);
    CHECK(strncmp(small, again, sizeof small - 1) == 0 &&
              strlen(small) == (len < sizeof small ? len : sizeof small - 1),
          "truncated form '%s' of '%s'", small, again);
  }
  /* A budget decides by the time on the system clock (p's and q's are
   * each their own), so waits are compared only without one. */
  if (strstr(after, "budget(") == NULL)
    same_behaviour(p, q, after);
  backoff_policy_free(q);
  backoff_policy_free(p);
  free(spec);
  return 0;
}
