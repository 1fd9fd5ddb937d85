//go:build !race

package backoff_test

const maxLiveGoroutines = 1 << 30
