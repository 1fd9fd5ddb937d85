/* backoff_run and the state machine must not touch the heap once the policy
 * exists: this program interposes malloc and friends (glibc's __libc_*
 * entry points do the real work) and counts every call made while a run is
 * in progress. */
#include <backoff/backoff.h>
#include <stdio.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static int counting;
static unsigned long allocations;

void *malloc(size_t n) {
  allocations += counting;
  return __libc_malloc(n);
}
void *calloc(size_t n, size_t size) {
  allocations += counting;
  return __libc_calloc(n, size);
}
void *realloc(void *p, size_t n) {
  allocations += counting;
  return __libc_realloc(p, n);
}
void *aligned_alloc(size_t alignment, size_t n) {
  allocations += counting;
  return __libc_memalign(alignment, n);
}
int posix_memalign(void **out, size_t alignment, size_t n) {
  allocations += counting;
  *out = __libc_memalign(alignment, n);
  return *out != NULL ? 0 : 12 /* ENOMEM */;
}
void free(void *p) { __libc_free(p); }

static int attempts_left;
static int flaky(void *data) {
  (void)data;
  return --attempts_left > 0 ? 7 : 0;
}

static void hook(const backoff_details *d, void *data) {
  (void)d;
  ++*(int *)data;
}

static void sink(int level, const char *message, const backoff_details *d,
                 void *data) {
  (void)level;
  (void)d;
  *(int *)data += message[0] != '\0';
}

static double fake_now;
static double fake_clock(void *data) {
  (void)data;
  return fake_now;
}
static void fake_sleep(double seconds, void *data) {
  (void)data;
  fake_now += seconds;
}

static int failures;
static void check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

int main(void) {
  backoff_policy *policy, *real_sleep;
  backoff_cancel *cancel;
  backoff_run_options options = BACKOFF_RUN_OPTIONS_INIT;
  backoff_details details = BACKOFF_DETAILS_INIT;
  int calls = 0, lines = 0;
  double storage[64];
  backoff_state *state;
  double wait;
  backoff_status status;

  /* Everything a run can use, configured up front (these may allocate). */
  check(backoff_policy_new(&policy) == BACKOFF_OK, "policy_new");
  backoff_policy_wait_expo(policy, 2, 0.5, 30);
  backoff_policy_max_time(policy, 3600);
  backoff_policy_on_try(policy, hook, &calls, NULL);
  backoff_policy_on_backoff(policy, hook, &calls, NULL);
  backoff_policy_on_success(policy, hook, &calls, NULL);
  backoff_policy_on_giveup(policy, hook, &calls, NULL);
  backoff_policy_log(policy, sink, &lines, NULL);
  backoff_policy_clock(policy, fake_clock, NULL, NULL);
  backoff_policy_sleep(policy, fake_sleep, NULL, NULL);
  check(backoff_cancel_new(&cancel) == BACKOFF_OK, "cancel_new");
  options.cancel = cancel;
  options.label = "flaky";

  check(backoff_policy_new(&real_sleep) == BACKOFF_OK, "policy_new");
  backoff_policy_wait_constant(real_sleep, 0.001);

  counting = 1;

  attempts_left = 5; /* unseeded: the first jitter draws a fresh seed */
  status = backoff_run_ex(policy, flaky, NULL, &options, &details);
  check(status == BACKOFF_OK && details.tries == 5, "run succeeds on try 5");

  backoff_policy_max_tries(policy, 3);
  attempts_left = 10;
  status = backoff_run_ex(policy, flaky, NULL, &options, &details);
  check(status == BACKOFF_GAVE_UP_TRIES, "run gives up after 3 tries");

  attempts_left = 3; /* the system's sleep, interruptible by the token */
  status = backoff_run_ex(real_sleep, flaky, NULL, &options, &details);
  check(status == BACKOFF_OK && details.tries == 3, "real sleeps");

  check(backoff_state_init(storage, sizeof storage, policy, &options, NULL,
                           &state) == BACKOFF_OK, "state_init");
  backoff_state_begin(state);
  check(backoff_state_next(state, 1, &wait) == BACKOFF_RETRY, "state retry");
  backoff_state_retry_after(state, 2.5);
  backoff_state_begin(state);
  check(backoff_state_next(state, 1, &wait) == BACKOFF_RETRY && wait == 2.5,
        "retry-after");
  check(backoff_state_cancel(state) == BACKOFF_CANCELLED, "state cancel");
  backoff_state_details(state, &details);

  counting = 0;

  check(calls > 0 && lines > 0, "hooks and log ran");
  if (allocations != 0) {
    fprintf(stderr, "FAILED: %lu heap allocations during runs\n", allocations);
    ++failures;
  }
  backoff_policy_free(policy);
  backoff_policy_free(real_sleep);
  backoff_cancel_free(cancel);
  printf("%lu allocations during runs; %d failures\n", allocations, failures);
  return failures == 0 ? 0 : 1;
}
