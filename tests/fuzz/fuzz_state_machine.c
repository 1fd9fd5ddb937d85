/*
 * The state machine driven by the fuzzer: it chooses the policy (every
 * wait, jitter, limit and limit function, classifier, hint function and
 * hint_max, a budget on a frozen clock with first attempts already counted,
 * hooks, log, cancel token; state_machine_policy.c), whether the state lives
 * on the heap or in caller memory (backoff_state_init or _start), its flags
 * (BACKOFF_RUN_UNREAD_SUCCESS, BACKOFF_RUN_RC_IS_VERDICT: verdicts straight
 * from the driver, no classifier; unknown flags are refused), and every
 * step: return codes, what each attempt costs on a fake clock, Retry-After
 * hints, backoff_state_next or _next_begin, backoff_state_sleep or a sleep
 * of the driver's own, cancel triggers and resets, calls out of order.
 * Checks:
 *  - every status is the one the documented order gives, recomputed here:
 *    the verdict, the tries limit, the time limit, the cancel token, the
 *    hint (a Retry-After before the hint function; one too long for the time
 *    remaining or hint_max, or infinite, gives up on time), the generator
 *    (which only a sequence or custom wait exhausts), the budget;
 *  - every wait is finite, >= 0 and within the time remaining; a hint is
 *    the wait exactly, and details.hint shows it;
 *  - tries are counted: details.tries and the on_try hooks match the
 *    attempts begun; total_wait is the saturating sum of the waits;
 *  - on_backoff sees the wait returned, and its log line follows it;
 *  - a run ends exactly once: one on_success or one on_giveup (none after a
 *    pass-through), the give-up log line after on_giveup;
 *  - the budget counted this run's first attempt, and each retry it allowed
 *    or refused;
 *  - calls out of order, and every call after the end, are refused with
 *    BACKOFF_E_MISUSE and change nothing.
 */
#include "state_machine_policy.h"

static void same_details(const backoff_details *a, const backoff_details *b) {
  CHECK(a->tries == b->tries && a->last_rc == b->last_rc &&
            a->outcome == b->outcome && a->label == b->label &&
            a->user_data == b->user_data &&
            memcmp(&a->elapsed, &b->elapsed, sizeof(double)) == 0 &&
            memcmp(&a->wait, &b->wait, sizeof(double)) == 0 &&
            memcmp(&a->total_wait, &b->total_wait, sizeof(double)) == 0 &&
            memcmp(&a->remaining, &b->remaining, sizeof(double)) == 0 &&
            memcmp(&a->hint, &b->hint, sizeof(double)) == 0,
        "a refused call changed the details");
}

static backoff_details details_of(const backoff_state *s) {
  backoff_details d = BACKOFF_DETAILS_INIT;
  CHECK(backoff_state_details(s, &d) == BACKOFF_OK, "details refused");
  return d;
}

enum refused_call { BEGIN, NEXT, NEXT_BEGIN, RETRY_AFTER, SLEEP, CANCEL };

/* A call that must be refused, and change neither the details nor what the
 * callbacks saw. */
static void check_refused(backoff_state *s, const observed *o,
                          enum refused_call which) {
  const backoff_details before = details_of(s);
  const size_t calls = o->n_order;
  double w = 0.0;
  backoff_status st = BACKOFF_OK;
  switch (which) {
  case BEGIN:
    st = backoff_state_begin(s);
    break;
  case NEXT:
    st = backoff_state_next(s, 1, &w);
    break;
  case NEXT_BEGIN:
    st = backoff_state_next_begin(s, 1, &w);
    break;
  case RETRY_AFTER:
    st = backoff_state_retry_after(s, 1.0);
    break;
  case SLEEP:
    st = backoff_state_sleep(s, 1.0);
    break;
  case CANCEL:
    st = backoff_state_cancel(s);
    break;
  }
  CHECK(st == BACKOFF_E_MISUSE, "refused call %d gave %d", which, st);
  {
    const backoff_details after = details_of(s);
    same_details(&before, &after);
  }
  CHECK(o->n_order == calls, "a refused call ran a callback");
}

/* One run, as the oracle follows it. */
typedef struct run {
  settings set;
  observed o;
  backoff_policy *p;
  backoff_cancel *token;
  backoff_state *s;
  double start;       /* the fake time the run started at */
  unsigned attempts;  /* attempts begun */
  unsigned retries;   /* BACKOFF_RETRY answers */
  unsigned allowed, refused; /* the budget's answers */
  double sum;         /* the waits, summed as total_wait is */
  int triggered, begun;
} run;

