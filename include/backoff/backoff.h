/*
 * libbackoff — retry with exponential backoff and jitter.
 *
 * This header is the whole public C API and its contract. It compiles as C99
 * (-pedantic) and as C++. Every function is documented where it is declared:
 * what it does, who owns each pointer, which statuses it returns, and whether
 * it may be called from several threads at once.
 *
 * Conventions that hold for every function unless its comment says otherwise:
 *
 *  - Time is a `double` number of seconds, measured on a monotonic clock.
 *  - A function that can fail returns a `backoff_status`. On any negative
 *    status the object it was given is left exactly as it was.
 *  - No function allocates behind the caller's back except those whose name
 *    says so (`*_new`, and the setters that copy caller data into a policy).
 *    `backoff_run` and the state machine never allocate.
 *  - No C++ exception ever leaves the library. Callbacks you give the library
 *    must not unwind through it either (no C++ throw, no longjmp, no Rust
 *    panic): catch inside the callback, as the bindings do.
 *  - `destroy` functions passed with callback data are called exactly once,
 *    with that data, when the object holding them is freed — also when the
 *    setter itself fails, so ownership always passes to the library.
 *    Pass NULL when there is nothing to free.
 *  - Structs that cross the boundary start with a `size` field that the caller
 *    sets to `sizeof` the struct it was compiled with. Fields are only ever
 *    appended, so an old caller keeps working with a newer library.
 */
#ifndef BACKOFF_BACKOFF_H
#define BACKOFF_BACKOFF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(BACKOFF_BUILDING_LIBRARY) && defined(__GNUC__)
#define BACKOFF_API __attribute__((visibility("default")))
#else
#define BACKOFF_API
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                  */
/* ------------------------------------------------------------------------ */

#define BACKOFF_VERSION_MAJOR 1
#define BACKOFF_VERSION_MINOR 1
#define BACKOFF_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH, comparable with `<` and `>`. */
#define BACKOFF_VERSION_NUMBER                                                 \
  (BACKOFF_VERSION_MAJOR * 10000 + BACKOFF_VERSION_MINOR * 100 +               \
   BACKOFF_VERSION_PATCH)
#define BACKOFF_VERSION_STRING "1.1.0"

/** The version of the library actually loaded, as BACKOFF_VERSION_NUMBER.
 *  Compare it with the macro to detect a header/library mismatch.
 *  Thread-safe. */
BACKOFF_API unsigned backoff_version_number(void);

/** The version of the library actually loaded, e.g. "1.0.0". Static storage;
 *  never NULL; do not free. Thread-safe. */
BACKOFF_API const char *backoff_version_string(void);

/* ------------------------------------------------------------------------ */
/* Status                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * Every status the library returns. Values are stable and never renumbered;
 * new ones are only added.
 *  0        success;
 *  > 0      outcomes of a run (or of one step of the state machine);
 *  < 0      errors in the use of the API; nothing was changed.
 */
typedef enum backoff_status {
  BACKOFF_OK = 0,                /* the operation succeeded */
  BACKOFF_RETRY = 1,             /* state machine: wait, then try again */
  BACKOFF_GAVE_UP_TRIES = 2,     /* max_tries attempts failed */
  BACKOFF_GAVE_UP_TIME = 3,      /* max_time elapsed */
  BACKOFF_GAVE_UP_FATAL = 4,     /* the classifier called the failure fatal */
  BACKOFF_GAVE_UP_EXHAUSTED = 5, /* the wait sequence ran out, or a custom
                                    wait function asked to stop */
  BACKOFF_CANCELLED = 6,         /* a cancel token was triggered */
  BACKOFF_PASSED_THROUGH = 7,    /* the classifier said "not ours": returned
                                    at once, no hook ran */
  BACKOFF_GAVE_UP_BUDGET = 8,    /* the policy's retry budget refused the
                                    retry (since 1.1) */

  BACKOFF_E_INVALID = -1,     /* an argument is NULL, NaN, negative, out of
                                 range or otherwise meaningless */
  BACKOFF_E_NOMEM = -2,       /* memory could not be allocated */
  BACKOFF_E_MISUSE = -3,      /* call out of order (e.g. stepping a finished
                                 state machine) */
  BACKOFF_E_PARSE = -4,       /* a text (policy spec, Retry-After) is
                                 malformed */
  BACKOFF_E_UNSUPPORTED = -5, /* the request cannot be expressed (e.g.
                                 formatting a policy with a custom function) */
  BACKOFF_E_INTERNAL = -6     /* a bug in libbackoff; please report it */
} backoff_status;

/** A short English description of `status`, e.g. "gave up: tries limit
 *  reached". Static storage; never NULL (unknown values give "unknown
 *  status"). Thread-safe. */
BACKOFF_API const char *backoff_strerror(int status);

/* ------------------------------------------------------------------------ */
/* Details: what hooks see, and what a run reports                          */
/* ------------------------------------------------------------------------ */

/**
 * The state of a run, passed by const pointer to every hook, classifier,
 * custom wait and log function, and copied into the caller's struct at the
 * end of a run.
 *
 * The caller sets `size` to sizeof(backoff_details) before asking the library
 * to fill one in (BACKOFF_DETAILS_INIT does it); the library writes only the
 * fields that end within `size`, whole: a field cut by `size` is not touched,
 * nor is any byte past `size`. Inside callbacks, `size` is the library's own.
 * Fields are only ever appended.
 */
