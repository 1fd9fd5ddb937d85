//go:build cgo

package backoff

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestLifetimeLendsItsTokenToOneUserAtATime(t *testing.T) {
	var l lifetime
	l.init(true)
	ok1, token1 := l.acquire()
	ok2, token2 := l.acquire()
	if !ok1 || !token1 || !ok2 || token2 {
		t.Fatalf("acquire: (%v, %v) then (%v, %v); want the token for the first only", ok1, token1, ok2, token2)
	}
	if l.release(true) {
		t.Fatal("a release with users left reported the last reference")
	}
	if ok, token := l.acquire(); !ok || !token {
		t.Fatal("the token given back was not lent again")
	}
	l.release(true)
	l.release(false)
	if !l.close() || l.close() {
		t.Fatal("close must report the last reference once")
	}
	if ok, _ := l.acquire(); ok {
		t.Fatal("acquire after the last reference went")
	}
}

func TestLifetimeUnderConcurrency(t *testing.T) {
	var l lifetime
	l.init(true)
	var holders, lent atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2000 {
				ok, token := l.acquire()
				if !ok {
					t.Error("acquire failed before close")
					return
				}
				if token {
					lent.Add(1)
					if holders.Add(1) != 1 {
						t.Error("two users hold the token")
					}
					holders.Add(-1)
				}
				if l.release(token) {
					t.Error("a user's release reported the last reference")
				}
			}
		}()
	}
	wg.Wait()
	if lent.Load() == 0 || !l.close() {
		t.Fatalf("token lent %d times; close must free", lent.Load())
	}
}