/* Checks that backoff_state_next gave return code rc the status `st` the
 * rules give. `pending` is the attempt's Retry-After (negative: none).
 * *asked tells whether the budget was asked; *hint is the hint the failure
 * carried (negative: none, or the run ended before hints count). */
static backoff_status expected_next(run *r, int rc, double pending,
                                    backoff_status st, unsigned hint_calls,
                                    int *asked, double *hint) {
  const settings *set = &r->set;
  const backoff_details d = details_of(r->s);
  const double elapsed = r->o.now - r->start;
  const int verdict = verdict_of(set, rc);
  int hint_fn_called = 0;
  backoff_status expected;
  *asked = 0;
  *hint = -1.0;
  if (verdict == BACKOFF_VERDICT_SUCCESS)
    expected = BACKOFF_OK;
  else if (verdict == BACKOFF_VERDICT_PASS_THROUGH)
    expected = BACKOFF_PASSED_THROUGH;
  else if (verdict == BACKOFF_VERDICT_GIVE_UP)
    expected = BACKOFF_GAVE_UP_FATAL;
  else if (set->max_tries != 0 && r->attempts >= set->max_tries)
    expected = BACKOFF_GAVE_UP_TRIES;
  else if (set->max_time > 0.0 && elapsed >= set->max_time)
    expected = BACKOFF_GAVE_UP_TIME;
  else if (r->triggered)
    expected = BACKOFF_CANCELLED;
  else {
    if (pending >= 0.0) {
      *hint = pending;
    } else if (set->has_hint_fn) {
      hint_fn_called = 1;
      *hint = r->o.last_hint >= 0.0 ? r->o.last_hint : -1.0;
    }
    if (*hint >= 0.0 &&
        (isinf(*hint) || (set->hint_max > 0.0 && *hint > set->hint_max) ||
         (set->max_time > 0.0 && *hint > d.remaining))) {
      expected = BACKOFF_GAVE_UP_TIME;
    } else if (*hint < 0.0 && st == BACKOFF_GAVE_UP_EXHAUSTED &&
               set->can_run_out) {
      expected = BACKOFF_GAVE_UP_EXHAUSTED; /* the wait ran out */
    } else {
      *asked = set->has_budget;
      expected = !*asked || budget_allows(set, r->allowed)
                     ? BACKOFF_RETRY
                     : BACKOFF_GAVE_UP_BUDGET;
    }
  }
  CHECK(r->o.hint_calls == hint_calls + (unsigned)hint_fn_called,
        "the hint function ran %u times, expected %d",
        r->o.hint_calls - hint_calls, hint_fn_called);
  CHECK(st == expected,
        "rc %d (verdict %d, try %u, elapsed %.17g, hint %.17g): status "
        "%d, expected %d",
        rc, verdict, r->attempts, elapsed, *hint, st, expected);
  return expected;
}

/* Begins an attempt; 0 when the run ended instead (a triggered token). */
static int begin(run *r, backoff_status *st) {
  *st = backoff_state_begin(r->s);
  if (r->triggered) {
    CHECK(*st == BACKOFF_CANCELLED, "begin, token triggered: %d", *st);
    CHECK(details_of(r->s).tries == r->attempts, "cancelled try counted");
    return 0;
  }
  CHECK(*st == BACKOFF_OK, "begin gave %d", *st);
  r->attempts++;
  return 1;
}

static void check_begun(const run *r) {
  CHECK(details_of(r->s).tries == r->attempts, "tries %u, attempts %u",
        details_of(r->s).tries, r->attempts);
  CHECK(!r->set.has_hooks[0] || r->o.tries == r->attempts,
        "%u on_try calls for %u attempts", r->o.tries, r->attempts);
}