typedef struct backoff_details {
  size_t size;        /* sizeof the struct: set by whoever owns the memory */
  const char *label;  /* the run's label (for logs); never NULL inside a
                         callback; borrowed from the run options */
  void *user_data;    /* the run's user data, as given to the run */
  unsigned tries;     /* attempts started so far (1-based) */
  double elapsed;     /* seconds since the run started (monotonic); in
                         on_backoff/on_giveup it is measured after the
                         attempt */
  double wait;        /* the wait about to be slept (on_backoff) or the
                         last one slept: after jitter and the max_time
                         clamp; 0 before any wait */
  double total_wait;  /* sum of the waits decided so far in this run
                         (saturates at DBL_MAX) */
  int last_rc;        /* the last attempt's return code (0 before any) */
  int outcome;        /* a backoff_status: BACKOFF_RETRY while the run goes
                         on, its final status once it has ended */
  double remaining;   /* seconds left before max_time, measured when the
                         details were last updated; HUGE_VAL (+inf) when
                         the run has no time limit */
  /* Since 1.1: */
  double hint;        /* the server's wait hint carried by the last failed
                         attempt (backoff_policy_hint or
                         backoff_state_retry_after), in seconds; negative
                         when that attempt carried none. In on_backoff it
                         tells whether `wait` is the server's; in on_giveup
                         it shows the hint that ended the run on time */
} backoff_details;

/** Initialiser for a details struct the library will fill in. */
#define BACKOFF_DETAILS_INIT                                                   \
  { sizeof(backoff_details), NULL, NULL, 0, 0.0, 0.0, 0.0, 0, 0, 0.0, -1.0 }

/* ------------------------------------------------------------------------ */
/* Callback types                                                           */
/* ------------------------------------------------------------------------ */

/** Frees callback data; called once when its owner is freed. */
typedef void (*backoff_destroy_fn)(void *data);

/** One attempt of the operation. Returns 0 on success, anything else on
 *  failure (what counts as success can be changed by a classifier). */
typedef int (*backoff_attempt_fn)(void *user_data);

/** A hook: on_try, on_backoff, on_success or on_giveup. `d` is valid only
 *  during the call. */
typedef void (*backoff_hook_fn)(const backoff_details *d, void *data);

/** How a classifier judges the attempt described by `d` (d->last_rc is its
 *  return code; d->user_data is the run's data, where the attempt can leave
 *  whatever else it knows). */
typedef enum backoff_verdict {
  BACKOFF_VERDICT_SUCCESS = 0,      /* done: on_success, run returns OK */
  BACKOFF_VERDICT_RETRY = 1,        /* failed, may be retried */
  BACKOFF_VERDICT_GIVE_UP = 2,      /* failed for good: on_giveup runs, the
                                       run returns BACKOFF_GAVE_UP_FATAL */
  BACKOFF_VERDICT_PASS_THROUGH = 3  /* not ours: return at once with
                                       BACKOFF_PASSED_THROUGH, no hook */
} backoff_verdict;

/** A classifier. Returning a value outside backoff_verdict counts as
 *  BACKOFF_VERDICT_GIVE_UP. */
typedef int (*backoff_classify_fn)(const backoff_details *d, void *data);

/** A custom ("runtime") wait: the seconds to wait before the next attempt.
 *  A negative, NaN or infinite result ends the run with
 *  BACKOFF_GAVE_UP_EXHAUSTED. This is how a server's Retry-After is
 *  honoured: the attempt stores it in its user data, the function returns
 *  it. */
typedef double (*backoff_wait_fn)(const backoff_details *d, void *data);

/** A server's wait hint, read after each retriable failure: the seconds the
 *  server asked the client to wait (e.g. an HTTP Retry-After, which the
 *  attempt parsed and left in d->user_data). Returns >= 0 for a hint, a
 *  negative value or NaN for "no hint: use the generator", +inf for "the
 *  server says never" (the run gives up on time). See backoff_policy_hint
 *  for the rule a hint follows. */
typedef double (*backoff_hint_fn)(const backoff_details *d, void *data);

/** A custom jitter: turns the generator's `wait` into the real wait.
 *  `uniform` is a number in [0, 1) from the run's random generator, so a
 *  seeded policy stays reproducible. A negative or NaN result counts as 0. */
typedef double (*backoff_jitter_fn)(double wait, double uniform, void *data);

/** A limit computed once at the start of each run. */
typedef unsigned (*backoff_tries_fn)(void *data);
typedef double (*backoff_time_fn)(void *data);

/** A monotonic clock in seconds (any origin). */
typedef double (*backoff_clock_fn)(void *data);

/** Sleeps `seconds`. A custom sleep cannot be interrupted by a cancel token;
 *  the token is still checked before and after it. */
typedef void (*backoff_sleep_fn)(double seconds, void *data);

/** Log levels; the numbers are Python's logging levels. */
#define BACKOFF_LOG_DEBUG 10
#define BACKOFF_LOG_INFO 20
#define BACKOFF_LOG_WARNING 30
#define BACKOFF_LOG_ERROR 40

/** A log sink. `message` is one line without a newline, valid only during the
 *  call, e.g. "Backing off fetch(...) for 0.2s (rc=1)". */
typedef void (*backoff_log_fn)(int level, const char *message,
                               const backoff_details *d, void *data);

/* ------------------------------------------------------------------------ */
/* Policy                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * A reusable retry configuration. Create it, configure it with the setters
 * below, then use it for any number of runs, from any number of threads at
 * once. Setters are not thread-safe: configure a policy before sharing it.
 * A policy must outlive every run and state machine that uses it.
 *
 * Defaults (a fresh policy): expo wait (base 2, factor 1, no cap: 1, 2, 4,
 * 8 …), full jitter, no limits (retries until success), return code 0 is
 * success and everything else is retried, no hooks, no logging, the system's
 * monotonic clock and sleep, unseeded jitter, no hint function, no hint cap,
 * no budget.
 */
typedef struct backoff_policy backoff_policy;

