/*
 * The state machine driven by the fuzzer: it chooses the policy (wait,
 * jitter, limits or limit functions, classifier, hooks, log, cancel token),
 * whether the state lives on the heap or in caller memory, and then every
 * step: return codes, what each attempt costs on a fake clock, Retry-After
 * values, cancel triggers and resets, calls out of order. Checks:
 *  - every status is one the header lists for that call;
 *  - the outcome of each attempt follows the documented order: the verdict,
 *    then the tries limit, the time limit, the cancel token (recomputed
 *    here from the settings);
 *  - every wait is finite, >= 0 and within the time remaining; a valid
 *    Retry-After is the wait exactly (clamped to the time remaining);
 *  - tries are counted: details.tries and the on_try hooks match the
 *    attempts begun;
 *  - on_backoff sees the wait returned, and the log follows it;
 *  - a run ends exactly once: one on_success or one on_giveup (none after a
 *    pass-through), the give-up log line after the on_giveup hook;
 *  - calls out of order, and every call after the end, are refused with
 *    BACKOFF_E_MISUSE and change nothing.
 */
#include "fuzz.h"

#include <limits.h>

#include <backoff/backoff.h>

enum { MAX_STEPS = 64, MAX_CODES = 4, MAX_CUSTOM = 4 };

/* What the policy was configured with, as this oracle needs it. */
typedef struct settings {
  unsigned max_tries;   /* the limit in force for the run (after tries_fn) */
  double max_time;      /* likewise (after time_fn); 0: none */
  int classifier;       /* 0 default, 1 retry-on, 2 giveup-on, 3 custom */
  int codes[MAX_CODES];
  size_t n_codes;
  int verdicts[8];      /* custom classifier: by rc & 7 */
  double waits[MAX_CUSTOM]; /* custom wait: cycled */
  double jitter_value;  /* custom jitter: its result in mode 1 */
  int jitter_mode;      /* 0: w * u, 1: jitter_value */
  int can_run_out;      /* a sequence or custom wait is in force */
  unsigned tries_fn_value;
  double time_fn_value;
  int has_hooks[4];     /* on_try, on_backoff, on_success, on_giveup */
  int has_log;
  int backoff_level, giveup_level;
} settings;

/* What the callbacks saw. */
typedef struct observed {
  double now;           /* the fake clock */
  unsigned custom_waits;
  unsigned tries, backoffs, successes, giveups, log_backoffs, log_giveups;
  double backoff_wait;  /* the wait on_backoff saw last */
  char order[4 * MAX_STEPS + 8]; /* one letter per hook or log call */
  size_t n_order;
  const settings *set;
  const char *label;
} observed;

static void note(observed *o, char c) {
  if (o->n_order + 1 < sizeof o->order)
    o->order[o->n_order++] = c;
}

static void check_common(const backoff_details *d, observed *o) {
  FUZZ_CHECK(d->user_data == o, "user_data %p", d->user_data);
  FUZZ_CHECK(d->label != NULL && strcmp(d->label, o->label) == 0,
             "label '%s'", d->label ? d->label : "(null)");
  FUZZ_CHECK(d->size == sizeof(backoff_details), "size %zu", d->size);
  FUZZ_CHECK(d->elapsed >= 0.0 && d->wait >= 0.0 && d->total_wait >= 0.0,
             "elapsed %g wait %g total %g", d->elapsed, d->wait, d->total_wait);
}

static void on_try(const backoff_details *d, void *data) {
  observed *o = data;
  check_common(d, o);
  o->tries++;
  FUZZ_CHECK(d->tries == o->tries, "on_try sees tries %u, hook call %u",
             d->tries, o->tries);
  FUZZ_CHECK(d->outcome == BACKOFF_RETRY, "on_try outcome %d", d->outcome);
  note(o, 'T');
}

