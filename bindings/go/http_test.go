package backoff_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

// The seed's rate-limited HTTP client (its make_http_get): GET a URL,
// retrying connection errors, timeouts, 429 and 5xx with the policy's waits;
// a Retry-After on those answers (delay-seconds or an HTTP-date, read at
// now()) replaces the next wait. Other 4xx are final.
func httpGet(ctx context.Context, p *backoff.Policy, client *http.Client, url string, now func() time.Time) (string, error) {
	return backoff.RetryValue(ctx, p, func(ctx context.Context) (string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return "", backoff.Permanent(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			return "", err // connection refused or reset, timeout: retried
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return "", err
		}
		switch {
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			err := fmt.Errorf("GET: %s", resp.Status)
			if wait, perr := backoff.ParseRetryAfter(resp.Header.Get("Retry-After"), now()); perr == nil {
				return "", backoff.RetryAfter(wait, err)
			}
			return "", err
		case resp.StatusCode >= 400:
			return "", backoff.Permanent(fmt.Errorf("GET: %s", resp.Status))
		}
		return string(body), nil
	})
}

// answer is one scripted server response: a status (with an optional
// Retry-After, or one computed from the server's clock), or a broken
// connection: "close" drops it, "hang" never answers.
type answer struct {
	status     int
	retryAfter string
	dateIn     time.Duration // Retry-After: an HTTP-date this far ahead
	broken     string
}

// scriptedServer answers requests from a script, on 127.0.0.1.
type scriptedServer struct {
	*httptest.Server
	mu       sync.Mutex
	script   []answer
	requests int
	now      func() time.Time
	dates    []time.Time // the HTTP-dates sent
}

func newScriptedServer(t testing.TB, now func() time.Time, script ...answer) *scriptedServer {
	s := &scriptedServer{script: script, now: now}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *scriptedServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	a := answer{status: http.StatusOK}
	if s.requests < len(s.script) {
		a = s.script[s.requests]
	}
	s.requests++
	if a.dateIn > 0 {
		date := s.now().Add(a.dateIn).Truncate(time.Second)
		s.dates = append(s.dates, date)
		a.retryAfter = date.Format(http.TimeFormat)
	}
	s.mu.Unlock()
	switch a.broken {
	case "close":
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	case "hang":
		<-r.Context().Done() // until the client gives up
		return
	}
	if a.retryAfter != "" {
		w.Header().Set("Retry-After", a.retryAfter)
	}
	w.WriteHeader(a.status)
	if a.status == http.StatusOK {
		io.WriteString(w, "hello")
	}
}

// newClient makes a fresh connection per request, so that a broken one is
// the operation's error (not replayed by the transport).
func newClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true}}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// isConnectionError: the request failed below HTTP, without a timeout.
func isConnectionError(err error) bool {
	var ue *url.Error
	return errors.As(err, &ue) && !isTimeout(err)
}

// epoch is the wall time at the fake clock's origin, for HTTP-dates.
var epoch = time.Date(2026, time.December, 1, 12, 0, 0, 0, time.UTC)

// The seed's scenario: the server answers 503, 503, 429 with Retry-After: 2,
// then 200. Expo (1 s, 2 s, 4 s … before jitter) with full jitter, seeded;
// the fake clock makes the waits visible instead of slept.
func Example_httpClient() {
	var now time.Duration // the fake clock
	p, err := backoff.New(
		backoff.WithExpo(2, time.Second, 30*time.Second),
		backoff.WithJitter(backoff.JitterFull),
		backoff.WithMaxTries(6),
		backoff.WithMaxTime(time.Minute),
		backoff.WithSeed(1),
		backoff.WithClock(func() time.Duration { return now }),
		backoff.WithSleeper(func(ctx context.Context, d time.Duration) error { now += d; return nil }),
		backoff.WithOnBackoff(func(d backoff.Details) {
			if d.Hint >= 0 {
				fmt.Printf("%v, waiting %v as the server asked\n", d.Err, d.Wait)
			} else {
				fmt.Printf("%v, waiting %v\n", d.Err, d.Wait)
			}
		}),
	)
	if err != nil {
		panic(err)
	}
	defer p.Close()

	server := httptest.NewServer(scripted(
		answer{status: 503}, answer{status: 503},
		answer{status: 429, retryAfter: "2"}, answer{status: 200}))
	defer server.Close()
	body, err := httpGet(context.Background(), p, newClient(10*time.Second), server.URL,
		func() time.Time { return epoch.Add(now) })
	fmt.Println(body, err)
	// Output:
	// GET: 503 Service Unavailable, waiting 566.561575ms
	// GET: 503 Service Unavailable, waiting 1.491563515s
	// GET: 429 Too Many Requests, waiting 2s as the server asked
	// hello <nil>
}

// scripted is a handler for the example, which has no testing.TB.
func scripted(script ...answer) http.Handler {
	s := &scriptedServer{script: script, now: time.Now}
	return http.HandlerFunc(s.serve)
}

// untilDate is the wait an HTTP-date asks for at wall time now: the
// library's parse (it counts in float seconds since 1970, so to within a
// microsecond of the exact difference).
func untilDate(t *testing.T, date, now time.Time) time.Duration {
	t.Helper()
	wait, err := backoff.ParseRetryAfter(date.Format(http.TimeFormat), now)
	if exact := date.Sub(now); err != nil || wait < exact-time.Microsecond || wait > exact+time.Microsecond {
		t.Fatalf("ParseRetryAfter of %v at %v: %v, %v; want about %v", date, now, wait, err, exact)
	}
	return wait
}