/* After a BACKOFF_RETRY with wait w and hint `hint`. */
static void check_retry(run *r, double w, double hint) {
  const backoff_details d = details_of(r->s);
  const settings *set = &r->set;
  const observed *o = &r->o;
  CHECK(isfinite(w) && w >= 0.0 && w <= d.remaining,
        "wait %.17g (remaining %.17g)", w, d.remaining);
  CHECK(hint < 0.0 || w == hint, "hint %.17g gave wait %.17g", hint, w);
  CHECK(d.hint == hint, "details.hint %.17g, hint %.17g", d.hint, hint);
  CHECK(d.wait == w, "details.wait %.17g, wait %.17g", d.wait, w);
  r->sum = fmin(r->sum + w, DBL_MAX);
  CHECK(d.total_wait == r->sum, "total_wait %.17g, sum of waits %.17g",
        d.total_wait, r->sum);
  r->retries++;
  CHECK(o->backoffs == (set->has_hooks[1] ? r->retries : 0) &&
            o->log_backoffs == (set->has_log ? r->retries : 0),
        "%u on_backoff calls, %u log lines for %u retries", o->backoffs,
        o->log_backoffs, r->retries);
  CHECK(!set->has_hooks[1] ||
            (o->backoff_wait == w && o->backoff_hint == hint),
        "on_backoff saw wait %.17g hint %.17g", o->backoff_wait,
        o->backoff_hint);
  if (set->has_hooks[1] && set->has_log) { /* next_begin may add a 'T' */
    const char *last = strrchr(o->order, 'B');
    CHECK(last != NULL && last[1] == 'b',
          "the backoff log line must follow on_backoff: %.*s",
          (int)o->n_order, o->order);
  }
}

/* Sleeps the wait: the run's own sleep (the injected one, which advances
 * the fake clock), or the driver's. Returns the status: OK, or CANCELLED. */
static backoff_status sleep_wait(run *r, fuzz_input *in, double w) {
  backoff_status st = BACKOFF_OK;
  const double extra = fuzz_pick(in, 4) == 0 ? fuzz_double(in) : 0.0;
  const double seconds = isfinite(extra) && extra >= 0.0 ? w + extra : w;
  if (fuzz_pick(in, 2)) {
    const unsigned sleeps = r->o.sleeps;
    const double before = r->o.now;
    if (!isfinite(seconds)) {
      CHECK(backoff_state_sleep(r->s, seconds) == BACKOFF_E_INVALID,
            "slept %.17g", seconds);
      return BACKOFF_OK;
    }
    st = backoff_state_sleep(r->s, seconds);
    CHECK(st == (r->triggered ? BACKOFF_CANCELLED : BACKOFF_OK),
          "backoff_state_sleep gave %d", st);
    CHECK(r->o.sleeps == sleeps + (seconds > 0.0),
          "slept %u times for a wait of %.17g", r->o.sleeps - sleeps,
          seconds);
    CHECK(seconds > 0.0 || r->o.now == before, "slept a wait of 0");
  } else {
    r->o.now = r->o.now + seconds < 1e300 ? r->o.now + seconds : 1e300;
  }
  return st;
}

/* One attempt, from its begin (unless next_begin began it) to its end.
 * Returns the status of the run afterwards. */
static backoff_status attempt(run *r, fuzz_input *in) {
  double pending = -1.0, w = -1.0, hint;
  unsigned hint_calls, classify_calls;
  int rc, asked, next_begin;
  backoff_status st;
  if (!r->begun && !begin(r, &st))
    return st;
  r->begun = 0;
  check_begun(r);
  if (fuzz_pick(in, 8) == 0)
    check_refused(r->s, &r->o, BEGIN); /* begin twice */
  if (fuzz_pick(in, 8) == 0)
    check_refused(r->s, &r->o, SLEEP); /* sleep during an attempt */
  r->o.now += (double)fuzz_pick(in, 4) * 0.25;
  rc = fuzz_rc(in);
  if (r->token != NULL && fuzz_pick(in, 8) == 0) { /* during the attempt */
    CHECK(backoff_cancel_trigger(r->token) == BACKOFF_OK, "trigger");
    r->triggered = 1;
  }
  if (fuzz_pick(in, 3) == 0) {
    const double seconds = fuzz_double(in);
    const int valid = !isnan(seconds) && seconds >= 0.0;
    st = backoff_state_retry_after(r->s, seconds);
    CHECK(st == (valid ? BACKOFF_OK : BACKOFF_E_INVALID),
          "retry_after(%.17g) gave %d", seconds, st);
    if (valid)
      pending = seconds;
  }
  next_begin = fuzz_pick(in, 4) == 0;
  hint_calls = r->o.hint_calls;
  classify_calls = r->o.classify_calls;
  st = next_begin ? backoff_state_next_begin(r->s, rc, &w)
                  : backoff_state_next(r->s, rc, &w);
  CHECK(r->o.classify_calls ==
            classify_calls + (r->set.classifier == 3 && !r->set.rc_is_verdict),
        "the classifier ran %u times", r->o.classify_calls - classify_calls);
  CHECK(details_of(r->s).last_rc == rc, "last_rc %d, rc %d",
        details_of(r->s).last_rc, rc);
  expected_next(r, rc, pending, st, hint_calls, &asked, &hint);
  if (asked && st == BACKOFF_RETRY)
    r->allowed++;
  else if (asked)
    r->refused++;
  if (st != BACKOFF_RETRY) {
    const backoff_details d = details_of(r->s);
    CHECK(w == 0.0, "final status %d with wait %.17g", st, w);
    CHECK(d.hint == hint, "status %d: details.hint %.17g, expected %.17g",
          st, d.hint, hint);
    return st;
  }
  check_retry(r, w, hint);
  if (next_begin && w == 0.0) { /* the next attempt has begun */
    r->attempts++;
    r->begun = 1;
    check_begun(r);
    check_refused(r->s, &r->o, BEGIN);
    return st;
  }
  if (r->token != NULL && fuzz_pick(in, 8) == 0) { /* before the sleep */
    CHECK(backoff_cancel_trigger(r->token) == BACKOFF_OK, "trigger");
    r->triggered = 1;
  }
  return sleep_wait(r, in, w) == BACKOFF_CANCELLED ? BACKOFF_CANCELLED : st;
}