static void on_backoff(const backoff_details *d, void *data) {
  observed *o = data;
  check_common(d, o);
  o->backoffs++;
  o->backoff_wait = d->wait;
  FUZZ_CHECK(d->outcome == BACKOFF_RETRY, "on_backoff outcome %d", d->outcome);
  note(o, 'B');
}

static void on_success(const backoff_details *d, void *data) {
  observed *o = data;
  check_common(d, o);
  o->successes++;
  FUZZ_CHECK(d->outcome == BACKOFF_OK, "on_success outcome %d", d->outcome);
  note(o, 'S');
}

static void on_giveup(const backoff_details *d, void *data) {
  observed *o = data;
  check_common(d, o);
  o->giveups++;
  FUZZ_CHECK(d->outcome >= BACKOFF_GAVE_UP_TRIES &&
                 d->outcome <= BACKOFF_CANCELLED,
             "on_giveup outcome %d", d->outcome);
  note(o, 'G');
}

static void log_line(int level, const char *message, const backoff_details *d,
                     void *data) {
  observed *o = data;
  check_common(d, o);
  if (strncmp(message, "Backing off ", 12) == 0) {
    FUZZ_CHECK(level == o->set->backoff_level, "backoff level %d", level);
    o->log_backoffs++;
    note(o, 'b');
  } else {
    FUZZ_CHECK(strncmp(message, "Giving up ", 10) == 0, "log line '%s'",
               message);
    FUZZ_CHECK(level == o->set->giveup_level, "give-up level %d", level);
    o->log_giveups++;
    note(o, 'g');
  }
}

static double fake_clock(void *data) { return ((observed *)data)->now; }

static double custom_wait(const backoff_details *d, void *data) {
  observed *o = data;
  (void)d;
  return o->set->waits[o->custom_waits++ % MAX_CUSTOM];
}

static double custom_jitter(double w, double u, void *data) {
  const settings *set = data;
  FUZZ_CHECK(u >= 0.0 && u < 1.0, "uniform %.17g", u);
  return set->jitter_mode == 0 ? w * u : set->jitter_value;
}

static int custom_classify(const backoff_details *d, void *data) {
  const settings *set = data;
  return set->verdicts[(unsigned)d->last_rc & 7u];
}

static unsigned tries_fn(void *data) {
  return ((const settings *)data)->tries_fn_value;
}

static double time_fn(void *data) {
  return ((const settings *)data)->time_fn_value;
}

/* The verdict the policy's classifier gives rc. */
static int verdict_of(const settings *set, int rc) {
  size_t i;
  int listed = 0;
  if (set->classifier == 3) {
    const int v = set->verdicts[(unsigned)rc & 7u];
    return v >= BACKOFF_VERDICT_SUCCESS && v <= BACKOFF_VERDICT_PASS_THROUGH
               ? v
               : BACKOFF_VERDICT_GIVE_UP;
  }
  if (rc == 0)
    return BACKOFF_VERDICT_SUCCESS;
  for (i = 0; i < set->n_codes; ++i)
    listed |= set->codes[i] == rc;
  if (set->classifier == 1)
    return listed ? BACKOFF_VERDICT_RETRY : BACKOFF_VERDICT_GIVE_UP;
  if (set->classifier == 2)
    return listed ? BACKOFF_VERDICT_GIVE_UP : BACKOFF_VERDICT_RETRY;
  return BACKOFF_VERDICT_RETRY;
}

static int fuzz_rc(fuzz_input *in) {
  static const int codes[] = {0, 1, 2, 3, 7, -1, 255, INT_MIN, INT_MAX};
  const unsigned k = fuzz_pick(in, 10);
  return k < 9 ? codes[k] : (int)(int32_t)(uint32_t)fuzz_u64(in);
}

/* A cost or an oversleep: small, finite, >= 0. */
static double fuzz_seconds(fuzz_input *in) {
  static const double seconds[] = {0.0, 0.001, 0.5, 1.0, 3.0, 60.0, 1e6};
  return seconds[fuzz_pick(in, 7)];
}

