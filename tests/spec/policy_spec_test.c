/* backoff_policy_parse / backoff_policy_format: what each spec means (seen
 * through its canonical form), where and why bad specs fail, all-or-nothing
 * application, and a round-trip property over many random policies: the
 * canonical text reads back as a policy that formats identically AND gives
 * identical waits. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "backoff/backoff.h"

#define DEFAULTS_TAIL " jitter=full tries=0 time=0"

static backoff_policy *new_policy(void) {
  backoff_policy *p = NULL;
  assert_int_equal(backoff_policy_new(&p), BACKOFF_OK);
  return p;
}

static void format_into(const backoff_policy *p, char *buf, size_t size) {
  size_t needed = 0;
  assert_int_equal(backoff_policy_format(p, buf, size, &needed), BACKOFF_OK);
  assert_true(needed < size);
  assert_int_equal(strlen(buf), needed);
}

/* ---------------------------------------------------------------- parsing */

struct parse_case {
  const char *spec;
  const char *canonical;
};

static const struct parse_case parse_cases[] = {
    {"", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL},
    {"expo", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL},
    {"expo()", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL},
    {"expo(base=3)", "expo(base=3,factor=1,max=0)" DEFAULTS_TAIL},
    {"expo(base=2,factor=0.5,max=30) jitter=full tries=5 time=60 seed=7",
     "expo(base=2,factor=0.5,max=30) jitter=full tries=5 time=60 seed=7"},
    {"expo(max=inf)", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL},
    {"  fibo( max = 10 )\t", "fibo(max=10)" DEFAULTS_TAIL},
    {"expo(factor=0.5, base=4)", "expo(base=4,factor=0.5,max=0)" DEFAULTS_TAIL},
    {"constant", "constant(interval=1)" DEFAULTS_TAIL},
    {"constant(interval=1e-3)", "constant(interval=0.001)" DEFAULTS_TAIL},
    {"decay", "decay(initial=1,factor=1,min=0)" DEFAULTS_TAIL},
    {"decay(initial=10,factor=0.5,min=1)",
     "decay(initial=10,factor=0.5,min=1)" DEFAULTS_TAIL},
    {"linear", "linear(start=1,increment=1,max=0)" DEFAULTS_TAIL},
    {"linear(start=0.5,increment=0.25,max=3)",
     "linear(start=0.5,increment=0.25,max=3)" DEFAULTS_TAIL},
    {"sequence(1, 2.5,0)", "sequence(1,2.5,0)" DEFAULTS_TAIL},
    {"jitter=none", "expo(base=2,factor=1,max=0) jitter=none tries=0 time=0"},
    {"jitter=random", "expo(base=2,factor=1,max=0) jitter=random tries=0 time=0"},
    {"jitter=equal", "expo(base=2,factor=1,max=0) jitter=equal tries=0 time=0"},
    {"jitter=decorrelated",
     "expo(base=2,factor=1,max=0) jitter=decorrelated tries=0 time=0"},
    {"jitter=proportional",
     "expo(base=2,factor=1,max=0) jitter=proportional(0.5) tries=0 time=0"},
    {"jitter=proportional(0.25)",
     "expo(base=2,factor=1,max=0) jitter=proportional(0.25) tries=0 time=0"},
    {"jitter=proportional(f=0.1)",
     "expo(base=2,factor=1,max=0) jitter=proportional(0.1) tries=0 time=0"},
    {"tries=4294967295",
     "expo(base=2,factor=1,max=0) jitter=full tries=4294967295 time=0"},
    {"time=0.1", "expo(base=2,factor=1,max=0) jitter=full tries=0 time=0.1"},
    {"time=inf", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL},
    {"retry-on=1,75,-3", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL
                         " retry-on=1,75,-3"},
    {"giveup-on=126,127", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL
                          " giveup-on=126,127"},
    {"seed=18446744073709551615", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL
                                  " seed=18446744073709551615"},
    /* settings in any order; the canonical order is fixed */
    {"seed=1 tries=2 fibo", "fibo(max=0) jitter=full tries=2 time=0 seed=1"},
    /* "inf" wherever 0 means no limit, tries included */
    {"tries=inf", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL},
    {"tries=INF", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL},
    /* -0 is 0, and formats as 0 */
    {"time=-0 constant(interval=-0)", "constant(interval=0)" DEFAULTS_TAIL},
    {"linear(start=-0,increment=-0,max=-0) jitter=proportional(-0)",
     "linear(start=0,increment=0,max=0) jitter=proportional(0) tries=0 time=0"},
    /* server hints: the cap on them */
    {"hint-max=30", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL " hint-max=30"},
    {"hint-max=inf", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL},
    {"hint-max=0", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL},
    /* budgets, with their defaults */
    {"budget", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL
               " budget(ratio=0.2,min=10,window=10)"},
    {"budget()", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL
                 " budget(ratio=0.2,min=10,window=10)"},
    {"budget(window=60, ratio=0.1)", "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL
                                     " budget(ratio=0.1,min=10,window=60)"},
    {"budget(ratio=0,min=0,window=1e-3) seed=3 hint-max=5 giveup-on=2",
     "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL
     " giveup-on=2 seed=3 hint-max=5 budget(ratio=0,min=0,window=0.001)"},
};

