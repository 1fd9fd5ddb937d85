// Package backoff retries operations with exponential backoff and jitter,
// using libbackoff: every retry decision (classification verdicts, limits,
// waits, jitter, clamping, server hints, retry budgets, hooks, logging) is
// made by the C library, so Go gets exactly the semantics of C, C++, Rust
// and the backoff command.
//
// The operation and the sleeps between attempts run in Go: a context
// cancelled during a wait ends the retry at once, and no OS thread sits
// blocked in C. A Policy is configured once with New and may then be shared
// by any number of goroutines.
//
//	p, err := backoff.New(backoff.WithExpo(2, 100*time.Millisecond, 5*time.Second),
//		backoff.WithMaxTries(5))
//	if err != nil { ... }
//	defer p.Close()
//	body, err := backoff.RetryValue(ctx, p, func(ctx context.Context) ([]byte, error) {
//		return fetch(ctx, url)
//	})
//
// A server's Retry-After is honoured with RetryAfter (and ParseRetryAfter);
// a Budget shared by policies bounds how many retries they add to a
// service's load.
//
// The package needs cgo and the C library, found with pkg-config (package
// "backoff", version 1.1 or newer): an installed libbackoff (Debian's
// libbackoff-dev, or meson install), or a build tree through
// PKG_CONFIG_PATH=<builddir>/meson-uninstalled.
package backoff
