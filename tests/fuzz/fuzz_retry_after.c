/*
 * backoff_parse_retry_after on any bytes and any `now`. The first byte
 * chooses the value: the remaining bytes as they are, or an IMF-fixdate
 * built from them (fields in and out of range), so that dates are common
 * enough to check. Checks:
 *  - a `now` that is not finite gives BACKOFF_E_INVALID; otherwise the
 *    status is OK or BACKOFF_E_PARSE;
 *  - OK gives a finite wait >= 0;
 *  - delay-seconds (digits only) gives strtod's value (DBL_MAX when too big);
 *  - an IMF-fixdate, recognised and validated here independently (timegm
 *    must give back the same fields), is accepted exactly when valid, with
 *    the wait timegm(date) - now (0 for a date already past).
 */
#define _DEFAULT_SOURCE /* timegm, gmtime_r */

#include "fuzz.h"

#include <time.h>

#include <backoff/backoff.h>

static const char *const day_names[] = {"Mon", "Tue", "Wed", "Thu",
                                        "Fri", "Sat", "Sun"};
static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr",
                                          "May", "Jun", "Jul", "Aug",
                                          "Sep", "Oct", "Nov", "Dec"};

static int index_of(const char *s, const char *const *names, int n) {
  int i;
  for (i = 0; i < n; ++i)
    if (strncmp(s, names[i], 3) == 0)
      return i;
  return -1;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* The number in s[0..n), all digits, or -1. */
static long digits(const char *s, int n) {
  long v = 0;
  int i;
  for (i = 0; i < n; ++i) {
    if (!is_digit(s[i]))
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" (29 characters, case-sensitive). Returns
 * 0 when s does not have this shape; 1 with *valid telling whether the date
 * exists, and *when its Unix time. */
static int imf_fixdate(const char *s, size_t len, int *valid, double *when) {
  struct tm tm, back;
  long day, year, hour, minute, second;
  int month;
  time_t t;
  if (len != 29 || index_of(s, day_names, 7) < 0 || strncmp(s + 3, ", ", 2) ||
      s[7] != ' ' || (month = index_of(s + 8, month_names, 12)) < 0 ||
      s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':' ||
      strncmp(s + 25, " GMT", 4) != 0)
    return 0;
  day = digits(s + 5, 2);
  year = digits(s + 12, 4);
  hour = digits(s + 17, 2);
  minute = digits(s + 20, 2);
  second = digits(s + 23, 2);
  if (day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0)
    return 0;
  /* A leap second (:60) is the next minute's first second. */
  memset(&tm, 0, sizeof tm);
  tm.tm_year = (int)year - 1900;
  tm.tm_mon = month;
  tm.tm_mday = (int)day;
  tm.tm_hour = (int)hour;
  tm.tm_min = (int)minute;
  tm.tm_sec = second == 60 ? 59 : (int)second;
  t = timegm(&tm);
  *valid = gmtime_r(&t, &back) != NULL && back.tm_year == tm.tm_year &&
           back.tm_mon == month && back.tm_mday == day &&
           back.tm_hour == hour && back.tm_min == minute &&
           back.tm_sec == (second == 60 ? 59 : second);
  *when = (double)t + (second == 60 ? 1.0 : 0.0);
  return 1;
}

/* An IMF-fixdate from fuzz bytes: every field may be out of range. */
static void make_date(fuzz_input *in, char *out, size_t size) {
  const unsigned day = fuzz_pick(in, 33), year = (unsigned)fuzz_u64(in) % 10000;
  const unsigned hour = fuzz_pick(in, 26), minute = fuzz_pick(in, 62),
                 second = fuzz_pick(in, 62);
  snprintf(out, size, "%s, %02u %s %04u %02u:%02u:%02u GMT",
           day_names[fuzz_pick(in, 7)], day, month_names[fuzz_pick(in, 12)],
           year, hour, minute, second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input in = {data, size};
  const unsigned mode = fuzz_pick(&in, 4);
  /* Mostly a plausible clock (seconds around today, or any 40-bit time),
   * sometimes any double at all. */
  const double now = mode == 3 ? fuzz_raw_double(&in)
                               : (double)(int64_t)(fuzz_u64(&in) % (1ULL << 40)) -
                                     (double)(1ULL << 39);
  char *value;
  const char *trimmed;
  size_t len;
  double seconds = -1.0, when = 0.0;
  int valid = 0;
  backoff_status st;

  if (mode == 0) {
    value = malloc(64);
    CHECK(value != NULL, "out of memory");
    make_date(&in, value, 64);
  } else {
    value = malloc(in.size + 1);
    CHECK(value != NULL, "out of memory");
    memcpy(value, in.data, in.size);
    value[in.size] = '\0';
  }

  st = backoff_parse_retry_after(value, now, &seconds);
  if (!isfinite(now)) {
    CHECK(st == BACKOFF_E_INVALID, "now %g gave %d", now, st);
    free(value);
    return 0;
  }
  CHECK(st == BACKOFF_OK || st == BACKOFF_E_PARSE, "status %d for '%s'",
        st, value);
  if (st == BACKOFF_OK)
    CHECK(isfinite(seconds) && seconds >= 0.0, "'%s' gave %.17g", value,
          seconds);

  /* The same value without the spaces and tabs around it. */
  trimmed = value;
  while (*trimmed == ' ' || *trimmed == '\t')
    trimmed++;
  len = strlen(trimmed);
  while (len > 0 && (trimmed[len - 1] == ' ' || trimmed[len - 1] == '\t'))
    len--;

  if (len > 0 && strspn(trimmed, "0123456789") == len) {
    char *digits_only = malloc(len + 1);
    double expected;
    CHECK(digits_only != NULL, "out of memory");
    memcpy(digits_only, trimmed, len);
    digits_only[len] = '\0';
    expected = strtod(digits_only, NULL);
    if (isinf(expected))
      expected = DBL_MAX;
    CHECK(st == BACKOFF_OK && seconds == expected,
          "delay '%s': status %d, %.17g, expected %.17g", digits_only, st,
          seconds, expected);
    free(digits_only);
  } else if (imf_fixdate(trimmed, len, &valid, &when)) {
    const double expected = when - now > 0.0 ? when - now : 0.0;
    CHECK(st == (valid ? BACKOFF_OK : BACKOFF_E_PARSE),
          "date '%s' (%s) gave status %d", value,
          valid ? "valid" : "invalid", st);
    CHECK(!valid || seconds == expected,
          "date '%s' at now %.17g: %.17g, expected %.17g", value, now,
          seconds, expected);
  }
  free(value);
  return 0;
}