static void specs_configure_the_policy(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; ++i) {
    const struct parse_case *c = &parse_cases[i];
    backoff_policy *p = new_policy();
    char buf[256];
    print_message("case %zu: '%s'\n", i, c->spec);
    assert_int_equal(backoff_policy_parse(p, c->spec, NULL, NULL, 0),
                     BACKOFF_OK);
    format_into(p, buf, sizeof buf);
    assert_string_equal(buf, c->canonical);
    backoff_policy_free(p);
  }
}

static void omitted_settings_keep_their_value(void **state) {
  (void)state;
  backoff_policy *p = new_policy();
  char buf[256];
  assert_int_equal(backoff_policy_parse(p, "fibo(max=8) tries=3 seed=9 "
                                           "retry-on=5",
                                        NULL, NULL, 0),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_parse(p, "time=10 jitter=none", NULL, NULL, 0),
                   BACKOFF_OK);
  format_into(p, buf, sizeof buf);
  assert_string_equal(
      buf, "fibo(max=8) jitter=none tries=3 time=10 retry-on=5 seed=9");
  /* a later classification replaces the earlier one */
  assert_int_equal(backoff_policy_parse(p, "giveup-on=2", NULL, NULL, 0),
                   BACKOFF_OK);
  format_into(p, buf, sizeof buf);
  assert_string_equal(
      buf, "fibo(max=8) jitter=none tries=3 time=10 giveup-on=2 seed=9");
  backoff_policy_free(p);
}

static int always_fails(void *data) {
  ++*(unsigned *)data;
  return 1;
}

/* A spec's budget is the policy's own, shared by all its runs; an attached
 * one formats as its parameters. */
static void budgets_from_specs_limit_every_run_of_the_policy(void **state) {
  (void)state;
  backoff_policy *p = new_policy();
  backoff_budget *b = NULL;
  char buf[256];
  unsigned attempts = 0;
  /* a floor of exactly one retry in a window longer than any test */
  assert_int_equal(backoff_policy_parse(p, "constant(interval=0) tries=5 "
                                           "budget(ratio=0,min=1e-9,window=1e9)",
                                        NULL, NULL, 0),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_BUDGET);
  assert_int_equal(attempts, 2);
  attempts = 0;
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_BUDGET);
  assert_int_equal(attempts, 1);

  assert_int_equal(backoff_budget_new(&b, 0.5, 3, 30), BACKOFF_OK);
  assert_int_equal(backoff_policy_budget(p, b), BACKOFF_OK);
  backoff_budget_free(b);
  format_into(p, buf, sizeof buf);
  assert_string_equal(buf, "constant(interval=0) jitter=full tries=5 time=0 "
                           "budget(ratio=0.5,min=3,window=30)");
  backoff_policy_free(p);
}

/* ----------------------------------------------------------------- errors */

