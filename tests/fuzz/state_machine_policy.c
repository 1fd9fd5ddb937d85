#include "state_machine_policy.h"

#include <limits.h>

/* ---- callbacks ---------------------------------------------------------- */

static void note(observed *o, char c) {
  if (o->n_order + 1 < sizeof o->order)
    o->order[o->n_order++] = c;
}

static void check_common(const backoff_details *d, observed *o) {
  CHECK(d->user_data == o, "user_data %p", d->user_data);
  CHECK(d->label != NULL && strcmp(d->label, o->label) == 0,
        "label '%s'", d->label ? d->label : "(null)");
  CHECK(d->size == sizeof(backoff_details), "size %zu", d->size);
  CHECK(d->elapsed >= 0.0 && d->wait >= 0.0 && d->total_wait >= 0.0 &&
            isfinite(d->total_wait),
        "elapsed %g wait %g total %g", d->elapsed, d->wait, d->total_wait);
}

static void on_try(const backoff_details *d, void *data) {
  observed *o = data;
  check_common(d, o);
  o->tries++;
  CHECK(d->tries == o->tries, "on_try sees tries %u, hook call %u",
        d->tries, o->tries);
  CHECK(d->outcome == BACKOFF_RETRY, "on_try outcome %d", d->outcome);
  note(o, 'T');
}

static void on_backoff(const backoff_details *d, void *data) {
  observed *o = data;
  check_common(d, o);
  o->backoffs++;
  o->backoff_wait = d->wait;
  o->backoff_hint = d->hint;
  CHECK(d->outcome == BACKOFF_RETRY, "on_backoff outcome %d", d->outcome);
  note(o, 'B');
}

static void on_success(const backoff_details *d, void *data) {
  observed *o = data;
  check_common(d, o);
  o->successes++;
  CHECK(d->outcome == BACKOFF_OK, "on_success outcome %d", d->outcome);
  note(o, 'S');
}

static void on_giveup(const backoff_details *d, void *data) {
  observed *o = data;
  check_common(d, o);
  o->giveups++;
  CHECK(d->outcome >= BACKOFF_GAVE_UP_TRIES &&
            d->outcome <= BACKOFF_GAVE_UP_BUDGET &&
            d->outcome != BACKOFF_PASSED_THROUGH,
        "on_giveup outcome %d", d->outcome);
  note(o, 'G');
}

static void log_line(int level, const char *message, const backoff_details *d,
                     void *data) {
  observed *o = data;
  check_common(d, o);
  if (strncmp(message, "Backing off ", 12) == 0) {
    CHECK(level == o->set->backoff_level, "backoff level %d", level);
    o->log_backoffs++;
    note(o, 'b');
  } else {
    CHECK(strncmp(message, "Giving up ", 10) == 0, "log line '%s'",
          message);
    CHECK(level == o->set->giveup_level, "give-up level %d", level);
    o->log_giveups++;
    note(o, 'g');
  }
}

static double fake_clock(void *data) { return ((observed *)data)->now; }

static void fake_sleep(double seconds, void *data) {
  observed *o = data;
  CHECK(isfinite(seconds) && seconds > 0.0, "slept %.17g", seconds);
  o->sleeps++;
  o->now = o->now + seconds < 1e300 ? o->now + seconds : 1e300;
}

static double frozen_clock(void *data) { return *(const double *)data; }

static double custom_wait(const backoff_details *d, void *data) {
  observed *o = data;
  (void)d;
  return o->set->waits[o->custom_waits++ % MAX_CUSTOM];
}

static double custom_jitter(double w, double u, void *data) {
  const settings *set = data;
  CHECK(u >= 0.0 && u < 1.0, "uniform %.17g", u);
  return set->jitter_mode == 0 ? w * u : set->jitter_value;
}

static int custom_classify(const backoff_details *d, void *data) {
  observed *o = data;
  o->classify_calls++;
  return o->set->verdicts[(unsigned)d->last_rc & 7u];
}

static double hint_fn(const backoff_details *d, void *data) {
  observed *o = data;
  CHECK(d->outcome == BACKOFF_RETRY && d->hint < 0.0,
        "hint function sees outcome %d, hint %g", d->outcome, d->hint);
  o->last_hint = o->set->hints[o->hint_calls++ % MAX_CUSTOM];
  return o->last_hint;
}

