//go:build cgo

package backoff

import "sync/atomic"

// lifetime counts the references to an object the C library holds for Go:
// the owner's (until Close) and one per user (a running retry, a Stats
// call). The object is freed when the count drops to 0, so never under a
// user, and nothing can take a reference again after that.
type lifetime struct {
	refs   atomic.Int64
	closed atomic.Bool
}

func (l *lifetime) init() { l.refs.Store(1) }

// acquire takes a reference; false once the owner has closed the object.
func (l *lifetime) acquire() bool {
	for !l.closed.Load() {
		n := l.refs.Load()
		if n == 0 {
			return false
		}
		if l.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
	return false
}

// release drops a reference and reports whether it was the last one: the
// caller then frees the object.
func (l *lifetime) release() bool { return l.refs.Add(-1) == 0 }

// close drops the owner's reference, once; it reports whether that was the
// last one.
func (l *lifetime) close() bool {
	return l.closed.CompareAndSwap(false, true) && l.release()
}
