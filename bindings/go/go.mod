module github.com/libbackoff/libbackoff/bindings/go

go 1.24

require github.com/cenkalti/backoff/v5 v5.0.3