/** Allocates a policy with the defaults. Stores it in *out.
 *  Errors: BACKOFF_E_INVALID (out NULL), BACKOFF_E_NOMEM.
 *  Thread-safe. The caller owns the policy: free it with
 *  backoff_policy_free. */
BACKOFF_API backoff_status backoff_policy_new(backoff_policy **out);

/** Frees a policy and calls the destroy function of every callback it holds.
 *  NULL is a no-op. No run may be using it. */
BACKOFF_API void backoff_policy_free(backoff_policy *p);

/* Waits. Each setter replaces the policy's wait. `max_value` and `max`
 * caps use 0 (or +inf) for "no cap". Errors, all leaving the policy
 * unchanged: BACKOFF_E_INVALID when p is NULL or a number is NaN, infinite
 * where a finite value is needed, negative, or zero where zero is
 * meaningless. */

/** Exponential: factor * base^n for n = 0, 1, 2 …, so the defaults (2, 1)
 *  give 1, 2, 4, 8. Once a value reaches max_value every later wait is
 *  max_value; without a cap values saturate at DBL_MAX instead of
 *  overflowing. base > 0, factor > 0, max_value >= 0. */
BACKOFF_API backoff_status backoff_policy_wait_expo(backoff_policy *p,
                                                    double base, double factor,
                                                    double max_value);

/** Fibonacci: 1, 1, 2, 3, 5, 8 … with the same cap rule as expo.
 *  max_value >= 0. */
BACKOFF_API backoff_status backoff_policy_wait_fibo(backoff_policy *p,
                                                    double max_value);

/** Constant: `interval` forever. interval >= 0 (0 retries at once). */
BACKOFF_API backoff_status backoff_policy_wait_constant(backoff_policy *p,
                                                        double interval);

/** A fixed sequence: values[0], values[1] …, values[n-1], then the run gives
 *  up with BACKOFF_GAVE_UP_EXHAUSTED. The values are copied. n >= 1, every
 *  value finite and >= 0. Extra error: BACKOFF_E_NOMEM. */
BACKOFF_API backoff_status backoff_policy_wait_sequence(backoff_policy *p,
                                                        const double *values,
                                                        size_t n);

/** Decay: initial * e^(-n * factor), never below min_value.
 *  initial > 0, factor >= 0, min_value >= 0 (0: no floor). */
BACKOFF_API backoff_status backoff_policy_wait_decay(backoff_policy *p,
                                                     double initial,
                                                     double factor,
                                                     double min_value);

/** Linear: start + n * increment, capped at max (0 or +inf: no cap).
 *  start >= 0, increment >= 0. */
BACKOFF_API backoff_status backoff_policy_wait_linear(backoff_policy *p,
                                                      double start,
                                                      double increment,
                                                      double max);

/** Custom ("runtime") wait: fn decides each wait; see backoff_wait_fn.
 *  The policy owns `data` (see destroy). fn must not be NULL. */
BACKOFF_API backoff_status backoff_policy_wait_custom(backoff_policy *p,
                                                      backoff_wait_fn fn,
                                                      void *data,
                                                      backoff_destroy_fn destroy);

/* Jitter: applied to each generated wait, before the max_time clamp. */

typedef enum backoff_jitter_kind {
  BACKOFF_JITTER_NONE = 0,         /* the exact generated wait */
  BACKOFF_JITTER_FULL = 1,         /* U[0, w] — the default */
  BACKOFF_JITTER_RANDOM = 2,       /* w + U[0, 1) seconds */
  BACKOFF_JITTER_EQUAL = 3,        /* w/2 + U[0, w/2] */
  BACKOFF_JITTER_DECORRELATED = 4, /* min(cap, U[base, 3 * previous]), where
                                      base is the run's first generated
                                      wait, previous the last wait this
                                      jitter produced (base at first; a
                                      Retry-After does not count), cap the
                                      wait's
                                      max_value (none: no cap); only the
                                      first generated value is used */
  BACKOFF_JITTER_PROPORTIONAL = 5, /* w * U[1 - f, 1 + f]; f = 0.5 unless set
                                      with backoff_policy_jitter_proportional */
  BACKOFF_JITTER_CUSTOM = 6        /* set with backoff_policy_jitter_custom */
} backoff_jitter_kind;

/** Selects a built-in jitter. BACKOFF_JITTER_CUSTOM is refused here
 *  (BACKOFF_E_INVALID): use backoff_policy_jitter_custom. */
BACKOFF_API backoff_status backoff_policy_jitter(backoff_policy *p, int kind);

/** Proportional jitter with spread f: w * U[1 - f, 1 + f], 0 <= f <= 1. */
BACKOFF_API backoff_status backoff_policy_jitter_proportional(backoff_policy *p,
                                                              double f);

/** Custom jitter; see backoff_jitter_fn. The policy owns `data`. */
BACKOFF_API backoff_status backoff_policy_jitter_custom(backoff_policy *p,
                                                        backoff_jitter_fn fn,
                                                        void *data,
                                                        backoff_destroy_fn destroy);

/* Limits. Either limit ends the run; they are checked after each failed
 * attempt, tries first. */

/** Total attempts, including the first. 0 means unlimited (by definition:
 *  1 means a single attempt and no retry). Replaces a tries function. */
BACKOFF_API backoff_status backoff_policy_max_tries(backoff_policy *p,
                                                    unsigned n);

/** Gives up once `seconds` have elapsed since the run started, measured after
 *  each attempt; the last wait is shortened to the time remaining.
 *  0 or +inf means unlimited. Replaces a time function. */
BACKOFF_API backoff_status backoff_policy_max_time(backoff_policy *p,
                                                   double seconds);

/** max_tries computed by fn(data) once at the start of each run (0:
 *  unlimited). The policy owns `data`. fn is called from the thread that
 *  runs, possibly from several threads at once. */
