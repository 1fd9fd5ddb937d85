/* Retries a flaky operation with the library's exponential backoff and full
 * jitter, logging each backoff the way the Python package does, and
 * honouring a server's Retry-After: the attempt stores the delay it was
 * told, the policy's hint function hands it to the run, which waits exactly
 * that once and then resumes its own waits. */
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

/* The server's word for the failure that just happened, if it gave one. */
static double server_hint(const backoff_details *d, void *data) {
  const struct call *call = d->user_data;
  (void)data;
  return call->retry_after;
}

int main(void) {
  backoff_policy *policy = NULL;
  backoff_run_options options = BACKOFF_RUN_OPTIONS_INIT;
  backoff_details details = BACKOFF_DETAILS_INIT;
  struct call call = {0, -1.0};
  backoff_status status;

  if (backoff_policy_new(&policy) != BACKOFF_OK)
    return 1;
  backoff_policy_wait_expo(policy, 2, 0.01, 1); /* U[0,0.01], U[0,0.02] … */
  backoff_policy_hint(policy, server_hint, NULL, NULL);
  backoff_policy_max_tries(policy, 5);
  backoff_policy_max_time(policy, 10);
  backoff_policy_log(policy, backoff_log_stderr, NULL, NULL);

  options.label = "call_service";
  status = backoff_run_ex(policy, call_service, &call, &options, &details);
  printf("%s after %u tries, %.2f s waited\n", backoff_strerror(status),
         details.tries, details.total_wait);
  backoff_policy_free(policy);
  /* the second wait was expo's first, jittered: at most 0.01 s */
  return status == BACKOFF_OK && details.tries == 3 &&
                 details.total_wait >= 0.05 && details.total_wait <= 0.06
             ? 0
             : 1;
}