/* The run has ended with `st`: exactly one ending, the budget's counts, and
 * nothing after it. */
static void check_end(run *r, backoff_status st) {
  const backoff_details d = details_of(r->s);
  const settings *set = &r->set;
  const observed *o = &r->o;
  const int gave_up = st != BACKOFF_OK && st != BACKOFF_PASSED_THROUGH;
  CHECK(d.outcome == (int)st, "outcome %d, status %d", d.outcome, st);
  CHECK(o->successes == (set->has_hooks[2] && st == BACKOFF_OK),
        "%u on_success calls for status %d", o->successes, st);
  CHECK(o->giveups == (unsigned)(set->has_hooks[3] && gave_up),
        "%u on_giveup calls for status %d", o->giveups, st);
  CHECK(o->log_giveups == (unsigned)(set->has_log && gave_up),
        "%u give-up log lines for status %d", o->log_giveups, st);
  if (gave_up && set->has_hooks[3] && set->has_log)
    CHECK(o->n_order >= 2 && o->order[o->n_order - 2] == 'G' &&
              o->order[o->n_order - 1] == 'g',
          "the give-up log line must follow on_giveup: %.*s",
          (int)o->n_order, o->order);
  check_refused(r->s, o, BEGIN);
  check_refused(r->s, o, NEXT);
  check_refused(r->s, o, NEXT_BEGIN);
  check_refused(r->s, o, RETRY_AFTER);
  check_refused(r->s, o, SLEEP);
  check_refused(r->s, o, CANCEL);
}

static void check_budget(const run *r) {
  backoff_budget_stats stats = BACKOFF_BUDGET_STATS_INIT;
  if (!r->set.has_budget)
    return;
  CHECK(backoff_budget_stats_get(r->set.budget, &stats) == BACKOFF_OK,
        "stats refused");
  CHECK(stats.total_first_attempts ==
            r->set.budget_deposits + (r->attempts > 0),
        "%llu first attempts counted, expected %u",
        (unsigned long long)stats.total_first_attempts,
        r->set.budget_deposits + (r->attempts > 0));
  CHECK(stats.total_retries == r->allowed &&
            stats.total_refusals == r->refused,
        "budget counted %llu retries, %llu refusals; expected %u, %u",
        (unsigned long long)stats.total_retries,
        (unsigned long long)stats.total_refusals, r->allowed, r->refused);
}

typedef union state_memory {
  double d;
  uint64_t u;
  void *p;
  unsigned char bytes[4096];
} state_memory;

/* Starts the run: on the heap, or in caller memory by backoff_state_init or
 * backoff_state_start (which also begins the first attempt: r->begun). */