static void advance(observed *o, double seconds) {
  o->now = o->now + seconds < 1e300 ? o->now + seconds : 1e300;
}

static void configure_wait(backoff_policy *p, fuzz_input *in, settings *set,
                           observed *o) {
  double v[MAX_CUSTOM];
  backoff_status st = BACKOFF_OK;
  unsigned i, n;
  for (i = 0; i < MAX_CUSTOM; ++i)
    v[i] = fuzz_double(in);
  switch (fuzz_pick(in, 8)) {
  case 0:
    st = backoff_policy_wait_expo(p, v[0], v[1], v[2]);
    break;
  case 1:
    st = backoff_policy_wait_fibo(p, v[0]);
    break;
  case 2:
    st = backoff_policy_wait_constant(p, v[0]);
    break;
  case 3:
    n = 1 + fuzz_pick(in, MAX_CUSTOM);
    st = backoff_policy_wait_sequence(p, v, n);
    set->can_run_out = st == BACKOFF_OK;
    break;
  case 4:
    st = backoff_policy_wait_decay(p, v[0], v[1], v[2]);
    break;
  case 5:
    st = backoff_policy_wait_linear(p, v[0], v[1], v[2]);
    break;
  case 6:
    memcpy(set->waits, v, sizeof v);
    st = backoff_policy_wait_custom(p, custom_wait, o, NULL);
    FUZZ_CHECK(st == BACKOFF_OK, "custom wait refused: %d", st);
    set->can_run_out = 1;
    break;
  default: /* the default wait */
    break;
  }
  FUZZ_CHECK(st == BACKOFF_OK || st == BACKOFF_E_INVALID, "wait setter: %d",
             st);
}

static void configure_jitter(backoff_policy *p, fuzz_input *in,
                             settings *set) {
  const unsigned kind = fuzz_pick(in, 8);
  backoff_status st;
  if (kind == BACKOFF_JITTER_CUSTOM) {
    set->jitter_mode = (int)fuzz_pick(in, 2);
    set->jitter_value = fuzz_double(in);
    st = backoff_policy_jitter_custom(p, custom_jitter, set, NULL);
  } else if (kind == 7) {
    st = backoff_policy_jitter_proportional(p, fuzz_double(in));
  } else {
    st = backoff_policy_jitter(p, (int)kind);
  }
  FUZZ_CHECK(st == BACKOFF_OK || st == BACKOFF_E_INVALID, "jitter setter: %d",
             st);
}

/* Limits; returns 0 when the run cannot start (a time function's bad value). */
static int configure_limits(backoff_policy *p, fuzz_input *in, settings *set) {
  double t;
  int startable = 1;
  if (fuzz_pick(in, 4) == 0) {
    set->tries_fn_value = (unsigned)fuzz_pick(in, 8);
    FUZZ_CHECK(backoff_policy_max_tries_fn(p, tries_fn, set, NULL) ==
                   BACKOFF_OK,
               "tries_fn refused");
    set->max_tries = set->tries_fn_value;
  } else {
    set->max_tries = (unsigned)fuzz_pick(in, 8);
    FUZZ_CHECK(backoff_policy_max_tries(p, set->max_tries) == BACKOFF_OK,
               "max_tries refused");
  }
  t = fuzz_double(in);
  if (fuzz_pick(in, 4) == 0) {
    set->time_fn_value = t;
    FUZZ_CHECK(backoff_policy_max_time_fn(p, time_fn, set, NULL) == BACKOFF_OK,
               "time_fn refused");
    startable = !(isnan(t) || t < 0.0);
  } else if (backoff_policy_max_time(p, t) != BACKOFF_OK) {
    FUZZ_CHECK(isnan(t) || t < 0.0, "max_time(%.17g) refused", t);
    t = 0.0;
  }
  set->max_time = isinf(t) || !startable ? 0.0 : t;
  return startable;
}