BACKOFF_API backoff_status backoff_policy_max_tries_fn(backoff_policy *p,
                                                       backoff_tries_fn fn,
                                                       void *data,
                                                       backoff_destroy_fn destroy);

/** max_time computed by fn(data) once at the start of each run (0 or +inf:
 *  unlimited). A NaN or negative result makes the run fail with
 *  BACKOFF_E_INVALID before any attempt. The policy owns `data`. */
BACKOFF_API backoff_status backoff_policy_max_time_fn(backoff_policy *p,
                                                      backoff_time_fn fn,
                                                      void *data,
                                                      backoff_destroy_fn destroy);

/* Server hints (since 1.1). One rule for every way a hint reaches a run (a
 * hint function, backoff_state_retry_after, the bindings' RetryAfter
 * verdicts, the command's --hint-file): after a retriable failure, once the
 * tries and time limits and the cancel token have been checked,
 *  - the hint replaces the generated wait for that one backoff: no jitter,
 *    and the generator does not advance (the next generated wait is the one
 *    that would have come);
 *  - a hint longer than the time remaining before max_time, longer than
 *    the policy's hint_max, or infinite, ends the run at once with
 *    BACKOFF_GAVE_UP_TIME instead of sleeping towards a deadline the server
 *    already said will pass: on_giveup sees the hint in details.hint and the
 *    log line names it;
 *  - the retry still needs the budget's permission (backoff_policy_budget);
 *  - on_backoff and the log line see the hint in details.hint. */

/** Sets the hint function, read after each retriable failure (see
 *  backoff_hint_fn; not called when backoff_state_retry_after already gave
 *  this failure a hint). Replaces any previous one; fn NULL removes it
 *  (destroy is still called on data then). The policy owns `data`. A hint
 *  function is meant to read what the attempt left in d->user_data: it does
 *  not make a run read the clock, so in a run of backoff_run without
 *  details whose policy has no time limit, hook, log, budget, custom wait
 *  or classifier, it sees d->elapsed as 0. Errors: BACKOFF_E_INVALID (p
 *  NULL). */
BACKOFF_API backoff_status backoff_policy_hint(backoff_policy *p,
                                               backoff_hint_fn fn, void *data,
                                               backoff_destroy_fn destroy);

/** The longest server hint the run will honour: a longer one ends the run
 *  with BACKOFF_GAVE_UP_TIME. 0 or +inf: no cap (the default), so only
 *  max_time bounds a hint. Errors: BACKOFF_E_INVALID (p NULL, seconds NaN or
 *  negative). */
BACKOFF_API backoff_status backoff_policy_hint_max(backoff_policy *p,
                                                   double seconds);

/* Classification: by default return code 0 is success, anything else is
 * retried. Each of these setters replaces the classification. */

/** Custom classifier; see backoff_classify_fn. The policy owns `data`. */
BACKOFF_API backoff_status backoff_policy_classify(backoff_policy *p,
                                                   backoff_classify_fn fn,
                                                   void *data,
                                                   backoff_destroy_fn destroy);

/** 0 is success; the n listed codes are retried; any other code is fatal
 *  (BACKOFF_GAVE_UP_FATAL). The codes are copied. n >= 1 and codes not NULL,
 *  none of them 0. Extra error: BACKOFF_E_NOMEM. */
BACKOFF_API backoff_status backoff_policy_retry_on(backoff_policy *p,
                                                   const int *codes, size_t n);

/** 0 is success; the n listed codes are fatal; any other code is retried.
 *  Same rules as backoff_policy_retry_on. */
BACKOFF_API backoff_status backoff_policy_giveup_on(backoff_policy *p,
                                                    const int *codes, size_t n);

/* Hooks. Each call adds one more hook; hooks of one kind run in the order
 * they were added. The policy owns `data`. fn must not be NULL. Extra error:
 * BACKOFF_E_NOMEM. Hooks are called on the thread that runs.
 *  on_try:     before every attempt (tries is the attempt about to start);
 *  on_backoff: after a failed attempt, before sleeping (wait is the real
 *              wait);
 *  on_success: once, after the successful attempt;
 *  on_giveup:  once, when the run ends without success (limits, fatal
 *              verdict, exhausted waits, cancellation), before the give-up
 *              log line. Not after a pass-through. */
BACKOFF_API backoff_status backoff_policy_on_try(backoff_policy *p,
                                                 backoff_hook_fn fn, void *data,
                                                 backoff_destroy_fn destroy);
BACKOFF_API backoff_status backoff_policy_on_backoff(backoff_policy *p,
                                                     backoff_hook_fn fn,
                                                     void *data,
                                                     backoff_destroy_fn destroy);
BACKOFF_API backoff_status backoff_policy_on_success(backoff_policy *p,
                                                     backoff_hook_fn fn,
                                                     void *data,
                                                     backoff_destroy_fn destroy);
BACKOFF_API backoff_status backoff_policy_on_giveup(backoff_policy *p,
                                                    backoff_hook_fn fn,
                                                    void *data,
                                                    backoff_destroy_fn destroy);

/* Logging: silent by default. */

/** Sends one line per backoff and per give-up to fn; replaces any previous
 *  log function. fn NULL turns logging off (destroy is still called on data
 *  then). The policy owns `data`. Messages follow the Python package:
 *    "Backing off LABEL(...) for 0.2s (rc=1)"
 *    "Giving up LABEL(...) after 3 tries (rc=1: gave up: tries limit
 *     reached)" */
BACKOFF_API backoff_status backoff_policy_log(backoff_policy *p,
                                              backoff_log_fn fn, void *data,
                                              backoff_destroy_fn destroy);