static backoff_status start(run *r, fuzz_input *in,
                            const backoff_run_options *opts) {
  static state_memory memory;
  const size_t need = backoff_state_size();
  const unsigned how = fuzz_pick(in, 3);
  backoff_status st;
  CHECK(need <= sizeof memory.bytes - 8, "state needs %zu bytes", need);
  if (how == 0)
    return backoff_state_new(r->p, opts, &r->o, &r->s);
  if (fuzz_pick(in, 8) == 0) {
    const unsigned misalign = 1 + fuzz_pick(in, 7);
    CHECK(backoff_state_init(memory.bytes + misalign, need, r->p, opts,
                             &r->o, &r->s) == BACKOFF_E_INVALID &&
              backoff_state_init(memory.bytes, need - 1, r->p, opts,
                                 &r->o, &r->s) == BACKOFF_E_INVALID,
          "misaligned or too little memory accepted");
  }
  if (how == 1) {
    st = backoff_state_init(memory.bytes, need, r->p, opts, &r->o, &r->s);
  } else {
    st = backoff_state_start(memory.bytes, need, r->p, opts, &r->o, &r->s);
    if (st == BACKOFF_OK) {
      r->attempts = 1;
      r->begun = 1;
    }
  }
  CHECK(st != BACKOFF_OK || (void *)r->s == (void *)memory.bytes,
        "state not in the memory given");
  return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static run r;
  fuzz_input in = {data, size};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_status st;
  int steps, known;

  memset(&r, 0, sizeof r);
  r.o.label = "operation";
  CHECK(backoff_policy_new(&r.p) == BACKOFF_OK, "new refused");
  configure_policy(r.p, &in, &r.set, &r.o);
  if (fuzz_pick(&in, 2)) {
    CHECK(backoff_cancel_new(&r.token) == BACKOFF_OK, "token");
    opts.cancel = r.token;
  }
  if (fuzz_pick(&in, 2)) {
    opts.label = "fuzzed";
    r.o.label = opts.label;
  }
  switch (fuzz_pick(&in, 8)) {
  case 0:
    opts.flags = BACKOFF_RUN_UNREAD_SUCCESS;
    break;
  case 1:
    opts.flags = BACKOFF_RUN_RC_IS_VERDICT;
    break;
  case 2:
    opts.flags = BACKOFF_RUN_UNREAD_SUCCESS | BACKOFF_RUN_RC_IS_VERDICT;
    break;
  case 3:
    opts.flags = 1u << fuzz_pick(&in, 32); /* maybe one no flag means */
    break;
  }
  r.set.rc_is_verdict = (opts.flags & BACKOFF_RUN_RC_IS_VERDICT) != 0;
  known = (opts.flags & ~(BACKOFF_RUN_UNREAD_SUCCESS |
                          BACKOFF_RUN_RC_IS_VERDICT)) == 0;
  r.o.now = (double)fuzz_pick(&in, 8);
  r.start = r.o.now;

  st = start(&r, &in, &opts);
  if (!known) {
    CHECK(st == BACKOFF_E_INVALID, "unknown flags %#x accepted: %d",
          opts.flags, st);
  } else if (!r.set.startable) {
    CHECK(st == BACKOFF_E_INVALID, "a bad time function's run: %d", st);
  } else {
    CHECK(st == BACKOFF_OK, "start refused: %d", st);
    if (r.begun)
      check_begun(&r);
    st = BACKOFF_RETRY;
    for (steps = 0; st == BACKOFF_RETRY && steps < MAX_STEPS; ++steps) {
      const unsigned op = fuzz_pick(&in, 12);
      if (op == 8 && r.token != NULL) { /* as if from another thread */
        if (fuzz_pick(&in, 2)) {
          CHECK(backoff_cancel_trigger(r.token) == BACKOFF_OK, "trigger");
          r.triggered = 1;
        } else {
          CHECK(backoff_cancel_reset(r.token) == BACKOFF_OK, "reset");
          r.triggered = 0;
        }
      } else if (op == 9) { /* the driver's own cancellation */
        st = backoff_state_cancel(r.s);
        CHECK(st == BACKOFF_CANCELLED, "cancel gave %d", st);
      } else if (op == 10 && !r.begun) {
        check_refused(r.s, &r.o, NEXT); /* next before begin */
        if (r.attempts == 0)
          check_refused(r.s, &r.o, SLEEP); /* sleep before any attempt */
      } else {
        st = attempt(&r, &in);
      }
    }
    if (st == BACKOFF_RETRY && fuzz_pick(&in, 2)) {
      st = backoff_state_cancel(r.s); /* end it, or free it running */
      CHECK(st == BACKOFF_CANCELLED, "cancel gave %d", st);
    }
    if (st != BACKOFF_RETRY)
      check_end(&r, st);
    else
      CHECK(r.o.successes == 0 && r.o.giveups == 0 &&
                r.o.log_giveups == 0,
            "a running run has ended");
    check_budget(&r);
    backoff_state_free(r.s);
  }
  backoff_budget_free(r.set.budget);
  backoff_cancel_free(r.token);
  backoff_policy_free(r.p);
  return 0;
}