func TestHTTPClient(t *testing.T) {
	policyOptions := func(clock *fakeClock) []backoff.Option {
		return append(clock.Options(), backoff.WithExpo(2, time.Second, 30*time.Second),
			backoff.WithJitter(backoff.JitterFull), backoff.WithMaxTries(6),
			backoff.WithMaxTime(time.Minute), backoff.WithSeed(1))
	}
	// The generator's waits, for comparison: the same policy on an
	// operation that always fails without a hint.
	referenceClock := &fakeClock{}
	calls := 0
	backoff.Retry(context.Background(), newPolicy(t, policyOptions(referenceClock)...),
		hinted(referenceClock, 0, &calls))
	generated := referenceClock.Slept()
	if len(generated) != 5 {
		t.Fatalf("reference waits %v", generated)
	}
	g := func(i int) time.Duration { return generated[i] }

	for _, tc := range []struct {
		name     string
		script   []answer
		timeout  time.Duration
		body     string
		err      error
		requests int
		// waits expected, given the HTTP-dates the server sent and the
		// wall times of the fake clock when each was read
		waits func(dates []time.Time, wall []time.Time) []time.Duration
		hint  time.Duration // Details.Hint of a give-up
		// what the first failure must have been, when it is not an answer
		firstErr func(error) bool
	}{
		{name: "Retry-After in seconds replaces one wait",
			script: []answer{{status: 503}, {status: 503}, {status: 429, retryAfter: "2"}},
			body:   "hello", requests: 4,
			waits: func([]time.Time, []time.Time) []time.Duration { return []time.Duration{g(0), g(1), 2 * time.Second} }},
		{name: "an HTTP-date, then the generator resumes where it was",
			script: []answer{{status: 503}, {status: 429, dateIn: 3 * time.Second}, {status: 500}},
			body:   "hello", requests: 4,
			waits: func(dates, wall []time.Time) []time.Duration {
				return []time.Duration{g(0), untilDate(t, dates[0], wall[1]), g(1)}
			}},
		{name: "a hint beyond max time gives up at once",
			script: []answer{{status: 503}, {status: 429, retryAfter: "120"}},
			err:    backoff.ErrMaxTime, requests: 2, hint: 2 * time.Minute,
			waits: func([]time.Time, []time.Time) []time.Duration { return []time.Duration{g(0)} }},
		{name: "connection errors are retried",
			script: []answer{{broken: "close"}, {status: 502}, {broken: "close"}},
			body:   "hello", requests: 4, firstErr: isConnectionError,
			waits: func([]time.Time, []time.Time) []time.Duration { return []time.Duration{g(0), g(1), g(2)} }},
		{name: "a timeout is retried",
			script: []answer{{broken: "hang"}}, timeout: 2 * time.Second,
			body: "hello", requests: 2, firstErr: isTimeout,
			waits: func([]time.Time, []time.Time) []time.Duration { return []time.Duration{g(0)} }},
		{name: "5xx until max tries",
			script: []answer{{status: 503}, {status: 503}, {status: 503}, {status: 503}, {status: 503}, {status: 503}},
			err:    backoff.ErrMaxTries, requests: 6, hint: backoff.NoHint,
			waits: func([]time.Time, []time.Time) []time.Duration { return generated }},
		{name: "other 4xx are final",
			script: []answer{{status: 503}, {status: 404}},
			err:    backoff.ErrPermanent, requests: 2, hint: backoff.NoHint,
			waits: func([]time.Time, []time.Time) []time.Duration { return []time.Duration{g(0)} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{}
			var wall []time.Time // when the client read the clock for a date
			now := func() time.Time { w := epoch.Add(clock.Now()); wall = append(wall, w); return w }
			server := newScriptedServer(t, func() time.Time { return epoch.Add(clock.Now()) }, tc.script...)
			timeout := tc.timeout
			if timeout == 0 {
				timeout = time.Minute // a stalled machine must not look like a timeout
			}
			var failures []error
			p := newPolicy(t, append(policyOptions(clock),
				backoff.WithOnBackoff(func(d backoff.Details) { failures = append(failures, d.Err) }))...)
			body, err := httpGet(context.Background(), p, newClient(timeout), server.URL, now)

			if body != tc.body || (tc.err == nil) != (err == nil) || (tc.err != nil && !errors.Is(err, tc.err)) {
				t.Fatalf("got %q, %v; want %q, %v", body, err, tc.body, tc.err)
			}
			if tc.err != nil {
				if e := giveUpError(t, err, tc.err, tc.requests); e.Details.Hint != tc.hint {
					t.Fatalf("Details.Hint %v, want %v", e.Details.Hint, tc.hint)
				}
			}
			if server.requests != tc.requests {
				t.Fatalf("%d requests, want %d", server.requests, tc.requests)
			}
			assertWaits(t, clock.Slept(), tc.waits(server.dates, wall))
			if tc.firstErr != nil && (len(failures) == 0 || !tc.firstErr(failures[0])) {
				t.Fatalf("failures %v: the first is not the expected kind", failures)
			}
		})
	}
}
