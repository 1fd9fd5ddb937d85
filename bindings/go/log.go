package backoff

/*
#include "glue.h"
*/
import "C"

import (
	"log/slog"
	"math"
)

// WithLogger sends the library's log lines to logger, one per backoff and
// one per give-up, e.g. "Backing off fetch(...) for 0.2s (rc=1)" (rc is the
// verdict the classifier gave: 1 retry, 2 give up). Silent by default.
func WithLogger(logger *slog.Logger) Option {
	return func(p *Policy) error {
		if logger == nil {
			return invalid("WithLogger")
		}
		return p.register("WithLogger", logger, func(h C.uintptr_t) C.backoff_status {
			return C.go_policy_log(p.c, h)
		})
	}
}

// WithLogLevels sets the levels of backoff lines (slog.LevelInfo by default)
// and give-up lines (slog.LevelError). The library counts levels as Python's
// logging does, from 0: levels below slog.LevelDebug-4 are refused.
func WithLogLevels(backoff, giveUp slog.Level) Option {
	return func(p *Policy) error {
		b, g := pythonLevel(backoff), pythonLevel(giveUp)
		if math.Abs(b) > math.MaxInt32 || math.Abs(g) > math.MaxInt32 {
			return invalid("WithLogLevels")
		}
		return statusError("WithLogLevels",
			C.backoff_policy_log_levels(p.c, C.int(b), C.int(g)))
	}
}

// Python's levels are 10 apart (DEBUG 10 … ERROR 40), slog's 4 apart
// (Debug −4 … Error 8), with INFO at 20 and 0.
func pythonLevel(l slog.Level) float64 { return 20 + float64(l)*2.5 }

func slogLevel(python C.int) slog.Level { return slog.Level((int64(python) - 20) * 4 / 10) }
