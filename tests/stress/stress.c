/*
 * Eight threads on one policy, made to race: built and run in every build
 * (suite 'stress'), and in CI under ThreadSanitizer, which turns any data
 * race into a failure. Every thread checks what it got, and the totals are
 * checked against what the shared hooks and log counted.
 *
 * The shared policy: linear(start=0,increment=3600) jitter=equal tries=4
 * giveup-on=9 seed=7, with all four hooks and a log function. So the first
 * wait is 0 (no sleep) and the second at least 1800 s (only a cancel token
 * ends it), and seeded jitter makes every run draw the same waits.
 *
 *  threads 0, 1  sleepers: backoff_run_ex with their own token, failing,
 *                until the second wait, which the system sleep starts;
 *  threads 2, 3  their cancellers: once the sleeper is backing off, reset
 *                the token (a no-op: it is not triggered), trigger it, wait
 *                for the run to come back cancelled, reset it for the next
 *                round, and format the policy;
 *  thread 4      state machines in caller memory on the stack,
 *  thread 5      state machines on the heap: four failed attempts, the
 *                waits compared with those of a run made before the threads;
 *  thread 6      backoff_run: success at once, success on the second try
 *                (after a wait of 0), and a fatal code;
 *  thread 7      backoff_policy_format, compared with the text before the
 *                threads, and the same runs as thread 6.
 *
 * Then eight threads share one retry budget (on a frozen clock, so that
 * every first attempt stays in its window): runs that always fail, through
 * backoff_run and through state machines, until the budget refuses them.
 * The budget must count every first attempt, retry and refusal, and its
 * bound hold: retries <= ratio * first attempts + min_per_second * window.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <backoff/backoff.h>

#include "../check.h"

enum {
  SLEEPER_ROUNDS = 1000,
  MACHINE_ROUNDS = 20000,
  QUICK_ROUNDS = 20000,
  FORMAT_ROUNDS = 5000,
  TRIES = 4
};

static const char spec[] =
    "linear(start=0,increment=3600) jitter=equal tries=4 giveup-on=9 seed=7";

static double monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- what the shared hooks and log count -------------------------------- */

static atomic_uint hook_tries, hook_backoffs, hook_successes, hook_giveups;
static atomic_uint log_backoffs, log_giveups;

/* Every run's user data: the hooks also count per run, on the run's thread. */
typedef struct run_ctx {
  const int *rcs; /* attempt i returns rcs[min(i, n_rcs - 1)] */
  unsigned n_rcs;
  unsigned calls, tries, backoffs, successes, giveups;
  sem_t *backing_off; /* sleepers: posted when the long wait is decided */
} run_ctx;

static void on_try(const backoff_details *d, void *data) {
  run_ctx *r = d->user_data;
  (void)data;
  r->tries++;
  atomic_fetch_add(&hook_tries, 1);
}

static void on_backoff(const backoff_details *d, void *data) {
  run_ctx *r = d->user_data;
  (void)data;
  r->backoffs++;
  atomic_fetch_add(&hook_backoffs, 1);
  if (r->backing_off != NULL && d->wait > 0.0)
    sem_post(r->backing_off);
}

static void on_success(const backoff_details *d, void *data) {
  run_ctx *r = d->user_data;
  (void)data;
  r->successes++;
  atomic_fetch_add(&hook_successes, 1);
}

static void on_giveup(const backoff_details *d, void *data) {
  run_ctx *r = d->user_data;
  (void)data;
  r->giveups++;
  atomic_fetch_add(&hook_giveups, 1);
}

static void log_line(int level, const char *message, const backoff_details *d,
                     void *data) {
  (void)d, (void)data;
  if (strncmp(message, "Backing off ", 12) == 0) {
    CHECK(level == BACKOFF_LOG_INFO, "level %d: %s", level, message);
    atomic_fetch_add(&log_backoffs, 1);
  } else {
    CHECK(strncmp(message, "Giving up ", 10) == 0, "log line '%s'", message);
    CHECK(level == BACKOFF_LOG_ERROR, "level %d: %s", level, message);
    atomic_fetch_add(&log_giveups, 1);
  }
}

static int scripted(void *user_data) {
  run_ctx *r = user_data;
  const unsigned i = r->calls++;
  return r->rcs[i < r->n_rcs ? i : r->n_rcs - 1];
}