static void configure_classifier(backoff_policy *p, fuzz_input *in,
                                 settings *set) {
  size_t i;
  backoff_status st = BACKOFF_OK;
  set->classifier = (int)fuzz_pick(in, 4);
  set->n_codes = 1 + fuzz_pick(in, MAX_CODES);
  for (i = 0; i < set->n_codes; ++i)
    set->codes[i] = fuzz_rc(in);
  for (i = 0; i < 8; ++i)
    set->verdicts[i] = (int)fuzz_pick(in, 6) - 1; /* -1 .. 4 */
  if (set->classifier == 1 || set->classifier == 2) {
    st = set->classifier == 1
             ? backoff_policy_retry_on(p, set->codes, set->n_codes)
             : backoff_policy_giveup_on(p, set->codes, set->n_codes);
    for (i = 0; i < set->n_codes; ++i)
      if (set->codes[i] == 0) { /* 0 is success: refused */
        FUZZ_CHECK(st == BACKOFF_E_INVALID, "code list with 0: %d", st);
        set->classifier = 0;
        return;
      }
  } else if (set->classifier == 3) {
    st = backoff_policy_classify(p, custom_classify, set, NULL);
  }
  FUZZ_CHECK(st == BACKOFF_OK, "classifier setter: %d", st);
}

static void configure_observers(backoff_policy *p, fuzz_input *in,
                                settings *set, observed *o) {
  const unsigned mask = fuzz_byte(in);
  backoff_hook_fn hooks[4];
  backoff_status (*adders[4])(backoff_policy *, backoff_hook_fn, void *,
                              backoff_destroy_fn);
  int i, level_b, level_g;
  hooks[0] = on_try, hooks[1] = on_backoff, hooks[2] = on_success,
  hooks[3] = on_giveup;
  adders[0] = backoff_policy_on_try, adders[1] = backoff_policy_on_backoff,
  adders[2] = backoff_policy_on_success, adders[3] = backoff_policy_on_giveup;
  for (i = 0; i < 4; ++i) {
    set->has_hooks[i] = (mask >> i & 1u) == 0; /* mostly on */
    if (set->has_hooks[i])
      FUZZ_CHECK(adders[i](p, hooks[i], o, NULL) == BACKOFF_OK, "hook %d", i);
  }
  set->has_log = (mask >> 4 & 1u) == 0;
  set->backoff_level = BACKOFF_LOG_INFO;
  set->giveup_level = BACKOFF_LOG_ERROR;
  if (set->has_log) {
    FUZZ_CHECK(backoff_policy_log(p, log_line, o, NULL) == BACKOFF_OK, "log");
    level_b = (int)fuzz_pick(in, 64) - 8;
    level_g = (int)fuzz_pick(in, 64) - 8;
    if (backoff_policy_log_levels(p, level_b, level_g) == BACKOFF_OK) {
      set->backoff_level = level_b;
      set->giveup_level = level_g;
    } else {
      FUZZ_CHECK(level_b < 0 || level_g < 0, "levels %d %d refused", level_b,
                 level_g);
    }
  }
}

static void same_details(const backoff_details *a, const backoff_details *b) {
  FUZZ_CHECK(a->tries == b->tries && a->last_rc == b->last_rc &&
                 a->outcome == b->outcome && a->label == b->label &&
                 a->user_data == b->user_data &&
                 memcmp(&a->elapsed, &b->elapsed, sizeof(double)) == 0 &&
                 memcmp(&a->wait, &b->wait, sizeof(double)) == 0 &&
                 memcmp(&a->total_wait, &b->total_wait, sizeof(double)) == 0 &&
                 memcmp(&a->remaining, &b->remaining, sizeof(double)) == 0,
             "a refused call changed the details");
}

static backoff_details details_of(const backoff_state *s) {
  backoff_details d = BACKOFF_DETAILS_INIT;
  FUZZ_CHECK(backoff_state_details(s, &d) == BACKOFF_OK, "details refused");
  return d;
}

