/* backoff_parse_retry_after: real header values in all three date forms,
 * delay-seconds, the two-digit-year window of RFC 850 dates, and values a
 * recipient must refuse. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "backoff/backoff.h"

/* Sun, 06 Nov 1994 08:49:37 GMT, the RFC's own example. */
#define RFC_EXAMPLE 784111777.0
/* 2026-06-01T00:00:00Z and 2099-01-01T00:00:00Z. */
#define JUNE_2026 1780272000.0
#define JAN_2099 4070908800.0

/* Exact equality: the arithmetic is on whole seconds, so no tolerance. */
#define assert_same_seconds(actual, expected)                                 \
  do {                                                                        \
    if ((actual) != (expected))                                               \
      fail_msg("got %.17g s, expected %.17g s", (actual), (expected));        \
  } while (0)

struct valid_case {
  const char *value;
  double now;
  double expected;
};

static const struct valid_case valid_cases[] = {
    /* delay-seconds */
    {"120", RFC_EXAMPLE, 120.0},
    {"0", RFC_EXAMPLE, 0.0},
    {"007", RFC_EXAMPLE, 7.0},
    {" 5\t", RFC_EXAMPLE, 5.0}, /* optional whitespace around the value */
    {"99999999999999999999", RFC_EXAMPLE, 1e20},
    /* the same instant in the three forms, one minute ahead of now */
    {"Sun, 06 Nov 1994 08:49:37 GMT", RFC_EXAMPLE - 60.0, 60.0},
    {"Sunday, 06-Nov-94 08:49:37 GMT", RFC_EXAMPLE - 60.0, 60.0},
    {"Sun Nov  6 08:49:37 1994", RFC_EXAMPLE - 60.0, 60.0},
    /* fractional now */
    {"Sun, 06 Nov 1994 08:49:37 GMT", RFC_EXAMPLE - 0.25, 0.25},
    /* at or before now: no wait */
    {"Sun, 06 Nov 1994 08:49:37 GMT", RFC_EXAMPLE, 0.0},
    {"Sun, 06 Nov 1994 08:49:37 GMT", RFC_EXAMPLE + 3600.0, 0.0},
    /* real servers' values */
    {"Wed, 21 Oct 2015 07:28:00 GMT", 1445412480.0 - 3600.0, 3600.0},
    {"Thu, 29 Feb 2024 00:00:00 GMT", 1709164800.0 - 10.0, 10.0},
    {"Fri, 31 Dec 9999 23:59:59 GMT", 253402300799.0 - 1.0, 1.0},
    {"Tue, 29 Feb 2000 00:00:00 GMT", 951782400.0 - 2.0, 2.0},
    /* a leap second is the next minute's first second */
    {"Sat, 31 Dec 2016 23:59:60 GMT", 1483228800.0 - 5.0, 5.0},
    /* the weekday is not checked against the date (2015-10-21 is a Wed) */
    {"Mon, 21 Oct 2015 07:28:00 GMT", 1445412480.0 - 1.0, 1.0},
    /* RFC 850 two-digit years: the latest year that is not more than 50
     * years in the future */
    {"Monday, 01-Jun-76 00:00:00 GMT", JUNE_2026, 3358195200.0 - JUNE_2026},
    {"Monday, 01-Jun-76 00:00:01 GMT", JUNE_2026, 0.0}, /* 1976 */
    {"Tuesday, 01-Jan-30 00:00:00 GMT", JUNE_2026, 1893456000.0 - JUNE_2026},
    {"Friday, 01-Jan-99 00:00:00 GMT", JUNE_2026, 0.0}, /* 1999 */
    {"Saturday, 01-Jan-01 00:00:00 GMT", JAN_2099, 4133980800.0 - JAN_2099},
};

static void valid_values_give_the_wait(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof valid_cases / sizeof valid_cases[0]; ++i) {
    const struct valid_case *c = &valid_cases[i];
    double seconds = -1.0;
    print_message("case %zu: '%s'\n", i, c->value);
    assert_int_equal(backoff_parse_retry_after(c->value, c->now, &seconds),
                     BACKOFF_OK);
    assert_same_seconds(seconds, c->expected);
  }
}

static const char *const malformed[] = {
    "",
    "   ",
    "-1",
    "+5",
    "1.5",
    "5s",
    "12 0",
    "0x10",
    "Sun, 06 Nov 1994 08:49:37 UTC",      /* only GMT */
    "Sun, 06 Nov 1994 08:49:37 gmt",      /* case-sensitive */
    "sun, 06 Nov 1994 08:49:37 GMT",
    "Sun, 06 nov 1994 08:49:37 GMT",
    "Sun, 6 Nov 1994 08:49:37 GMT",       /* day is 2DIGIT */
    "Sun, 06 Nov 94 08:49:37 GMT",        /* year is 4DIGIT */
    "Sun,06 Nov 1994 08:49:37 GMT",
    "Sun, 06 Nov 1994 8:49:37 GMT",
    "Sun, 06 Nov 1994 08:49 GMT",
    "Sun, 06 Nov 1994 08:49:37 GMT extra",
    "Sun, 06 Nov 1994 08:49:37",
    "Sun, 06 Foo 1994 08:49:37 GMT",
    "Fun, 06 Nov 1994 08:49:37 GMT",
    "Sun, 00 Nov 1994 08:49:37 GMT",      /* impossible dates and times */
    "Sun, 31 Nov 1994 08:49:37 GMT",
    "Wed, 29 Feb 2023 00:00:00 GMT",
    "Sat, 29 Feb 1900 00:00:00 GMT",
    "Sun, 06 Nov 1994 24:00:00 GMT",
    "Sun, 06 Nov 1994 08:60:00 GMT",
    "Sun, 06 Nov 1994 08:49:61 GMT",
    "Sunday, 06-Nov-1994 08:49:37 GMT",   /* RFC 850 year is 2DIGIT */
    "Sun, 06-Nov-94 08:49:37 GMT",        /* RFC 850 needs the long name */
    "Sunday, 06 Nov 1994 08:49:37 GMT",
    "Sun Nov 6 08:49:37 1994",            /* asctime: SP SP DIGIT */
    "Sun Nov  6 08:49:37 94",
    "Sun Nov  6 08:49:37 1994 GMT",
    "1994-11-06T08:49:37Z",               /* ISO 8601 is not an HTTP-date */
};

static void malformed_values_are_refused(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; ++i) {
    double seconds = 42.0;
    print_message("case %zu: '%s'\n", i, malformed[i]);
    assert_int_equal(backoff_parse_retry_after(malformed[i], RFC_EXAMPLE,
                                               &seconds),
                     BACKOFF_E_PARSE);
    assert_same_seconds(seconds, 42.0); /* untouched on error */
  }
}

static void bad_arguments_are_invalid(void **state) {
  (void)state;
  double seconds = 42.0;
  assert_int_equal(backoff_parse_retry_after(NULL, 0.0, &seconds),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_parse_retry_after("5", 0.0, NULL),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_parse_retry_after("5", NAN, &seconds),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_parse_retry_after("5", INFINITY, &seconds),
                   BACKOFF_E_INVALID);
  assert_same_seconds(seconds, 42.0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(valid_values_give_the_wait),
      cmocka_unit_test(malformed_values_are_refused),
      cmocka_unit_test(bad_arguments_are_invalid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
