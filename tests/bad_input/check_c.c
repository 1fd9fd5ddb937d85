/* Runs the C and spec columns of cases.tsv: each C call and each spec must
 * give the status the table names (and, for a spec, the parser's message),
 * and leave the policy, budget or output exactly as it was. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backoff/backoff.h"
#include "call.h"

#define CANNOT "\xe2\x80\x93" /* "–": the layer cannot express the input */

/* A policy whose every setting differs from the defaults, so that a
 * setter that changed anything shows in its canonical spec. */
static const char kStart[] =
    "constant(interval=3) jitter=none tries=4 time=9 seed=1 hint-max=7";

static int failures = 0;

static void fail(const char *id, const char *column, const char *want,
                 const char *got) {
  fprintf(stderr, "cases.tsv %s, column %s: the table says '%s', got '%s'\n",
          id, column, want, got);
  ++failures;
}

static const char *status_name(int s) {
  switch (s) {
  case BACKOFF_OK: return "ok";
  case BACKOFF_E_INVALID: return "BACKOFF_E_INVALID";
  case BACKOFF_E_NOMEM: return "BACKOFF_E_NOMEM";
  case BACKOFF_E_MISUSE: return "BACKOFF_E_MISUSE";
  case BACKOFF_E_PARSE: return "BACKOFF_E_PARSE";
  case BACKOFF_E_UNSUPPORTED: return "BACKOFF_E_UNSUPPORTED";
  case BACKOFF_E_INTERNAL: return "BACKOFF_E_INTERNAL";
  default: return "a status that is not an error";
  }
}

static void format(const backoff_policy *p, char *buf, size_t size) {
  if (backoff_policy_format(p, buf, size, NULL) != BACKOFF_OK) {
    fputs("cannot format the policy\n", stderr);
    exit(1);
  }
}

static backoff_policy *start_policy(void) {
  backoff_policy *p = NULL;
  if (backoff_policy_new(&p) != BACKOFF_OK ||
      backoff_policy_parse(p, kStart, NULL, NULL, 0) != BACKOFF_OK) {
    fputs("cannot make the starting policy\n", stderr);
    exit(1);
  }
  return p;
}

static int ints(const call_arg *a, int *out) {
  for (size_t i = 0; i < a->list_size; ++i)
    out[i] = (int)a->list[i];
  return (int)a->list_size;
}

/* Makes the call on p; *touched says whether an output other than p was
 * written to although the call failed. -100: a shape this checker does
 * not know. */
static int make(backoff_policy *p, const call *c, int *touched) {
  const call_arg *a = c->args;
  const char *s = c->shape;
  int codes[CALL_MAX_ARGS];
  *touched = 0;
  if (strcmp(s, "wait_expo(_, _, _)") == 0)
    return backoff_policy_wait_expo(p, a[0].number, a[1].number, a[2].number);
  if (strcmp(s, "wait_constant(_)") == 0)
    return backoff_policy_wait_constant(p, a[0].number);
  if (strcmp(s, "wait_decay(_, _, _)") == 0)
    return backoff_policy_wait_decay(p, a[0].number, a[1].number, a[2].number);
  if (strcmp(s, "wait_linear(_, _, _)") == 0)
    return backoff_policy_wait_linear(p, a[0].number, a[1].number,
                                      a[2].number);
  if (strcmp(s, "wait_sequence(_)") == 0)
    return backoff_policy_wait_sequence(p, a[0].list, a[0].list_size);
  if (strcmp(s, "jitter_proportional(_)") == 0)
    return backoff_policy_jitter_proportional(p, a[0].number);
  if (strcmp(s, "jitter(_)") == 0)
    return backoff_policy_jitter(p, (int)a[0].number);
  if (strcmp(s, "max_time(_)") == 0)
    return backoff_policy_max_time(p, a[0].number);
  if (strcmp(s, "hint_max(_)") == 0)
    return backoff_policy_hint_max(p, a[0].number);
  if (strcmp(s, "retry_on(_)") == 0) {
    const int n = ints(&a[0], codes);
    return backoff_policy_retry_on(p, n > 0 ? codes : NULL, (size_t)n);
  }
  if (strcmp(s, "log_levels(_, _)") == 0)
    return backoff_policy_log_levels(p, (int)a[0].number, (int)a[1].number);
  if (strcmp(s, "budget_new(_, _, _)") == 0) {
    backoff_budget *const sentinel = (backoff_budget *)&codes;
    backoff_budget *b = sentinel;
    const int st = backoff_budget_new(&b, a[0].number, a[1].number,
                                      a[2].number);
    if (st == BACKOFF_OK)
      backoff_budget_free(b);
    else
      *touched = b != sentinel;
    return st;
  }
  if (strcmp(s, "parse_retry_after(_, _)") == 0) {
    double seconds = -12345.0;
    const int st = backoff_parse_retry_after(a[0].text, a[1].number, &seconds);
    *touched = st != BACKOFF_OK && seconds != -12345.0;
    return st;
  }
  return -100;
}