/** The level given to the log function for each event. Defaults:
 *  BACKOFF_LOG_INFO for a backoff, BACKOFF_LOG_ERROR for a give-up. Any
 *  level >= 0 is accepted (your own numbers too); negative is invalid. */
BACKOFF_API backoff_status backoff_policy_log_levels(backoff_policy *p,
                                                     int backoff_level,
                                                     int giveup_level);

/** A ready log function: writes "backoff: LEVEL: message\n" to stderr with a
 *  single write. `data` is ignored. Thread-safe. */
BACKOFF_API void backoff_log_stderr(int level, const char *message,
                                    const backoff_details *d, void *data);

/* Testing and reproducibility. */

/** Replaces the monotonic clock (NULL restores the system's). The policy owns
 *  `data`. */
BACKOFF_API backoff_status backoff_policy_clock(backoff_policy *p,
                                                backoff_clock_fn fn, void *data,
                                                backoff_destroy_fn destroy);

/** Replaces the sleep (NULL restores the system's, which a cancel token
 *  interrupts). The policy owns `data`. */
BACKOFF_API backoff_status backoff_policy_sleep(backoff_policy *p,
                                                backoff_sleep_fn fn, void *data,
                                                backoff_destroy_fn destroy);

/** Seeds jitter: every run of this policy then draws the same random numbers,
 *  so the same attempts give the same waits in every run and every
 *  language. Without a seed each run draws a fresh seed from the OS. A seed
 *  is for tests and reproductions: clients sharing one seeded policy that
 *  fail together retry together, as if there were no jitter. */
BACKOFF_API backoff_status backoff_policy_seed(backoff_policy *p,
                                               uint64_t seed);

/* ------------------------------------------------------------------------ */
/* Cancellation                                                             */
/* ------------------------------------------------------------------------ */

/** A token that stops runs. Triggering it wakes a run sleeping between
 *  attempts within a millisecond; that run (and any later run given the
 *  token) returns BACKOFF_CANCELLED after its on_giveup hooks. An attempt
 *  already running is not interrupted. All functions on a token are
 *  thread-safe, except free. */
typedef struct backoff_cancel backoff_cancel;

/** Allocates an untriggered token into *out. Errors: BACKOFF_E_INVALID,
 *  BACKOFF_E_NOMEM. The caller owns it. */
BACKOFF_API backoff_status backoff_cancel_new(backoff_cancel **out);

/** Frees a token. NULL is a no-op. No run may be using it. */
BACKOFF_API void backoff_cancel_free(backoff_cancel *c);

/** Triggers the token and wakes every run sleeping on it. Triggering twice is
 *  harmless. Error: BACKOFF_E_INVALID (c NULL). Async-signal-unsafe. */
BACKOFF_API backoff_status backoff_cancel_trigger(backoff_cancel *c);

/** 1 if the token has been triggered, 0 if not (or c is NULL). */
BACKOFF_API int backoff_cancel_triggered(const backoff_cancel *c);

/** Untriggers the token so it can be reused. Error: BACKOFF_E_INVALID. */
BACKOFF_API backoff_status backoff_cancel_reset(backoff_cancel *c);

/* ------------------------------------------------------------------------ */
/* Retry budgets (since 1.1)                                                */
/* ------------------------------------------------------------------------ */

/**
 * A retry budget bounds how many retries a whole process (or fleet of runs)
 * adds to the load of a service: retries are allowed only while they stay
 * under a fraction of the first attempts seen recently, plus a small floor
 * so that a quiet client may still retry. Backoff spreads retries out in
 * time; a budget caps their number, which is what keeps a long outage from
 * multiplying the load by max_tries.
 *
 * The rule: a retry at time t is allowed only if
 *
 *     retries in (t - window, t] + 1
 *         <= ratio * first attempts in (t - window, t]
 *            + min_per_second * window
 *
 * Every run of a policy with a budget counts its first attempt (in
 * backoff_state_begin) and asks the budget before every retry, generated or
 * hinted; a refusal ends the run with BACKOFF_GAVE_UP_BUDGET, after the
 * on_giveup hooks and the log. A run that gives up for any other reason
 * asks nothing.
 *
 * Representation: counts are kept in 32 slots of window/32 seconds. A
 * decision counts retries over every slot that overlaps (t - window, t],
 * and first attempts only over the slots that lie wholly inside it, so the
 * rule above is never exceeded; the price is that first attempts up to
 * window/32 seconds too old to count are already ignored, and retries up to
 * window/32 seconds older than the window still count — a budget can refuse
 * slightly early, never late.
 *
 * A budget is thread-safe and shared by any number of policies, runs and
 * threads. Its hot path takes a short lock (no user callback runs under it)
 * and never allocates. It is reference counted: backoff_budget_new gives the
 * caller one reference, each policy it is attached to holds one more, so a
 * caller may free its budget as soon as the policies that use it are set up.
 */
typedef struct backoff_budget backoff_budget;

/** Allocates a budget into *out: ratio (retries per first attempt) finite
 *  and >= 0, min_per_second finite and >= 0, window_seconds finite and > 0.
 *  The anchors used by Finagle and tower: 0.2, 10, 10. Errors:
 *  BACKOFF_E_INVALID, BACKOFF_E_NOMEM. Thread-safe. Free with
 *  backoff_budget_free. */
BACKOFF_API backoff_status backoff_budget_new(backoff_budget **out,
                                              double ratio,
                                              double min_per_second,
                                              double window_seconds);

/** Drops the caller's reference; the budget is freed (and its clock's
 *  destroy function called) when no policy holds it any more. NULL is a
 *  no-op. Thread-safe with respect to policies still using the budget. */
BACKOFF_API void backoff_budget_free(backoff_budget *b);