/* A call that must be refused, and change neither the details nor what the
 * callbacks saw. */
static void check_refused(backoff_state *s, const observed *o, int which) {
  const backoff_details before = details_of(s);
  const size_t calls = o->n_order;
  double w = 0.0;
  backoff_status st;
  switch (which) {
  case 0:
    st = backoff_state_begin(s);
    break;
  case 1:
    st = backoff_state_next(s, 1, &w);
    break;
  case 2:
    st = backoff_state_retry_after(s, 1.0);
    break;
  default:
    st = backoff_state_cancel(s);
    break;
  }
  FUZZ_CHECK(st == BACKOFF_E_MISUSE, "refused call %d gave %d", which, st);
  {
    const backoff_details after = details_of(s);
    same_details(&before, &after);
  }
  FUZZ_CHECK(o->n_order == calls, "a refused call ran a callback");
}

/* The run has ended with `st`: exactly one ending, and nothing after it. */
static void check_end(backoff_state *s, const settings *set, const observed *o,
                      backoff_status st) {
  const backoff_details d = details_of(s);
  const int gave_up = st != BACKOFF_OK && st != BACKOFF_PASSED_THROUGH;
  int i;
  FUZZ_CHECK(d.outcome == (int)st, "outcome %d, status %d", d.outcome, st);
  FUZZ_CHECK(o->successes == (set->has_hooks[2] && st == BACKOFF_OK),
             "%u on_success calls for status %d", o->successes, st);
  FUZZ_CHECK(o->giveups == (unsigned)(set->has_hooks[3] && gave_up),
             "%u on_giveup calls for status %d", o->giveups, st);
  FUZZ_CHECK(o->log_giveups == (unsigned)(set->has_log && gave_up),
             "%u give-up log lines for status %d", o->log_giveups, st);
  if (gave_up && set->has_hooks[3] && set->has_log)
    FUZZ_CHECK(o->n_order >= 2 && o->order[o->n_order - 2] == 'G' &&
                   o->order[o->n_order - 1] == 'g',
               "the give-up log line must follow on_giveup: %.*s",
               (int)o->n_order, o->order);
  for (i = 0; i < 4; ++i)
    check_refused(s, o, i);
}