struct error_case {
  const char *spec;
  size_t offset;
  const char *message;
};

static const struct error_case error_cases[] = {
    {"foo=1", 0, "unknown setting 'foo'"},
    {"expoo(base=2)", 0, "unknown wait or setting 'expoo'"},
    {"expo bogus", 5, "unknown wait or setting 'bogus'"},
    {"expo(bse=2)", 5, "expo has no parameter 'bse'"},
    {"expo(base=2,base=3)", 12, "'base' given twice in expo(...)"},
    {"expo(base=abc)", 10, "bad number 'abc' for 'base'"},
    {"expo(base=)", 10, "bad number '' for 'base'"},
    {"expo(base=0)", 0, "invalid 'expo(base=0)': base and factor must be"},
    {"fibo(max=-1)", 0, "invalid 'fibo(max=-1)': max must be >= 0"},
    {"constant(interval=nan)", 0, "invalid 'constant(interval=nan)'"},
    {"expo(2)", 5, "expected NAME=VALUE in expo(...), got '2'"},
    {"expo(base=1,)", 12, "empty parameter in 'expo(base=1,)'"},
    {"expo(=2)", 5, "missing parameter name in '=2'"},
    {"(1)", 0, "missing name before '('"},
    {"expo fibo", 5, "a second wait 'fibo': only one is allowed"},
    {"expo(base=2", 0, "missing ')' in 'expo(base=2'"},
    {"tries=3 expo)", 12, "unmatched ')'"},
    {"expo(base=2)x", 12, "unexpected 'x' after ')'"},
    {"sequence()", 0, "sequence needs at least one value"},
    {"sequence(1,x)", 11, "bad number 'x' in sequence"},
    {"sequence(1,-1)", 0, "invalid 'sequence(1,-1)': values must be"},
    {"tries=x", 6, "bad whole number 'x' for 'tries'"},
    {"tries=-1", 6, "bad whole number '-1' for 'tries'"},
    {"tries=4294967296", 6, "bad whole number '4294967296' for 'tries'"},
    {"tries=1 tries=2", 8, "'tries' given twice"},
    {"time=-1", 5, "invalid 'time' '-1'"},
    {"time=nan", 5, "invalid 'time' 'nan'"},
    {"time=1s", 5, "bad number '1s' for 'time'"},
    {"jitter=fuzzy", 7, "unknown jitter 'fuzzy'"},
    {"jitter=full(1)", 7, "jitter 'full' takes no parameters"},
    {"jitter=proportional(2)", 7, "invalid 'proportional(2)': f must be in"},
    {"jitter=proportional(1,2)", 22, "proportional jitter takes one"},
    {"jitter=proportional(g=1)", 20, "proportional has no parameter 'g'"},
    {"jitter=", 7, "missing value for 'jitter'"},
    {"retry-on=1,,2", 11, "bad exit code '' in 'retry-on'"},
    {"retry-on=x", 9, "bad exit code 'x' in 'retry-on'"},
    {"retry-on=0", 9, "0 is success; it cannot be in 'retry-on'"},
    {"retry-on=1 giveup-on=2", 11, "'giveup-on' conflicts with 'retry-on'"},
    {"seed=-5", 5, "bad whole number '-5' for 'seed'"},
    {"tries=-inf", 6, "bad whole number '-inf' for 'tries'"},
    {"tries=2.5", 6, "bad whole number '2.5' for 'tries'"},
    {"hint-max=-1", 9, "invalid 'hint-max' '-1'"},
    {"hint-max=nan", 9, "invalid 'hint-max' 'nan'"},
    {"hint-max=1 hint-max=2", 11, "'hint-max' given twice"},
    {"budget(ratio=-1)", 0, "invalid 'budget(ratio=-1)': ratio and min"},
    {"budget(window=0)", 0, "invalid 'budget(window=0)'"},
    {"budget(window=inf)", 0, "invalid 'budget(window=inf)'"},
    {"budget(min=nan)", 0, "invalid 'budget(min=nan)'"},
    {"budget(rate=1)", 7, "budget has no parameter 'rate'"},
    {"budget(0.2)", 7, "expected NAME=VALUE in budget(...), got '0.2'"},
    {"budget(ratio=x)", 13, "bad number 'x' for 'ratio'"},
    {"budget(ratio=1,ratio=2)", 15, "'ratio' given twice in budget(...)"},
    {"budget budget", 7, "'budget' given twice"},
};

