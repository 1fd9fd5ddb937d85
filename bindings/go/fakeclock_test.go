package backoff_test

import (
	"context"
	"sync"
	"time"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

// fakeClock is the policy's clock and sleeper in tests: sleeping advances
// it at once, so no test waits for real.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Duration
	slept []time.Duration
}

func (c *fakeClock) Now() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now += d
	c.slept = append(c.slept, d)
	return nil
}

// Advance lets an attempt take time.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now += d
}

func (c *fakeClock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

func (c *fakeClock) Options() []backoff.Option {
	return []backoff.Option{backoff.WithClock(c.Now), backoff.WithSleeper(c.Sleep)}
}
