//go:build !cgo

package backoff

// Built only without cgo, where every other file of the package is left
// out: instead of a list of undefined names, the build stops on this one
// line, whose text says what is missing.
const _ = "libbackoff needs cgo: build with CGO_ENABLED=1 and a C compiler, and install the C library so that `pkg-config backoff` finds it" + 0