/* ---- what the threads share --------------------------------------------- */

static backoff_policy *policy;
static char canonical[256];
static double expected_waits[TRIES - 1];

/* What one thread did, summed after the join. */
typedef struct tally {
  unsigned runs, tries, backoffs, successes, giveups;
  unsigned outcomes[BACKOFF_GAVE_UP_BUDGET + 1];
} tally;

static void count_run(tally *t, const run_ctx *r, backoff_status st,
                      const backoff_details *d) {
  CHECK(st >= BACKOFF_OK && st <= BACKOFF_GAVE_UP_BUDGET, "status %d", st);
  CHECK(r->tries == d->tries, "on_try ran %u times for %u tries", r->tries,
        d->tries);
  CHECK(r->successes == (st == BACKOFF_OK), "%u on_success for status %d",
        r->successes, st);
  CHECK(r->giveups == (st != BACKOFF_OK), "%u on_giveup for status %d",
        r->giveups, st);
  t->runs++;
  t->tries += d->tries;
  t->backoffs += r->backoffs;
  t->successes += r->successes;
  t->giveups += r->giveups;
  t->outcomes[st]++;
}

/* ---- sleepers and cancellers -------------------------------------------- */

typedef struct pair {
  backoff_cancel *token;
  sem_t backing_off; /* the sleeper is about to sleep its long wait */
  sem_t returned;    /* the sleeper's run came back */
  sem_t ready;       /* the token is reset: the next round may start */
  double longest;    /* the longest cancelled run, in seconds */
  tally t;
} pair;

static void wait_for(sem_t *s) {
  while (sem_wait(s) != 0) {
  }
}

static void *sleeper(void *arg) {
  static const int fail[] = {1};
  pair *pp = arg;
  unsigned round;
  for (round = 0; round < SLEEPER_ROUNDS; ++round) {
    run_ctx r = {fail, 1, 0, 0, 0, 0, 0, NULL};
    backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
    backoff_details d = BACKOFF_DETAILS_INIT;
    double started, took;
    backoff_status st;
    r.backing_off = &pp->backing_off;
    opts.cancel = pp->token;
    wait_for(&pp->ready);
    opts.label = "sleeper";
    started = monotonic();
    st = backoff_run_ex(policy, scripted, &r, &opts, &d);
    took = monotonic() - started;
    CHECK(st == BACKOFF_CANCELLED, "round %u: status %d", round, st);
    CHECK(d.tries == 2 && r.backoffs == 2, "round %u: %u tries, %u backoffs",
          round, d.tries, r.backoffs);
    CHECK(d.wait == expected_waits[1], "round %u: wait %.17g, expected %.17g",
          round, d.wait, expected_waits[1]);
    CHECK(took < 5.0, "round %u: a %.0f s wait took %.3f s to cancel", round,
          d.wait, took);
    pp->longest = took > pp->longest ? took : pp->longest;
    count_run(&pp->t, &r, st, &d);
    sem_post(&pp->returned);
  }
  return NULL;
}

static void format_and_compare(void) {
  char buf[sizeof canonical];
  size_t needed = 0;
  CHECK(backoff_policy_format(policy, buf, sizeof buf, &needed) == BACKOFF_OK,
        "format refused");
  CHECK(strcmp(buf, canonical) == 0 && needed == strlen(canonical),
        "format gave '%s', expected '%s'", buf, canonical);
}

static void *canceller(void *arg) {
  pair *pp = arg;
  unsigned round;
  for (round = 0; round < SLEEPER_ROUNDS; ++round) {
    const struct timespec pause = {0, (long)(round % 4) * 250000L};
    sem_post(&pp->ready);
    wait_for(&pp->backing_off);
    CHECK(backoff_cancel_reset(pp->token) == BACKOFF_OK, "reset refused");
    nanosleep(&pause, NULL); /* trigger before, or during, the sleep */
    CHECK(backoff_cancel_trigger(pp->token) == BACKOFF_OK, "trigger refused");
    format_and_compare();
    wait_for(&pp->returned);
    CHECK(backoff_cancel_triggered(pp->token) == 1, "token untriggered");
    CHECK(backoff_cancel_reset(pp->token) == BACKOFF_OK, "reset refused");
  }
  return NULL;
}

/* ---- state machines ----------------------------------------------------- */

