module github.com/libbackoff/libbackoff/bindings/go

go 1.26
