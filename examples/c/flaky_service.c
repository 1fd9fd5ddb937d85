/* Retries a flaky operation with exponential backoff, logging each backoff
 * the way the Python package does, and honouring a server's Retry-After:
 * the attempt stores the delay it was told, a custom wait returns it. */
#include <backoff/backoff.h>
#include <stdio.h>

struct call {
  int attempts;
  double retry_after; /* < 0: the server did not say */
};

/* Fails twice: first "503 Service Unavailable" with a Retry-After (a real
 * client would get it from backoff_parse_retry_after on the header), then a
 * bare failure; succeeds on the third attempt. */
static int call_service(void *data) {
  struct call *call = data;
  call->attempts++;
  call->retry_after = -1.0;
  if (call->attempts == 1) {
    call->retry_after = 0.05;
    return 503;
  }
  return call->attempts < 3 ? 500 : 0;
}

/* The server's word when it gave one, else exponential from 10 ms. */
static double next_wait(const backoff_details *d, void *data) {
  const struct call *call = d->user_data;
  (void)data;
  if (call->retry_after >= 0)
    return call->retry_after;
  return 0.01 * (double)(1u << (d->tries - 1));
}

int main(void) {
  backoff_policy *policy = NULL;
  backoff_run_options options = BACKOFF_RUN_OPTIONS_INIT;
  backoff_details details = BACKOFF_DETAILS_INIT;
  struct call call = {0, -1.0};
  backoff_status status;

  if (backoff_policy_new(&policy) != BACKOFF_OK)
    return 1;
  backoff_policy_wait_custom(policy, next_wait, NULL, NULL);
  backoff_policy_jitter(policy, BACKOFF_JITTER_NONE);
  backoff_policy_max_tries(policy, 5);
  backoff_policy_max_time(policy, 10);
  backoff_policy_log(policy, backoff_log_stderr, NULL, NULL);

  options.label = "call_service";
  status = backoff_run_ex(policy, call_service, &call, &options, &details);
  printf("%s after %u tries, %.2f s waited\n", backoff_strerror(status),
         details.tries, details.total_wait);
  backoff_policy_free(policy);
  return status == BACKOFF_OK && details.tries == 3 ? 0 : 1;
}