/** Replaces the budget's clock (NULL restores the system's monotonic clock),
 *  for tests and simulations. The budget owns `data`. Not thread-safe: set
 *  it before the budget is shared. Errors: BACKOFF_E_INVALID (b NULL). */
BACKOFF_API backoff_status backoff_budget_clock(backoff_budget *b,
                                                backoff_clock_fn fn,
                                                void *data,
                                                backoff_destroy_fn destroy);

/** Counts first attempts and allowed retries that happened outside this
 *  budget's runs, as if at time `at` of the budget's clock: for a budget
 *  that several processes share through a file or a socket, each process
 *  replays the others' counts into its own budget before it decides (the
 *  `backoff` command's --budget-file does). Counts are added as they are,
 *  never refused; counts older than the window's slots are dropped; an `at`
 *  later than any time the budget has seen moves it forward. Errors:
 *  BACKOFF_E_INVALID (b NULL, at not finite). Thread-safe. Since 1.1. */
BACKOFF_API backoff_status backoff_budget_record(backoff_budget *b, double at,
                                                 uint64_t first_attempts,
                                                 uint64_t retries);

/** A budget's counters. Set size to sizeof(backoff_budget_stats)
 *  (BACKOFF_BUDGET_STATS_INIT does it); fields are only ever appended. */
typedef struct backoff_budget_stats {
  size_t size;
  uint64_t first_attempts; /* counted in the current window */
  uint64_t retries;        /* allowed in the current window */
  uint64_t refusals;       /* refused in the current window */
  double available;        /* retries the budget would allow now (>= 0) */
  uint64_t total_first_attempts; /* since the budget was made */
  uint64_t total_retries;
  uint64_t total_refusals;
  double ratio;            /* the budget's parameters */
  double min_per_second;
  double window;
} backoff_budget_stats;

#define BACKOFF_BUDGET_STATS_INIT                                              \
  { sizeof(backoff_budget_stats), 0, 0, 0, 0.0, 0, 0, 0, 0.0, 0.0, 0.0 }

/** Reads the budget's counters at the budget clock's current time into
 *  *out, writing only the fields that end within out->size. Errors:
 *  BACKOFF_E_INVALID (b or out NULL, out->size too small). Thread-safe. */
BACKOFF_API backoff_status backoff_budget_stats_get(const backoff_budget *b,
                                                    backoff_budget_stats *out);

/** Attaches budget b to policy p (b NULL detaches): every run of p then
 *  counts its first attempt in b and asks b before each retry. p takes its
 *  own reference to b. Replaces a budget set before, also one from a spec.
 *  Errors: BACKOFF_E_INVALID (p NULL). */
BACKOFF_API backoff_status backoff_policy_budget(backoff_policy *p,
                                                 backoff_budget *b);

/* ------------------------------------------------------------------------ */
/* Running                                                                  */
/* ------------------------------------------------------------------------ */

/** Per-run options. Set size to sizeof(backoff_run_options)
 *  (BACKOFF_RUN_OPTIONS_INIT does it); fields are only ever appended. */
typedef struct backoff_run_options {
  size_t size;
  backoff_cancel *cancel; /* borrowed; may be NULL */
  const char *label;      /* borrowed, used in logs and details; NULL gives
                             "operation" */
  /* Since 1.1: */
  unsigned flags;         /* BACKOFF_RUN_* flags, or 0 */
} backoff_run_options;

/** Flag for backoff_run_options.flags: the caller will not read the details
 *  of a run that succeeds (drivers that report statistics only when a run
 *  gives up), so the state machine may skip the clock read that would
 *  measure a successful attempt's end. After such a success, details.elapsed
 *  is the one measured last (0 after a first-try success). on_success hooks
 *  still see the measured time. backoff_run sets it by itself when its
 *  details_out is NULL. */
#define BACKOFF_RUN_UNREAD_SUCCESS 1u

/** Flag for backoff_run_options.flags: the driver judges each attempt
 *  itself (by exception type, say, in a binding), and the code it gives
 *  backoff_state_next / _next_begin — or that the attempt function of
 *  backoff_run_ex returns — is a backoff_verdict, not a return code. The
 *  policy's classifier is not asked; a code outside backoff_verdict counts
 *  as BACKOFF_VERDICT_GIVE_UP; details.last_rc is the code given. Saves the
 *  classifier's call and the clock read a custom classifier needs before it
 *  judges. Since 1.1. */
#define BACKOFF_RUN_RC_IS_VERDICT 2u

#define BACKOFF_RUN_OPTIONS_INIT { sizeof(backoff_run_options), NULL, NULL, 0 }

/**
 * Calls fn(user_data) until it succeeds, the policy gives up, or the run is
 * cancelled, sleeping between attempts. Per attempt: on_try hooks, fn,
 * classification; on a retriable failure: the tries limit, the time limit,
 * the cancel token, then the next wait (a server hint, or the generator's
 * value with jitter, clamped to the time remaining), the budget, on_backoff
 * hooks, the log line, sleep. When a run ends: on success the on_success
 * hooks (no log line); on a give-up (also cancelled) the on_giveup hooks,
 * then the give-up log line.
 *
 * Returns BACKOFF_OK or a positive outcome (BACKOFF_GAVE_UP_* including
 * BACKOFF_GAVE_UP_BUDGET, BACKOFF_CANCELLED, BACKOFF_PASSED_THROUGH); the
 * last return code is in
 * details_out->last_rc. Errors: BACKOFF_E_INVALID (p or fn NULL,
 * details_out->size too small to hold `size`, a tries/time function gave a
 * bad value).
 *
 * details_out may be NULL; otherwise its size field must be set and the
 * details of the finished run are written into it.
 * Never allocates. Thread-safe: any number of runs may share one policy.
 */
