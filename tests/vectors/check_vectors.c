/* Checks the core against the shared test vectors (waits.tsv and hints.tsv,
 * written by the independent model reference_model.py): each line's policy
 * spec, run with every attempt failing on a fake clock, must give exactly the
 * listed waits and outcome. In hints.tsv, a second column gives each failed
 * attempt's server hint ('-': none), handed to the run through the policy's
 * hint function. The Rust and Go suites read the same files. */
#define _POSIX_C_SOURCE 200809L
#include <backoff/backoff.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ATTEMPT_COST 0.25
#define MAX_WAITS 128

struct run {
  double now;
  double waits[MAX_WAITS];
  size_t n;
  double hints[MAX_WAITS]; /* negative: none */
  size_t n_hints;
};

static double fake_clock(void *data) { return ((struct run *)data)->now; }
static void fake_sleep(double s, void *data) { ((struct run *)data)->now += s; }
static int failing_attempt(void *data) {
  ((struct run *)data)->now += ATTEMPT_COST;
  return 1;
}
static void record_wait(const backoff_details *d, void *data) {
  struct run *run = data;
  if (run->n < MAX_WAITS)
    run->waits[run->n++] = d->wait;
}

static double hint_of_attempt(const backoff_details *d, void *data) {
  const struct run *run = data;
  return d->tries <= run->n_hints ? run->hints[d->tries - 1] : -1.0;
}

/* "-,3.0,inf" into run->hints. */
static void read_hints(char *list, struct run *run) {
  char *tok, *save = NULL;
  for (tok = strtok_r(list, ",", &save); tok != NULL && run->n_hints < MAX_WAITS;
       tok = strtok_r(NULL, ",", &save))
    run->hints[run->n_hints++] = strcmp(tok, "-") == 0 ? -1.0 : strtod(tok, NULL);
}

static const char *outcome_name(backoff_status status) {
  switch (status) {
  case BACKOFF_GAVE_UP_TRIES: return "tries";
  case BACKOFF_GAVE_UP_TIME: return "time";
  case BACKOFF_GAVE_UP_EXHAUSTED: return "exhausted";
  default: return backoff_strerror(status);
  }
}

/* One vector: 0 when the core agrees. */
static int check(const char *spec, char *hints, const char *outcome,
                 char *waits, int line) {
  struct run run = {0};
  backoff_policy *p = NULL;
  char err[128];
  size_t at = 0, i = 0;
  backoff_status status;
  char *tok, *save = NULL;
  int bad = 0;

  if (backoff_policy_new(&p) != BACKOFF_OK) return 1;
  if (backoff_policy_parse(p, spec, &at, err, sizeof err) != BACKOFF_OK) {
    fprintf(stderr, "line %d: cannot parse '%s' at %zu: %s\n", line, spec, at, err);
    backoff_policy_free(p);
    return 1;
  }
  backoff_policy_clock(p, fake_clock, &run, NULL);
  backoff_policy_sleep(p, fake_sleep, &run, NULL);
  backoff_policy_on_backoff(p, record_wait, &run, NULL);
  if (hints != NULL) {
    read_hints(hints, &run);
    backoff_policy_hint(p, hint_of_attempt, &run, NULL);
  }
  status = backoff_run(p, failing_attempt, &run, NULL);
  backoff_policy_free(p);

  if (strcmp(outcome_name(status), outcome) != 0) {
    fprintf(stderr, "line %d: %s: outcome %s, expected %s\n", line, spec,
            outcome_name(status), outcome);
    bad = 1;
  }
  for (tok = strtok_r(waits, ",", &save); tok != NULL;
       tok = strtok_r(NULL, ",", &save), ++i) {
    const double expected = strtod(tok, NULL);
    if (i >= run.n || run.waits[i] != expected) {
      fprintf(stderr, "line %d: %s: wait %zu is %.17g, expected %.17g\n", line,
              spec, i, i < run.n ? run.waits[i] : -1.0, expected);
      bad = 1;
      break;
    }
  }
  if (!bad && i != run.n) {
    fprintf(stderr, "line %d: %s: %zu waits, expected %zu\n", line, spec, run.n, i);
    bad = 1;
  }
  return bad;
}

int main(int argc, char **argv) {
  char buf[8192];
  int line = 0, checked = 0, failed = 0;
  FILE *f;
  if (argc != 2 || (f = fopen(argv[1], "r")) == NULL) {
    fprintf(stderr, "usage: check_vectors waits.tsv|hints.tsv\n");
    return 2;
  }
  while (fgets(buf, sizeof buf, f) != NULL) {
    char *column[4];
    int n = 1;
    ++line;
    if (buf[0] == '#') continue;
    buf[strcspn(buf, "\n")] = '\0';
    column[0] = buf;
    while (n < 4 && (column[n] = strchr(column[n - 1], '\t')) != NULL)
      *column[n++]++ = '\0';
    if (n == 3) /* spec, outcome, waits */
      failed += check(column[0], NULL, column[1], column[2], line);
    else if (n == 4) /* spec, hints, outcome, waits */
      failed += check(column[0], column[1], column[2], column[3], line);
    else {
      fprintf(stderr, "line %d: malformed\n", line);
      return 2;
    }
    ++checked;
  }
  fclose(f);
  printf("%d vectors: %d passed, %d failed\n", checked, checked - failed, failed);
  return failed == 0 && checked > 0 ? 0 : 1;
}