typedef struct machine_thread {
  int on_heap;
  tally t;
} machine_thread;

typedef union state_memory {
  double d;
  void *p;
  unsigned char bytes[1024];
} state_memory;

static void *machines(void *arg) {
  static const int fail[] = {1};
  machine_thread *m = arg;
  unsigned round;
  CHECK(backoff_state_size() <= sizeof(state_memory), "state too big");
  for (round = 0; round < MACHINE_ROUNDS; ++round) {
    state_memory mem;
    run_ctx r = {fail, 1, 0, 0, 0, 0, 0, NULL};
    backoff_state *s = NULL;
    backoff_details d = BACKOFF_DETAILS_INIT;
    backoff_status st = BACKOFF_RETRY;
    unsigned attempt;
    if (m->on_heap)
      CHECK(backoff_state_new(policy, NULL, &r, &s) == BACKOFF_OK, "new");
    else
      CHECK(backoff_state_init(&mem, sizeof mem, policy, NULL, &r, &s) ==
                BACKOFF_OK,
            "init");
    for (attempt = 0; st == BACKOFF_RETRY; ++attempt) {
      double w = -1.0;
      CHECK(backoff_state_begin(s) == BACKOFF_OK, "begin");
      st = backoff_state_next(s, scripted(&r), &w);
      if (st == BACKOFF_RETRY)
        CHECK(w == expected_waits[attempt], "attempt %u waits %.17g, not %.17g",
              attempt, w, expected_waits[attempt]);
    }
    CHECK(st == BACKOFF_GAVE_UP_TRIES && attempt == TRIES, "status %d after %u",
          st, attempt);
    CHECK(backoff_state_details(s, &d) == BACKOFF_OK, "details");
    count_run(&m->t, &r, st, &d);
    backoff_state_free(s);
  }
  return NULL;
}

/* ---- quick runs and format ---------------------------------------------- */

typedef struct quick_thread {
  int formats;
  tally t;
} quick_thread;

static void *quick_runs(void *arg) {
  static const int at_once[] = {0}, second[] = {1, 0}, fatal[] = {9};
  static const int *const scripts[] = {at_once, second, fatal};
  static const unsigned lengths[] = {1, 2, 1};
  static const backoff_status outcomes[] = {BACKOFF_OK, BACKOFF_OK,
                                            BACKOFF_GAVE_UP_FATAL};
  quick_thread *q = arg;
  unsigned round;
  for (round = 0; round < QUICK_ROUNDS; ++round) {
    const unsigned k = round % 3;
    run_ctx r = {scripts[k], lengths[k], 0, 0, 0, 0, 0, NULL};
    backoff_details d = BACKOFF_DETAILS_INIT;
    const backoff_status st = backoff_run(policy, scripted, &r, &d);
    CHECK(st == outcomes[k] && d.tries == lengths[k], "script %u: %d after %u",
          k, st, d.tries);
    count_run(&q->t, &r, st, &d);
    if (q->formats && round % (QUICK_ROUNDS / FORMAT_ROUNDS) == 0)
      format_and_compare();
  }
  return NULL;
}

/* ---- main --------------------------------------------------------------- */

static void add(tally *sum, const tally *t) {
  int i;
  sum->runs += t->runs;
  sum->tries += t->tries;
  sum->backoffs += t->backoffs;
  sum->successes += t->successes;
  sum->giveups += t->giveups;
  for (i = 0; i <= BACKOFF_GAVE_UP_BUDGET; ++i)
    sum->outcomes[i] += t->outcomes[i];
}

/* The waits of one run, before any thread starts: every run must see them. */
static void reference_run(void) {
  static const int fail[] = {1};
  run_ctx r = {fail, 1, 0, 0, 0, 0, 0, NULL};
  backoff_state *s = NULL;
  backoff_status st;
  unsigned i;
  CHECK(backoff_state_new(policy, NULL, &r, &s) == BACKOFF_OK, "new");
  for (i = 0; i < TRIES - 1; ++i) {
    CHECK(backoff_state_begin(s) == BACKOFF_OK, "begin");
    st = backoff_state_next(s, 1, &expected_waits[i]);
    CHECK(st == BACKOFF_RETRY, "reference attempt %u: %d", i, st);
  }
  backoff_state_free(s);
  CHECK(expected_waits[0] == 0.0 && expected_waits[1] >= 1800.0 &&
            expected_waits[1] <= 3600.0,
        "reference waits %.17g, %.17g", expected_waits[0], expected_waits[1]);
  atomic_store(&hook_tries, 0);
  atomic_store(&hook_backoffs, 0);
  atomic_store(&log_backoffs, 0);
}

