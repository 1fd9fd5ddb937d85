/*
 * The state-machine fuzz target's policy: configured from the fuzzer's
 * bytes, with callbacks that record what they saw, and the settings this
 * target's oracle needs to predict every outcome.
 */
#ifndef BACKOFF_TESTS_FUZZ_STATE_MACHINE_POLICY_H
#define BACKOFF_TESTS_FUZZ_STATE_MACHINE_POLICY_H

#include "fuzz.h"

#include <backoff/backoff.h>

enum { MAX_STEPS = 64, MAX_CODES = 4, MAX_CUSTOM = 4 };

/* What the policy was configured with. */
typedef struct settings {
  unsigned max_tries;       /* the limit in force (after a tries function) */
  double max_time;          /* likewise (after a time function); 0: none */
  int startable;            /* 0: the time function gives a bad value */
  int classifier;           /* 0 default, 1 retry-on, 2 giveup-on, 3 custom */
  int rc_is_verdict;        /* BACKOFF_RUN_RC_IS_VERDICT: no classifier */
  int codes[MAX_CODES];
  size_t n_codes;
  int verdicts[8];          /* custom classifier: by rc & 7 */
  double waits[MAX_CUSTOM]; /* custom wait: cycled */
  int can_run_out;          /* a sequence or custom wait is in force */
  int jitter_mode;          /* custom jitter: 0 w * u, 1 jitter_value */
  double jitter_value;
  unsigned tries_fn_value;
  double time_fn_value;
  int has_hint_fn;
  double hints[MAX_CUSTOM]; /* the hint function's answers: cycled */
  double hint_max;          /* 0: no cap */
  int has_budget;
  double budget_ratio, budget_min, budget_window;
  unsigned budget_deposits; /* first attempts before this run's */
  backoff_budget *budget;   /* a reference, for its counters at the end */
  int has_hooks[4];         /* on_try, on_backoff, on_success, on_giveup */
  int has_log;
  int backoff_level, giveup_level;
} settings;

/* What the callbacks saw. */
typedef struct observed {
  double now;     /* the fake clock; the injected sleep advances it */
  unsigned custom_waits, hint_calls, sleeps, classify_calls;
  double last_hint; /* what the hint function returned last */
  unsigned tries, backoffs, successes, giveups, log_backoffs, log_giveups;
  double backoff_wait, backoff_hint; /* what on_backoff saw last */
  char order[4 * MAX_STEPS + 8];     /* a letter per hook or log call */
  size_t n_order;
  const settings *set;
  const char *label;
} observed;

/* Configures p (clock, sleep, seed, wait, jitter, limits, classifier, hint,
 * hint_max, budget, hooks, log) from the fuzzer's bytes; *set and *o are
 * filled in for the oracle. The budget, if any, has its clock frozen at a
 * time the bytes choose; set->budget holds a reference to it, which the
 * caller frees. */
void configure_policy(backoff_policy *p, fuzz_input *in, settings *set,
                      observed *o);

/* A return code: mostly 0, small codes and the extremes, sometimes any. */
int fuzz_rc(fuzz_input *in);

/* The verdict for rc: the policy's classifier's, or rc itself when the
 * driver hands verdicts (set->rc_is_verdict). */
int verdict_of(const settings *set, int rc);

/* Whether the budget allows the retry after `allowed` others in this run,
 * for this run's first attempt and set->budget_deposits before it, all at
 * the budget's frozen time: retries + 1 <= ratio * first + min * window. */
int budget_allows(const settings *set, unsigned allowed);

#endif