BACKOFF_API backoff_status backoff_run(const backoff_policy *p,
                                       backoff_attempt_fn fn, void *user_data,
                                       backoff_details *details_out);

/** backoff_run with per-run options (cancel token, label). opts may be NULL.
 *  Extra error: BACKOFF_E_INVALID when opts->size is too small. */
BACKOFF_API backoff_status backoff_run_ex(const backoff_policy *p,
                                          backoff_attempt_fn fn,
                                          void *user_data,
                                          const backoff_run_options *opts,
                                          backoff_details *details_out);

/* ------------------------------------------------------------------------ */
/* State machine: drive the retries yourself (async runtimes, event loops)  */
/* ------------------------------------------------------------------------ */

/**
 * One run of a policy, as a state machine that never sleeps and never calls
 * the operation: the caller does both. backoff_run is this loop:
 *
 *     st = backoff_state_begin(s);     // on_try hooks
 *     if (st != BACKOFF_OK) done: st
 *     rc = attempt();                  // may call backoff_state_retry_after
 *     st = backoff_state_next(s, rc, &wait);
 *     if (st != BACKOFF_RETRY) done: st
 *     st = backoff_state_sleep(s, wait);   // or your event loop's timer
 *     if (st != BACKOFF_OK) done: st
 *     repeat
 *
 * Every retry decision (classification, limits, waits, jitter, clamping,
 * server hints, the budget, hooks, logging) is made inside
 * backoff_state_begin / _next / _sleep / _cancel.
 * A state is used by one thread at a time; it borrows the policy, which must
 * outlive it, and the options' label and cancel token.
 */
typedef struct backoff_state backoff_state;

/** Bytes needed by backoff_state_init. */
BACKOFF_API size_t backoff_state_size(void);

/** Allocates and starts a run of policy p into *out. opts may be NULL.
 *  user_data is handed to callbacks in details.user_data. Errors:
 *  BACKOFF_E_INVALID (p or out NULL, bad opts, a tries/time function gave a
 *  bad value), BACKOFF_E_NOMEM. Free with backoff_state_free. */
BACKOFF_API backoff_status backoff_state_new(const backoff_policy *p,
                                             const backoff_run_options *opts,
                                             void *user_data,
                                             backoff_state **out);

/** Starts a run in caller memory `mem` of `mem_size` >= backoff_state_size()
 *  bytes, aligned to 8 bytes, and stores the state pointer (== mem) in *out.
 *  Never allocates; nothing to free afterwards. Errors: BACKOFF_E_INVALID
 *  (also for too small or misaligned memory). */
BACKOFF_API backoff_status backoff_state_init(void *mem, size_t mem_size,
                                              const backoff_policy *p,
                                              const backoff_run_options *opts,
                                              void *user_data,
                                              backoff_state **out);

/** backoff_state_init followed by backoff_state_begin for the first attempt,
 *  in one call (for bindings whose calls into C are costly). Returns
 *  BACKOFF_OK (attempt now), BACKOFF_CANCELLED (the token was triggered: the
 *  run has ended, after on_giveup; do not attempt; *out is set) or
 *  backoff_state_init's errors. Never allocates. Since 1.1. */
BACKOFF_API backoff_status backoff_state_start(void *mem, size_t mem_size,
                                               const backoff_policy *p,
                                               const backoff_run_options *opts,
                                               void *user_data,
                                               backoff_state **out);

/** Frees a state from backoff_state_new. NULL, and a state from
 *  backoff_state_init (whose memory is the caller's), are no-ops. */
BACKOFF_API void backoff_state_free(backoff_state *s);

/** Call right before each attempt: counts it and runs the on_try hooks.
 *  Returns BACKOFF_OK, or BACKOFF_CANCELLED (after on_giveup) when the run's
 *  cancel token was triggered — then do not attempt. Errors:
 *  BACKOFF_E_INVALID (s NULL), BACKOFF_E_MISUSE (the run has ended, or
 *  begin was already called for this attempt). */
BACKOFF_API backoff_status backoff_state_begin(backoff_state *s);

/** Call after each attempt with its return code. Returns BACKOFF_RETRY and
 *  the seconds to wait in *wait_out (which may be 0), or the run's final
 *  status (BACKOFF_OK or a positive outcome), with *wait_out = 0. Errors:
 *  BACKOFF_E_INVALID (s or wait_out NULL), BACKOFF_E_MISUSE (no begin
 *  before this attempt, or the run has ended). */
BACKOFF_API backoff_status backoff_state_next(backoff_state *s, int rc,
                                              double *wait_out);

/** backoff_state_next, then, when it answers BACKOFF_RETRY with a zero wait,
 *  backoff_state_begin for the next attempt at once, in one call. So:
 *  BACKOFF_RETRY with *wait_out == 0 means the next attempt has begun
 *  (on_try ran): attempt again now, without calling backoff_state_begin;
 *  BACKOFF_RETRY with *wait_out > 0 means sleep, then begin, as after
 *  backoff_state_next; BACKOFF_CANCELLED may come from that begin. Errors
 *  are backoff_state_next's. Since 1.1. */
BACKOFF_API backoff_status backoff_state_next_begin(backoff_state *s, int rc,
                                                    double *wait_out);

/** Gives the current attempt a server hint of `seconds` — a Retry-After —
 *  that the next backoff_state_next uses if the attempt failed and is
 *  retriable, under the hint rule (see backoff_policy_hint): the wait is
 *  exactly `seconds`, no jitter, the generator does not advance, and a hint
 *  beyond the time remaining or hint_max gives up with
 *  BACKOFF_GAVE_UP_TIME. It takes precedence over the hint function for
 *  that attempt. seconds >= 0 (+inf: "never"). Errors: BACKOFF_E_INVALID
 *  (s NULL, seconds NaN or negative), BACKOFF_E_MISUSE (the run has ended).
 *  Until 1.1 a hint beyond the remaining time was clamped to it. */