typedef union state_memory {
  double d;
  uint64_t u;
  void *p;
  unsigned char bytes[4096];
} state_memory;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static state_memory memory;
  fuzz_input in = {data, size};
  settings set;
  observed o;
  backoff_policy *p = NULL;
  backoff_cancel *token = NULL;
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_state *s = NULL;
  backoff_status st = BACKOFF_RETRY;
  double start, sum = 0.0, total = 0.0;
  int startable, on_heap, triggered = 0, ready = 1, steps;
  unsigned retries = 0;

  memset(&set, 0, sizeof set);
  memset(&o, 0, sizeof o);
  o.set = &set;
  o.label = "operation";
  FUZZ_CHECK(backoff_policy_new(&p) == BACKOFF_OK, "new refused");
  FUZZ_CHECK(backoff_policy_clock(p, fake_clock, &o, NULL) == BACKOFF_OK,
             "clock refused");
  FUZZ_CHECK(backoff_policy_seed(p, fuzz_u64(&in)) == BACKOFF_OK, "seed");
  configure_wait(p, &in, &set, &o);
  configure_jitter(p, &in, &set);
  startable = configure_limits(p, &in, &set);
  configure_classifier(p, &in, &set);
  configure_observers(p, &in, &set, &o);
  if (fuzz_pick(&in, 2)) {
    FUZZ_CHECK(backoff_cancel_new(&token) == BACKOFF_OK, "token");
    opts.cancel = token;
  }
  if (fuzz_pick(&in, 2)) {
    opts.label = "fuzzed";
    o.label = opts.label;
  }
  o.now = fuzz_seconds(&in);
  start = o.now;

  on_heap = (int)fuzz_pick(&in, 2);
  if (on_heap) {
    st = backoff_state_new(p, &opts, &o, &s);
  } else {
    const size_t need = backoff_state_size();
    const unsigned misalign = fuzz_pick(&in, 8) == 0 ? 1 + fuzz_pick(&in, 7) : 0;
    FUZZ_CHECK(need <= sizeof memory.bytes - 8, "state needs %zu bytes", need);
    if (misalign) {
      FUZZ_CHECK(backoff_state_init(memory.bytes + misalign, need, p, &opts,
                                    &o, &s) == BACKOFF_E_INVALID,
                 "misaligned memory accepted");
      FUZZ_CHECK(backoff_state_init(memory.bytes, need - 1, p, &opts, &o,
                                    &s) == BACKOFF_E_INVALID,
                 "too little memory accepted");
    }
    st = backoff_state_init(memory.bytes, need, p, &opts, &o, &s);
  }
  if (!startable) {
    FUZZ_CHECK(st == BACKOFF_E_INVALID, "a bad time function's run: %d", st);
    backoff_cancel_free(token);
    backoff_policy_free(p);
    return 0;
  }
  FUZZ_CHECK(st == BACKOFF_OK, "start refused: %d", st);
  FUZZ_CHECK(on_heap || (void *)s == (void *)memory.bytes, "state not in mem");
  st = BACKOFF_RETRY;

  for (steps = 0; st == BACKOFF_RETRY && steps < MAX_STEPS; ++steps) {
    const unsigned op = fuzz_pick(&in, 12);
    if (op == 8 && token != NULL) { /* from "another thread", between steps */
      if (fuzz_pick(&in, 2)) {
        FUZZ_CHECK(backoff_cancel_trigger(token) == BACKOFF_OK, "trigger");
        triggered = 1;
      } else {
        FUZZ_CHECK(backoff_cancel_reset(token) == BACKOFF_OK, "reset");
        triggered = 0;
      }
    } else if (op == 9) { /* the driver's own cancellation */
      st = backoff_state_cancel(s);
      FUZZ_CHECK(st == BACKOFF_CANCELLED, "cancel gave %d", st);
    } else if (op == 10 && ready) { /* next before begin */
      check_refused(s, &o, 1);
    } else { /* one attempt */
      const unsigned before_tries = details_of(s).tries;
      double hint = -1.0, w = -1.0, elapsed;
      int rc, verdict, hinted = 0, expected;
      st = backoff_state_begin(s);
      if (triggered) {
        FUZZ_CHECK(st == BACKOFF_CANCELLED, "begin with a triggered token: %d",
                   st);
        FUZZ_CHECK(details_of(s).tries == before_tries, "cancelled try counted");
        break;
      }
      FUZZ_CHECK(st == BACKOFF_OK, "begin gave %d", st);
      ready = 0;
      FUZZ_CHECK(details_of(s).tries == before_tries + 1, "try not counted");
      FUZZ_CHECK(!set.has_hooks[0] || o.tries == before_tries + 1,
                 "%u on_try calls for %u tries", o.tries, before_tries + 1);
      if (fuzz_pick(&in, 8) == 0)
        check_refused(s, &o, 0); /* begin twice */
      advance(&o, fuzz_seconds(&in));
      rc = fuzz_rc(&in);
      if (token != NULL && fuzz_pick(&in, 8) == 0) { /* during the attempt */
        FUZZ_CHECK(backoff_cancel_trigger(token) == BACKOFF_OK, "trigger");
        triggered = 1;
      }
      if (fuzz_pick(&in, 4) == 0) {
        hint = fuzz_double(&in);
        st = backoff_state_retry_after(s, hint);
        hinted = isfinite(hint) && hint >= 0.0;
        FUZZ_CHECK(st == (hinted ? BACKOFF_OK : BACKOFF_E_INVALID),
                   "retry_after(%.17g) gave %d", hint, st);
      }
      st = backoff_state_next(s, rc, &w);
      ready = 1;
      elapsed = o.now - start;

      verdict = verdict_of(&set, rc);
      expected = verdict == BACKOFF_VERDICT_SUCCESS        ? BACKOFF_OK
                 : verdict == BACKOFF_VERDICT_PASS_THROUGH ? BACKOFF_PASSED_THROUGH
                 : verdict == BACKOFF_VERDICT_GIVE_UP      ? BACKOFF_GAVE_UP_FATAL
                 : set.max_tries != 0 && before_tries + 1 >= set.max_tries
                     ? BACKOFF_GAVE_UP_TRIES
                 : set.max_time > 0.0 && elapsed >= set.max_time
                     ? BACKOFF_GAVE_UP_TIME
                 : triggered ? BACKOFF_CANCELLED
                             : BACKOFF_RETRY;
      if (expected == BACKOFF_RETRY && st == BACKOFF_GAVE_UP_EXHAUSTED)
        expected = st; /* the wait ran out: checked below */
      FUZZ_CHECK(st == expected, "rc %d (verdict %d, try %u, elapsed %.17g): "
                                 "status %d, expected %d",
                 rc, verdict, before_tries + 1, elapsed, st, expected);
      if (st == BACKOFF_GAVE_UP_EXHAUSTED)
        FUZZ_CHECK(!hinted && set.can_run_out,
                   "only a sequence or a custom wait runs out");
      if (st == BACKOFF_RETRY) {
        const backoff_details d = details_of(s);
        FUZZ_CHECK(isfinite(w) && w >= 0.0 && w <= d.remaining,
                   "wait %.17g (remaining %.17g)", w, d.remaining);
        FUZZ_CHECK(!hinted || w == fmin(hint, d.remaining),
                   "Retry-After %.17g gave wait %.17g", hint, w);
        FUZZ_CHECK(d.wait == w, "details.wait %.17g, wait %.17g", d.wait, w);
        FUZZ_CHECK(d.total_wait >= total, "total_wait went down");
        sum += w;
        FUZZ_CHECK(!isfinite(sum) || d.total_wait == sum,
                   "total_wait %.17g, sum of waits %.17g", d.total_wait, sum);
        total = d.total_wait;
        retries++;
        FUZZ_CHECK(o.backoffs == (set.has_hooks[1] ? retries : 0) &&
                       o.log_backoffs == (set.has_log ? retries : 0),
                   "%u on_backoff calls, %u log lines for %u retries",
                   o.backoffs, o.log_backoffs, retries);
        FUZZ_CHECK(!set.has_hooks[1] || o.backoff_wait == w,
                   "on_backoff saw %.17g, wait %.17g", o.backoff_wait, w);
        if (set.has_hooks[1] && set.has_log)
          FUZZ_CHECK(o.order[o.n_order - 2] == 'B' &&
                         o.order[o.n_order - 1] == 'b',
                     "the backoff log line must follow on_backoff");
        advance(&o, w + (fuzz_pick(&in, 4) == 0 ? fuzz_seconds(&in) : 0.0));
      } else {
        FUZZ_CHECK(w == 0.0, "final status %d with wait %.17g", st, w);
      }
    }
  }

  if (st == BACKOFF_RETRY && fuzz_pick(&in, 2)) {
    st = backoff_state_cancel(s); /* end it, or leave it running and free */
    FUZZ_CHECK(st == BACKOFF_CANCELLED, "cancel gave %d", st);
  }
  if (st != BACKOFF_RETRY)
    check_end(s, &set, &o, st);
  else
    FUZZ_CHECK(o.successes == 0 && o.giveups == 0 && o.log_giveups == 0,
               "a running run has ended");
  backoff_state_free(s);
  backoff_cancel_free(token);
  backoff_policy_free(p);
  return 0;
}
