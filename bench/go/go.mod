// libbackoff's Go binding side by side with github.com/cenkalti/backoff/v5
// and github.com/avast/retry-go/v4, in one process (bench/run runs it). A
// module of its own, so that the binding's module does not depend on
// retry-go.
module github.com/libbackoff/libbackoff/bench/go

go 1.24

require (
	github.com/avast/retry-go/v4 v4.7.0
	github.com/cenkalti/backoff/v5 v5.0.3
	github.com/libbackoff/libbackoff/bindings/go v0.0.0
)

replace github.com/libbackoff/libbackoff/bindings/go => ../../bindings/go