static unsigned tries_fn(void *data) {
  return ((const settings *)data)->tries_fn_value;
}

static double time_fn(void *data) {
  return ((const settings *)data)->time_fn_value;
}

static int succeed(void *user_data) {
  (void)user_data;
  return 0;
}

/* ---- the oracle's rules ------------------------------------------------- */

int verdict_of(const settings *set, int rc) {
  size_t i;
  int listed = 0;
  if (set->rc_is_verdict)
    return rc >= BACKOFF_VERDICT_SUCCESS && rc <= BACKOFF_VERDICT_PASS_THROUGH
               ? rc
               : BACKOFF_VERDICT_GIVE_UP;
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

int budget_allows(const settings *set, unsigned allowed) {
  /* Dyadic parameters: the products are exact, so the rule has no rounding
   * to argue about. */
  const double first = (double)set->budget_deposits + 1.0;
  return (double)allowed + 1.0 <=
         set->budget_ratio * first + set->budget_min * set->budget_window;
}

/* ---- configuration ------------------------------------------------------ */

int fuzz_rc(fuzz_input *in) {
  static const int codes[] = {0, 1, 2, 3, 7, -1, 255, INT_MIN, INT_MAX};
  const unsigned k = fuzz_pick(in, 10);
  return k < 9 ? codes[k] : (int)(int32_t)(uint32_t)fuzz_u64(in);
}

static void configure_wait(backoff_policy *p, fuzz_input *in, settings *set,
                           observed *o) {
  double v[MAX_CUSTOM];
  backoff_status st = BACKOFF_OK;
  unsigned i;
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
    st = backoff_policy_wait_sequence(p, v, 1 + fuzz_pick(in, MAX_CUSTOM));
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
    CHECK(st == BACKOFF_OK, "custom wait refused: %d", st);
    set->can_run_out = 1;
    break;
  default: /* the default wait */
    break;
  }
  CHECK(st == BACKOFF_OK || st == BACKOFF_E_INVALID, "wait setter: %d",
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
  CHECK(st == BACKOFF_OK || st == BACKOFF_E_INVALID, "jitter setter: %d",
        st);
}

static void configure_limits(backoff_policy *p, fuzz_input *in,
                             settings *set) {
  double t;
  set->startable = 1;
  if (fuzz_pick(in, 4) == 0) {
    set->tries_fn_value = (unsigned)fuzz_pick(in, 8);
    CHECK(backoff_policy_max_tries_fn(p, tries_fn, set, NULL) ==
              BACKOFF_OK,
          "tries_fn refused");
    set->max_tries = set->tries_fn_value;
  } else {
    set->max_tries = (unsigned)fuzz_pick(in, 8);
    CHECK(backoff_policy_max_tries(p, set->max_tries) == BACKOFF_OK,
          "max_tries refused");
  }
  t = fuzz_double(in);
  if (fuzz_pick(in, 4) == 0) {
    set->time_fn_value = t;
    CHECK(backoff_policy_max_time_fn(p, time_fn, set, NULL) == BACKOFF_OK,
          "time_fn refused");
    set->startable = !(isnan(t) || t < 0.0);
  } else if (backoff_policy_max_time(p, t) != BACKOFF_OK) {
    CHECK(isnan(t) || t < 0.0, "max_time(%.17g) refused", t);
    t = 0.0;
  }
  set->max_time = isinf(t) || !set->startable ? 0.0 : t;
}

static void configure_classifier(backoff_policy *p, fuzz_input *in,
                                 settings *set, observed *o) {
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
        CHECK(st == BACKOFF_E_INVALID, "code list with 0: %d", st);
        set->classifier = 0;
        return;
      }
  } else if (set->classifier == 3) {
    st = backoff_policy_classify(p, custom_classify, o, NULL);
  }
  CHECK(st == BACKOFF_OK, "classifier setter: %d", st);
}