/* ---- one budget, eight threads ------------------------------------------ */

enum { BUDGET_ROUNDS = 2000, BUDGET_TRIES = 3 };
static const char budget_spec[] = "constant(interval=0) jitter=none tries=3";
static const double budget_ratio = 0.1, budget_min = 1.0, budget_window = 10.0;
static backoff_policy *budgeted;

static double frozen_clock(void *data) { return *(const double *)data; }

typedef struct budget_thread {
  int machines; /* state machines (backoff_state_start) or backoff_run */
  tally t;
} budget_thread;

static backoff_status budgeted_machine(run_ctx *r, backoff_details *d) {
  state_memory mem;
  backoff_state *s = NULL;
  backoff_status st =
      backoff_state_start(&mem, sizeof mem, budgeted, NULL, r, &s);
  CHECK(st == BACKOFF_OK, "start: %d", st);
  for (;;) {
    double w = -1.0;
    st = backoff_state_next(s, scripted(r), &w);
    if (st != BACKOFF_RETRY)
      break;
    CHECK(w == 0.0, "wait %.17g", w);
    CHECK(backoff_state_sleep(s, w) == BACKOFF_OK, "sleep");
    CHECK(backoff_state_begin(s) == BACKOFF_OK, "begin");
  }
  CHECK(backoff_state_details(s, d) == BACKOFF_OK, "details");
  return st;
}

static void *budget_runs(void *arg) {
  static const int fail[] = {1};
  budget_thread *b = arg;
  unsigned round;
  for (round = 0; round < BUDGET_ROUNDS; ++round) {
    run_ctx r = {fail, 1, 0, 0, 0, 0, 0, NULL};
    backoff_details d = BACKOFF_DETAILS_INIT;
    const backoff_status st = b->machines ? budgeted_machine(&r, &d)
                                          : backoff_run(budgeted, scripted, &r, &d);
    CHECK(st == BACKOFF_GAVE_UP_TRIES || st == BACKOFF_GAVE_UP_BUDGET,
          "status %d", st);
    CHECK(r.backoffs == d.tries - 1 &&
              (st != BACKOFF_GAVE_UP_TRIES || d.tries == BUDGET_TRIES),
          "%u backoffs in %u tries, status %d", r.backoffs, d.tries, st);
    count_run(&b->t, &r, st, &d);
  }
  return NULL;
}

static void reset_counts(void) {
  atomic_store(&hook_tries, 0);
  atomic_store(&hook_backoffs, 0);
  atomic_store(&hook_successes, 0);
  atomic_store(&hook_giveups, 0);
  atomic_store(&log_backoffs, 0);
  atomic_store(&log_giveups, 0);
}