static void check_c(const char *id, const char *text, const char *want) {
  call c;
  if (call_parse(text, &c) != 0) {
    fail(id, "c", want, "a call this checker cannot read");
    return;
  }
  backoff_policy *p = start_policy();
  char before[512], after[512];
  format(p, before, sizeof before);
  int touched = 0;
  const int st = make(p, &c, &touched);
  if (st == -100)
    fail(id, "c", want, c.shape);
  else if (strcmp(status_name(st), want) != 0)
    fail(id, "c", want, status_name(st));
  format(p, after, sizeof after);
  if (st < 0 && strcmp(before, after) != 0)
    fail(id, "c", "the policy unchanged", after);
  if (touched)
    fail(id, "c", "the output unchanged", "written");
  backoff_policy_free(p);
}

static void check_spec(const char *id, const char *spec, const char *want) {
  backoff_policy *p = start_policy();
  char before[512], after[512], message[256] = "", got[320];
  format(p, before, sizeof before);
  const int st = backoff_policy_parse(p, spec, NULL, message, sizeof message);
  if (st == BACKOFF_E_PARSE)
    snprintf(got, sizeof got, "%s: %s", status_name(st), message);
  else
    snprintf(got, sizeof got, "%s", status_name(st));
  if (strcmp(got, want) != 0)
    fail(id, "spec", want, got);
  format(p, after, sizeof after);
  if (st < 0 && strcmp(before, after) != 0)
    fail(id, "spec", "the policy unchanged", after);
  backoff_policy_free(p);
}

/* Splits a line at its tabs in place; returns the number of fields. */
static size_t split(char *line, char **fields, size_t max) {
  size_t n = 0;
  line[strcspn(line, "\r\n")] = '\0';
  for (char *f = line; n < max; ++n) {
    fields[n] = f;
    char *tab = strchr(f, '\t');
    if (tab == NULL)
      return n + 1;
    *tab = '\0';
    f = tab + 1;
  }
  return n;
}

static size_t column(char **header, size_t n, const char *name) {
  for (size_t i = 0; i < n; ++i)
    if (strcmp(header[i], name) == 0)
      return i;
  fprintf(stderr, "cases.tsv has no column %s\n", name);
  exit(1);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fputs("usage: check_c cases.tsv\n", stderr);
    return 2;
  }
  FILE *f = fopen(argv[1], "r");
  if (f == NULL) {
    perror(argv[1]);
    return 2;
  }
  static char head_line[2048], line[2048];
  char *header[32], *fields[32];
  if (fgets(head_line, sizeof head_line, f) == NULL)
    return 2;
  const size_t n = split(head_line, header, 32);
  const size_t id = column(header, n, "id"), c = column(header, n, "c"),
               c_error = column(header, n, "c_error"),
               spec = column(header, n, "spec"),
               spec_error = column(header, n, "spec_error");
  int rows = 0, c_calls = 0, specs = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    if (split(line, fields, 32) != n) {
      fprintf(stderr, "cases.tsv: a row without %zu fields\n", n);
      return 1;
    }
    ++rows;
    if (strcmp(fields[c], CANNOT) != 0) {
      check_c(fields[id], fields[c], fields[c_error]);
      ++c_calls;
    }
    if (strcmp(fields[spec], CANNOT) != 0) {
      check_spec(fields[id], fields[spec], fields[spec_error]);
      ++specs;
    }
  }
  fclose(f);
  printf("%d rows: %d C calls, %d specs, %d failures\n", rows, c_calls, specs,
         failures);
  return failures == 0 && c_calls > 0 && specs > 0 ? 0 : 1;
}