static void configure_hints(backoff_policy *p, fuzz_input *in, settings *set,
                            observed *o) {
  static const double caps[] = {0.0, 0.5, 2.0, 60.0, HUGE_VAL};
  unsigned i;
  set->has_hint_fn = fuzz_pick(in, 2) == 0;
  for (i = 0; i < MAX_CUSTOM; ++i)
    set->hints[i] = fuzz_double(in);
  if (set->has_hint_fn)
    CHECK(backoff_policy_hint(p, hint_fn, o, NULL) == BACKOFF_OK,
          "hint function refused");
  set->hint_max = caps[fuzz_pick(in, 5)];
  CHECK(backoff_policy_hint_max(p, set->hint_max) == BACKOFF_OK,
        "hint_max(%g) refused", set->hint_max);
  if (isinf(set->hint_max))
    set->hint_max = 0.0;
}

/* A budget on a frozen clock, with some first attempts counted already by
 * runs of another policy that shares it. */
static void configure_budget(backoff_policy *p, fuzz_input *in,
                             settings *set) {
  static const double ratios[] = {0.0, 0.25, 0.5, 1.0, 2.0, 3.0};
  static const double mins[] = {0.0, 0.5, 1.0, 2.0};
  static const double windows[] = {1.0, 2.0, 4.0};
  static double frozen_at;
  backoff_budget *b = NULL;
  backoff_policy *other = NULL;
  unsigned i;
  set->has_budget = fuzz_pick(in, 3) == 0;
  if (!set->has_budget)
    return;
  set->budget_ratio = ratios[fuzz_pick(in, 6)];
  set->budget_min = mins[fuzz_pick(in, 4)];
  set->budget_window = windows[fuzz_pick(in, 3)];
  set->budget_deposits = fuzz_pick(in, 8);
  frozen_at = fuzz_double(in); /* any time at all, even NaN: frozen */
  CHECK(backoff_budget_new(&b, set->budget_ratio, set->budget_min,
                           set->budget_window) == BACKOFF_OK,
        "budget refused");
  CHECK(backoff_budget_clock(b, frozen_clock, &frozen_at, NULL) ==
            BACKOFF_OK,
        "budget clock refused");
  CHECK(backoff_policy_budget(p, b) == BACKOFF_OK &&
            backoff_policy_new(&other) == BACKOFF_OK &&
            backoff_policy_budget(other, b) == BACKOFF_OK,
        "budget not attached");
  set->budget = b;
  for (i = 0; i < set->budget_deposits; ++i)
    CHECK(backoff_run(other, succeed, NULL, NULL) == BACKOFF_OK,
          "a first-try success failed");
  backoff_policy_free(other);
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
      CHECK(adders[i](p, hooks[i], o, NULL) == BACKOFF_OK, "hook %d", i);
  }
  set->has_log = (mask >> 4 & 1u) == 0;
  set->backoff_level = BACKOFF_LOG_INFO;
  set->giveup_level = BACKOFF_LOG_ERROR;
  if (set->has_log) {
    CHECK(backoff_policy_log(p, log_line, o, NULL) == BACKOFF_OK, "log");
    level_b = (int)fuzz_pick(in, 64) - 8;
    level_g = (int)fuzz_pick(in, 64) - 8;
    if (backoff_policy_log_levels(p, level_b, level_g) == BACKOFF_OK) {
      set->backoff_level = level_b;
      set->giveup_level = level_g;
    } else {
      CHECK(level_b < 0 || level_g < 0, "levels %d %d refused", level_b,
            level_g);
    }
  }
}

void configure_policy(backoff_policy *p, fuzz_input *in, settings *set,
                      observed *o) {
  memset(set, 0, sizeof *set);
  o->set = set;
  CHECK(backoff_policy_clock(p, fake_clock, o, NULL) == BACKOFF_OK &&
            backoff_policy_sleep(p, fake_sleep, o, NULL) == BACKOFF_OK,
        "clock or sleep refused");
  CHECK(backoff_policy_seed(p, fuzz_u64(in)) == BACKOFF_OK, "seed");
  configure_wait(p, in, set, o);
  configure_jitter(p, in, set);
  configure_limits(p, in, set);
  configure_classifier(p, in, set, o);
  configure_hints(p, in, set, o);
  configure_budget(p, in, set);
  configure_observers(p, in, set, o);
}