static void shared_budget(void) {
  static double frozen = 1000.0;
  budget_thread threads_of[8];
  pthread_t threads[8];
  backoff_budget *budget = NULL;
  backoff_budget_stats stats = BACKOFF_BUDGET_STATS_INIT;
  double bound;
  tally sum;
  int i;

  CHECK(backoff_budget_new(&budget, budget_ratio, budget_min, budget_window) ==
                BACKOFF_OK &&
            backoff_budget_clock(budget, frozen_clock, &frozen, NULL) ==
                BACKOFF_OK,
        "budget");
  CHECK(backoff_policy_new(&budgeted) == BACKOFF_OK &&
            backoff_policy_parse(budgeted, budget_spec, NULL, NULL, 0) ==
                BACKOFF_OK &&
            backoff_policy_budget(budgeted, budget) == BACKOFF_OK,
        "budgeted policy");
  CHECK(backoff_policy_on_try(budgeted, on_try, NULL, NULL) == BACKOFF_OK &&
            backoff_policy_on_backoff(budgeted, on_backoff, NULL, NULL) ==
                BACKOFF_OK &&
            backoff_policy_on_giveup(budgeted, on_giveup, NULL, NULL) ==
                BACKOFF_OK &&
            backoff_policy_log(budgeted, log_line, NULL, NULL) == BACKOFF_OK,
        "hooks");
  reset_counts();
  memset(threads_of, 0, sizeof threads_of);
  for (i = 0; i < 8; ++i) {
    threads_of[i].machines = i % 2;
    CHECK(pthread_create(&threads[i], NULL, budget_runs, &threads_of[i]) == 0,
          "pthread_create");
  }
  memset(&sum, 0, sizeof sum);
  for (i = 0; i < 8; ++i) {
    CHECK(pthread_join(threads[i], NULL) == 0, "pthread_join");
    add(&sum, &threads_of[i].t);
  }

  CHECK(backoff_budget_stats_get(budget, &stats) == BACKOFF_OK, "stats");
  CHECK(sum.runs == 8 * BUDGET_ROUNDS &&
            stats.total_first_attempts == sum.runs,
        "%u runs, %llu first attempts counted", sum.runs,
        (unsigned long long)stats.total_first_attempts);
  CHECK(stats.total_retries == sum.backoffs &&
            atomic_load(&hook_backoffs) == sum.backoffs &&
            atomic_load(&log_backoffs) == sum.backoffs,
        "%llu retries counted, %u backoffs", (unsigned long long)stats.total_retries,
        sum.backoffs);
  CHECK(stats.total_refusals == sum.outcomes[BACKOFF_GAVE_UP_BUDGET],
        "%llu refusals counted, %u runs refused",
        (unsigned long long)stats.total_refusals,
        sum.outcomes[BACKOFF_GAVE_UP_BUDGET]);
  CHECK(atomic_load(&hook_giveups) == sum.runs &&
            atomic_load(&log_giveups) == sum.runs &&
            atomic_load(&hook_tries) == sum.tries,
        "hooks: %u give-ups, %u tries", atomic_load(&hook_giveups),
        atomic_load(&hook_tries));
  bound = budget_ratio * (double)stats.total_first_attempts +
          budget_min * budget_window;
  CHECK((double)stats.total_retries <= bound,
        "%llu retries allowed, more than the bound %.1f",
        (unsigned long long)stats.total_retries, bound);
  CHECK(stats.total_retries > 0 && stats.total_refusals > 0,
        "the budget should bind: %llu retries, %llu refusals",
        (unsigned long long)stats.total_retries,
        (unsigned long long)stats.total_refusals);
  printf("stress: budget: %u runs on 8 threads, %llu retries allowed (bound "
         "%.0f), %llu refused\n",
         sum.runs, (unsigned long long)stats.total_retries, bound,
         (unsigned long long)stats.total_refusals);
  backoff_budget_free(budget);
  backoff_policy_free(budgeted);
}

