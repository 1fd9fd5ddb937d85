package backoff

/*
#include "glue.h"
*/
import "C"

import (
	"runtime"
	"sync"
)

// runMemory is C memory for one run's state machine and its give-up
// details (see go_run_memory_new in glue.h), reused so that a retry
// allocates nothing, in Go or in C. C memory rather than Go memory, and
// held as an integer, because cgo checks every pointer handed to C, which
// costs as much as the rest of a run's step.
type runMemory struct{ c C.uintptr_t } // a C pointer, as glue.h says why

// runMemories serves the retries that find their policy's own memory lent
// to another retry (see Policy.acquire). The pool only refills after a
// garbage collection dropped what it held; a dropped block's cleanup frees
// it.
var runMemories = sync.Pool{New: func() any {
	m := &runMemory{c: C.go_run_memory_new()}
	if m.c == 0 {
		panic("backoff: out of memory")
	}
	runtime.AddCleanup(m, func(c C.uintptr_t) { C.go_run_memory_free(c) }, m.c)
	return m
}}

// details are those of a run that ended without success, written by the
// step that ended it.
func (m *runMemory) details() *C.backoff_details { return C.go_run_details(m.c) }
