//go:build cgo

package backoff

import "context"

// Retry calls op until it returns nil, the policy gives up, or ctx is done,
// waiting between attempts as the policy decides. It returns nil on
// success; the error of an attempt judged VerdictPassThrough as it is; and
// otherwise an *Error that says why it gave up (errors.Is with ErrMaxTries,
// ErrMaxTime, ErrPermanent, ErrExhausted, ErrCancelled) and unwraps to the
// last attempt's error — and to ctx.Err() when cancelled. A panic in op (or
// in a hook) propagates out of Retry.
func Retry(ctx context.Context, p *Policy, op func(ctx context.Context) error) error {
	_, err := RetryValue(ctx, p, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, op(ctx)
	})
	return err
}

// RetryValue is Retry for an operation that returns a value: the value of
// the successful attempt, or the zero value with the error.
func RetryValue[T any](ctx context.Context, p *Policy, op func(ctx context.Context) (T, error)) (T, error) {
	var zero T
	ok, memory := p.acquire()
	if !ok {
		return zero, ErrClosed
	}
	d := driver{p: p, mem: memory}
	defer d.release() // also p's reference
	if err := d.start(ctx); err != nil {
		return zero, err
	}
	for {
		v, err := op(ctx)
		ended, err := d.next(ctx, err)
		if ended {
			if err != nil {
				return zero, err
			}
			return v, nil
		}
		if err := d.pause(ctx); err != nil {
			return zero, err
		}
	}
}