int main(void) {
  pair pairs[2];
  machine_thread stack_machines = {0, {0, 0, 0, 0, 0, {0}}};
  machine_thread heap_machines = {1, {0, 0, 0, 0, 0, {0}}};
  quick_thread quick = {0, {0, 0, 0, 0, 0, {0}}};
  quick_thread quick_and_format = {1, {0, 0, 0, 0, 0, {0}}};
  pthread_t threads[8];
  tally sum;
  double started = monotonic();
  size_t needed = 0;
  int i;

  CHECK(backoff_policy_new(&policy) == BACKOFF_OK, "new");
  CHECK(backoff_policy_parse(policy, spec, NULL, NULL, 0) == BACKOFF_OK,
        "spec");
  CHECK(backoff_policy_on_try(policy, on_try, NULL, NULL) == BACKOFF_OK &&
            backoff_policy_on_backoff(policy, on_backoff, NULL, NULL) ==
                BACKOFF_OK &&
            backoff_policy_on_success(policy, on_success, NULL, NULL) ==
                BACKOFF_OK &&
            backoff_policy_on_giveup(policy, on_giveup, NULL, NULL) ==
                BACKOFF_OK &&
            backoff_policy_log(policy, log_line, NULL, NULL) == BACKOFF_OK,
        "hooks");
  CHECK(backoff_policy_format(policy, canonical, sizeof canonical, &needed) ==
                BACKOFF_OK &&
            needed < sizeof canonical,
        "format");
  reference_run();

  memset(pairs, 0, sizeof pairs);
  for (i = 0; i < 2; ++i) {
    CHECK(backoff_cancel_new(&pairs[i].token) == BACKOFF_OK, "token");
    CHECK(sem_init(&pairs[i].backing_off, 0, 0) == 0 &&
              sem_init(&pairs[i].returned, 0, 0) == 0 &&
              sem_init(&pairs[i].ready, 0, 0) == 0,
          "sem_init");
  }
  CHECK(pthread_create(&threads[0], NULL, sleeper, &pairs[0]) == 0 &&
            pthread_create(&threads[1], NULL, sleeper, &pairs[1]) == 0 &&
            pthread_create(&threads[2], NULL, canceller, &pairs[0]) == 0 &&
            pthread_create(&threads[3], NULL, canceller, &pairs[1]) == 0 &&
            pthread_create(&threads[4], NULL, machines, &stack_machines) == 0 &&
            pthread_create(&threads[5], NULL, machines, &heap_machines) == 0 &&
            pthread_create(&threads[6], NULL, quick_runs, &quick) == 0 &&
            pthread_create(&threads[7], NULL, quick_runs, &quick_and_format) ==
                0,
        "pthread_create");
  for (i = 0; i < 8; ++i)
    CHECK(pthread_join(threads[i], NULL) == 0, "pthread_join");

  memset(&sum, 0, sizeof sum);
  add(&sum, &pairs[0].t);
  add(&sum, &pairs[1].t);
  add(&sum, &stack_machines.t);
  add(&sum, &heap_machines.t);
  add(&sum, &quick.t);
  add(&sum, &quick_and_format.t);

  /* Every run as planned ... */
  CHECK(sum.runs == 2 * SLEEPER_ROUNDS + 2 * MACHINE_ROUNDS + 2 * QUICK_ROUNDS,
        "%u runs", sum.runs);
  CHECK(sum.outcomes[BACKOFF_CANCELLED] == 2 * SLEEPER_ROUNDS &&
            sum.outcomes[BACKOFF_GAVE_UP_TRIES] == 2 * MACHINE_ROUNDS &&
            sum.outcomes[BACKOFF_GAVE_UP_FATAL] +
                    sum.outcomes[BACKOFF_OK] ==
                2 * QUICK_ROUNDS,
        "outcomes: %u cancelled, %u tries, %u fatal, %u ok",
        sum.outcomes[BACKOFF_CANCELLED], sum.outcomes[BACKOFF_GAVE_UP_TRIES],
        sum.outcomes[BACKOFF_GAVE_UP_FATAL], sum.outcomes[BACKOFF_OK]);
  /* ... and the shared hooks and log saw each event exactly once. */
  CHECK(atomic_load(&hook_tries) == sum.tries, "on_try %u, tries %u",
        atomic_load(&hook_tries), sum.tries);
  CHECK(atomic_load(&hook_backoffs) == sum.backoffs &&
            atomic_load(&log_backoffs) == sum.backoffs,
        "on_backoff %u, backoff lines %u, backoffs %u",
        atomic_load(&hook_backoffs), atomic_load(&log_backoffs), sum.backoffs);
  CHECK(atomic_load(&hook_successes) == sum.outcomes[BACKOFF_OK],
        "on_success %u, successes %u", atomic_load(&hook_successes),
        sum.outcomes[BACKOFF_OK]);
  CHECK(atomic_load(&hook_giveups) == sum.runs - sum.outcomes[BACKOFF_OK] &&
            atomic_load(&log_giveups) == sum.runs - sum.outcomes[BACKOFF_OK],
        "on_giveup %u, give-up lines %u, runs given up %u",
        atomic_load(&hook_giveups), atomic_load(&log_giveups),
        sum.runs - sum.outcomes[BACKOFF_OK]);

  for (i = 0; i < 2; ++i) {
    sem_destroy(&pairs[i].backing_off);
    sem_destroy(&pairs[i].returned);
    sem_destroy(&pairs[i].ready);
    backoff_cancel_free(pairs[i].token);
  }
  backoff_policy_free(policy);
  printf("stress: %u runs on 8 threads (%u cancelled in their sleep, the "
         "longest in %.1f ms), %u tries, %u backoffs in %.2f s\n",
         sum.runs, sum.outcomes[BACKOFF_CANCELLED],
         1e3 * (pairs[0].longest > pairs[1].longest ? pairs[0].longest
                                                    : pairs[1].longest),
         sum.tries, sum.backoffs, monotonic() - started);
  shared_budget();
  printf("stress: 1 passed, 0 failed\n");
  return 0;
}
