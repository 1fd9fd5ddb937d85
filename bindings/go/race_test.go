//go:build race

package backoff_test

// The race detector allows at most 8128 live goroutines.
const maxLiveGoroutines = 4000