static void bad_specs_name_the_token_and_its_offset(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; ++i) {
    const struct error_case *c = &error_cases[i];
    backoff_policy *p = new_policy();
    size_t offset = 999;
    char msg[160] = "";
    print_message("case %zu: '%s'\n", i, c->spec);
    assert_int_equal(backoff_policy_parse(p, c->spec, &offset, msg, sizeof msg),
                     BACKOFF_E_PARSE);
    assert_int_equal(offset, c->offset);
    assert_non_null(strstr(msg, c->message));
    backoff_policy_free(p);
  }
}

static void a_failed_parse_changes_nothing(void **state) {
  (void)state;
  backoff_policy *p = new_policy();
  char before[256], after[256];
  assert_int_equal(backoff_policy_parse(p, "constant(interval=3) tries=4 "
                                           "giveup-on=9 seed=1",
                                        NULL, NULL, 0),
                   BACKOFF_OK);
  format_into(p, before, sizeof before);
  /* every setting before the bad token is valid, and none may land */
  assert_int_equal(backoff_policy_parse(p,
                                        "fibo tries=9 time=5 jitter=none "
                                        "retry-on=1 seed=2 bogus",
                                        NULL, NULL, 0),
                   BACKOFF_E_PARSE);
  format_into(p, after, sizeof after);
  assert_string_equal(before, after);
  backoff_policy_free(p);
}

static void error_message_is_truncated_and_terminated(void **state) {
  (void)state;
  backoff_policy *p = new_policy();
  char msg[8];
  memset(msg, 'x', sizeof msg);
  assert_int_equal(backoff_policy_parse(p, "nonsense=1", NULL, msg, sizeof msg),
                   BACKOFF_E_PARSE);
  assert_string_equal(msg, "unknown");
  /* no offset and no buffer wanted: still a parse error */
  assert_int_equal(backoff_policy_parse(p, "nonsense=1", NULL, NULL, 0),
                   BACKOFF_E_PARSE);
  assert_int_equal(backoff_policy_parse(NULL, "expo", NULL, NULL, 0),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_policy_parse(p, NULL, NULL, NULL, 0),
                   BACKOFF_E_INVALID);
  backoff_policy_free(p);
}

/* ------------------------------------------------------------- formatting */

static double fixed_clock(void *data) {
  (void)data;
  return 0.0;
}
static void no_sleep(double seconds, void *data) {
  (void)seconds;
  (void)data;
}
static void no_hook(const backoff_details *d, void *data) {
  (void)d;
  (void)data;
}
static double custom_wait(const backoff_details *d, void *data) {
  (void)d;
  (void)data;
  return 1.0;
}
static double custom_jitter(double w, double u, void *data) {
  (void)u;
  (void)data;
  return w;
}
static int custom_classify(const backoff_details *d, void *data) {
  (void)d;
  (void)data;
  return BACKOFF_VERDICT_RETRY;
}
static unsigned custom_tries(void *data) {
  (void)data;
  return 3;
}
static double custom_time(void *data) {
  (void)data;
  return 3.0;
}