BACKOFF_API backoff_status backoff_state_retry_after(backoff_state *s,
                                                     double seconds);

/** Sleeps `seconds` the way the run itself would: through the policy's
 *  injected sleep when it has one, otherwise on the system's monotonic clock,
 *  woken at once by the run's cancel token. Call it after a BACKOFF_RETRY
 *  from backoff_state_next and before the next backoff_state_begin; a
 *  hand-written loop needs no sleep of its own. Returns BACKOFF_OK, or
 *  BACKOFF_CANCELLED when the run's cancel token was triggered before or
 *  during the sleep: the run has then ended (on_giveup hooks and the log
 *  ran). backoff_run sleeps through this same function. Errors:
 *  BACKOFF_E_INVALID (s NULL; seconds NaN, negative or infinite),
 *  BACKOFF_E_MISUSE (not right after a BACKOFF_RETRY, or the run has
 *  ended). Since 1.1. */
BACKOFF_API backoff_status backoff_state_sleep(backoff_state *s,
                                               double seconds);

/** Ends the run as cancelled (on_giveup hooks run, and the log) — for
 *  drivers whose own cancellation fired, e.g. while they slept. Returns
 *  BACKOFF_CANCELLED. Errors: BACKOFF_E_INVALID, BACKOFF_E_MISUSE (the run
 *  has ended already). */
BACKOFF_API backoff_status backoff_state_cancel(backoff_state *s);

/** Copies the run's current details into *out (out->size must be set).
 *  Errors: BACKOFF_E_INVALID. */
BACKOFF_API backoff_status backoff_state_details(const backoff_state *s,
                                                 backoff_details *out);

/* ------------------------------------------------------------------------ */
/* Text forms: policy specs and Retry-After                                 */
/* ------------------------------------------------------------------------ */

/**
 * Configures p from a policy spec, a space-separated list of settings:
 *
 *   expo(base=2,factor=0.5,max=30) jitter=full tries=5 time=60 seed=7
 *
 * Waits: expo(base,factor,max) fibo(max) constant(interval)
 * decay(initial,factor,min) linear(start,increment,max)
 * sequence(v1,v2,...); jitter=none|full|random|equal|decorrelated|
 * proportional(f); tries=N; time=SECONDS; retry-on=C1,C2,... or
 * giveup-on=C1,C2,...; seed=N; hint-max=SECONDS (since 1.1);
 * budget(ratio,min,window) (since 1.1: a budget private to this policy,
 * shared by all its runs; see backoff_budget_new). Omitted parameters take
 * their defaults (expo 2,1,0; fibo 0; constant 1; decay 1,1,0; linear
 * 1,1,0; budget 0.2,10,10); omitted settings keep the policy's current
 * value; each setting may appear once. "inf" is accepted wherever 0 means
 * "no limit" (tries, time, hint-max, caps); -0 reads as 0. Spaces may
 * surround the parameters inside parentheses. The canonical form
 * (backoff_policy_format) is: the wait with all its parameters, jitter,
 * tries, time, then retry-on or giveup-on, seed, hint-max and budget when
 * set. A budget attached with backoff_policy_budget formats as its
 * parameters: parsing that text gives a private budget, not a shared one.
 *
 * All or nothing: on error p is unchanged, BACKOFF_E_PARSE is returned, and,
 * when given, *error_offset is the byte offset of the offending token and
 * errmsg (errmsg_size bytes, always NUL-terminated) names it. Errors:
 * BACKOFF_E_INVALID (p or spec NULL), BACKOFF_E_PARSE, BACKOFF_E_NOMEM.
 */
BACKOFF_API backoff_status backoff_policy_parse(backoff_policy *p,
                                                const char *spec,
                                                size_t *error_offset,
                                                char *errmsg,
                                                size_t errmsg_size);

/**
 * Writes p's canonical spec into buf (size bytes, NUL-terminated when size >
 * 0) and the length it needs, excluding the NUL, into *needed (may be NULL).
 * Parsing the result into a fresh policy gives an identical policy.
 * Returns BACKOFF_OK, or BACKOFF_E_INVALID (p NULL, or buf NULL with size
 * > 0; buf too small is not an error: check *needed), or
 * BACKOFF_E_UNSUPPORTED when the policy holds a custom wait, jitter,
 * classifier or limit function (hooks, logging, clock and sleep are not
 * part of a spec).
 */
BACKOFF_API backoff_status backoff_policy_format(const backoff_policy *p,
                                                 char *buf, size_t size,
                                                 size_t *needed);

/**
 * Parses an HTTP Retry-After value (RFC 9110 section 10.2.3): delay-seconds
 * ("120") or an HTTP-date in IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"),
 * or the obsolete RFC 850 and asctime forms. `now` is the current time in
 * seconds since the Unix epoch (e.g. time(NULL)); a date at or before it
 * gives 0. Surrounding spaces and tabs are ignored; day and month names are
 * case-sensitive and only "GMT" is accepted; the weekday is not checked
 * against the date; an RFC 850 two-digit year is the latest year no more
 * than 50 years after `now`; a huge delay-seconds saturates at DBL_MAX.
 * Writes the seconds to wait into *seconds_out. Errors:
 * BACKOFF_E_INVALID (value or seconds_out NULL, now not finite),
 * BACKOFF_E_PARSE (anything else).
 */
BACKOFF_API backoff_status backoff_parse_retry_after(const char *value,
                                                     double now,
                                                     double *seconds_out);

#ifdef __cplusplus
}
#endif

#endif /* BACKOFF_BACKOFF_H */
