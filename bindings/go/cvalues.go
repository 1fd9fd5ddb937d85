package backoff

/*
#include "glue.h"
*/
import "C"

// The exported constants and sentinel errors are written as Go values, so
// that go doc shows them as they are; this function, never called, makes
// the build fail if one of them drifts from the library's header. An index
// into a one-element array compiles only when it is the constant 0.
func _() {
	var same [1]struct{}
	_ = same[VerdictRetry-C.BACKOFF_VERDICT_RETRY]
	_ = same[VerdictGiveUp-C.BACKOFF_VERDICT_GIVE_UP]
	_ = same[VerdictPassThrough-C.BACKOFF_VERDICT_PASS_THROUGH]
	_ = same[JitterNone-C.BACKOFF_JITTER_NONE]
	_ = same[JitterFull-C.BACKOFF_JITTER_FULL]
	_ = same[JitterRandom-C.BACKOFF_JITTER_RANDOM]
	_ = same[JitterEqual-C.BACKOFF_JITTER_EQUAL]
	_ = same[JitterDecorrelated-C.BACKOFF_JITTER_DECORRELATED]
	_ = same[JitterProportional-C.BACKOFF_JITTER_PROPORTIONAL]
}

// sentinels pairs each reason with the status whose library message it
// carries, for the test that checks their texts.
func sentinels() map[error]string {
	return map[error]string{
		ErrMaxTries:  message(C.BACKOFF_GAVE_UP_TRIES),
		ErrMaxTime:   message(C.BACKOFF_GAVE_UP_TIME),
		ErrPermanent: message(C.BACKOFF_GAVE_UP_FATAL),
		ErrExhausted: message(C.BACKOFF_GAVE_UP_EXHAUSTED),
		ErrCancelled: message(C.BACKOFF_CANCELLED),
		ErrBudget:    message(C.BACKOFF_GAVE_UP_BUDGET),
	}
}
