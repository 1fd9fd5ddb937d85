//go:build cgo

package backoff

import "sync/atomic"

// lifetime counts the references to an object the C library holds for Go:
// the owner's (until Close) and one per user (a running retry, a Stats
// call). The object is freed when the count drops to 0, so never under a
// user, and nothing can take a reference again after that.
//
// It also hands out a token: something the object owns that one user at a
// time may borrow with its reference, in the same atomic operation (a
// policy lends its own run memory this way, which costs a retry nothing
// beyond taking its reference).
type lifetime struct {
	word   atomic.Int64 // references << 1, | 1 while the token is free
	closed atomic.Bool
}

func (l *lifetime) init(withToken bool) {
	w := int64(1 << 1)
	if withToken {
		w |= 1
	}
	l.word.Store(w)
}

// acquire takes a reference, and the token if it is free; ok is false once
// the owner has closed the object.
func (l *lifetime) acquire() (ok, token bool) {
	for !l.closed.Load() {
		w := l.word.Load()
		if w>>1 == 0 {
			return false, false
		}
		if l.word.CompareAndSwap(w, (w+2)&^1) {
			return true, w&1 == 1
		}
	}
	return false, false
}

// release drops a reference, giving the token back if it was taken with
// it, and reports whether that was the last reference: the caller then
// frees the object.
func (l *lifetime) release(token bool) bool {
	if token { // the token's bit is 0 while it is out: -2 + 1 sets it again
		return l.word.Add(-1)>>1 == 0
	}
	return l.word.Add(-2)>>1 == 0
}

// close drops the owner's reference, once; it reports whether that was the
// last one.
func (l *lifetime) close() bool {
	return l.closed.CompareAndSwap(false, true) && l.release(false)
}