static void custom_functions_cannot_be_formatted(void **state) {
  (void)state;
  char buf[256];
  backoff_policy *p;

  p = new_policy();
  assert_int_equal(backoff_policy_wait_custom(p, custom_wait, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_format(p, buf, sizeof buf, NULL),
                   BACKOFF_E_UNSUPPORTED);
  backoff_policy_free(p);

  p = new_policy();
  assert_int_equal(backoff_policy_jitter_custom(p, custom_jitter, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_format(p, buf, sizeof buf, NULL),
                   BACKOFF_E_UNSUPPORTED);
  backoff_policy_free(p);

  p = new_policy();
  assert_int_equal(backoff_policy_classify(p, custom_classify, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_format(p, buf, sizeof buf, NULL),
                   BACKOFF_E_UNSUPPORTED);
  backoff_policy_free(p);

  p = new_policy();
  assert_int_equal(backoff_policy_max_tries_fn(p, custom_tries, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_format(p, buf, sizeof buf, NULL),
                   BACKOFF_E_UNSUPPORTED);
  backoff_policy_free(p);

  p = new_policy();
  assert_int_equal(backoff_policy_max_time_fn(p, custom_time, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_format(p, buf, sizeof buf, NULL),
                   BACKOFF_E_UNSUPPORTED);
  backoff_policy_free(p);

  /* hooks, logging, clock and sleep are not part of a spec */
  p = new_policy();
  assert_int_equal(backoff_policy_on_backoff(p, no_hook, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_log(p, backoff_log_stderr, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_clock(p, fixed_clock, NULL, NULL), BACKOFF_OK);
  assert_int_equal(backoff_policy_sleep(p, no_sleep, NULL, NULL), BACKOFF_OK);
  format_into(p, buf, sizeof buf);
  assert_string_equal(buf, "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL);
  backoff_policy_free(p);
}

static void small_buffers_get_the_needed_length(void **state) {
  (void)state;
  static const char canonical[] = "expo(base=2,factor=1,max=0)" DEFAULTS_TAIL;
  backoff_policy *p = new_policy();
  char small[5];
  size_t needed = 0;
  assert_int_equal(backoff_policy_format(p, small, sizeof small, &needed),
                   BACKOFF_OK);
  assert_int_equal(needed, strlen(canonical));
  assert_string_equal(small, "expo");
  needed = 0;
  assert_int_equal(backoff_policy_format(p, NULL, 0, &needed), BACKOFF_OK);
  assert_int_equal(needed, strlen(canonical));
  assert_int_equal(backoff_policy_format(p, NULL, 1, &needed),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_policy_format(NULL, small, sizeof small, &needed),
                   BACKOFF_E_INVALID);
  backoff_policy_free(p);
}

/* ------------------------------------------------- round-trip property -- */

/* xorshift64*: the test's own reproducible randomness. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t next_u64(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Du;
}
static unsigned below(unsigned n) { return (unsigned)(next_u64() % n); }
/* Full 53-bit mantissas, so that a lossy number format would show. */
static double unit(void) { return (double)(next_u64() >> 11) * 0x1p-53; }
static double positive(void) {
  return ldexp(0.5 + unit() / 2.0, (int)below(40) - 20);
}
static double cap_or_none(void) { return below(3) == 0 ? 0.0 : positive(); }

static void random_policy(backoff_policy *p) {
  switch (below(6)) {
  case 0:
    assert_int_equal(backoff_policy_wait_expo(p, 1.0 + positive(), positive(),
                                              cap_or_none()),
                     BACKOFF_OK);
    break;
  case 1:
    assert_int_equal(backoff_policy_wait_fibo(p, cap_or_none()), BACKOFF_OK);
    break;
  case 2:
    assert_int_equal(backoff_policy_wait_constant(p, positive()), BACKOFF_OK);
    break;
  case 3:
    assert_int_equal(
        backoff_policy_wait_decay(p, positive(), unit(), cap_or_none()),
        BACKOFF_OK);
    break;
  case 4:
    assert_int_equal(
        backoff_policy_wait_linear(p, unit(), positive(), cap_or_none()),
        BACKOFF_OK);
    break;
  default: {
    double values[6];
    const size_t n = 1 + below(6);
    for (size_t i = 0; i < n; ++i)
      values[i] = positive();
    assert_int_equal(backoff_policy_wait_sequence(p, values, n), BACKOFF_OK);
  }
  }
  const unsigned jitter = below(6);
  if (jitter == BACKOFF_JITTER_PROPORTIONAL)
    assert_int_equal(backoff_policy_jitter_proportional(p, unit()), BACKOFF_OK);
  else
    assert_int_equal(backoff_policy_jitter(p, (int)jitter), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_tries(p, below(12)), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_time(p, below(2) ? 0.0 : 10.0 * positive()),
                   BACKOFF_OK);
  const int codes[] = {1 + (int)below(3), -1 - (int)below(200)};
  switch (below(3)) {
  case 0:
    assert_int_equal(backoff_policy_retry_on(p, codes, 1 + below(2)), BACKOFF_OK);
    break;
  case 1:
    assert_int_equal(backoff_policy_giveup_on(p, codes, 1 + below(2)),
                     BACKOFF_OK);
    break;
  default:
    break;
  }
  /* always seeded: an unseeded policy draws fresh jitter every run */
  assert_int_equal(backoff_policy_seed(p, next_u64()), BACKOFF_OK);
}

static double fake_clock(void *data) { return *(const double *)data; }

/* One run driven through the state machine: statuses and waits, at most 25
 * attempts, attempt i returning rcs[i % 3], each attempt taking 0.25 s of
 * fake time. */
struct trace {
  int status[25];
  double wait[25];
  int steps;
};

static void run_trace(backoff_policy *p, double *now, struct trace *t) {
  const int rcs[3] = {1, 2, 3};
  backoff_state *s = NULL;
  *now = 1000.0;
  assert_int_equal(backoff_state_new(p, NULL, NULL, &s), BACKOFF_OK);
  t->steps = 0;
  for (int i = 0; i < 25; ++i) {
    assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
    *now += 0.25;
    double wait = -1.0;
    const backoff_status st = backoff_state_next(s, rcs[i % 3], &wait);
    t->status[i] = st;
    t->wait[i] = wait;
    t->steps = i + 1;
    if (st != BACKOFF_RETRY)
      break;
    *now += wait;
  }
  backoff_state_free(s);
}

static void format_then_parse_gives_an_identical_policy(void **state) {
  (void)state;
  for (int i = 0; i < 500; ++i) {
    double now_a = 0.0, now_b = 0.0;
    backoff_policy *a = new_policy();
    backoff_policy *b = new_policy();
    char text_a[512], text_b[512];
    size_t offset = 0;
    char msg[160] = "";

    random_policy(a);
    format_into(a, text_a, sizeof text_a);
    if (backoff_policy_parse(b, text_a, &offset, msg, sizeof msg) != BACKOFF_OK)
      fail_msg("'%s' does not parse: %s at %zu", text_a, msg, offset);
    format_into(b, text_b, sizeof text_b);
    assert_string_equal(text_a, text_b);

    assert_int_equal(backoff_policy_clock(a, fake_clock, &now_a, NULL),
                     BACKOFF_OK);
    assert_int_equal(backoff_policy_clock(b, fake_clock, &now_b, NULL),
                     BACKOFF_OK);
    struct trace ta, tb;
    run_trace(a, &now_a, &ta);
    run_trace(b, &now_b, &tb);
    assert_int_equal(ta.steps, tb.steps);
    for (int k = 0; k < ta.steps; ++k) {
      assert_int_equal(ta.status[k], tb.status[k]);
      if (memcmp(&ta.wait[k], &tb.wait[k], sizeof(double)) != 0)
        fail_msg("'%s': wait %d differs: %.17g vs %.17g", text_a, k,
                 ta.wait[k], tb.wait[k]);
    }
    backoff_policy_free(a);
    backoff_policy_free(b);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(specs_configure_the_policy),
      cmocka_unit_test(omitted_settings_keep_their_value),
      cmocka_unit_test(budgets_from_specs_limit_every_run_of_the_policy),
      cmocka_unit_test(bad_specs_name_the_token_and_its_offset),
      cmocka_unit_test(a_failed_parse_changes_nothing),
      cmocka_unit_test(error_message_is_truncated_and_terminated),
      cmocka_unit_test(custom_functions_cannot_be_formatted),
      cmocka_unit_test(small_buffers_get_the_needed_length),
      cmocka_unit_test(format_then_parse_gives_an_identical_policy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
