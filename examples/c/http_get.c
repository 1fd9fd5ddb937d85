/* http_get: GET a URL with retries — the seed's Python make_http_get in C,
 * with libcurl. Connection errors, time-outs, 429 and 5xx are retried with
 * exponential backoff and full jitter (the library's defaults: waits drawn
 * from U[0,1], U[0,2], U[0,4] … s), at most 5 tries and 60 s; a 429's
 * Retry-After, in either form, replaces the next wait through
 * backoff_policy_hint. Any other status gives up at once. The body of the
 * successful response goes to stdout, the story of the retries to stderr.
 *
 * Usage: http_get [--seed N] [--timeout SECONDS] [--no-wait] URL
 *   --seed N     reproducible jitter
 *   --timeout S  per-request time-out (default 10 s)
 *   --no-wait    do not sleep: each wait only advances a simulated clock,
 *                on which requests take no time (for tests and demos)
 *
 * Build: cc http_get.c $(pkg-config --cflags --libs backoff libcurl) */
#include <backoff/backoff.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct request {
  CURL *curl;
  char *body;         /* the last response's body */
  size_t body_len;
  double retry_after; /* the last failure's Retry-After in s; < 0: none */
};

static size_t collect_body(char *data, size_t size, size_t n, void *user) {
  struct request *r = user;
  char *grown = realloc(r->body, r->body_len + size * n);
  if (grown == NULL)
    return 0; /* curl fails the transfer */
  memcpy(grown + r->body_len, data, size * n);
  r->body = grown;
  r->body_len += size * n;
  return size * n;
}

/* One attempt. Returns 0 on a 2xx, else the HTTP status, or the curl error
 * (all below 100) when there was no response. */
static int get(void *user) {
  struct request *r = user;
  struct curl_header *h;
  long status = 0;
  CURLcode rc;
  r->body_len = 0;
  r->retry_after = -1;
  rc = curl_easy_perform(r->curl);
  if (rc != CURLE_OK)
    return (int)rc;
  curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &status);
  /* CURLINFO_RETRY_AFTER would say 0 both for "0" and for no header, so the
   * header is read and parsed here; a malformed one leaves no hint. A date
   * is counted from the current whole second: never shorter than asked. */
  if (status == 429 &&
      curl_easy_header(r->curl, "Retry-After", 0, CURLH_HEADER, -1, &h) ==
          CURLHE_OK)
    backoff_parse_retry_after(h->value, (double)time(NULL), &r->retry_after);
  return status / 100 == 2 ? 0 : (int)status;
}

static int transient(int rc) {
  return rc == 429 || rc / 100 == 5 || rc == CURLE_COULDNT_RESOLVE_HOST ||
         rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT ||
         rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR ||
         rc == CURLE_GOT_NOTHING;
}

static int classify(const backoff_details *d, void *data) {
  (void)data;
  if (d->last_rc == 0)
    return BACKOFF_VERDICT_SUCCESS;
  return transient(d->last_rc) ? BACKOFF_VERDICT_RETRY : BACKOFF_VERDICT_GIVE_UP;
}

/* The server's wait, which the attempt left in its request. */
static double server_hint(const backoff_details *d, void *data) {
  (void)data;
  return ((const struct request *)d->user_data)->retry_after;
}

static const char *failure(int rc, char *buf, size_t size) {
  if (rc < 100)
    return curl_easy_strerror((CURLcode)rc);
  snprintf(buf, size, "HTTP %d", rc);
  return buf;
}

static void report_backoff(const backoff_details *d, void *data) {
  char buf[32];
  (void)data;
  fprintf(stderr, "http_get: try %u: %s; retrying in %g s%s\n", d->tries,
          failure(d->last_rc, buf, sizeof buf), d->wait,
          d->hint >= 0 ? " (Retry-After)" : "");
}

/* --no-wait: time that only the waits advance. */
static double simulated_now;
static double simulated_clock(void *data) { (void)data; return simulated_now; }
static void simulated_sleep(double s, void *data) { (void)data; simulated_now += s; }

int main(int argc, char **argv) {
  struct request r = {NULL, NULL, 0, -1};
  backoff_policy *policy;
  backoff_details d = BACKOFF_DETAILS_INIT;
  backoff_status status;
  double timeout = 10;
  char buf[32];
  int i;

  if (backoff_policy_new(&policy) != BACKOFF_OK)
    return 2;
  for (i = 1; i + 1 < argc; ++i) {
    if (strcmp(argv[i], "--seed") == 0 && i + 2 < argc)
      backoff_policy_seed(policy, strtoull(argv[++i], NULL, 10));
    else if (strcmp(argv[i], "--timeout") == 0 && i + 2 < argc)
      timeout = atof(argv[++i]);
    else if (strcmp(argv[i], "--no-wait") == 0) {
      backoff_policy_clock(policy, simulated_clock, NULL, NULL);
      backoff_policy_sleep(policy, simulated_sleep, NULL, NULL);
    } else
      break;
  }
  if (i != argc - 1) {
    fprintf(stderr, "usage: http_get [--seed N] [--timeout S] [--no-wait] URL\n");
    return 2;
  }
  backoff_policy_max_tries(policy, 5);
  backoff_policy_max_time(policy, 60);
  backoff_policy_classify(policy, classify, NULL, NULL);
  backoff_policy_hint(policy, server_hint, NULL, NULL);
  backoff_policy_on_backoff(policy, report_backoff, NULL, NULL);

  curl_global_init(CURL_GLOBAL_DEFAULT);
  r.curl = curl_easy_init();
  curl_easy_setopt(r.curl, CURLOPT_URL, argv[i]);
  curl_easy_setopt(r.curl, CURLOPT_TIMEOUT_MS, (long)(timeout * 1000));
  curl_easy_setopt(r.curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(r.curl, CURLOPT_WRITEDATA, &r);

  status = backoff_run(policy, get, &r, &d);
  if (status == BACKOFF_OK && r.body_len > 0)
    fwrite(r.body, 1, r.body_len, stdout);
  else
    fprintf(stderr, "http_get: %s after %u tries (last: %s)\n",
            backoff_strerror(status), d.tries, failure(d.last_rc, buf, sizeof buf));

  free(r.body);
  curl_easy_cleanup(r.curl);
  curl_global_cleanup();
  backoff_policy_free(policy);
  return status == BACKOFF_OK ? 0 : 1;
}
