/* A program that knows libbackoff only through its installed header and
 * pkg-config: retries an operation that fails twice. */
#include <backoff/backoff.h>
#include <stdio.h>
#include <string.h>

static int failures_left = 2;

static int flaky(void *data) {
  (void)data;
  return failures_left-- > 0 ? 1 : 0;
}

int main(void) {
  backoff_policy *policy = NULL;
  backoff_details details = BACKOFF_DETAILS_INIT;
  backoff_status status;

  if (backoff_version_number() != BACKOFF_VERSION_NUMBER ||
      strcmp(backoff_version_string(), BACKOFF_VERSION_STRING) != 0) {
    fprintf(stderr, "header and library versions differ\n");
    return 1;
  }
  if (backoff_policy_new(&policy) != BACKOFF_OK ||
      backoff_policy_wait_constant(policy, 0.0) != BACKOFF_OK)
    return 1;
  status = backoff_run(policy, flaky, NULL, &details);
  backoff_policy_free(policy);
  if (status != BACKOFF_OK || details.tries != 3) {
    fprintf(stderr, "status %d (%s), tries %u\n", status,
            backoff_strerror(status), details.tries);
    return 1;
  }
  puts("consumer: ok after 3 tries");
  return 0;
}
